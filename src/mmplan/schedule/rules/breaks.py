"""Breaks: no study on the learner's breaks. A self-paced course spanning one pauses (its end
moves later by the break's days); a fixed course runs clear of every break unless each of
its listed runs overlaps one.

- Check: `check`, a break ends on or after its start; a course whose every run
  overlaps a break takes one anyway, warned (`BentRule.RUN_IN_BREAK`).
- List schedule: `Calendar`, the study days (`study_day`, `advance`,
  `overlapping_break_end`), on which `simulation` places every course; and
  `sessions.run_choice` keeps runs clear of breaks.
- Lower bound: work and course-days fill study days only; `may_span_a_break` tells which
  fixed courses can take none of the learner's days during a break (`bounds.lower_bound`).
- Exact model: time is counted in study days (`study_days.StudyDays`), and a fixed course
  starts only where its span stays between breaks (`sessions.fixed_starts`).
- Verify: `verify._Verifier.breaks`.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable
from typing import Protocol

from mmplan.core.errors import UsageError
from mmplan.schedule.model import PlanRequest


class _Job(Protocol):
    """What this rule reads of a `problem.Job` (`problem` imports this module's `Calendar`)."""

    @property
    def fixed(self) -> tuple[int, int] | None: ...
    @property
    def days(self) -> int: ...
    @property
    def runs(self) -> tuple[int, ...]: ...


class _Problem(Protocol):
    """What this rule reads of a `problem.Problem`."""

    @property
    def calendar(self) -> Calendar: ...


def check(request: PlanRequest) -> None:
    """Every break ends on or after the day it starts."""
    for pause in request.breaks:
        if pause.start > pause.end:
            raise UsageError(f"--break {pause.start}:{pause.end} ends before it starts")


def may_span_a_break(problem: _Problem, job: _Job) -> bool:
    """Whether a fixed course can run through a break in a plan: when it is under way, or
    when one of its listed runs overlaps a break (the planner takes such a run only when
    every run it may take does)."""
    if job.fixed is not None:
        return True
    calendar = problem.calendar
    return any(
        calendar.overlapping_break_end(day, day + job.days - 1) is not None for day in job.runs
    )


class Calendar:
    """Study days: every day from the start except the (merged) breaks."""

    def __init__(self, breaks: Iterable[tuple[int, int]]) -> None:
        merged: list[list[int]] = []
        for first, last in sorted(breaks):
            if merged and first <= merged[-1][1] + 1:
                merged[-1][1] = max(merged[-1][1], last)
            else:
                merged.append([first, last])
        self.breaks = [(first, last) for first, last in merged]
        self.firsts = [first for first, _ in self.breaks]

    def study_day(self, day: int) -> int:
        """`day` itself, or the first study day after the break it falls in."""
        i = bisect_right(self.firsts, day) - 1
        if i >= 0 and self.breaks[i][1] >= day:
            return self.breaks[i][1] + 1
        return day

    def advance(self, first: int, study_days: int) -> int:
        """The day of the `study_days`-th study day counting `first` (a study day) as the first."""
        last = first + study_days - 1
        i = bisect_right(self.firsts, first)
        while i < len(self.breaks) and self.breaks[i][0] <= last:
            last += self.breaks[i][1] - self.breaks[i][0] + 1
            i += 1
        return last

    def study_days_between(self, first: int, last: int) -> int:
        """How many study days lie in [first, last]."""
        if last < first:
            return 0
        count = last - first + 1
        i = max(bisect_right(self.firsts, first) - 1, 0)
        while i < len(self.breaks) and self.breaks[i][0] <= last:
            lo, hi = max(self.breaks[i][0], first), min(self.breaks[i][1], last)
            if lo <= hi:
                count -= hi - lo + 1
            i += 1
        return count

    def overlapping_break_end(self, first: int, last: int) -> int | None:
        """The last day of the latest break that overlaps [first, last], if any."""
        i = bisect_right(self.firsts, last) - 1
        if i >= 0 and self.breaks[i][1] >= first:
            return self.breaks[i][1]
        return None
