"""The planner: the request's courses -> jobs -> the best schedule -> a dated `Plan`."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, timedelta

from mmplan.catalog.figures import course_hours, hours_are_estimated, published_price_as_of
from mmplan.catalog.index import CatalogIndex
from mmplan.catalog.model import (
    Catalog,
    Program,
)
from mmplan.catalog.money import price_total
from mmplan.core.limits import pace_problem
from mmplan.schedule.bounds import critical_chain
from mmplan.schedule.breaks import break_warnings
from mmplan.schedule.contents import CourseEntry, check_request, course_warnings, plan_contents
from mmplan.schedule.model import (
    FULL_TIME_HOURS_PER_WEEK,
    WHAT_IF_STEPS,
    CostSummary,
    Eligibility,
    LowerBound,
    Plan,
    PlannedCourse,
    PlanRequest,
    PlanWarning,
    ProgramRef,
    Segment,
    WarningKind,
    WhatIf,
)
from mmplan.schedule.notices import with_notices
from mmplan.schedule.odds import plan_risk, risk_warnings
from mmplan.schedule.peak import peak_load
from mmplan.schedule.problem import (
    CENTI,
    EPSILON,
    BentRule,
    Job,
    Policy,
    Problem,
    Schedule,
    capacity_of,
)
from mmplan.schedule.rules.breaks import Calendar
from mmplan.schedule.rules.sessions import session_days
from mmplan.schedule.search import (
    Best,
    SolverBudget,
    best_plan,
    capped_warning,
    list_schedule,
)
from mmplan.schedule.simulation import PlanTooLongError
from mmplan.schedule.standing import behind_pace, credentials, idle_waits
from mmplan.selection import ProgramChoices

_WHAT_IF_SLACK = 1  # days: a what-if pace whose list schedule is this close is not searched
_WHAT_IF_SHARE = 0.1  # of the command's deterministic budget, at most, for all the what-ifs


@dataclass(frozen=True)
class _Prepared:
    """A request's courses, ready to schedule at any pace."""

    programs: list[Program]
    entries: list[CourseEntry]  # every course of the plan, completed ones too, in plan order
    warnings: list[PlanWarning]  # what selecting the courses has to tell the learner
    problem: Problem
    todo: list[CourseEntry]  # the entries still to do, index-aligned with the problem's jobs
    hours: list[float]  # the hours left of each, index-aligned too
    catalog: Catalog  # for the rules a finished plan follows (`mmplan.schedule.notices`)


def _prepare(
    catalog: Catalog | CatalogIndex,
    request: PlanRequest,
    chosen: ProgramChoices | None = None,
    *,
    checked: bool = False,
) -> _Prepared:
    """Select the request's courses and build the jobs still to do.

    `catalog`: the command's `CatalogIndex` (else one is built); `chosen`: the request's
    programs and choices as the command resolved them (else they are read from the request);
    `checked`: the caller ran `check_request` already.
    """
    if not checked:
        check_request(request)
    index = CatalogIndex.of(catalog)
    programs, entries, warnings = plan_contents(index, request, chosen)
    problem, todo, hours = _build_problem(entries, request)
    return _Prepared(programs, entries, warnings, problem, todo, hours, index.catalog)


def _session_over(entry: CourseEntry, request: PlanRequest) -> date | None:
    """The last day of the session the learner started, when it ended before the plan starts."""
    if entry.progress is None or not entry.course.fixed_schedule:
        return None
    days = max(1, math.ceil(entry.course.weeks * 7 - EPSILON))
    last = entry.progress.started + timedelta(days=days - 1)
    return last if last < request.start else None


def _build_problem(
    entries: list[CourseEntry], request: PlanRequest
) -> tuple[Problem, list[CourseEntry], list[float]]:
    """Working jobs for the courses still to do; also their entries and hours, index-aligned.

    A fixed-schedule course under way keeps its session and has the rest of its span left;
    one whose session ended before the plan starts is taken again, whole, in a later session.
    """
    start = request.start
    offsets = [
        ((b.start - start).days, (b.end - start).days) for b in request.breaks if b.end >= start
    ]
    calendar = Calendar((max(first, 0), last) for first, last in offsets)
    todo = [e for e in entries if e.status != "completed"]
    index = {e.id: i for i, e in enumerate(todo)}
    needs: list[tuple[int, ...]] = []
    for entry in todo:
        if entry.progress is not None:  # already started: its prerequisites no longer matter
            needs.append(())
            continue
        first = (*entry.prerequisites, *entry.followed, *entry.after)  # what ends before it
        needs.append(tuple(sorted({index[p] for p in first if p in index})))
    dependants: list[list[int]] = [[] for _ in todo]
    for j, prerequisites in enumerate(needs):
        for p in prerequisites:
            dependants[p].append(j)
    jobs: list[Job] = []
    hours: list[float] = []
    for j, entry in enumerate(todo):
        course = entry.course
        rate = entry.rate(request)
        workload = course.weeks * rate
        underway = None if _session_over(entry, request) else entry.progress
        self_paced = not course.fixed_schedule
        days = max(1, math.ceil(course.weeks * 7 - EPSILON))
        fixed = None
        left = workload * (1 - underway.percent_done / 100) if underway else workload
        if underway and not self_paced:  # what is left, by the end of its session
            fixed = (0, (underway.started - start).days + days - 1)
            # Above its own rate when the learner is behind, to the tenth of an hour.
            rate = math.ceil(70 * left / (fixed[1] + 1) - EPSILON) / 10
        jobs.append(
            Job(
                id=entry.id,
                self_paced=self_paced,
                work=7 * left * CENTI,
                rate=max(1, round(rate * CENTI)),
                days=days,
                runs=session_days(course, start, days),
                has_dates=bool(course.runs or course.session_starts),
                prerequisites=needs[j],
                dependants=tuple(dependants[j]),
                fixed=fixed,
                started=underway is not None,
            )
        )
        hours.append(left)
    last_day = (date.max - start).days
    return Problem(jobs, calendar, request.max_parallel, last_day), todo, hours


def _day(start: date, offset: int) -> date:
    return start + timedelta(days=offset)


def _weeks(start: date, finish: date | None) -> float:
    return round(((finish - start).days + 1) / 7, 1) if finish else 0.0


def _program_refs(prepared: _Prepared) -> tuple[ProgramRef, ...]:
    """The plan's programs, each with its published price and that price's own date."""
    return tuple(
        ProgramRef(
            id=p.id,
            title=p.title,
            institution=p.institution,
            platform=p.platform,
            published_price_usd=p.price_usd,
            prices_as_of=str(p.as_of) if p.as_of else None,
            published_price_as_of=(
                published_price_as_of(p, prepared.catalog.as_of)
                if p.price_usd is not None
                else None
            ),
        )
        for p in prepared.programs
    )


def plan_programs(
    catalog: Catalog | CatalogIndex,
    request: PlanRequest,
    *,
    what_ifs: bool = True,
    chosen: ProgramChoices | None = None,
) -> Plan:
    """Plan the request's programs: dated courses, totals, bound, eligibility and (unless
    `what_ifs` is False, for a caller that does not show them) the finish at other paces.
    `catalog` and `chosen`: as for `_prepare` (the API resolves them once per command)."""
    budget = SolverBudget(request.solver_seconds, len(request.program_ids))
    return _assemble(request, _prepare(catalog, request, chosen), budget, what_ifs=what_ifs)


def _segments(start: date, schedule: Schedule, j: int) -> tuple[Segment, ...]:
    """Course `j`'s stretches at one allocation: two when it pauses, else its whole span."""
    return tuple(
        Segment(start=_day(start, first), end=_day(start, last), hours_per_week=alloc / CENTI)
        for first, last, alloc in schedule.pieces(j)
    )


def _planned_courses(
    request: PlanRequest, prepared: _Prepared, best: Best, on_chain: set[str]
) -> list[PlannedCourse]:
    """Every course of the plan with its dates: completed first, then by start."""
    start, problem, schedule = request.start, prepared.problem, best.schedule
    index = {e.id: j for j, e in enumerate(prepared.todo)}
    waits = idle_waits(problem, schedule)
    courses: list[PlannedCourse] = []
    for entry in prepared.entries:
        course = entry.course
        j = index.get(entry.id)
        idle = None if j is None else waits.get(j)
        retaken = j is not None and not problem.jobs[j].started and entry.status == "in_progress"
        courses.append(
            PlannedCourse(
                id=entry.id,
                program=entry.program.id,
                code=course.code,
                title=course.title,
                kind=course.kind,
                pacing=course.pacing,
                status="planned" if retaken else entry.status,
                started_on=entry.progress.started if entry.progress and not retaken else None,
                start=None if j is None else _day(start, schedule.start[j]),
                end=None if j is None else _day(start, schedule.end[j]),
                hours=round(
                    prepared.hours[j] if j is not None else course_hours(course, request.effort),
                    2,
                ),
                hours_per_week=None if j is None else schedule.alloc[j] / CENTI,
                price_usd=course.price_usd,
                prerequisites=entry.prerequisites,
                reason=entry.reason,
                recommended=entry.recommended,
                critical=entry.id in on_chain,
                ready=_day(start, schedule.ready[j]) if idle and j is not None else None,
                idle_from=_day(start, idle[0]) if idle else None,
                estimated=course.estimated,
                segments=() if j is None else _segments(start, schedule, j),
            )
        )
    # Completed first, then by start: a prerequisite order a learner can read down.
    order = {e.id: i for i, e in enumerate(prepared.entries)}
    courses.sort(key=lambda c: (c.start is not None, c.start or start, c.end or start, order[c.id]))
    return courses


def _assemble(
    request: PlanRequest,
    prepared: _Prepared,
    budget: SolverBudget,
    *,
    extra_warnings: list[PlanWarning] | None = None,
    what_ifs: bool = True,
) -> Plan:
    """The plan at the request's pace: the best schedule, dated, with everything around it
    (the what-if paces only when `what_ifs`)."""
    start, problem, entries = request.start, prepared.problem, prepared.entries
    capacity = capacity_of(request.hours_per_week)
    best = best_plan(problem, capacity, budget)
    schedule, bound = best.schedule, best.bound
    chain = critical_chain(problem, schedule)
    on_chain = {problem.jobs[j].id for j in chain}
    finish = _day(start, schedule.finish) if schedule.finish >= 0 else None

    due = price_total((e.id, e.course) for e in entries if e.status != "completed")
    paid = price_total((e.id, e.course) for e in entries if e.status == "completed")
    notes = [
        *_budget_warnings(problem, schedule, start, request.hours_per_week),
        *_session_warnings(prepared, schedule, request),
        *_schedule_warnings(problem, schedule, start, request.hours_per_week),
        *break_warnings(problem, schedule, request),
        *risk_warnings(request, problem),
    ]
    peak = peak_load(schedule)
    missing = tuple(
        problem.jobs[n.job].id
        for n in schedule.notes
        if n.kind in (BentRule.NO_RUN, BentRule.COLLISION)
    )
    what_if = _what_ifs(problem, request, schedule.policy, budget) if what_ifs else ()
    all_warnings = (
        *prepared.warnings,
        *(extra_warnings or ()),
        *course_warnings(entries, request),
        *notes,
        *capped_warning(budget),
    )

    plan = Plan(
        programs=_program_refs(prepared),
        hours_per_week=request.hours_per_week,
        effort=request.effort,
        max_parallel=request.max_parallel,
        start=start,
        finish=finish,
        weeks=_weeks(start, finish),
        total_hours=round(sum(prepared.hours), 2),
        courses=tuple(_planned_courses(request, prepared, best, on_chain)),
        cost_usd=CostSummary(
            due=due.known,
            paid=paid.known,
            unknown=(*paid.unknown, *due.unknown),
            estimated=any(
                e.course.price_usd is not None and e.course.is_estimated("price_usd")
                for e in entries
                if e.status != "completed"
            ),
        ),
        hours_estimated=any(
            hours_are_estimated(e.course) for e in entries if e.status != "completed"
        ),
        lower_bound=LowerBound(
            finish=_day(start, bound) if bound >= 0 else None,
            gap_days=max(schedule.finish - bound, 0),
            optimal=schedule.finish <= bound,
        ),
        solver=best.solver,
        eligibility=Eligibility(
            earned_on=None if missing else finish,
            missing=missing,
            programs=credentials(
                prepared.programs, prepared.entries, prepared.todo, schedule, request.start, missing
            ),
        ),
        warnings=tuple(dict.fromkeys(all_warnings)),
        critical_chain=tuple(problem.jobs[j].id for j in chain),
        what_if=what_if,
        breaks=request.breaks,
        workload_scale=request.workload_scale,
        institution_scales=request.institution_scales,
        peak_hours_per_week=peak.load / CENTI,
        peak_start=_day(start, peak.first) if peak.first >= 0 else None,
        peak_end=_day(start, peak.last) if peak.first >= 0 else None,
        peak_courses=tuple(problem.jobs[j].id for j in peak.jobs),
        within_budget=peak.load <= capacity,
        risk=plan_risk(request, prepared.todo, problem, schedule),
    )
    return with_notices(prepared.catalog, prepared.programs, request, plan)


def _budget_warnings(
    problem: Problem, schedule: Schedule, start: date, hours_per_week: float
) -> list[PlanWarning]:
    """When the plan needs more than the learner's hours: the peak, when, and its courses."""
    peak = peak_load(schedule)
    if peak.load <= capacity_of(hours_per_week):
        return []
    ids = tuple(problem.jobs[j].id for j in peak.jobs)
    first, last = _day(start, peak.first), _day(start, peak.last)
    return [
        PlanWarning(
            kind=WarningKind.OVER_BUDGET,
            message=f"over budget: the plan needs {peak.load / CENTI:g} h/week from {first} to "
            f"{last} ({', '.join(ids)}), more than your {hours_per_week:g} h/week",
            courses=ids,
            hours_per_week=peak.load / CENTI,
            budget_hours_per_week=hours_per_week,
            start=first,
            end=last,
        )
    ]


def _session_warnings(
    prepared: _Prepared, schedule: Schedule, request: PlanRequest
) -> list[PlanWarning]:
    """Courses taken again because their session ended, waits for sessions, unknown dates."""
    start, problem = request.start, prepared.problem
    waits = idle_waits(problem, schedule)
    warnings: list[PlanWarning] = []
    for j, entry in enumerate(prepared.todo):
        behind = behind_pace(entry, problem.jobs[j], prepared.hours[j], request)
        if behind is not None:
            warnings.append(behind)
        ended = _session_over(entry, request)
        if ended is not None:
            again = _day(start, schedule.start[j])
            warnings.append(
                PlanWarning(
                    kind=WarningKind.SESSION_ENDED,
                    message=f"{entry.id}: the session you started ended on {ended}; planned "
                    f"again in a later session, from {again}",
                    courses=(entry.id,),
                    start=again,
                    end=ended,
                )
            )
    for j, job in enumerate(problem.jobs):
        if j in waits:
            ready, first = _day(start, schedule.ready[j]), _day(start, schedule.start[j])
            days = waits[j][1]
            warnings.append(
                PlanWarning(
                    kind=WarningKind.SESSION_WAIT,
                    message=f"{job.id} is ready on {ready} and waits for its session starting "
                    f"{first}, with nothing else to study on {days} of those days",
                    courses=(job.id,),
                    start=first,
                    ready=ready,
                    days=days,
                )
            )
    unknown = [
        job.id
        for job in problem.jobs
        if not job.self_paced and not job.has_dates and not job.started
    ]
    if unknown:
        warnings.append(
            PlanWarning(
                kind=WarningKind.UNKNOWN_SESSIONS,
                message=f"session dates unknown for {', '.join(unknown)}: each is planned to "
                "start when it is ready (check edX for the real sessions)",
                courses=tuple(unknown),
            )
        )
    return warnings


def _what_ifs(
    problem: Problem, request: PlanRequest, policy: Policy, budget: SolverBudget
) -> tuple[WhatIf, ...]:
    """Finish dates at a few other paces, under the policy that won at the asked pace.

    A pace whose list schedule is within a day of its bound is not searched; the others
    share what is left of `budget`, at most `_WHAT_IF_SHARE` of the command's, in order of pace,
    each taking an equal part of what is left then. Only their finish and chain are shown,
    so the search does not tidy their plans."""
    if not problem.jobs:
        return ()
    paces = [
        request.hours_per_week + step
        for step in WHAT_IF_STEPS
        if pace_problem(request.hours_per_week + step) is None  # within every command's range
    ]
    listed: dict[float, tuple[Schedule, int]] = {}
    for pace in paces:
        try:
            listed[pace] = list_schedule(problem, capacity_of(pace), [policy], budget)
        except PlanTooLongError:
            continue  # no plan at that pace: nothing to compare
    searching = [
        pace
        for pace, (schedule, bound) in listed.items()
        if schedule.finish > bound + _WHAT_IF_SLACK
    ]
    # The what-ifs are the command's last searches: what they leave is never used.
    budget.left = min(budget.left, _WHAT_IF_SHARE * budget.whole)
    rows: list[WhatIf] = []
    for pace in listed:
        among = len(searching) - searching.index(pace) if pace in searching else 1
        capacity = capacity_of(pace)
        best = best_plan(
            problem, capacity, budget, [policy], among=among, slack=_WHAT_IF_SLACK, tidy=False
        )
        schedule = best.schedule
        if peak_load(schedule, capped=capacity).load > capacity:
            continue  # needs more than that pace, and not only for a course above it
        finish = _day(request.start, schedule.finish) if schedule.finish >= 0 else None
        chain = critical_chain(problem, schedule)
        rows.append(
            WhatIf(
                hours_per_week=pace,
                finish=finish,
                weeks=_weeks(request.start, finish),
                critical_chain=tuple(problem.jobs[j].id for j in chain),
                peak_hours_per_week=peak_load(schedule).load / CENTI,
            )
        )
    return tuple(rows)


def _schedule_warnings(
    problem: Problem, schedule: Schedule, start: date, hours_per_week: float
) -> list[PlanWarning]:
    """What the learner must know about the schedule: overloads and run fallbacks."""
    warnings: list[PlanWarning] = []
    if hours_per_week > FULL_TIME_HOURS_PER_WEEK:
        warnings.append(
            PlanWarning(
                kind=WarningKind.FULL_TIME,
                message=f"{hours_per_week:g} h/week is more than a full-time job "
                f"(about {hours_per_week / 7:.0f} h every day): is that pace realistic for you?",
                hours_per_week=hours_per_week,
            )
        )
    for kind, j in schedule.notes:
        job = problem.jobs[j]
        first, last = _day(start, schedule.start[j]), _day(start, schedule.end[j])
        if kind is BentRule.OVER_PACE:
            rate = job.rate / CENTI
            message = (
                f"overload: {job.id} runs at {rate:g} h/week, more than your "
                f"{hours_per_week:g} h/week, from {first} to {last}; it is planned alone"
            )
            warnings.append(
                PlanWarning(
                    kind=WarningKind.OVER_PACE,
                    message=message,
                    courses=(job.id,),
                    hours_per_week=rate,
                    budget_hours_per_week=hours_per_week,
                    start=first,
                    end=last,
                )
            )
        elif kind is BentRule.COLLISION:
            message = (
                f"{job.id} collides with other courses on every listed run (your "
                f"{hours_per_week:g} h/week or the courses you allow at once); planned "
                f"{first}–{last}, as if a new run started after the last listed one "
                "(check edX for new runs)"
            )
            warnings.append(
                PlanWarning(
                    kind=WarningKind.COLLISION,
                    message=message,
                    courses=(job.id,),
                    budget_hours_per_week=hours_per_week,
                    start=first,
                    end=last,
                )
            )
        elif kind is BentRule.RUN_IN_BREAK:
            message = f"{job.id}: every listed run overlaps a break; planned {first}–{last}"
            warnings.append(
                PlanWarning(
                    kind=WarningKind.RUN_IN_BREAK,
                    message=message,
                    courses=(job.id,),
                    start=first,
                    end=last,
                )
            )
        elif kind is BentRule.NO_RUN:
            message = (
                f"{job.id}: no listed run starts on or after {first}; planned as if one did "
                "(check edX for new runs)"
            )
            warnings.append(
                PlanWarning(
                    kind=WarningKind.NO_RUN, message=message, courses=(job.id,), start=first
                )
            )
    return warnings
