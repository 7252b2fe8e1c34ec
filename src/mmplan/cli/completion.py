"""Shell completion of program ids and course codes, for every command's arguments.

Use as `typer.Argument(autocompletion=complete_program_id)` (or `complete_course_code`).
Each callback loads the catalog chosen by the global options already typed (--catalog,
--no-bundled, MMPLAN_CATALOG) and never raises: a broken catalog completes nothing.

A candidate goes back to the shell, which may read it as code (zsh evaluates what Typer's
script hands it). So only ids of the safe alphabet are offered, whatever the catalog holds:
validation refuses others, and this filter keeps out any that slip past it (an older cache).
"""

import re
from typing import TYPE_CHECKING

import typer

if TYPE_CHECKING:
    from collections.abc import Iterable

    from mmplan.catalog.model import Catalog


def _catalog(ctx: typer.Context | None) -> "Catalog | None":
    """The active catalog as the command line so far chooses it, or None if it cannot load."""
    from mmplan.catalog.load import CatalogSources, load_active_catalog
    from mmplan.cli.app import catalog_sources

    try:
        if ctx is None:
            return load_active_catalog(CatalogSources.from_environment((), True)).catalog
        return load_active_catalog(catalog_sources(ctx)).catalog
    except Exception:  # completion must never print a traceback into the shell
        return None


# The course code alphabet (core.limits.CODE_PATTERN), with one `/` for `program/CODE`;
# written out here so completion checks it without importing the catalog's model.
_SAFE_CANDIDATE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._+-]*(?:/[A-Za-z0-9][A-Za-z0-9._+-]*)?")


def safe_candidates(candidates: "Iterable[str]") -> list[str]:
    """The candidates a shell can take as words: the safe alphabet only, each once."""
    return [c for c in dict.fromkeys(candidates) if _SAFE_CANDIDATE.fullmatch(c)]


def complete_program_id(ctx: typer.Context, incomplete: str) -> list[str]:
    """Program ids starting with what was typed (case-insensitive), in catalog order."""
    catalog = _catalog(ctx)
    if catalog is None:
        return []
    folded = incomplete.casefold()
    return safe_candidates(p.id for p in catalog.programs if p.id.startswith(folded))


def complete_course_code(ctx: typer.Context, args: list[str], incomplete: str) -> list[str]:
    """Course codes of the programs already on the command line, else `program/CODE` ids.

    `program/` followed by a partial code completes that program's codes as full ids.
    """
    catalog = _catalog(ctx)
    if catalog is None:
        return []
    folded = incomplete.casefold()
    ids = {p.id for p in catalog.programs}
    named = [word.casefold() for word in [*args, *_param_words(ctx)] if word.casefold() in ids]
    if named and "/" not in incomplete:
        codes = [
            course.code
            for program in catalog.programs
            if program.id in named
            for course in program.courses
        ]
        return safe_candidates(code for code in codes if code.casefold().startswith(folded))
    return safe_candidates(
        f"{program.id}/{course.code}"
        for program in catalog.programs
        for course in program.courses
        if f"{program.id}/{course.code}".casefold().startswith(folded)
    )


def _param_words(ctx: typer.Context) -> list[str]:
    """Words already parsed into this command's parameters (strings and lists of them)."""
    words: list[str] = []
    for value in ctx.params.values():
        if isinstance(value, str):
            words.append(value)
        elif isinstance(value, list | tuple):
            words.extend(v for v in value if isinstance(v, str))
    return words
