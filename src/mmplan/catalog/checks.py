"""Referential checks of a catalog: the ids, codes and prerequisites that must agree.

A course's `recommended` courses (soft: taken first if planned, never required) are
references too, checked like its prerequisites; cycles run over both kinds of edge.

The schema (model.py) checks each value on its own; these checks look across values. Each
returns `CatalogProblem`s: a location in the catalog's data, shaped like a pydantic error `loc`
(`("programs", 3, "courses", 1, "prerequisites", 0)`), and a message. The loader turns a
location into `FILE:LINE:COL` and a readable path.

Two stages, because a prerequisite may name a program in another catalog file:
`check_file` runs on one file (references to programs it does not define are left for
later), `check_merged` on the merged catalog (those references, and cycles across files).
"""

from __future__ import annotations

import itertools
from collections.abc import Collection, Iterator, Sequence

from mmplan.catalog.graph import find_cycle
from mmplan.catalog.lookup import did_you_mean
from mmplan.catalog.model import (
    Course,
    PriceRange,
    Program,
    ProgramStatus,
    course_id,
    split_course_id,
)
from mmplan.catalog.rule_checks import after_all_findings, assesses_findings, window_findings
from mmplan.core.errors import CatalogProblem, Loc, shown

MAX_CYCLES_REPORTED = 20
MAX_CYCLE_STEPS_SHOWN = 12
REFERENCE_FIELDS = ("prerequisites", "recommended")  # the course fields naming other courses
_NOUN = {"prerequisites": "prerequisite", "recommended": "recommended course"}


def check_file(programs: Sequence[Program | None]) -> list[CatalogProblem]:
    """Every referential problem inside one file.

    `programs` keeps the file's positions; None stands for a program that failed the schema.
    References to a program the file does not define (or that failed) are left for
    `check_merged`.
    """
    findings: list[CatalogProblem] = []
    first_position: dict[str, int] = {}
    for position, program in enumerate(programs):
        if program is None:
            continue
        if program.id in first_position:
            findings.append(
                CatalogProblem.at(
                    ("programs", position, "id"),
                    f"duplicate program id '{program.id}'",
                    ("programs", first_position[program.id], "id"),
                )
            )
        else:
            first_position[program.id] = position
        findings.extend(_check_program(position, program))
        findings.extend(window_findings(position, program))
        findings.extend(assesses_findings(position, program))
    present = {p.id: p for p in programs if p is not None}
    findings.extend(_check_references(programs, present))
    findings.extend(finding for finding, _ in _cycles(programs))
    findings.extend(after_all_findings(programs))
    findings.extend(_shared_course_conflicts(programs))
    return findings


def check_merged(
    programs: Sequence[Program],
    file_of: Sequence[int],
    unchecked_ids: frozenset[str] = frozenset(),
) -> list[CatalogProblem]:
    """Problems only the merged catalog shows: references across files, and their cycles.

    `file_of[i]` says which file program `i` came from: a cycle through one file only was
    found in that file already, so cycles are searched only when files reference each other.
    References to `unchecked_ids` (programs that failed the schema) are not judged.
    It runs on every load, even from the cache, so it makes one pass over the references.
    """
    position = {p.id: i for i, p in enumerate(programs)}
    codes_of: dict[str, set[str]] = {}  # filled only for programs that are referenced
    findings: list[CatalogProblem] = []
    crossing = False
    for i, program in enumerate(programs):
        if not any("/" in ref for c in program.courses for ref in c.prerequisites + c.recommended):
            continue  # names no course of another program: one quick scan tells (most do not)
        for index, course in enumerate(program.courses):
            for field, ref_index, reference in _references(course):
                if "/" not in reference:
                    continue  # a same-program reference: checked with its file already
                target, _, code = reference.partition("/")
                if target == program.id or target in unchecked_ids:
                    continue
                j = position.get(target)
                if j is not None:
                    crossing = crossing or file_of[j] != file_of[i]
                    if target not in codes_of:
                        codes_of[target] = {c.code for c in programs[j].courses}
                message = _reference_problem(
                    field, reference, target, code, None, codes_of, position
                )
                if message:
                    loc = ("programs", i, "courses", index, field, ref_index)
                    findings.append(CatalogProblem.at(loc, message, names_program=target))
    for finding in _shared_course_conflicts(programs):
        other = finding.other or finding.loc
        if (
            file_of[int(other[1])] != file_of[int(finding.loc[1])]
        ):  # a conflict inside one file was found with that file
            findings.append(finding)
    if crossing:
        file_of_program = {p.id: file_of[i] for i, p in enumerate(programs)}
        for finding, cycle in _cycles(programs):
            if len({file_of_program[course.partition("/")[0]] for course in cycle}) > 1:
                findings.append(finding)
    return findings


# What one course has once, whichever program lists it; empty (or None) means "not stated".
SHARED_COURSE_FIELDS = ("pacing", "price_usd", "session_starts", "runs", "window_days")


def _shared_course_conflicts(programs: Sequence[Program | None]) -> list[CatalogProblem]:
    """A course code listed by several programs is one course: its pacing, price and
    sessions must agree wherever they are stated."""
    findings: list[CatalogProblem] = []
    first_seen: dict[str, tuple[Loc, Course]] = {}
    for position, program in enumerate(programs):
        if program is None:
            continue
        for index, course in enumerate(program.courses):
            here: Loc = ("programs", position, "courses", index)
            key = course.code.casefold()
            if key not in first_seen:
                first_seen[key] = (here, course)
                continue
            where, first = first_seen[key]
            if where[1] == position:
                continue  # a duplicate code in one program: reported as such
            for name in SHARED_COURSE_FIELDS:
                mine, theirs = _stated(course, name), _stated(first, name)
                if mine is not None and theirs is not None and mine != theirs:
                    findings.append(
                        CatalogProblem.at(
                            (*here, name),
                            f"'{course.code}' is one course in every program that lists it, "
                            f"but its {name} {_shown(mine)} differs from {_shown(theirs)} in "
                            f"'{course_id(_program_id(programs, where), first.code)}'",
                            other=(*where, name),
                        )
                    )
    return findings


def _stated(course: Course, name: str) -> object:
    """A shared field's value as a comparable, or None when the course does not state it."""
    value = getattr(course, name)
    if name in ("session_starts", "runs"):
        return tuple(sorted(set(value))) or None
    return value


def _shown(value: object) -> str:
    if isinstance(value, tuple):
        return "[" + ", ".join(str(v) for v in value) + "]"
    if isinstance(value, PriceRange):
        return f"${value.lo}" if not value.is_range else f"${value.lo}-${value.hi}"
    return f"'{value}'"


def _program_id(programs: Sequence[Program | None], where: Loc) -> str:
    program = programs[int(where[1])]
    return program.id if program is not None else "?"


def _check_program(position: int, program: Program) -> list[CatalogProblem]:
    """Duplicate codes, electives and tracks that name courses the program lacks, and a
    status other than active that does not say what happened."""
    findings: list[CatalogProblem] = []
    here = ("programs", position)
    if program.status is not ProgramStatus.ACTIVE and program.status_note is None:
        findings.append(
            CatalogProblem.at(
                (*here, "status"),
                f"status '{program.status}' needs a status_note saying what happened and when",
            )
        )
    codes: dict[str, int] = {}
    for index, course in enumerate(program.courses):
        if course.code in codes:
            findings.append(
                CatalogProblem.at(
                    (*here, "courses", index, "code"),
                    f"duplicate course code '{course.code}'",
                    (*here, "courses", codes[course.code], "code"),
                )
            )
        else:
            codes[course.code] = index
    for group_index, group in enumerate(program.electives):
        for index, code in enumerate(group.from_):
            if code not in codes:
                findings.append(
                    CatalogProblem.at(
                        (*here, "electives", group_index, "from", index),
                        f"elective group names unknown course {shown(code)}"
                        + did_you_mean(code, codes),
                    )
                )
        offered = len(set(group.from_))
        if group.choose > offered:
            findings.append(
                CatalogProblem.at(
                    (*here, "electives", group_index, "choose"),
                    f"choose {group.choose} but the group offers only {offered} "
                    + ("course" if offered == 1 else "courses"),
                )
            )
    names: dict[str, int] = {}
    for track_index, track in enumerate(program.tracks):
        if track.name in names:
            findings.append(
                CatalogProblem.at(
                    (*here, "tracks", track_index, "name"),
                    f"duplicate track name {shown(track.name)}",
                    (*here, "tracks", names[track.name], "name"),
                )
            )
        names.setdefault(track.name, track_index)
        for index, code in enumerate(track.courses):
            if code not in codes:
                findings.append(
                    CatalogProblem.at(
                        (*here, "tracks", track_index, "courses", index),
                        f"track {shown(track.name)} names unknown course {shown(code)}"
                        + did_you_mean(code, codes),
                    )
                )
    return findings


def _check_references(
    programs: Sequence[Program | None], present: dict[str, Program]
) -> list[CatalogProblem]:
    """Prerequisites and recommended courses naming unknown courses, or the course itself,
    within one file; and a course recommended that is already a prerequisite.

    References into another program are checked only when the file defines that program;
    the others wait for `check_merged`.
    """
    findings: list[CatalogProblem] = []
    codes_of = {pid: {c.code for c in program.courses} for pid, program in present.items()}
    for position, program in enumerate(programs):
        if program is None:
            continue
        for index, course in enumerate(program.courses):
            here = ("programs", position, "courses", index)
            for field, ref_index, reference in _references(course):
                target_program, code = split_course_id(reference, program.id)
                same_program = target_program == program.id
                if not same_program and target_program not in present:
                    continue
                own_code = course.code if same_program else None
                message = _reference_problem(
                    field, reference, target_program, code, own_code, codes_of, present
                )
                if message:
                    named = None if same_program else target_program
                    findings.append(
                        CatalogProblem.at((*here, field, ref_index), message, names_program=named)
                    )
            required = {course_id(*split_course_id(r, program.id)) for r in course.prerequisites}
            for ref_index, reference in enumerate(course.recommended):
                if course_id(*split_course_id(reference, program.id)) in required:
                    findings.append(
                        CatalogProblem.at(
                            (*here, "recommended", ref_index),
                            f"{shown(reference)} is already a prerequisite of "
                            f"{shown(course.code)}; "
                            "list it once, under prerequisites",
                        )
                    )
    return findings


def raw_reference_findings(raw_programs: object, failed: Collection[int]) -> list[CatalogProblem]:
    """Unknown references within each program at a `failed` position (one the schema
    refused, so `check_file` cannot see it), read from the raw data: reported with the
    schema's errors, so one run of validate shows both. References to other programs wait
    for the file to pass, as the codes they name may be there."""
    findings: list[CatalogProblem] = []
    for position in failed:
        program = raw_programs[position] if isinstance(raw_programs, list) else None
        if isinstance(program, dict) and isinstance(program.get("id"), str):
            findings.extend(_raw_references(position, program["id"], program.get("courses")))
    return findings


def _raw_references(position: int, program_id: str, courses: object) -> Iterator[CatalogProblem]:
    """The unknown same-program references of one program's raw course list."""
    listed = [c for c in courses if isinstance(c, dict)] if isinstance(courses, list) else []
    codes = {c["code"] for c in listed if isinstance(c.get("code"), str)}
    for index, course in enumerate(courses if isinstance(courses, list) else ()):
        if not isinstance(course, dict) or not isinstance(course.get("code"), str):
            continue
        for field in REFERENCE_FIELDS:
            references = course.get(field)
            for ref_index, ref in enumerate(references if isinstance(references, list) else ()):
                if not isinstance(ref, str) or "/" in ref:
                    continue
                message = _reference_problem(
                    field, ref, program_id, ref, course["code"], {program_id: codes}, ()
                )
                if message:
                    yield CatalogProblem.at(
                        ("programs", position, "courses", index, field, ref_index), message
                    )


def _references(course: Course) -> Iterator[tuple[str, int, str]]:
    """(field, index, reference) for each course the course names, prerequisites first."""
    for field in REFERENCE_FIELDS:
        for ref_index, reference in enumerate(getattr(course, field)):
            yield field, ref_index, reference


def _reference_problem(
    field: str,
    reference: str,
    target_program: str,
    code: str,
    own_code: str | None,
    codes_of: dict[str, set[str]],
    program_ids: Collection[str],
) -> str | None:
    noun = _NOUN[field]
    if code == own_code:
        return f"course {shown(code)} lists itself as a {noun}"
    codes = codes_of.get(target_program)
    if codes is None:
        return f"{noun} {shown(reference)} names unknown program {shown(target_program)}" + (
            did_you_mean(target_program, program_ids)
        )
    if code in codes:
        return None
    if own_code is not None:  # never the course itself as the suggestion
        return f"unknown {noun} {shown(reference)}" + did_you_mean(code, codes - {own_code})
    return (
        f"{noun} {shown(reference)} names unknown course {shown(code)} of {shown(target_program)}"
        + (did_you_mean(code, codes))
    )


def _shown_cycle(cycle: Sequence[str]) -> str:
    """`a -> b -> c -> a`; a long cycle keeps its first and last steps, so a message stays
    a line (a 5,000-course cycle would print 74 KB)."""
    if len(cycle) <= MAX_CYCLE_STEPS_SHOWN:
        return " -> ".join(cycle)
    head, tail = cycle[: MAX_CYCLE_STEPS_SHOWN - 3], cycle[-3:]
    hidden = len(cycle) - len(head) - len(tail)
    return " -> ".join([*head, f"... ({hidden:,} more)", *tail])


def _cycles(programs: Sequence[Program | None]) -> list[tuple[CatalogProblem, tuple[str, ...]]]:
    """Every cycle over prerequisites and recommended courses (up to MAX_CYCLES_REPORTED),
    each printed whole: the recommended order must be possible to follow too."""
    graph: dict[str, tuple[str, ...]] = {}
    where: dict[tuple[str, str], Loc] = {}  # (course, prerequisite) -> the entry naming it
    for position, program in enumerate(programs):
        if program is None:
            continue
        for index, course in enumerate(program.courses):
            this = course_id(program.id, course.code)
            edges: list[str] = []
            for field, ref_index, reference in _references(course):
                target = course_id(*split_course_id(reference, program.id))
                if target != this and (this, target) not in where:
                    edges.append(target)
                    loc = ("programs", position, "courses", index, field, ref_index)
                    where[(this, target)] = loc
            graph.setdefault(this, tuple(edges))
    cycles: list[tuple[CatalogProblem, tuple[str, ...]]] = []
    while len(cycles) < MAX_CYCLES_REPORTED:
        cycle = find_cycle(graph)
        if cycle is None:
            break
        start, following = cycle[0], cycle[1]
        soft = any(where[edge][4] == "recommended" for edge in itertools.pairwise(cycle))
        kind = "cycle over prerequisites and recommended courses" if soft else "prerequisite cycle"
        message = f"{kind}: " + _shown_cycle(cycle)
        cycles.append((CatalogProblem.at(where[(start, following)], message), cycle))
        graph[start] = tuple(p for p in graph[start] if p != following)  # then find the next
    return cycles
