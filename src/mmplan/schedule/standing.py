"""Where the learner stands in a plan: each program's credential, the courses under way
that need more than their rate to end with their session, and the waits for sessions with
nothing else to study."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta

from mmplan.catalog.model import Program
from mmplan.schedule.contents import CourseEntry
from mmplan.schedule.model import PlanRequest, PlanWarning, ProgramCredential, WarningKind
from mmplan.schedule.problem import CENTI, Job, Problem, Schedule


def credentials(
    programs: Sequence[Program],
    entries: Sequence[CourseEntry],
    todo: Sequence[CourseEntry],
    schedule: Schedule,
    start: date,
    missing: tuple[str, ...],
) -> tuple[ProgramCredential, ...]:
    """Each planned program's credential: the day its own last course ends, or what blocks it.
    `todo` is index-aligned with the schedule's jobs."""
    index = {e.id: j for j, e in enumerate(todo)}
    found = []
    for program in programs:
        own = [e.id for e in entries if program.id in e.counts_for]
        ends = [schedule.end[index[cid]] for cid in own if cid in index]
        blocked = tuple(cid for cid in own if cid in missing)
        earned = start + timedelta(days=max(ends)) if ends and not blocked else None
        found.append(ProgramCredential(program=program.id, earned_on=earned, missing=blocked))
    return tuple(found)


def behind_pace(
    entry: CourseEntry, job: Job, left: float, request: PlanRequest
) -> PlanWarning | None:
    """A fixed course under way whose hours left need more than its own rate to be done by
    its session's end: the learner is behind (or recorded no progress)."""
    if job.fixed is None or entry.progress is None:
        return None
    scale = request.institution_scales.get(entry.program.institution, request.workload_scale)
    own = entry.course.hours_per_week.at(request.effort) * scale
    need = job.rate / CENTI
    if need <= own + 0.005:
        return None
    end = request.start + timedelta(days=job.fixed[1])
    return PlanWarning(
        kind=WarningKind.BEHIND_PACE,
        message=f"behind pace: {entry.id} has {round(left, 1):g} h left "
        f"({entry.progress.percent_done:g}% done) and {job.fixed[1] + 1} days until its "
        f"session ends on {end}: {need:g} h/week, "
        f"where the course expects {own:g} (record your progress with --percent, or take it "
        "again in a later session)",
        courses=(entry.id,),
        hours_per_week=need,
        budget_hours_per_week=own,
        end=end,
        days=job.fixed[1] + 1,
    )


def idle_waits(problem: Problem, schedule: Schedule) -> dict[int, tuple[int, int]]:
    """Each job that waits for a listed session with study days on which no course is in
    progress (a wait the learner spends studying is none): the first day of the last such
    stretch before its start (where the chart draws the wait), and how many days in all."""
    merged: list[list[int]] = []
    for first, last in sorted(
        piece[:2]
        for k, start in enumerate(schedule.start)
        if start >= 0
        for piece in schedule.pieces(k)
    ):
        if merged and first <= merged[-1][1] + 1:
            merged[-1][1] = max(merged[-1][1], last)
        else:
            merged.append([first, last])
    waits: dict[int, tuple[int, int]] = {}
    for j, job in enumerate(problem.jobs):
        ready = problem.calendar.study_day(schedule.ready[j])
        if job.self_paced or not job.runs or job.started or schedule.start[j] <= ready:
            continue
        gaps, day = [], ready  # the stretches before its start with nothing in progress
        for first, last in merged:
            if first >= schedule.start[j]:
                break
            if first > day:
                gaps.append((day, first - 1))
            day = max(day, last + 1)
        if day < schedule.start[j]:
            gaps.append((day, schedule.start[j] - 1))
        days = sum(problem.calendar.study_days_between(a, b) for a, b in gaps)
        if days:
            waits[j] = (gaps[-1][0], days)
    return waits
