"""What a break costs: a break that pushes a fixed course out of its session costs more than
its own days; say which session, how much later the plan ends, and where a break of the
same length would cost nothing."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date, timedelta

from mmplan.schedule.model import PlanRequest, PlanWarning, WarningKind
from mmplan.schedule.problem import Problem, Schedule, capacity_of
from mmplan.schedule.rules.breaks import Calendar
from mmplan.schedule.simulation import PlanTooLongError, best_schedule

_SHOWN = 2  # idle stretches named, the nearest to the break first


def break_warnings(problem: Problem, schedule: Schedule, request: PlanRequest) -> list[PlanWarning]:
    """One warning per break that costs more days than it lasts: `schedule`, the plan's, against
    the list schedule without that break (no later than the best plan without it, so the cost
    said is never more than the real one)."""
    start, capacity = request.start, capacity_of(request.hours_per_week)
    spans = [
        ((b.start - start).days, (b.end - start).days, b) for b in request.breaks if b.end >= start
    ]
    if not spans or not any(not job.self_paced for job in problem.jobs):
        return []  # only sessions make a break cost more than its days
    warnings = []
    for first, last, pause in spans:
        first = max(first, 0)
        others = [(max(a, 0), b) for a, b, other in spans if other is not pause]
        try:
            without = best_schedule(replace(problem, calendar=Calendar(others)), capacity)
        except PlanTooLongError:
            continue
        length = last - first + 1
        cost = schedule.finish - without.finish
        if cost <= length:
            continue
        hit = [
            j
            for j, job in enumerate(problem.jobs)
            if not job.self_paced and without.start[j] <= last and without.end[j] >= first
        ]

        def day(offset: int) -> date:
            return start + timedelta(days=offset)

        sessions = ", ".join(
            f"{_short(problem.jobs[j].id, request)}'s session {day(without.start[j])} to "
            f"{day(without.end[j])}"
            for j in hit
        )
        message = (
            f"the break {pause.start} to {pause.end} ({length} days) moves the finish "
            f"{cost} days later, to {day(schedule.finish)}"
        )
        if sessions:
            message += f": it overlaps {sessions}, taken later instead"
        message += _free_text(without, first, length, day)
        warnings.append(
            PlanWarning(
                kind=WarningKind.BREAK_COST,
                message=message,
                courses=tuple(problem.jobs[j].id for j in hit),
                start=pause.start,
                end=pause.end,
                days=cost,
            )
        )
    return warnings


def _short(course_id: str, request: PlanRequest) -> str:
    one = f"{request.program_ids[0]}/" if len(request.program_ids) == 1 else "/"
    return course_id.removeprefix(one)


def _free_text(schedule: Schedule, near: int, length: int, day: Callable[[int], date]) -> str:
    """Where a break as long costs nothing: the plan's idle stretches (no course in
    progress) long enough, the nearest to `near` first; else the longest one."""
    idle = _idle(schedule)
    if not idle:
        return "; the plan has no idle days where a break would cost nothing"
    fitting = sorted((s for s in idle if s[1] - s[0] + 1 >= length), key=lambda s: abs(s[0] - near))
    if fitting:
        shown = " or ".join(f"{day(a)} to {day(b)}" for a, b in fitting[:_SHOWN])
        return f"; a break costs nothing {shown}, when nothing is planned"
    a, b = max(idle, key=lambda s: s[1] - s[0])
    return (
        f"; the longest stretch with nothing planned, where a break costs nothing, is "
        f"{day(a)} to {day(b)} ({b - a + 1} days)"
    )


def _idle(schedule: Schedule) -> list[tuple[int, int]]:
    """The stretches of days before the finish with no course in progress, by start."""
    spans = sorted(
        (first, last)
        for j, start in enumerate(schedule.start)
        if start >= 0
        for first, last, _ in schedule.pieces(j)
    )
    idle: list[tuple[int, int]] = []
    covered = -1  # the last day some course is in progress so far
    for first, last in spans:
        if first > covered + 1:
            idle.append((covered + 1, first - 1))
        covered = max(covered, last)
    return idle
