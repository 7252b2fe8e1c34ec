"""Study days for the exact pass: the plan's days with its breaks taken out."""

from __future__ import annotations

from bisect import bisect_right

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
