"""The heaviest week of a schedule: the load summed over the courses in progress."""

from __future__ import annotations

from dataclasses import dataclass

from mmplan.schedule.problem import BentRule, Schedule


@dataclass(frozen=True)
class PeakLoad:
    """The largest load on any day, the first days it lasts, and the courses causing it."""

    load: int  # centi-hours a week
    first: int  # first day of the first stretch at that load (-1 when nothing is planned)
    last: int  # last day of that stretch
    jobs: tuple[int, ...]  # the jobs in progress then, by index


def peak_load(schedule: Schedule, capped: int | None = None) -> PeakLoad:
    """Sweep the schedule's spans (a course paused by a break still holds its allocation,
    as in the planner's profile) for the first stretch of days with the largest load.

    With `capped`, a fixed course whose rate alone is above the pace (warned, and planned
    alone) counts at `capped`, the pace: the peak is then at most the pace when the plan
    keeps it every week but while such a course runs, which no pace below its rate avoids."""
    over = {n.job for n in schedule.notes if n.kind is BentRule.OVER_PACE} if capped else set()
    changes: dict[int, int] = {}
    for j, start in enumerate(schedule.start):
        if start < 0:
            continue
        for first, last, load in schedule.pieces(j):  # a paused course loads nothing then
            alloc = min(load, capped) if capped is not None and j in over else load
            changes[first] = changes.get(first, 0) + alloc
            changes[last + 1] = changes.get(last + 1, 0) - alloc
    days = sorted(changes)
    best, first, last, load = 0, -1, -1, 0
    for i, day in enumerate(days[:-1]):
        load += changes[day]
        if load > best:
            best, first, last = load, day, days[i + 1] - 1
    jobs = tuple(
        j for j, start in enumerate(schedule.start) if 0 <= start <= first <= schedule.end[j]
    )
    return PeakLoad(best, first, last, jobs)
