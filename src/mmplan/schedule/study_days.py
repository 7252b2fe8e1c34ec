"""Study days for the exact pass: the plan's days with its breaks taken out, and its
solutions counted in them."""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass

from mmplan.schedule.problem import Problem


class StudyDays:
    """Study days <-> calendar days, for one plan's breaks."""

    def __init__(self, problem: Problem) -> None:
        self.calendar = problem.calendar
        self.first = self.calendar.study_day(0)
        # Study-day index at which each stretch between breaks begins (after the first).
        self.resumes = sorted(
            {self.study(last + 1) for _, last in self.calendar.breaks if last >= 0} - {0}
        )

    def study(self, day: int) -> int:
        """The study-day index of calendar `day` (or of the first study day after it)."""
        day = self.calendar.study_day(max(day, 0))
        return self.calendar.study_days_between(self.first, day) - 1

    def calendar_day(self, index: int) -> int:
        return self.calendar.advance(self.first, index + 1)

    def between_breaks(self, first: int, length: int) -> bool:
        """Whether `length` study days from index `first` stay between two breaks."""
        i = bisect_right(self.resumes, first)
        return i >= len(self.resumes) or first + length <= self.resumes[i]


@dataclass(frozen=True)
class Solution:
    """A solution in study days: per course (start, end) and its segments when paused."""

    finish: int
    spans: list[tuple[int, int]]
    segments: dict[int, tuple[tuple[int, int, int], ...]]  # (first, last, allocation)
    loads: list[int]


def without_idle_days(solution: Solution) -> Solution:
    """The same plan with every study day on which nothing is in progress taken out.

    Only for plans without fixed courses: every course then moves earlier by the idle days
    before it, which keeps its order, its load and its prerequisites.
    """
    busy = sorted(solution.spans)
    idle_before: list[tuple[int, int]] = []  # (day, idle days before it)
    idle, reach = 0, -1
    for first, last in busy:
        if first > reach + 1:
            idle += first - reach - 1
        idle_before.append((first, idle))
        reach = max(reach, last)
    shift = dict(idle_before)

    def moved(first: int, day: int) -> int:
        return day - shift[first]

    spans = [(moved(f, f), moved(f, la)) for f, la in solution.spans]
    return Solution(max(la for _, la in spans), spans, {}, solution.loads)
