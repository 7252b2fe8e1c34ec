"""The contents of a plan: which courses it holds. Each program's selection (`mmplan.selection`:
which courses a learner takes), plus the prerequisites not completed, each shared course
planned once, in prerequisite order (`plan_contents`), and the request checked first
(`check_request`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace

from mmplan.catalog.figures import Price, course_price
from mmplan.catalog.graph import canonical_course_id, find_cycle, topological_order
from mmplan.catalog.index import CatalogIndex
from mmplan.catalog.lookup import did_you_mean
from mmplan.catalog.model import (
    Course,
    EstimatedField,
    Program,
    split_course_id,
)
from mmplan.core.defaults import MAX_SOLVER_SECONDS
from mmplan.core.errors import MmplanError, UnknownIdError, UsageError, shown
from mmplan.schedule.model import (
    CourseState,
    InProgress,
    PlanRequest,
    PlanWarning,
    WarningKind,
)
from mmplan.schedule.rules import after_all, breaks, hours, slots
from mmplan.selection import ProgramChoices, parse_choices, select_programs


@dataclass
class CourseEntry:
    """A course of the plan before scheduling."""

    id: str
    program: Program
    course: Course
    reason: str
    status: CourseState
    prerequisites: tuple[str, ...]  # planned ids: a shared course's other ids already resolved
    progress: InProgress | None  # the learner's record when the course is under way
    recommended: tuple[str, ...] = ()  # courses recommended first (soft), planned ids
    followed: tuple[str, ...] = ()  # those of `recommended` the plan puts first
    after: tuple[str, ...] = ()  # marked after_all: the courses of its program it waits for
    counts_for: tuple[str, ...] = ()  # the planned programs whose credential it counts for

    def rate(self, request: PlanRequest) -> float:
        """Its weekly hours at the request's effort, scaled by the learner's own pace."""
        scale = request.institution_scales.get(self.program.institution, request.workload_scale)
        return self.course.hours_per_week.at(request.effort) * scale


def check_request(request: PlanRequest) -> None:
    if not request.program_ids:
        raise UsageError("name at least one program to plan")
    hours.check(request)
    slots.check(request)
    for scale in (request.workload_scale, *request.institution_scales.values()):
        if not 0 < scale <= 10:
            raise UsageError(f"workload scale must be more than 0 and at most 10, got {scale:g}")
    if not 0 <= request.solver_seconds <= MAX_SOLVER_SECONDS:
        raise UsageError(
            f"--solver-seconds must be at least 0 and at most {MAX_SOLVER_SECONDS:g}, "
            f"got {request.solver_seconds:g}"
        )
    breaks.check(request)


def _check_course_ids(ids: Iterable[str], graph: dict[str, tuple[str, ...]], what: str) -> None:
    for cid in ids:
        if cid not in graph:
            raise UnknownIdError(f"{what}: unknown course {shown(cid)}{did_you_mean(cid, graph)}")


def plan_contents(
    index: CatalogIndex, request: PlanRequest, chosen: ProgramChoices | None = None
) -> tuple[list[Program], list[CourseEntry], list[PlanWarning]]:
    """The plan's courses (selected, plus uncompleted prerequisites) and what to tell the user.

    `chosen`: the request's programs and choices as the command resolved them; without it
    they are looked up and read from the request. Courses recommended first are never
    added; those already in the plan come first when the request follows the recommended
    order.
    """
    if chosen is None:
        found = index.find_programs(request.program_ids)
        chosen = ProgramChoices(tuple(found), parse_choices(found, request.tracks, request.picks))
    catalog, programs, choices = index.catalog, list(chosen.programs), chosen.choices
    graph, same = index.graph, index.same_courses
    _check_course_ids(request.completed, graph, "completed")
    _check_course_ids((c.course_id for c in request.in_progress), graph, "in progress")
    planned_as, merged = _merge_same_courses(same, graph, [p.id for p in programs])
    merged_ordering = _merge_same_courses(same, index.ordering, [p.id for p in programs])[1]
    completed = {planned_as.get(c, c) for c in request.completed}
    progress: dict[str, InProgress] = {}
    for record in request.in_progress:  # under any id of the course; the first record wins
        progress.setdefault(planned_as.get(record.course_id, record.course_id), record)
    in_progress = set(progress) - completed
    warnings: list[PlanWarning] = []

    def status(cid: str) -> CourseState:
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

    def entry_for(cid: str, reason: str) -> CourseEntry:
        program, course = course_of(cid)
        course = _with_price(course, course_price(cid, lambda i: course_of(i)[1], same))
        state = status(cid)
        underway = progress.get(cid) if state == "in_progress" else None
        needs = merged[cid]
        recommended = tuple(r for r in merged_ordering[cid] if r not in needs and r != cid)
        return CourseEntry(cid, program, course, reason, state, needs, underway, recommended)

    # Courses passed or under way cost no extra hours when a track or elective is chosen.
    selections = select_programs(
        programs,
        choices,
        counted_as=lambda own: planned_as.get(own, own),
        taken_anyway=completed | in_progress,
        effort=request.effort,
    )
    entries: dict[str, CourseEntry] = {}
    for program in programs:
        selection = selections[program.id]
        for choice in selection.chosen_for_you:
            warnings.append(_chosen_for_you(program.id, choice))
        for selected in selection.courses:
            own = f"{program.id}/{selected.code}"
            cid = planned_as.get(own, own)
            reason = selected.reason if cid == own else f"{selected.reason} in {program.id}"
            if cid != own:
                warnings.append(_same_course(own, cid))
            if cid not in entries:
                entries[cid] = entry_for(cid, reason)
            elif cid != own:
                entries[cid].reason += f"; {reason}"
            entries[cid].counts_for += (program.id,)

    position = {cid: i for i, cid in enumerate(merged)}
    added = _add_prerequisites(entries, entry_for)
    planned_programs = {p.id for p in programs}
    for cid in sorted(added, key=position.__getitem__):
        warnings.append(_added_prerequisite(entries[cid], planned_programs))
    ordered = sorted(entries, key=position.__getitem__)
    waits = after_all.waits(programs, planned_as, entries)
    for cid, after in waits.items():
        entries[cid].after = after
    graph_after = {cid: (*merged[cid], *entries[cid].after) for cid in ordered}
    try:
        order = topological_order(ordered, graph_after)
    except ValueError:
        cycle = find_cycle(graph_after) or ()
        last = " and each course marked after_all last" if waits else ""
        raise MmplanError(
            f"prerequisite cycle once each shared course is planned once{last}: "
            f"{' -> '.join(cycle)}; check the prerequisites of the courses several programs list"
        ) from None
    if request.follow_recommended:
        order, note = _follow_recommended(entries, order, graph_after)
        warnings.extend(note)
    return programs, [entries[cid] for cid in order], warnings


def _chosen_for_you(program_id: str, choice: str) -> PlanWarning:
    return PlanWarning(
        kind=WarningKind.CHOSEN_FOR_YOU,
        message=f"{program_id}: chose {choice} for you; --track/--pick choose yourself",
        programs=(program_id,),
        text=choice,
    )


def _same_course(own: str, planned_as: str) -> PlanWarning:
    return PlanWarning(
        kind=WarningKind.SAME_COURSE,
        message=f"{own} is the same course as {planned_as}: planned once",
        courses=(own, planned_as),
    )


def _added_prerequisite(entry: CourseEntry, planned_programs: set[str]) -> PlanWarning:
    origin = "" if entry.program.id in planned_programs else f" from {entry.program.id}"
    return PlanWarning(
        kind=WarningKind.ADDED_PREREQUISITE,
        message=f"added {entry.id}{origin}: it is a {entry.reason} and is not completed",
        programs=(entry.program.id,),
        courses=(entry.id,),
        text=entry.reason,
    )


def _add_prerequisites(
    entries: dict[str, CourseEntry], entry_for: Callable[[str, str], CourseEntry]
) -> list[str]:
    """Add the prerequisites not completed to `entries` (completed ones are shown as done);
    the ids added. A course already under way needs nothing more."""
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
    return added


def _follow_recommended(
    entries: dict[str, CourseEntry], order: tuple[str, ...], merged: Mapping[str, tuple[str, ...]]
) -> tuple[tuple[str, ...], list[PlanWarning]]:
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
            PlanWarning(
                kind=WarningKind.RECOMMENDED_ORDER_DROPPED,
                message="the recommended order cannot be followed once each shared course is "
                f"planned once ({' -> '.join(cycle)}); planned by prerequisites only",
                courses=tuple(cycle),
            )
        ]
    before: dict[str, list[str]] = {}  # recommended course -> the courses it goes before
    for cid in followed_order:
        for recommended in entries[cid].followed:
            before.setdefault(recommended, []).append(cid)
    if not before:
        return followed_order, []
    return followed_order, [
        PlanWarning(
            kind=WarningKind.RECOMMENDED_ORDER,
            message=f"following the recommended order: {first} before {', '.join(then)} "
            "(--ignore-recommended to drop it)",
            courses=(first, *then),
        )
        for first, then in before.items()
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


def _with_price(course: Course, price: Price) -> Course:
    """The course carrying its price by `figures.course_price` (a shared course without a
    price of its own takes its first known price elsewhere), estimate mark included."""
    if course.price_usd == price.amount and course.is_estimated("price_usd") == price.estimated:
        return course
    estimated: list[EstimatedField] = [f for f in course.estimated if f != "price_usd"]
    if price.estimated:
        estimated.append("price_usd")
    return replace(course, price_usd=price.amount, estimated=tuple(estimated))


def course_warnings(entries: list[CourseEntry], request: PlanRequest) -> list[PlanWarning]:
    """Background to check, estimated figures, and workloads scaled by the learner's pace."""
    warnings: list[PlanWarning] = []
    needed_by: dict[str, list[str]] = {}  # one line per requirement, naming every course
    for entry in entries:
        if entry.status != "completed":
            for requirement in entry.course.external_prerequisites:
                needed_by.setdefault(requirement, []).append(entry.id)
    for requirement, ids in needed_by.items():
        noun = "prerequisite" if len(ids) == 1 else "prerequisites"
        warnings.append(
            PlanWarning(
                kind=WarningKind.BACKGROUND,
                message=f"check the {noun} of {', '.join(ids)}: {requirement}",
                courses=tuple(ids),
                text=requirement,
            )
        )
    estimated = [e for e in entries if e.course.estimated and e.status != "completed"]
    if estimated:
        figures = "; ".join(f"{e.id} ({', '.join(e.course.estimated)})" for e in estimated)
        warnings.append(
            PlanWarning(
                kind=WarningKind.ESTIMATED,
                message=f"estimated figures used: {figures}",
                courses=tuple(e.id for e in estimated),
            )
        )
    warnings.extend(_pace_warnings(entries, request))
    return warnings


def _pace_warnings(entries: list[CourseEntry], request: PlanRequest) -> list[PlanWarning]:
    """Which workloads follow the learner's own pace, and why others do not: a pace is
    calibrated at one institution and applies to its courses only."""
    institutions = dict.fromkeys(e.program.institution for e in entries if e.status != "completed")
    scaled = {
        i: request.institution_scales[i] for i in institutions if i in request.institution_scales
    }
    warnings = [
        PlanWarning(
            kind=WarningKind.OWN_PACE,
            message=f"workloads scaled by your own pace: x{scale:.2f} of the published hours "
            f"for {institution} courses (from the hours you recorded on its courses)",
            institutions=(institution,),
        )
        for institution, scale in scaled.items()
    ]
    if request.workload_scale != 1.0:
        warnings.append(
            PlanWarning(
                kind=WarningKind.OWN_PACE,
                message=f"workloads scaled by your own pace: x{request.workload_scale:.2f} "
                "of the published hours",
            )
        )
    elif request.institution_scales:
        others = [i for i in institutions if i not in scaled]
        if others:
            warnings.append(
                PlanWarning(
                    kind=WarningKind.PUBLISHED_HOURS,
                    message=f"published hours for {', '.join(others)} courses: you recorded no "
                    "hours on a course of theirs, and a pace from another institution's courses "
                    "would not be comparable",
                    institutions=tuple(others),
                )
            )
    return warnings
