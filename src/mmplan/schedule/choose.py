"""Which courses a plan holds: programs, tracks, picks, prerequisites and shared courses.

Moved here unchanged from the planner; a selection stage of its own is to replace it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace

from mmplan.errors import MmplanError, UnknownIdError, UsageError
from mmplan.graph import (
    build_graph,
    canonical_course_id,
    find_cycle,
    same_course_ids,
    topological_order,
)
from mmplan.lookup import did_you_mean, find_program
from mmplan.models import (
    MAX_HOURS_PER_WEEK,
    Catalog,
    Course,
    EstimatedField,
    Program,
    split_course_id,
)
from mmplan.schedule.model import InProgress, PlanRequest, Status
from mmplan.selection import select_courses


@dataclass
class _Entry:
    """A course of the plan before scheduling."""

    id: str
    program: Program
    course: Course
    reason: str
    status: Status
    prerequisites: tuple[str, ...]  # planned ids: a shared course's other ids already resolved
    progress: InProgress | None  # the learner's record when the course is under way
    recommended: tuple[str, ...] = ()  # courses recommended first (soft), planned ids
    followed: tuple[str, ...] = ()  # those of `recommended` the plan puts first


def _validate(request: PlanRequest) -> None:
    if not request.program_ids:
        raise UsageError("name at least one program to plan")
    if not 0 < request.hours_per_week <= MAX_HOURS_PER_WEEK:
        raise UsageError(
            f"--hours-per-week must be more than 0 and at most {MAX_HOURS_PER_WEEK}, "
            f"got {request.hours_per_week:g}"
        )
    if request.max_parallel < 1:
        raise UsageError(f"--max-parallel must be at least 1, got {request.max_parallel}")
    if not 0 < request.workload_scale <= 10:
        raise UsageError(
            f"workload scale must be more than 0 and at most 10, got {request.workload_scale:g}"
        )
    for pause in request.breaks:
        if pause.start > pause.end:
            raise UsageError(f"--break {pause.start}:{pause.end} ends before it starts")


def _resolve_programs(catalog: Catalog, typed: Iterable[str]) -> list[Program]:
    programs: list[Program] = []
    for name in typed:
        program = find_program(catalog, name)
        if program not in programs:
            programs.append(program)
    return programs


def _track_for(program: Program, tracks: tuple[str, ...]) -> str | None:
    names = {t.name.casefold() for t in program.tracks}
    matching = [name for name in tracks if name.casefold() in names]
    if len(matching) > 1:
        raise UsageError(f"{program.id}: follow one track, not {', '.join(matching)}")
    return matching[0] if matching else None


def _check_tracks(programs: list[Program], tracks: tuple[str, ...]) -> None:
    """Every --track must name a track of some planned program."""
    for name in tracks:
        if any(name.casefold() == t.name.casefold() for p in programs for t in p.tracks):
            continue
        with_tracks = [p for p in programs if p.tracks]
        if not with_tracks:
            raise UsageError(f"--track '{name}': no planned program has tracks")
        select_courses(with_tracks[0], track=name)  # raises, suggesting the closest name
        raise UsageError(f"--track '{name}' matches no track")  # pragma: no cover


def _picks_for(programs: list[Program], picks: tuple[str, ...]) -> dict[str, list[str]]:
    """Elective picks per program id: `program/CODE` goes to that program, `CODE` to the first
    planned program that offers it as an elective (else the first program, to be refused there).
    """
    by_program: dict[str, list[str]] = {p.id: [] for p in programs}
    for pick in picks:
        if "/" in pick:
            program_part, code = split_course_id(pick, programs[0].id)
            program = _find_planned_program(programs, program_part, pick)
        else:
            code = pick
            offering = [p for p in programs if any(code in g.from_ for g in p.electives)]
            program = offering[0] if offering else programs[0]
        by_program[program.id].append(code)
    return by_program


def _find_planned_program(programs: list[Program], typed: str, reference: str) -> Program:
    """The planned program `typed` names (exact id, case-insensitive)."""
    for program in programs:
        if program.id.casefold() == typed.casefold():
            return program
    ids = [p.id for p in programs]
    raise UnknownIdError(
        f"'{reference}' names a program that is not being planned{did_you_mean(typed, ids)}; "
        f"planned: {', '.join(ids)}"
    )


def _check_course_ids(ids: Iterable[str], graph: dict[str, tuple[str, ...]], what: str) -> None:
    for cid in ids:
        if cid not in graph:
            raise UnknownIdError(f"{what}: unknown course '{cid}'{did_you_mean(cid, graph)}")


def _select(
    catalog: Catalog, request: PlanRequest, graph: dict[str, tuple[str, ...]]
) -> tuple[list[Program], list[_Entry], list[str]]:
    """The plan's courses (selected, plus uncompleted prerequisites) and what to tell the user.

    Courses recommended first are never added; those already in the plan come first when
    the request follows the recommended order.
    """
    programs = _resolve_programs(catalog, request.program_ids)
    _check_tracks(programs, request.tracks)
    picks = _picks_for(programs, request.picks)
    _check_course_ids(request.completed, graph, "completed")
    _check_course_ids((c.course_id for c in request.in_progress), graph, "in progress")
    same = same_course_ids(catalog)
    planned_as, merged = _merge_same_courses(same, graph, [p.id for p in programs])
    ordering = build_graph(catalog, with_recommended=True)
    merged_ordering = _merge_same_courses(same, ordering, [p.id for p in programs])[1]
    completed = {planned_as.get(c, c) for c in request.completed}
    progress: dict[str, InProgress] = {}
    for record in request.in_progress:  # under any id of the course; the first record wins
        progress.setdefault(planned_as.get(record.course_id, record.course_id), record)
    in_progress = set(progress) - completed
    warnings: list[str] = []

    def status(cid: str) -> Status:
        if cid in completed:
            return "completed"
        return "in_progress" if cid in in_progress else "planned"

    by_program: dict[str, dict[str, Course]] = {}

    def courses_of(program: Program) -> dict[str, Course]:
        if program.id not in by_program:
            by_program[program.id] = {c.code: c for c in program.courses}
        return by_program[program.id]

    def course_of(cid: str) -> tuple[Program, Course]:
        program_id, code = split_course_id(cid, "")
        program = catalog.program(program_id)
        return program, courses_of(program)[code]

    def entry_for(cid: str, reason: str) -> _Entry:
        program, course = course_of(cid)
        if course.price_usd is None and cid in same:
            course = _with_known_price(course, (course_of(i)[1] for i in same[cid]))
        state = status(cid)
        underway = progress.get(cid) if state == "in_progress" else None
        needs = merged[cid]
        recommended = tuple(r for r in merged_ordering[cid] if r not in needs and r != cid)
        return _Entry(cid, program, course, reason, state, needs, underway, recommended)

    # Courses the learner takes anyway cost no extra hours when electives and tracks are
    # chosen for them: passed or under way, or taken through any requested program (its
    # required courses, --track and --pick first, then, in request order, what each chose).
    def planned_id(program: Program, code: str) -> str:
        own = f"{program.id}/{code}"
        return planned_as.get(own, own)

    tracks = {p.id: _track_for(p, request.tracks) for p in programs}
    taken_anyway = completed | in_progress
    for program in programs:
        fixed = [*program.required_codes, *picks[program.id]]
        named = (tracks[program.id] or "").casefold()
        fixed.extend(c for t in program.tracks if t.name.casefold() == named for c in t.courses)
        taken_anyway.update(planned_id(program, code) for code in fixed)

    entries: dict[str, _Entry] = {}
    for program in programs:
        selection = select_courses(
            program,
            track=tracks[program.id],
            picks=picks[program.id],
            effort=request.effort,
            already_taken=[
                c.code for c in program.courses if planned_id(program, c.code) in taken_anyway
            ],
        )
        taken_anyway.update(planned_id(program, code) for code in selection.codes)
        for choice in selection.chosen_for_you:
            warnings.append(f"{program.id}: chose {choice} for you; --track/--pick choose yourself")
        for chosen in selection.courses:
            own = f"{program.id}/{chosen.code}"
            cid = planned_as.get(own, own)
            reason = chosen.reason if cid == own else f"{chosen.reason} in {program.id}"
            if cid != own:
                warnings.append(f"{own} is the same course as {cid}: planned once")
            if cid not in entries:
                entries[cid] = entry_for(cid, reason)
            elif cid != own:
                entries[cid].reason += f"; {reason}"

    # Prerequisites that are not completed join the plan; completed ones are shown as done.
    planned_programs = {p.id for p in programs}
    stack = [cid for cid, e in entries.items() if e.status != "completed"]
    added: list[str] = []
    while stack:
        dependant = stack.pop()
        if entries[dependant].status == "in_progress":
            continue  # already under way: its prerequisites no longer matter
        for prerequisite in entries[dependant].prerequisites:
            if prerequisite in entries:
                continue
            entry = entry_for(prerequisite, f"prerequisite of {dependant}")
            entries[prerequisite] = entry
            if entry.status != "completed":
                stack.append(prerequisite)
                added.append(prerequisite)
    position = {cid: i for i, cid in enumerate(merged)}
    for cid in sorted(added, key=position.__getitem__):
        entry = entries[cid]
        origin = "" if entry.program.id in planned_programs else f" from {entry.program.id}"
        warnings.append(f"added {cid}{origin}: it is a {entry.reason} and is not completed")
    ordered = sorted(entries, key=position.__getitem__)
    try:
        order = topological_order(ordered, merged)
    except ValueError:
        cycle = find_cycle({cid: merged[cid] for cid in ordered}) or ()
        raise MmplanError(
            f"prerequisite cycle once each shared course is planned once: {' -> '.join(cycle)}; "
            "check the prerequisites of the courses several programs list"
        ) from None
    if request.follow_recommended:
        order, note = _follow_recommended(entries, order, merged)
        warnings.extend(note)
    return programs, [entries[cid] for cid in order], warnings


def _follow_recommended(
    entries: dict[str, _Entry], order: tuple[str, ...], merged: Mapping[str, tuple[str, ...]]
) -> tuple[tuple[str, ...], list[str]]:
    """Put each course recommended first that is in the plan before the course that
    recommends it: (the order, a warning naming what is followed).

    Only courses still to start are held back; a course already under way has started.
    """
    for cid in order:
        entry = entries[cid]
        if entry.status == "planned":
            entry.followed = tuple(
                r for r in entry.recommended if r in entries and entries[r].status != "completed"
            )
    try:
        followed_order = topological_order(
            order, {cid: (*merged[cid], *entries[cid].followed) for cid in order}
        )
    except ValueError:
        cycle = find_cycle({cid: (*merged[cid], *entries[cid].followed) for cid in order}) or ()
        for entry in entries.values():
            entry.followed = ()
        return order, [
            "the recommended order cannot be followed once each shared course is planned "
            f"once ({' -> '.join(cycle)}); planned by prerequisites only"
        ]
    before: dict[str, list[str]] = {}  # recommended course -> the courses it goes before
    for cid in followed_order:
        for recommended in entries[cid].followed:
            before.setdefault(recommended, []).append(cid)
    if not before:
        return followed_order, []
    edges = "; ".join(f"{first} before {', '.join(then)}" for first, then in before.items())
    return followed_order, [
        f"following the recommended order: {edges} (--ignore-recommended to drop it)"
    ]


def _merge_same_courses(
    same: Mapping[str, tuple[str, ...]],
    graph: Mapping[str, tuple[str, ...]],
    programs: Sequence[str],
) -> tuple[dict[str, str], dict[str, tuple[str, ...]]]:
    """(each shared course's ids -> the one it is planned under, the graph with it as one node).

    The planned id needs what any of its ids needs (its own prerequisites first), and
    prerequisites naming any of its ids name it. Nodes keep catalog order (first id's place).
    """
    planned_as: dict[str, str] = {}
    for ids in same.values():
        if ids[0] not in planned_as:
            planned_as.update(dict.fromkeys(ids, canonical_course_id(ids, programs)))
    if not planned_as:
        return planned_as, dict(graph)
    own: dict[str, list[str]] = {}
    others: dict[str, list[str]] = {}
    for cid, prerequisites in graph.items():
        node = planned_as.get(cid, cid)
        own.setdefault(node, [])
        target = own[node] if node == cid else others.setdefault(node, [])
        target.extend(planned_as.get(p, p) for p in prerequisites)
    merged = {
        node: tuple(dict.fromkeys([*needs, *others.get(node, ())])) for node, needs in own.items()
    }
    return planned_as, merged


def _with_known_price(course: Course, twins: Iterable[Course]) -> Course:
    """A shared course without a price takes the first known price of its other ids (as the
    cost report does), so the plan's cost counts it once and at the same price."""
    for twin in twins:
        if twin.price_usd is not None:
            estimated: list[EstimatedField] = [f for f in course.estimated if f != "price_usd"]
            if twin.is_estimated("price_usd"):
                estimated.append("price_usd")
            return replace(course, price_usd=twin.price_usd, estimated=tuple(estimated))
    return course


def _course_warnings(entries: list[_Entry], request: PlanRequest) -> list[str]:
    warnings: list[str] = []
    needed_by: dict[str, list[str]] = {}  # one line per requirement, naming every course
    for entry in entries:
        if entry.status != "completed":
            for requirement in entry.course.external_prerequisites:
                needed_by.setdefault(requirement, []).append(entry.id)
    for requirement, ids in needed_by.items():
        noun = "prerequisite" if len(ids) == 1 else "prerequisites"
        warnings.append(f"check the {noun} of {', '.join(ids)}: {requirement}")
    estimated = [
        f"{e.id} ({', '.join(e.course.estimated)})"
        for e in entries
        if e.course.estimated and e.status != "completed"
    ]
    if estimated:
        warnings.append("estimated figures used: " + "; ".join(estimated))
    if request.workload_scale != 1.0:
        warnings.append(
            f"workloads scaled by your own pace: x{request.workload_scale:.2f} "
            "of the published hours"
        )
    return warnings
