"""Time for the planner: the study calendar (days outside breaks) and the capacity profile.

Days are whole-day offsets from the plan's start; load is in hundredths of an hour a week.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable
from typing import NamedTuple

# The profile drops breakpoints that lie in the past only once more than this many have piled
# up: deleting from the front of a list copies the rest, so it is done in batches.
PROFILE_TRIM_AT = 32


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


class Conflict(NamedTuple):
    """The first day a commitment does not fit: the capacity free there, and whether every
    course slot is taken there."""

    day: int
    free: int
    slots_full: bool


class Profile:
    """Committed load and course count over time, as a step function with breakpoints."""

    __slots__ = ("count", "load", "times")

    def __init__(self) -> None:
        self.times = [0]
        self.load = [0]
        self.count = [0]

    def copy(self) -> Profile:
        """An independent copy, to try commitments on without making them."""
        twin = Profile()
        twin.times, twin.load, twin.count = self.times[:], self.load[:], self.count[:]
        return twin

    def _breakpoint(self, day: int) -> int:
        i = bisect_right(self.times, day) - 1
        if self.times[i] == day:
            return i
        self.times.insert(i + 1, day)
        self.load.insert(i + 1, self.load[i])
        self.count.insert(i + 1, self.count[i])
        return i + 1

    def add(self, first: int, last: int, load: int) -> None:
        """Commit `load` and one course slot on every day of [first, last]."""
        lo = self._breakpoint(first)
        hi = self._breakpoint(last + 1)
        for i in range(lo, hi):
            self.load[i] += load
            self.count[i] += 1

    def remove(self, first: int, last: int, load: int) -> None:
        """Take back a commitment of `load` and one course slot on [first, last].

        The breakpoints it leaves without a change go too, so a profile whose commitments
        come and go does not grow; `next_change` then skips those days (no caller needs them).
        """
        times, loads, counts = self.times, self.load, self.count
        lo = self._breakpoint(first)
        hi = self._breakpoint(last + 1)
        for i in range(lo, hi):
            loads[i] -= load
            counts[i] -= 1
        for i in (hi, lo):  # the later first, so that `lo` still points at its day
            if i > 0 and loads[i] == loads[i - 1] and counts[i] == counts[i - 1]:
                del times[i], loads[i], counts[i]

    def at(self, day: int) -> tuple[int, int]:
        """(committed load, courses in progress) on `day`."""
        i = bisect_right(self.times, day) - 1
        return self.load[i], self.count[i]

    def first_conflict(
        self, first: int, last: int, need: int, capacity: int, slots: int
    ) -> Conflict | None:
        """The first day in [first, last] where `need` more load or one more course does not fit."""
        times, load, count = self.times, self.load, self.count
        i = bisect_right(times, first) - 1
        while i < len(times) and times[i] <= last:
            if load[i] + need > capacity or count[i] >= slots:
                return Conflict(max(times[i], first), capacity - load[i], count[i] >= slots)
            i += 1
        return None

    def next_change(self, day: int) -> int:
        """The first breakpoint after `day`."""
        i = bisect_right(self.times, day)
        return self.times[i] if i < len(self.times) else day + 1

    def min_free(self, first: int, last: int, capacity: int) -> int:
        """The least capacity left free on any day of [first, last]."""
        i = bisect_right(self.times, first) - 1
        free = capacity
        while i < len(self.times) and self.times[i] <= last:
            free = min(free, capacity - self.load[i])
            i += 1
        return free

    def forget_before(self, day: int) -> None:
        """Drop breakpoints wholly before `day` (nothing is placed there any more)."""
        i = bisect_right(self.times, day) - 1
        if i > PROFILE_TRIM_AT:
            del self.times[:i], self.load[:i], self.count[:i]
