"""Finding programs and courses by what the user typed, with did-you-mean suggestions."""

from __future__ import annotations

import difflib
from collections.abc import Iterable

from mmplan.catalog.model import Catalog, Course, Program, ProgramStatus
from mmplan.core.errors import RetiredProgramError, UnknownIdError, shown


def suggest(word: str, candidates: Iterable[str]) -> str | None:
    """The closest candidate to `word`, if any is close enough to be a likely typo."""
    by_folded = {c.casefold(): c for c in candidates}
    matches = difflib.get_close_matches(word.casefold(), list(by_folded), n=1, cutoff=0.6)
    return by_folded[matches[0]] if matches else None


def did_you_mean(word: str, candidates: Iterable[str]) -> str:
    """` (did you mean 'x'?)` or an empty string."""
    match = suggest(word, candidates)
    return f" (did you mean {shown(match)}?)" if match else ""


def find_program(catalog: Catalog, typed: str) -> Program:
    """The program whose id matches `typed`: case-insensitive, a unique prefix is enough."""
    return catalog.program(_resolve(typed, [p.id for p in catalog.programs], "program"))


def find_open_program(catalog: Catalog, typed: str) -> Program:
    """`find_program`, refusing a retired program: nobody can plan or pay for it any more."""
    program = find_program(catalog, typed)
    if program.status is ProgramStatus.RETIRED:
        raise RetiredProgramError(
            f"{program.id} is {program.status_text}; "
            f"`mmplan status {program.id}` still counts the courses you took"
        )
    return program


def find_programs(
    catalog: Catalog, typed: Iterable[str], *, open_only: bool = False
) -> list[Program]:
    """The programs `typed` names, each once, in the order first typed: the one lookup of
    what a command was given. `open_only` refuses a retired program (`find_open_program`)."""
    find = find_open_program if open_only else find_program
    found: dict[str, Program] = {}
    for name in typed:
        program = find(catalog, name)
        found.setdefault(program.id, program)
    return list(found.values())


def find_course(program: Program, typed: str) -> Course:
    """The course of `program` whose code matches `typed` (case-insensitive, unique prefix)."""
    code = _resolve(typed, [c.code for c in program.courses], f"course in {program.id}")
    return program.course(code)


def _resolve(typed: str, names: list[str], what: str) -> str:
    folded = typed.casefold()
    exact = [n for n in names if n.casefold() == folded]
    if exact:
        return exact[0]
    prefixed = [n for n in names if n.casefold().startswith(folded)]
    if len(prefixed) == 1:
        return prefixed[0]
    if len(prefixed) > 1:
        several = ", ".join(prefixed[:5]) + (", ..." if len(prefixed) > 5 else "")
        raise UnknownIdError(
            f"{shown(typed)} matches several: {several}; type more of the {what} id"
        )
    raise UnknownIdError(f"unknown {what} {shown(typed)}{did_you_mean(typed, names)}")
