"""Loading the catalog: YAML files -> validated, merged `Catalog`.

The stages, in order:

1. `read_catalog_bytes(path)`: the only I/O. Refuses a missing file, a directory, and files
   over `MAX_FILE_BYTES`.
2. `parse_catalog(data, source_name)`: pure, bytes in, `Catalog` out (or a `CatalogError`
   carrying every problem of the file). Same bytes, same result; `source_name` only names
   the file in problems, so a content-hash cache can wrap it: `_parse_file` is that seam,
   the one place bytes become a catalog, and it asks `mmplan.cache` first. Only valid
   catalogs are cached; a file with problems is parsed again every time.
3. `load_active_catalog(sources)`: bundled, then `MMPLAN_CATALOG`, then each `--catalog`,
   merged by `merge_catalogs`: a program id defined again replaces the earlier program in
   its original position. Prerequisites that name a program of another file are checked
   on the merged catalog (`validation.check_merged`), with cycles across files.

Problems read `FILE:LINE:COL: PATH: MESSAGE`, line and column 1-based (0:0 means the whole
file, as for a missing file). PATH follows the data: keys joined with dots, list items in
brackets; programs are named by their id and courses by their code when they have one
(`programs[mitx-scm].courses[CTL.SC0x].weeks`), every other list item by its position
counted from 0 (`electives[0].from[2]`).

Locating is off the fast path. A valid file is loaded and validated without looking at
line numbers; when there are problems, the file's bytes are composed again into YAML nodes
(`yaml_nodes.NodeTree`) and each problem's location, a pydantic-style `loc` tuple, is
walked down the nodes. Problems found after merging are located the same way: the merge
remembers which file and position each program came from, and the loader keeps each file's
bytes until the merged checks pass.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from importlib import resources
from pathlib import Path
from typing import Any, get_args

from pydantic import BaseModel, ValidationError

from mmplan.errors import CatalogError, Problem
from mmplan.lookup import did_you_mean
from mmplan.models import SCHEMA_VERSION, Catalog, Program
from mmplan.validation import Finding, check_file, check_merged
from mmplan.yaml_nodes import (
    NodeTree,
    Step,
    YamlProblem,
    find_key_node,
    gc_paused,
    load_yaml,
    scalar_value,
)

CATALOG_ENV = "MMPLAN_CATALOG"
MAX_FILE_BYTES = 50 * 1024 * 1024
Loc = tuple[str | int, ...]
# List items named by one of their keys in problem paths; other items by position.
_ITEM_LABEL_KEYS = {"programs": "id", "courses": "code"}
# Control characters of user text shown escaped, so that a problem stays on one line.
_ESCAPES = {c: f"\\x{c:02x}" for c in (*range(0x20), 0x7F, 0x85)} | {
    0x09: "\\t",
    0x0A: "\\n",
    0x0D: "\\r",
    0x2028: "\\u2028",
    0x2029: "\\u2029",
}
_FRIENDLY_PATTERNS = {
    r"^[a-z0-9]+(?:-[a-z0-9]+)*$": "must be lowercase letters and digits in words joined by "
    "single hyphens, like 'mitx-scm'",
    r"^[^\s/]+$": "must not contain spaces or '/'",
}


@dataclass(frozen=True)
class CatalogSources:
    """Which catalog files are active: the bundled one (unless dropped) then extras, in order."""

    extra: tuple[Path, ...] = ()
    include_bundled: bool = True

    @classmethod
    def from_environment(cls, extra: tuple[Path, ...], include_bundled: bool) -> CatalogSources:
        """Extras from `MMPLAN_CATALOG` (os.pathsep-separated) come before the command line's."""
        from_env = tuple(Path(p) for p in os.environ.get(CATALOG_ENV, "").split(os.pathsep) if p)
        return cls(extra=from_env + extra, include_bundled=include_bundled)

    @property
    def paths(self) -> tuple[Path, ...]:
        return ((bundled_catalog_path(),) if self.include_bundled else ()) + self.extra


def bundled_catalog_path() -> Path:
    """The bundled programs.yaml: inside the installed package, or at the repo's top."""
    packaged = Path(str(resources.files("mmplan"))) / "data" / "programs.yaml"
    if packaged.is_file():
        return packaged
    return Path(__file__).resolve().parents[2] / "data" / "programs.yaml"


def read_catalog_bytes(path: Path) -> bytes:
    """A catalog file's bytes; a CatalogError naming the file when it cannot be read."""
    try:
        if path.is_dir():
            raise _file_error(path, "is a directory, not a catalog file")
        with path.open("rb") as handle:
            data = handle.read(MAX_FILE_BYTES + 1)
    except FileNotFoundError:
        raise _file_error(path, "no such file") from None
    except OSError as error:
        raise _file_error(path, (error.strerror or str(error)).lower()) from None
    if len(data) > MAX_FILE_BYTES:
        limit = MAX_FILE_BYTES // (1024 * 1024)
        raise _file_error(path, f"the file is larger than {limit} MB; a catalog is far smaller")
    return data


def _file_error(path: Path, message: str) -> CatalogError:
    return CatalogError([Problem(str(path), 0, 0, "", message)])


def load_catalog_file(path: Path) -> Catalog:
    """One catalog file, validated on its own.

    Prerequisites that name a program the file does not define are checked only when
    catalogs are merged (`load_active_catalog`, `check_catalog_files`).
    """
    return _parse_file(read_catalog_bytes(path), str(path))


def _parse_file(data: bytes, source_name: str) -> Catalog:
    """The one place file bytes become a catalog: from the cache when it has these bytes."""
    from mmplan import cache

    cached = cache.load_cached_catalog(data)
    if cached is not None:
        return cached
    catalog = parse_catalog(data, source_name)
    cache.store_cached_catalog(data, catalog)
    return catalog


def parse_catalog(data: bytes, source_name: str) -> Catalog:
    """Validate one catalog file's bytes: YAML, schema, then references within the file.

    Pure: no I/O. Raises CatalogError with every problem found, each located in the text.
    """
    # The collector stays off until the raw YAML data and nodes are freed (by reference
    # counting): re-enabled earlier, its first pass would scan every one of them.
    with gc_paused():
        return _parse_catalog(data, source_name)


def _parse_catalog(data: bytes, source_name: str) -> Catalog:
    try:
        document = load_yaml(data)
    except YamlProblem as problem:
        raise CatalogError([_yaml_problem(problem, data, source_name)]) from None
    value = document.value
    issues = _top_level_issues(value)
    if issues:
        raise CatalogError(_located(issues, data, source_name))
    catalog: Catalog | None = None
    try:
        catalog = Catalog.model_validate(value)
        programs: Sequence[Program | None] = catalog.programs
    except ValidationError as error:
        issues.extend(
            _schema_issue(e) for e in error.errors(include_url=False) if not _echo_of_items(e)
        )
        programs = _valid_programs(value.get("programs"))
    except RecursionError:  # defence in depth: yaml_nodes bounds the depth well below this
        too_deep = Problem(source_name, 0, 0, "", "the document is nested too deeply")
        raise CatalogError([too_deep]) from None
    issues.extend(_Issue(f.loc, f.message, first=f.first) for f in check_file(programs))
    issues.extend(
        _Issue(
            (),
            f"duplicate key '{d.key}' (first at line {d.first_line}); "
            "YAML would silently keep only the last",
            place=(d.line, d.column),
        )
        for d in document.duplicate_keys
    )
    if issues or catalog is None:
        raise CatalogError(_located(issues, data, source_name))
    return catalog


def _yaml_problem(problem: YamlProblem, data: bytes, source_name: str) -> Problem:
    """A YAML-level problem; its path too when the text composed (bad tags, dates, aliases)."""
    path = ""
    if problem.line and problem.composed:
        tree = NodeTree(data)
        path = _display_path(tree.walk(tree.loc_at(problem.line, problem.column)))
    message = problem.message.translate(_ESCAPES)
    return Problem(source_name, problem.line, problem.column, path.translate(_ESCAPES), message)


@dataclass(frozen=True)
class _Issue:
    """A problem before it has a line: where in the data (`loc`), and what.

    `key`: the problem is the key of that name in the mapping at `loc` (unknown keys).
    `place`: an explicit (line, column) already known (duplicate keys).
    `first`: where the earlier twin of a duplicate is, shown as "first at line N".
    """

    loc: Loc
    message: str
    key: str | None = None
    place: tuple[int, int] | None = None
    first: Loc | None = None
    note: str = field(default="", compare=False)


def _top_level_issues(value: Any) -> list[_Issue]:
    """The document must be a mapping of schema version 1 before its fields mean anything."""
    expected = f"a mapping with schema_version: {SCHEMA_VERSION}, as_of and programs"
    if value is None:
        return [_Issue((), f"the file holds no YAML document; a catalog is {expected}")]
    if not isinstance(value, dict):
        kind = "a list" if isinstance(value, list) else f"a single value ({value!r:.40})"
        return [_Issue((), f"the top level is {kind}; a catalog is {expected}")]
    version = value.get("schema_version", SCHEMA_VERSION)
    if type(version) is not int or version != SCHEMA_VERSION:
        newer = " (a newer mmplan may read it)" if type(version) is int else ""
        return [
            _Issue(
                ("schema_version",),
                f"schema version {version!r:.40} is not supported{newer}; "
                f"this mmplan reads schema version {SCHEMA_VERSION}",
            )
        ]
    return []


def _valid_programs(raw: Any) -> list[Program | None]:
    """When the catalog as a whole fails the schema: each program that passes on its own."""
    if not isinstance(raw, list):
        return []
    programs: list[Program | None] = []
    for item in raw:
        try:
            programs.append(Program.model_validate(item))
        except ValidationError:
            programs.append(None)
    return programs


def _echo_of_items(error: Any) -> bool:
    """Pydantic adds "at least 1 item" when every item of a non-empty list failed: noise."""
    if error["type"] != "too_short":
        return False
    minimum = (error.get("ctx") or {}).get("min_length", 0)
    given = error.get("input")
    return isinstance(given, list | tuple) and len(given) >= minimum


def _schema_issue(error: Any) -> _Issue:
    """A pydantic error as an issue with a message for people."""
    loc = tuple(error["loc"])
    kind = error["type"]
    if kind == "missing":
        return _Issue(loc[:-1], f"missing required key '{loc[-1]}'")
    if kind == "extra_forbidden":
        key = str(loc[-1])
        suggestion = did_you_mean(key, _keys_of(_model_at(loc[:-1])))
        return _Issue(loc[:-1], f"unknown key '{key}'{suggestion}", key=key)
    message = str(error["msg"])
    if kind == "string_pattern_mismatch":
        pattern = str((error.get("ctx") or {}).get("pattern", ""))
        message = _FRIENDLY_PATTERNS.get(pattern, message)
    elif kind == "value_error":
        return _Issue(loc, message.removeprefix("Value error, "))
    shown = error.get("input")
    if isinstance(shown, str | int | float | date) and not isinstance(shown, bool):
        message += f" (got {shown!r:.40})" if isinstance(shown, str) else f" (got {shown})"
    return _Issue(loc, message)


def _model_at(loc: Loc) -> type[BaseModel] | None:
    """The model class that validates the mapping at `loc` (for key suggestions)."""
    model: type[BaseModel] = Catalog
    for item in loc:
        if isinstance(item, int):
            continue
        fields = {(f.alias or name): f for name, f in model.model_fields.items()}
        if item not in fields:
            return None
        inner = _model_in(fields[item].annotation)
        if inner is None:
            return None
        model = inner
    return model


def _model_in(annotation: Any) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for argument in get_args(annotation):
        found = _model_in(argument)
        if found is not None:
            return found
    return None


def _keys_of(model: type[BaseModel] | None) -> list[str]:
    if model is None:
        return []
    return [f.alias or name for name, f in model.model_fields.items()]


def _located(issues: Sequence[_Issue], data: bytes, source_name: str) -> list[Problem]:
    """Give each issue its line, column and readable path; sorted by place, no repeats."""
    tree = NodeTree(data)
    problems: dict[Problem, None] = {}
    for issue in issues:
        loc = issue.loc
        if issue.place is not None and not loc:
            loc = tree.loc_at(*issue.place)[:-1]
        steps = tree.walk(loc)
        node = steps[-1].node if steps else tree.root
        if issue.key is not None and node is not None:
            node = find_key_node(node, issue.key) or node
        if issue.place is not None:
            line, column = issue.place
        elif node is not None:
            line, column = node.start_mark.line + 1, node.start_mark.column + 1
        else:
            line, column = 1, 1
        message = issue.message
        if issue.first is not None:
            first_steps = tree.walk(issue.first)
            if first_steps:
                message += f" (first at line {first_steps[-1].node.start_mark.line + 1})"
        message += issue.note
        path = _display_path(steps).translate(_ESCAPES)
        problem = Problem(source_name, line, column, path, message.translate(_ESCAPES))
        problems.setdefault(problem)
    return sorted(problems, key=lambda p: (p.line, p.column))


def _display_path(steps: Sequence[Step]) -> str:
    """`programs[mitx-scm].courses[CTL.SC0x].weeks` from the steps of a walk."""
    parts: list[str] = []
    parent_key: str | int | None = None
    for step in steps:
        if isinstance(step.key, int):
            label_key = _ITEM_LABEL_KEYS.get(parent_key) if isinstance(parent_key, str) else None
            label = scalar_value(step.node, label_key) if label_key else None
            usable = label and not any(c.isspace() or c in "[]" for c in label)
            parts.append(f"[{label if usable else step.key}]")
        else:
            parts.append(("." if parts else "") + step.key)
        parent_key = step.key
    return "".join(parts)


def merge_catalogs(catalogs: list[Catalog]) -> Catalog:
    """Layer catalogs in order: a program id defined again replaces the earlier one in place."""
    return _merge(catalogs)[0]


def _merge(catalogs: Sequence[Catalog]) -> tuple[Catalog, list[tuple[int, int]]]:
    """The merged catalog, and for each of its programs: (catalog index, position there)."""
    programs: list[Program] = []
    origins: list[tuple[int, int]] = []
    slot: dict[str, int] = {}
    for catalog_index, catalog in enumerate(catalogs):
        for position, program in enumerate(catalog.programs):
            if program.id in slot:
                programs[slot[program.id]] = program
                origins[slot[program.id]] = (catalog_index, position)
            else:
                slot[program.id] = len(programs)
                programs.append(program)
                origins.append((catalog_index, position))
    as_of = max((c.as_of for c in catalogs), default=None)
    if as_of is None:
        raise CatalogError(
            [Problem("--no-bundled", 0, 0, "", "no catalog is active; add --catalog FILE")]
        )
    merged = Catalog(schema_version=1, as_of=as_of, programs=tuple(programs))
    return merged, origins


@dataclass(frozen=True)
class _LoadedFile:
    name: str
    data: bytes
    catalog: Catalog


def _load_files(paths: Sequence[Path]) -> tuple[list[_LoadedFile], list[Problem]]:
    """Each file read and parsed (through the cache); the problems of every file that failed."""
    layers: list[tuple[str, bytes]] = []
    problems: list[Problem] = []
    for path in paths:
        try:
            layers.append((str(path), read_catalog_bytes(path)))
        except CatalogError as error:
            problems.extend(error.problems)
    loaded, parse_problems = _parse_layers(layers, _parse_file)
    return loaded, problems + parse_problems


def _parse_layers(
    layers: Sequence[tuple[str, bytes]], parse: Callable[[bytes, str], Catalog]
) -> tuple[list[_LoadedFile], list[Problem]]:
    loaded: list[_LoadedFile] = []
    problems: list[Problem] = []
    for name, data in layers:
        try:
            loaded.append(_LoadedFile(name, data, parse(data, name)))
        except CatalogError as error:
            problems.extend(error.problems)
    return loaded, problems


def _merge_checked(files: Sequence[_LoadedFile]) -> tuple[Catalog, list[Problem]]:
    """Merge loaded files and check what only the merged catalog shows, located per file."""
    merged, origins = _merge([f.catalog for f in files])
    findings = check_merged(merged.programs, [file_index for file_index, _ in origins])
    if not findings:
        return merged, []
    origin_of = {p.id: origins[i][0] for i, p in enumerate(merged.programs)}
    issues: dict[int, list[_Issue]] = {}
    for finding in findings:
        file_index, position = origins[int(finding.loc[1])]
        issue = _relocated(finding, file_index, position, files, origin_of)
        issues.setdefault(file_index, []).append(issue)
    problems: list[Problem] = []
    for file_index in sorted(issues):
        loaded = files[file_index]
        problems.extend(_located(issues[file_index], loaded.data, loaded.name))
    return merged, problems


def _relocated(
    finding: Finding,
    file_index: int,
    position: int,
    files: Sequence[_LoadedFile],
    origin_of: dict[str, int],
) -> _Issue:
    """A merged-catalog finding as an issue of the file (and position) its program came from."""
    loc = ("programs", position, *finding.loc[2:])
    note = ""
    named_in = origin_of.get(finding.names_program or "")
    if named_in is not None and named_in != file_index:
        note = f" (program '{finding.names_program}' comes from {files[named_in].name})"
    return _Issue(loc, finding.message, note=note)


def load_active_catalog(sources: CatalogSources) -> Catalog:
    """Every active catalog file, loaded, merged and checked across files."""
    files, problems = _load_files(sources.paths)
    if problems:
        raise CatalogError(problems)
    merged, problems = _merge_checked(files)
    if problems:
        raise CatalogError(problems)
    return merged


def check_catalog_files(paths: Sequence[Path], context: Sequence[Path] = ()) -> tuple[Problem, ...]:
    """Every problem of `paths`, layered over the `context` files (the active catalog).

    References into context programs resolve, so a user file that builds on the bundled
    programs validates. Context files that fail are reported too: they are active and
    broken. Checks across files run only when every file loaded.
    """
    chosen = {_same_file_key(p) for p in paths}
    layers = [p for p in context if _same_file_key(p) not in chosen] + list(paths)
    files, problems = _load_files(layers)
    if problems or not files:
        return tuple(problems)
    return tuple(_merge_checked(files)[1])


def check_catalog_data(layers: Sequence[tuple[str, bytes]]) -> tuple[Problem, ...]:
    """Pure: every problem of these (name, bytes) files layered in order, as validate sees them.

    The checks of `load_active_catalog` and `mmplan validate`, without files or cache.
    """
    files, problems = _parse_layers(layers, parse_catalog)
    if problems or not files:
        return tuple(problems)
    return tuple(_merge_checked(files)[1])


def _same_file_key(path: Path) -> str:
    try:
        return str(path.resolve())
    except OSError:
        return str(path)
