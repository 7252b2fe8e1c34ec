"""The catalog overlay: fresh facts from a platform's API, layered over the curated catalog.

`mmplan catalog refresh` writes one JSON file in the user's data directory
(`catalog-overlay.json`; the one it replaces is kept as `catalog-overlay.previous.json`).
It never edits a catalog file: the loader applies the overlay to the merged catalog
(`apply_overlay`), so the curated facts the API lacks (prerequisites, effort, credit
pathways, notes) stay those of the catalog files, and a newer bundled catalog still
shows through.

The file holds, for each program it matched (by the program's readable id or its course
keys), the facts read from the API: the program's status and requirement tree, and per
course its runs (start, end, enrolment end, upgrade deadline, pacing), price and the
payment rule its runs' upgrade deadlines give. Every one
of those values carries its source address and retrieval date. Programs the bundled
catalog lacks come in whole, marked as coming from the API.

Reading is strict (`parse_overlay`: unknown keys, wrong types and impossible values are
refused, with the place named), applying is forgiving: a patch that no longer fits the
catalog (a course the catalog dropped, a requirement tree naming a course it lacks) is
left out, and `mmplan catalog status` says which programs were refreshed.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import Annotated, Any, Literal

from mmplan.catalog.model import (
    Catalog,
    CourseCode,
    Day,
    ElectiveGroup,
    Limits,
    Pacing,
    Price,
    Program,
    ProgramStatus,
    Refreshed,
    Slug,
    Text,
    Track,
    UpgradeDeadline,
    _Strict,
)
from mmplan.catalog.sources import OVERLAY_FILE_NAME as OVERLAY_FILE_NAME
from mmplan.catalog.sources import overlay_path as overlay_path
from mmplan.core.errors import CatalogError, CatalogProblem

PREVIOUS_FILE_NAME = "catalog-overlay.previous.json"
OVERLAY_VERSION = 1
MAX_OVERLAY_BYTES = 20 * 1024 * 1024
# Where a value was read: the API's page, or a saved dump (a file:// address).
Address = Annotated[str, Limits(pattern=r"^(https?|file)://[^\s]+$", max_length=2000)]
Key = Annotated[str, Limits(min_length=1, max_length=300)]  # a readable id or course key


@dataclass(frozen=True, kw_only=True)
class Run(_Strict):
    """One run of a course, as the API lists it (dates are UTC days)."""

    key: Key  # courseware_id, e.g. course-v1:MITx+14.310x+1T2027
    start: Day
    end: Day | None = None
    enrollment_end: Day | None = None
    upgrade_deadline: Day | None = None
    self_paced: bool = False


@dataclass(frozen=True, kw_only=True)
class _Sourced(_Strict):
    """Where a value was read, and when."""

    source: Address
    retrieved: Day


@dataclass(frozen=True, kw_only=True)
class RunsFact(_Sourced):
    value: tuple[Run, ...]


@dataclass(frozen=True, kw_only=True)
class PacingFact(_Sourced):
    value: Pacing


@dataclass(frozen=True, kw_only=True)
class PriceFact(_Sourced):
    value: Price


@dataclass(frozen=True, kw_only=True)
class DeadlineFact(_Sourced):
    """The payment rule the runs' upgrade deadlines give (the catalog's `upgrade_deadline`)."""

    value: UpgradeDeadline


@dataclass(frozen=True, kw_only=True)
class StatusFact(_Sourced):
    value: ProgramStatus
    note: Text | None = None
    platform: Text | None = None  # where the program now runs


@dataclass(frozen=True, kw_only=True)
class RequirementsFact(_Sourced):
    """The requirement tree as the catalog writes it: elective groups and tracks."""

    electives: tuple[ElectiveGroup, ...] = ()
    tracks: tuple[Track, ...] = ()


@dataclass(frozen=True, kw_only=True)
class CoursePatch(_Sourced):
    """What the API says of one course, put in place in every program that lists its code."""

    code: CourseCode
    key: Key  # the course's readable id, e.g. course-v1:MITx+14.310x
    runs: RunsFact | None = None
    pacing: PacingFact | None = None
    price_usd: PriceFact | None = None
    upgrade_deadline: DeadlineFact | None = None


@dataclass(frozen=True, kw_only=True)
class ProgramPatch(_Sourced):
    """What the API says of one program: a patch of a curated one, or a new program."""

    id: Slug
    key: Key  # the program's readable id, e.g. program-v1:MITx+DEDP
    # "not listed": a program the catalog places on the platform that the API did not list
    matched_by: Literal["readable id", "course keys", "new", "not listed"]
    status: StatusFact | None = None
    requirements: RequirementsFact | None = None
    new: Program | None = None  # a program the catalog lacks, whole, from the API


@dataclass(frozen=True, kw_only=True)
class Overlay(_Strict):
    """A whole overlay file."""

    overlay_version: Literal[1]
    platform: Text
    base_url: Address
    retrieved: Day
    programs: tuple[ProgramPatch, ...] = ()
    courses: tuple[CoursePatch, ...] = ()


def previous_overlay_path(directory: Path) -> Path:
    return directory / PREVIOUS_FILE_NAME


def parse_overlay(data: bytes, name: str) -> Overlay:
    """An overlay from a file's bytes; a CatalogError naming the file and the place if not."""
    import json

    from pydantic import ValidationError

    try:
        document = json.loads(data)
    except (ValueError, RecursionError) as error:
        raise _overlay_error(name, f"not JSON ({error})") from None
    try:
        return _validator().validate_python(document)  # type: ignore[no-any-return]
    except ValidationError as error:
        first = error.errors(include_url=False)[0]
        where = ".".join(str(part) for part in first["loc"])
        raise _overlay_error(name, f"{where}: {first['msg']}" if where else first["msg"]) from None


@functools.cache
def _validator() -> Any:
    from pydantic import TypeAdapter

    return TypeAdapter(Overlay)


def _overlay_error(name: str, message: str) -> CatalogError:
    hint = "; run mmplan catalog refresh again, or add --no-overlay to leave it out"
    return CatalogError([CatalogProblem(name, 0, 0, "", f"catalog overlay: {message}{hint}")])


def read_overlay_bytes(path: Path) -> bytes | None:
    """The overlay file's bytes; None when there is none."""
    from mmplan.core.files import FileProblem, read_regular_file

    try:
        return read_regular_file(path, MAX_OVERLAY_BYTES, "catalog overlay")
    except FileProblem as problem:
        if problem.missing:
            return None
        raise _overlay_error(str(path), str(problem)) from None


def write_overlay(directory: Path, data: bytes) -> Path:
    """Write a new overlay atomically, keeping the one it replaces as the previous one."""
    from mmplan.core.files import write_atomically

    directory.mkdir(parents=True, exist_ok=True)
    path = overlay_path(directory)
    current = read_overlay_bytes(path)
    if current is not None:
        write_atomically(previous_overlay_path(directory), current, durable=True)
    write_atomically(path, data, durable=True)
    return path


def apply_overlay(catalog: Catalog, overlay: Overlay) -> tuple[Catalog, tuple[Refreshed, ...]]:
    """The catalog with the overlay's facts in place, and which programs they refreshed.

    Course facts go to every curated program that lists the course's code (one course, one
    set of runs and prices); program facts to the program matched. A program whose result
    fails the catalog's checks keeps its curated facts; a new program whose id the catalog
    already uses is left out.
    """
    from mmplan.catalog.checks import check_file

    by_code = {patch.code.casefold(): patch for patch in overlay.courses}
    by_id = {patch.id: patch for patch in overlay.programs if patch.new is None}
    programs: list[Program] = []
    refreshed: list[Refreshed] = []
    for program in catalog.programs:
        patch = by_id.get(program.id)
        codes = (course.code.casefold() for course in program.courses)
        courses = [by_code[code] for code in codes if code in by_code]
        if patch is None and not courses:
            programs.append(program)
            continue
        updated = patch_program(program, patch, courses)
        if check_file([updated]):
            programs.append(program)
            continue
        programs.append(updated)
        if patch is not None and patch.matched_by == "not listed":
            if not courses:  # only its status changed: no facts of it were read
                unlisted = _refreshed(overlay, program.id, patch, new=False)
                refreshed.append(replace(unlisted, listed=False))
                continue
            patch = None  # its courses' facts were read, under another program
        if patch is None and not courses:
            continue
        source = patch or courses[0]
        refreshed.append(_refreshed(overlay, program.id, source, new=False))
    taken = {program.id for program in programs}
    for patch in overlay.programs:
        if patch.new is not None and patch.id not in taken and not check_file([patch.new]):
            taken.add(patch.id)
            programs.append(patch.new)
            refreshed.append(_refreshed(overlay, patch.id, patch, new=True))
    return replace(catalog, programs=tuple(programs)), tuple(refreshed)


def _refreshed(overlay: Overlay, program_id: str, source: _Sourced, *, new: bool) -> Refreshed:
    return Refreshed(
        program_id=program_id,
        platform=overlay.platform,
        source=source.source,
        retrieved=source.retrieved,
        new=new,
    )


def patch_program(
    program: Program, patch: ProgramPatch | None, courses: Sequence[CoursePatch] = ()
) -> Program:
    """A curated program with what the API says of it, and of its courses, put in place."""
    changes: dict[str, Any] = {}
    sources = list(program.sources)
    if patch is not None:
        sources.append(patch.source)
        if patch.status is not None:
            changes["status"] = patch.status.value
            # A curated note (what happened and when) stays unless the API says otherwise.
            changes["status_note"] = patch.status.note or program.status_note
            if patch.status.platform is not None:
                changes["platform"] = patch.status.platform
        if patch.requirements is not None:
            changes["electives"] = patch.requirements.electives
            changes["tracks"] = patch.requirements.tracks
    if courses:
        by_code = {c.code.casefold(): c for c in courses}
        changes["courses"] = tuple(
            _patch_course(course, by_code[course.code.casefold()])
            if course.code.casefold() in by_code
            else course
            for course in program.courses
        )
        sources.extend(c.source for c in courses)
    changes["sources"] = tuple(dict.fromkeys(sources))
    return replace(program, **changes)


def _patch_course(course: Any, patch: CoursePatch) -> Any:
    """One course with its runs, pacing and price from the API."""
    changes: dict[str, Any] = {}
    estimated = set(course.estimated)
    if patch.pacing is not None:
        changes["pacing"] = patch.pacing.value
        estimated.discard("pacing")
    if patch.price_usd is not None:
        changes["price_usd"] = patch.price_usd.value
        estimated.discard("price_usd")
    if patch.upgrade_deadline is not None:
        changes["upgrade_deadline"] = patch.upgrade_deadline.value
    if patch.runs is not None:
        changes["runs"] = _run_starts(patch.runs)
    changes["estimated"] = tuple(f for f in course.estimated if f in estimated)
    return replace(course, **changes)


def _run_starts(runs: RunsFact) -> tuple[date, ...]:
    """The catalog's `runs` from the API's: the start days of the dated (instructor-paced)
    runs; a self-paced run sets no start day. The curated yearly `session_starts` stay:
    the planner continues them after the last listed run (`schedule/rules/sessions.py`)."""
    return tuple(sorted({run.start for run in runs.value if not run.self_paced}))


def overlay_age(overlay: Overlay, today: date) -> int:
    """Days since the overlay's facts were read."""
    return (today - overlay.retrieved).days
