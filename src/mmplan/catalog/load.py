"""Loading the catalog: YAML files -> validated, merged `Catalog`.

The stages, in order:

1. `read_catalog_bytes(path)`: the only I/O (through `files.read_regular_file`). Refuses a
   missing file, a directory, a FIFO or device, a symlink loop, and files over
   `MAX_FILE_BYTES`.
2. `parse_catalog(data, source_name)`: pure, bytes in, `LoadedCatalog` out (or a
   `CatalogError` carrying every problem of the file): the `Catalog`, and beside it what
   loading noted (the courses of a version-1 file that leave pacing out, and the warning
   that says so). Same bytes, same result; `source_name` only names the file in problems
   and warnings, so a content-hash cache can wrap it: `_parse_file` is that seam, the one
   place bytes become a catalog, and it asks `mmplan.catalog.cache` first. Only valid catalogs are
   cached; a file with problems is parsed again every time.
3. `load_active_catalog(sources)`: bundled, then `MMPLAN_CATALOG`, then each `--catalog`,
   merged by `merge_catalogs`: a program id defined again replaces the earlier program in
   its original position. Prerequisites that name a program of another file are checked
   on the merged catalog (`validation.check_merged`), with cycles across files. It
   returns a `LoadedCatalog` too: the merged catalog, with every file's warnings beside it.
   Last, the catalog overlay (`mmplan.catalog.overlay`, written by `mmplan catalog
   refresh`) is applied over the merged catalog, when `CatalogSources.overlay` names a file
   that exists; the result is cached under the overlay's bytes and those of every file.
   `check_catalog_files` (for `mmplan validate`) and the pure `check_catalog_data` run the
   same checks and return the problems instead of raising; a file with problems still has
   the references of its valid programs checked across files.

Problems read `FILE:LINE:COL: PATH: MESSAGE`, line and column 1-based (0:0 means the whole
file, as for a missing file). PATH follows the data: keys joined with dots, list items in
brackets; programs are named by their id and courses by their code when they have one
(`programs[mitx-scm].courses[CTL.SC0x].weeks`), every other list item by its position
counted from 0 (`electives[0].from[2]`).

Locating is off the fast path. A valid file is loaded and validated without looking at
line numbers; when there are problems, the file's bytes are composed again into YAML nodes
(`yaml_nodes.NodeTree`) and each problem's location, a pydantic-style `loc` tuple, is
walked down the nodes (`mmplan.catalog.locate`). Problems found after merging are located the
same way: the merge remembers which file and position each program came from, and the
loader keeps each file's bytes until the merged checks pass.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from mmplan.catalog.checks import check_file, check_merged, raw_reference_findings
from mmplan.catalog.locate import echo_of_items, located, schema_problem, yaml_problem
from mmplan.catalog.model import (
    SCHEMA_VERSION,
    SUPPORTED_SCHEMA_VERSIONS,
    Catalog,
    LoadedCatalog,
    Platform,
    Program,
    validate_catalog,
    validate_program,
)
from mmplan.catalog.sources import CATALOG_ENV as CATALOG_ENV
from mmplan.catalog.sources import CatalogSources as CatalogSources
from mmplan.catalog.sources import bundled_catalog_path as bundled_catalog_path
from mmplan.catalog.sources import catalog_digest
from mmplan.core.errors import CatalogError, CatalogProblem, Loc, escaped, shown

MAX_FILE_BYTES = 50 * 1024 * 1024


def read_catalog_bytes(path: Path) -> bytes:
    """A catalog file's bytes; a CatalogError naming the file when it cannot be read."""
    from mmplan.core.files import FileProblem, read_regular_file

    try:
        return read_regular_file(path, MAX_FILE_BYTES, "catalog")
    except FileProblem as problem:
        raise _file_error(path, str(problem)) from None


def _file_error(path: Path, message: str) -> CatalogError:
    return CatalogError([CatalogProblem(str(path), 0, 0, "", message)])


def load_catalog_file(path: Path) -> LoadedCatalog:
    """One catalog file, validated on its own, and the warnings it gives.

    Prerequisites that name a program the file does not define are checked only when
    catalogs are merged (`load_active_catalog`, `check_catalog_files`).
    """
    parsed = _parse_file(read_catalog_bytes(path), str(path))
    if parsed.catalog is None:
        raise CatalogError(parsed.problems)
    return parsed.loaded()


def parse_catalog(data: bytes, source_name: str) -> LoadedCatalog:
    """Validate one catalog file's bytes: YAML, schema, then references within the file.

    Pure: no I/O. Raises CatalogError with every problem found, each located in the text.
    """
    parsed = _parse_partially(data, source_name)
    if parsed.catalog is None:
        raise _InvalidCatalog(parsed)
    return parsed.loaded()


class _InvalidCatalog(CatalogError):
    """parse_catalog's error, carrying what did pass for the checks across files."""

    def __init__(self, parsed: _Parsed) -> None:
        super().__init__(parsed.problems)
        self.parsed = parsed


@dataclass(frozen=True)
class _Parsed:
    """One file's result: its catalog when valid, else its problems and what did pass.

    `programs` keeps the file's positions (None: the program failed the schema);
    `unchecked_ids` are the ids of those that failed, so that a reference to one is not
    called unknown; `structured` is False when not even the program list could be read;
    `pacing_defaulted` names the courses of a valid version-1 file that leave pacing out.
    """

    name: str
    data: bytes
    catalog: Catalog | None
    programs: tuple[Program | None, ...] = ()
    problems: tuple[CatalogProblem, ...] = ()
    unchecked_ids: frozenset[str] = frozenset()
    structured: bool = True
    pacing_defaulted: tuple[str, ...] = ()

    def loaded(self) -> LoadedCatalog:
        """A valid file's catalog with what loading it noted, the warnings naming the file."""
        assert self.catalog is not None, "only a valid file has a catalog"
        warnings: tuple[str, ...] = ()
        if self.pacing_defaulted:
            warnings = (pacing_warning(self.name, self.pacing_defaulted),)
        return LoadedCatalog(
            catalog=self.catalog, pacing_defaulted=self.pacing_defaulted, warnings=warnings
        )


def _parse_file(data: bytes, source_name: str) -> _Parsed:
    """The one place file bytes become a catalog: from the cache when it has these bytes.

    Only valid catalogs are cached, so a file with problems is parsed (and its problems
    located) again every time.
    """
    from mmplan.catalog.cache import load_cached_catalog, store_cached_catalog

    loaded = load_cached_catalog(data)
    if loaded is None:
        try:
            loaded = parse_catalog(data, source_name)
        except _InvalidCatalog as error:
            return error.parsed
        store_cached_catalog(data, loaded)
    catalog = loaded.catalog
    return _Parsed(
        source_name, data, catalog, catalog.programs, pacing_defaulted=loaded.pacing_defaulted
    )


def _parse_partially(data: bytes, source_name: str) -> _Parsed:
    """parse_catalog's work, keeping whatever passed when something did not."""
    # YAML reading is imported here, not at the top: a catalog from the cache needs none.
    from mmplan.core.files import gc_paused

    # The collector stays off until the raw YAML data and nodes are freed (by reference
    # counting): re-enabled earlier, its first pass would scan every one of them.
    with gc_paused():
        return _parse_with_collector_paused(data, source_name)


def _parse_with_collector_paused(data: bytes, name: str) -> _Parsed:
    from pydantic import ValidationError

    from mmplan.catalog.yaml_nodes import YamlProblem, load_yaml

    try:
        document = load_yaml(data)
    except YamlProblem as problem:
        return _Parsed(
            name, data, None, problems=(yaml_problem(problem, data, name),), structured=False
        )
    value = document.value
    found = _top_level_problems(value)
    if found:
        return _Parsed(
            name, data, None, problems=tuple(located(found, data, name)), structured=False
        )
    catalog: Catalog | None = None
    unchecked: frozenset[str] = frozenset()
    try:
        catalog = validate_catalog(value)
        programs: Sequence[Program | None] = catalog.programs
    except ValidationError as error:
        found.extend(
            schema_problem(e) for e in error.errors(include_url=False) if not echo_of_items(e)
        )
        programs, unchecked = _valid_programs(value.get("programs"))
    except RecursionError:  # defence in depth: yaml_nodes bounds the depth well below this
        too_deep = CatalogProblem(name, 0, 0, "", "the document is nested too deeply")
        return _Parsed(name, data, None, problems=(too_deep,), structured=False)
    if value.get("schema_version") == 2:
        found.extend(
            CatalogProblem.at(loc, _PACING_REQUIRED) for loc in _courses_without_pacing(value)
        )
    found.extend(check_file(programs))
    failed = [i for i, program in enumerate(programs) if program is None]
    found.extend(raw_reference_findings(value.get("programs"), failed))
    found.extend(
        CatalogProblem.at(
            (),
            f"duplicate key {shown(d.key)} (first at line {d.first_line}); "
            "YAML would silently keep only the last",
            place=(d.line, d.column),
        )
        for d in document.duplicate_keys
    )
    if not found and catalog is not None:
        left_out = _pacing_left_out(value) if catalog.schema_version == 1 else ()
        return _Parsed(name, data, catalog, catalog.programs, pacing_defaulted=left_out)
    problems = tuple(located(found, data, name))
    return _Parsed(name, data, None, tuple(programs), problems, unchecked)


_PACING_REQUIRED = (
    "missing required key 'pacing' (self or instructor); schema version 2 asks every course "
    "to say how it runs"
)


def _courses_without_pacing(value: dict[str, Any]) -> list[Loc]:
    """Where in the raw data a course (a mapping with a code) has no `pacing` key."""
    found: list[Loc] = []
    raw_programs = value.get("programs")
    for position, program in enumerate(raw_programs if isinstance(raw_programs, list) else ()):
        courses = program.get("courses") if isinstance(program, dict) else None
        for index, course in enumerate(courses if isinstance(courses, list) else ()):
            if isinstance(course, dict) and "pacing" not in course:
                found.append(("programs", position, "courses", index))
    return found


def _pacing_left_out(value: dict[str, Any]) -> tuple[str, ...]:
    """program-id/CODE of each course of a (valid) version-1 file that leaves pacing out."""
    programs = value["programs"]
    return tuple(
        f"{programs[loc[1]]['id']}/{programs[loc[1]]['courses'][loc[3]]['code']}"
        for loc in _courses_without_pacing(value)
    )


def pacing_warning(file_name: str, course_ids: Sequence[str]) -> str:
    """The one warning of a version-1 file whose courses leave pacing to the default."""
    count = len(course_ids)
    shown = ", ".join(course_ids[:3]) + (f" and {count - 3} more" if count > 3 else "")
    courses = "course leaves" if count == 1 else "courses leave"
    return (
        f"{file_name}: {count} {courses} pacing to the default 'self' ({shown}); "
        "add pacing: self or instructor to each, and schema_version: 2"
    )


def _value_text(value: Any) -> str:
    """A value of the file as a message quotes it: text in quotes, escaped and cut short."""
    return shown(value) if isinstance(value, str) else escaped(f"{value!r:.40}")


def _top_level_problems(value: Any) -> list[CatalogProblem]:
    """The document must be a mapping of a known schema version before its fields mean anything."""
    expected = f"a mapping with schema_version: {SCHEMA_VERSION}, as_of and programs"
    if value is None:
        return [CatalogProblem.at((), f"the file holds no YAML document; a catalog is {expected}")]
    if not isinstance(value, dict):
        kind = "a list" if isinstance(value, list) else f"a single value ({_value_text(value)})"
        return [CatalogProblem.at((), f"the top level is {kind}; a catalog is {expected}")]
    version = value.get("schema_version", SCHEMA_VERSION)
    if type(version) is not int or version not in SUPPORTED_SCHEMA_VERSIONS:
        newer = " (a newer mmplan may read it)" if type(version) is int else ""
        known = " and ".join(str(v) for v in SUPPORTED_SCHEMA_VERSIONS)
        return [
            CatalogProblem.at(
                ("schema_version",),
                f"schema version {_value_text(version)} is not supported{newer}; "
                f"this mmplan reads schema versions {known}",
            )
        ]
    return []


def _valid_programs(raw: Any) -> tuple[list[Program | None], frozenset[str]]:
    """When the catalog as a whole fails the schema: each program that passes on its own,
    and the ids of those that do not."""
    from pydantic import ValidationError

    if not isinstance(raw, list):
        return [], frozenset()
    programs: list[Program | None] = []
    unchecked: set[str] = set()
    for item in raw:
        try:
            programs.append(validate_program(item))
        except ValidationError:
            programs.append(None)
            if isinstance(item, dict) and isinstance(item.get("id"), str):
                unchecked.add(item["id"])
    return programs, frozenset(unchecked)


def merge_catalogs(catalogs: Sequence[Catalog]) -> Catalog:
    """Layer catalogs in order: a program id defined again replaces the earlier one in place."""
    as_of = max((c.as_of for c in catalogs), default=None)
    if as_of is None:
        raise _no_catalog_error()
    programs, _ = _merge_programs([c.programs for c in catalogs])
    platforms: dict[str, Platform] = {}  # a platform named again replaces the earlier rules
    for catalog in catalogs:
        platforms.update((p.name.casefold(), p) for p in catalog.platforms)
    return Catalog(
        schema_version=SCHEMA_VERSION,
        as_of=as_of,
        platforms=tuple(platforms.values()),
        programs=programs,
    )


def _no_catalog_error() -> CatalogError:
    return CatalogError(
        [CatalogProblem("--no-bundled", 0, 0, "", "no catalog is active; add --catalog FILE")]
    )


def _merge_programs(
    layers: Sequence[Sequence[Program]],
) -> tuple[tuple[Program, ...], list[tuple[int, int]]]:
    """The merged programs, and for each: (layer index, position in that layer)."""
    programs: list[Program] = []
    origins: list[tuple[int, int]] = []
    slot: dict[str, int] = {}
    for layer_index, layer in enumerate(layers):
        for position, program in enumerate(layer):
            if program.id in slot:
                programs[slot[program.id]] = program
                origins[slot[program.id]] = (layer_index, position)
            else:
                slot[program.id] = len(programs)
                programs.append(program)
                origins.append((layer_index, position))
    return tuple(programs), origins


def _load_files(paths: Sequence[Path]) -> tuple[list[_Parsed], list[CatalogProblem]]:
    """Each file read and parsed (through the cache); problems of files that cannot be read."""
    parsed: list[_Parsed] = []
    unreadable: list[CatalogProblem] = []
    for path in paths:
        try:
            data = read_catalog_bytes(path)
        except CatalogError as error:
            unreadable.extend(error.problems)
            continue
        parsed.append(_parse_file(data, str(path)))
    return parsed, unreadable


def _all_problems(
    files: Sequence[_Parsed], unreadable: Sequence[CatalogProblem]
) -> list[CatalogProblem]:
    """Every problem: unreadable files, then each file's own and cross-file ones by line.

    Cross-file checks run on what passed in every file; they are skipped when a file could
    not be read at all or has no readable program list, since any reference could be
    meant for it.
    """
    cross: dict[str, list[CatalogProblem]] = {}
    if not unreadable and files and all(f.structured for f in files):
        for problem in _cross_file_problems(files):
            cross.setdefault(problem.file, []).append(problem)
    problems = list(unreadable)
    for parsed in files:
        # A reference broken inside one file is found by both stages: shown once.
        own = dict.fromkeys([*parsed.problems, *cross.pop(parsed.name, [])])
        problems.extend(sorted(own, key=lambda p: (p.line, p.column)))
    return problems


def _cross_file_problems(files: Sequence[_Parsed]) -> list[CatalogProblem]:
    """Merge what passed and check what only the merged catalog shows, located per file."""
    layers = [tuple(p for p in f.programs if p is not None) for f in files]
    positions = [[i for i, p in enumerate(f.programs) if p is not None] for f in files]
    merged, origins = _merge_programs(layers)
    unchecked = frozenset().union(*(f.unchecked_ids for f in files))
    file_of = [file_index for file_index, _ in origins]
    findings = check_merged(merged, file_of, unchecked)
    if not findings:
        return []
    origin_of = {p.id: origins[i][0] for i, p in enumerate(merged)}
    found: dict[int, list[CatalogProblem]] = {}
    for finding in findings:
        file_index, layer_position = origins[int(finding.loc[1])]
        position = positions[file_index][layer_position]
        relocated = _relocated(finding, file_index, position, files, origin_of)
        if finding.other is not None:
            other_file, other_layer_position = origins[int(finding.other[1])]
            other_loc = ("programs", positions[other_file][other_layer_position])
            where = _place(files[other_file], (*other_loc, *finding.other[2:]))
            relocated = replace(relocated, note=relocated.note + f" ({where})")
        found.setdefault(file_index, []).append(relocated)
    problems: list[CatalogProblem] = []
    for file_index in sorted(found):
        parsed = files[file_index]
        problems.extend(located(found[file_index], parsed.data, parsed.name))
    return problems


def _place(parsed: _Parsed, loc: Loc) -> str:
    """`FILE:LINE` of a location in a parsed file."""
    from mmplan.catalog.yaml_nodes import NodeTree

    steps = NodeTree(parsed.data).walk(loc)
    line = steps[-1].node.start_mark.line + 1 if steps else 1
    return f"{parsed.name}:{line}"


def _relocated(
    finding: CatalogProblem,
    file_index: int,
    position: int,
    files: Sequence[_Parsed],
    origin_of: dict[str, int],
) -> CatalogProblem:
    """A problem of the merged catalog, moved to the file (and position) its program came from."""
    loc = ("programs", position, *finding.loc[2:])
    note = ""
    named_in = origin_of.get(finding.names_program or "")
    if named_in is not None and named_in != file_index:
        source = files[named_in].name
        if source == str(bundled_catalog_path()):
            source = "the bundled catalog"
        note = f" (program '{finding.names_program}' comes from {source})"
    return CatalogProblem.at(loc, finding.message, note=note)


def load_active_catalog(sources: CatalogSources) -> LoadedCatalog:
    """Every active catalog file, loaded, merged and checked across files, with the
    warnings of every file beside the merged catalog."""
    files, unreadable = _load_files(sources.paths)
    problems = _all_problems(files, unreadable)
    if problems:
        raise CatalogError(problems)
    loaded = [f.loaded() for f in files]
    merged = LoadedCatalog(
        catalog=merge_catalogs([one.catalog for one in loaded]),
        pacing_defaulted=tuple(c for one in loaded for c in one.pacing_defaulted),
        warnings=tuple(w for one in loaded for w in one.warnings),
    )
    return _overlaid(merged, files, sources.overlay)


def _overlaid(merged: LoadedCatalog, files: Sequence[_Parsed], path: Path | None) -> LoadedCatalog:
    """The merged catalog with the overlay applied, when there is one; cached like a file,
    under a key made of the overlay's bytes and those of every file under it."""
    import hashlib

    from mmplan.catalog.cache import load_cached_catalog, store_cached_catalog
    from mmplan.catalog.overlay import apply_overlay, parse_overlay, read_overlay_bytes

    data = None if path is None else read_overlay_bytes(path)
    read = [(f.name, f.data) for f in files]
    if data is None or path is None:
        return replace(merged, digest=catalog_digest(read, None))
    layers = b"".join(hashlib.sha256(f.data).digest() for f in files)
    key = b"mmplan-overlay\0" + layers + data
    cached = load_cached_catalog(key)
    if cached is None:
        catalog, refreshed = apply_overlay(merged.catalog, parse_overlay(data, str(path)))
        cached = LoadedCatalog(catalog=catalog, refreshed=refreshed)
        store_cached_catalog(key, cached)
    digest = catalog_digest(read, (str(path), data))
    return replace(merged, catalog=cached.catalog, refreshed=cached.refreshed, digest=digest)


@dataclass(frozen=True)
class CatalogCheck:
    """What `mmplan validate` finds: every problem of the files checked, and their warnings."""

    files: tuple[Path, ...]
    problems: tuple[CatalogProblem, ...]
    warnings: tuple[str, ...]

    @property
    def summary(self) -> str:
        """One line: how many files were checked and how many problems they have."""
        files = "file" if len(self.files) == 1 else "files"
        found = "problem" if len(self.problems) == 1 else "problems"
        return f"{len(self.files)} {files} checked, {len(self.problems)} {found}"


def check_catalogs(paths: Sequence[Path], context: Sequence[Path] = ()) -> CatalogCheck:
    """`mmplan validate`'s check: the problems of `paths` layered over `context`
    (`check_catalog_files`), and the warnings of `paths` (a version-1 file leaving pacing
    out), one per file; files that cannot be read or have problems give none (their
    problems say enough). Each file is read and parsed once for both."""
    files, unreadable = _load_files(_layers(paths, context))
    names = {str(path) for path in paths}
    warnings = tuple(
        warning for f in files if f.name in names and f.catalog for warning in f.loaded().warnings
    )
    return CatalogCheck(tuple(paths), tuple(_all_problems(files, unreadable)), warnings)


def check_catalog_files(
    paths: Sequence[Path], context: Sequence[Path] = ()
) -> tuple[CatalogProblem, ...]:
    """Every problem of `paths`, layered over the `context` files (the active catalog).

    References into context programs resolve, so a user file that builds on the bundled
    programs validates. Context files that fail are reported too: they are active and
    broken.
    """
    return tuple(_all_problems(*_load_files(_layers(paths, context))))


def _layers(paths: Sequence[Path], context: Sequence[Path]) -> list[Path]:
    """The files to check, in layer order: the context files not among `paths`, then `paths`."""
    chosen = {_same_file_key(p) for p in paths}
    layers = [p for p in context if _same_file_key(p) not in chosen] + list(paths)
    if not layers:
        raise _no_catalog_error()
    return layers


def check_catalog_data(layers: Sequence[tuple[str, bytes]]) -> tuple[CatalogProblem, ...]:
    """Pure: every problem of these (name, bytes) files layered in order, as validate sees them.

    The checks of `load_active_catalog` and `mmplan validate`, without files or cache.
    """
    return tuple(_all_problems([_parse_partially(data, name) for name, data in layers], ()))


def _same_file_key(path: Path) -> str:
    from mmplan.core.files import FileProblem, resolved_target

    try:
        return str(resolved_target(path))
    except FileProblem:  # a symlink loop: reading it reports the problem
        return str(path)
