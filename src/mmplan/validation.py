"""Referential checks of a catalog: the ids, codes and prerequisites that must agree.

The schema (models.py) checks each value on its own; these checks look across values. Each
returns `Finding`s: a location in the catalog's data, shaped like a pydantic error `loc`
(`("programs", 3, "courses", 1, "prerequisites", 0)`), and a message. The loader turns a
location into `FILE:LINE:COL` and a readable path.

Two stages, because a prerequisite may name a program in another catalog file:
`check_file` runs on one file (references to programs it does not define are left for
later), `check_merged` on the merged catalog (those references, and cycles across files).
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass

from mmplan.graph import find_cycle
from mmplan.lookup import did_you_mean
from mmplan.models import Program, course_id, split_course_id

Loc = tuple[str | int, ...]
MAX_CYCLES_REPORTED = 20


@dataclass(frozen=True)
class Finding:
    """One problem at a location.

    `first` points at the earlier twin of a duplicate; `names_program` is the program a
    cross-program prerequisite names (the loader says which file that program came from).
    """

    loc: Loc
    message: str
    first: Loc | None = None
    names_program: str | None = None


def check_file(programs: Sequence[Program | None]) -> list[Finding]:
    """Every referential problem inside one file.

    `programs` keeps the file's positions; None stands for a program that failed the schema.
    References to a program the file does not define (or that failed) are left for
    `check_merged`.
    """
    findings: list[Finding] = []
    first_position: dict[str, int] = {}
    for position, program in enumerate(programs):
        if program is None:
            continue
        if program.id in first_position:
            findings.append(
                Finding(
                    ("programs", position, "id"),
                    f"duplicate program id '{program.id}'",
                    ("programs", first_position[program.id], "id"),
                )
            )
        else:
            first_position[program.id] = position
        findings.extend(_check_program(position, program))
    present = {p.id: p for p in programs if p is not None}
    findings.extend(_check_references(programs, present))
    findings.extend(finding for finding, _ in _cycles(programs))
    return findings


def check_merged(
    programs: Sequence[Program],
    file_of: Sequence[int],
    unchecked_ids: frozenset[str] = frozenset(),
) -> list[Finding]:
    """Problems only the merged catalog shows: references across files, and their cycles.

    `file_of[i]` says which file program `i` came from: a cycle through one file only was
    found in that file already, so cycles are searched only when files reference each other.
    References to `unchecked_ids` (programs that failed the schema) are not judged.
    It runs on every load, even from the cache, so it makes one pass over the references.
    """
    position = {p.id: i for i, p in enumerate(programs)}
    codes_of: dict[str, set[str]] = {}  # filled only for programs that are referenced
    findings: list[Finding] = []
    crossing = False
    for i, program in enumerate(programs):
        for index, course in enumerate(program.courses):
            for ref_index, reference in enumerate(course.prerequisites):
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
                message = _reference_problem(reference, target, code, None, codes_of, position)
                if message:
                    loc = ("programs", i, "courses", index, "prerequisites", ref_index)
                    findings.append(Finding(loc, message, names_program=target))
    if crossing:
        file_of_program = {p.id: file_of[i] for i, p in enumerate(programs)}
        for finding, cycle in _cycles(programs):
            if len({file_of_program[course.partition("/")[0]] for course in cycle}) > 1:
                findings.append(finding)
    return findings


def _check_program(position: int, program: Program) -> list[Finding]:
    """Duplicate codes, and electives and tracks that name courses the program lacks."""
    findings: list[Finding] = []
    here = ("programs", position)
    codes: dict[str, int] = {}
    for index, course in enumerate(program.courses):
        if course.code in codes:
            findings.append(
                Finding(
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
                    Finding(
                        (*here, "electives", group_index, "from", index),
                        f"elective group names unknown course '{code}'" + did_you_mean(code, codes),
                    )
                )
        offered = len(set(group.from_))
        if group.choose > offered:
            findings.append(
                Finding(
                    (*here, "electives", group_index, "choose"),
                    f"choose {group.choose} but the group offers only {offered} "
                    + ("course" if offered == 1 else "courses"),
                )
            )
    names: dict[str, int] = {}
    for track_index, track in enumerate(program.tracks):
        if track.name in names:
            findings.append(
                Finding(
                    (*here, "tracks", track_index, "name"),
                    f"duplicate track name '{track.name}'",
                    (*here, "tracks", names[track.name], "name"),
                )
            )
        names.setdefault(track.name, track_index)
        for index, code in enumerate(track.courses):
            if code not in codes:
                findings.append(
                    Finding(
                        (*here, "tracks", track_index, "courses", index),
                        f"track '{track.name}' names unknown course '{code}'"
                        + did_you_mean(code, codes),
                    )
                )
    return findings


def _check_references(
    programs: Sequence[Program | None], present: dict[str, Program]
) -> list[Finding]:
    """Prerequisites naming unknown courses, or the course itself, within one file.

    References into another program are checked only when the file defines that program;
    the others wait for `check_merged`.
    """
    findings: list[Finding] = []
    codes_of = {pid: {c.code for c in program.courses} for pid, program in present.items()}
    for position, program in enumerate(programs):
        if program is None:
            continue
        for index, course in enumerate(program.courses):
            for ref_index, reference in enumerate(course.prerequisites):
                target_program, code = split_course_id(reference, program.id)
                same_program = target_program == program.id
                if not same_program and target_program not in present:
                    continue
                own_code = course.code if same_program else None
                message = _reference_problem(
                    reference, target_program, code, own_code, codes_of, present
                )
                if message:
                    loc = ("programs", position, "courses", index, "prerequisites", ref_index)
                    named = None if same_program else target_program
                    findings.append(Finding(loc, message, names_program=named))
    return findings


def _reference_problem(
    reference: str,
    target_program: str,
    code: str,
    own_code: str | None,
    codes_of: dict[str, set[str]],
    program_ids: Collection[str],
) -> str | None:
    if code == own_code:
        return f"course '{code}' lists itself as a prerequisite"
    codes = codes_of.get(target_program)
    if codes is None:
        return f"prerequisite '{reference}' names unknown program '{target_program}'" + (
            did_you_mean(target_program, program_ids)
        )
    if code in codes:
        return None
    if own_code is not None:
        return f"unknown prerequisite '{reference}'" + did_you_mean(code, codes)
    return f"prerequisite '{reference}' names unknown course '{code}' of '{target_program}'" + (
        did_you_mean(code, codes)
    )


def _cycles(programs: Sequence[Program | None]) -> list[tuple[Finding, tuple[str, ...]]]:
    """Every prerequisite cycle (up to MAX_CYCLES_REPORTED), each printed whole."""
    graph: dict[str, tuple[str, ...]] = {}
    where: dict[tuple[str, str], Loc] = {}  # (course, prerequisite) -> the entry naming it
    for position, program in enumerate(programs):
        if program is None:
            continue
        for index, course in enumerate(program.courses):
            this = course_id(program.id, course.code)
            edges: list[str] = []
            for ref_index, reference in enumerate(course.prerequisites):
                target = course_id(*split_course_id(reference, program.id))
                if target != this and (this, target) not in where:
                    edges.append(target)
                    loc = ("programs", position, "courses", index, "prerequisites", ref_index)
                    where[(this, target)] = loc
            graph.setdefault(this, tuple(edges))
    cycles: list[tuple[Finding, tuple[str, ...]]] = []
    while len(cycles) < MAX_CYCLES_REPORTED:
        cycle = find_cycle(graph)
        if cycle is None:
            break
        start, following = cycle[0], cycle[1]
        message = "prerequisite cycle: " + " -> ".join(cycle)
        cycles.append((Finding(where[(start, following)], message), cycle))
        graph[start] = tuple(p for p in graph[start] if p != following)  # then find the next
    return cycles
