"""Weekly rates that read well: self-paced allocations rounded up to quarter hours.

The exact pass gives each self-paced course the least allocation that does its work in its
days, in hundredths of an hour (say 7.98 h/week). Rounding that up to a quarter hour keeps the
course's days and only adds hours it may use, so it is done wherever the load of the courses
in progress stays within the learner's hours on every day of the course's span.
"""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import replace
from itertools import accumulate

from mmplan.schedule.problem import QUARTER, Problem, Schedule


def quarter_hour_rates(problem: Problem, schedule: Schedule, capacity: int) -> Schedule:
    """The schedule with each self-paced allocation (each segment's, for a course that pauses)
    rounded up to the next quarter hour where the load on every day of its stretch stays
    within `capacity`; elsewhere the exact figure stays. Stretches are taken by first day,
    then job index; dates, and so the finish, never change."""
    pieces = {j: list(schedule.pieces(j)) for j, first in enumerate(schedule.start) if first >= 0}
    if all(
        share % QUARTER == 0
        for j, spans in pieces.items()
        if problem.jobs[j].self_paced
        for _, _, share in spans
    ):
        return schedule  # the list schedule's shares mostly are: nothing to round
    days = sorted(
        {day for spans in pieces.values() for f, last, _ in spans for day in (f, last + 1)}
    )
    change = [0] * (len(days) + 1)  # by how much the load changes on days[i]
    for spans in pieces.values():
        for first, last, share in spans:
            change[bisect_left(days, first)] += share
            change[bisect_left(days, last + 1)] -= share
    load = list(accumulate(change[:-1]))  # load from days[i] to days[i + 1] - 1
    stretches = sorted(
        (first, j, k)
        for j, spans in pieces.items()
        if problem.jobs[j].self_paced
        for k, (first, _, _) in enumerate(spans)
    )
    for first, j, k in stretches:
        _, last, exact = pieces[j][k]
        extra = -exact % QUARTER
        covered = range(bisect_left(days, first), bisect_left(days, last + 1))
        if extra == 0 or any(load[i] + extra > capacity for i in covered):
            continue
        for i in covered:
            load[i] += extra
        pieces[j][k] = (first, last, exact + extra)
    if all(pieces[j] == list(schedule.pieces(j)) for j in pieces):
        return schedule
    rates = list(schedule.alloc)
    for j, spans in pieces.items():
        rates[j] = max(share for _, _, share in spans)  # a paused course's larger share
    segments = {j: tuple(pieces[j]) for j in schedule.segments}
    return replace(schedule, alloc=rates, segments=segments)
