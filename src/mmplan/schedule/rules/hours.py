"""The hours budget: on every day the weekly allocations of the courses in progress add up to
at most the learner's hours (a course paused by a break still holds its allocation).

- Check: `check`, the pace's range (`core/limits.py`); a fixed course whose rate alone is above the
  pace runs alone, warned (`BentRule.OVER_PACE`): the one exception. Fixed runs never collide
  (a course whose every listed run would is planned after the last: `rules.sessions`).
- List schedule: `Profile`, the load committed day by day (`first_conflict`, `min_free`),
  against which `simulation` places every course; `fixed_load`, what a fixed course
  holds of the learner's hours (the list schedule, the bound and the exact model all ask it).
- Lower bound: all the work fits in the learner's hours on study days (`bounds._study_bound`,
  and around each course: `bounds._around_each_course`).
- Exact model: `constrain` (a cumulative of the allocations) and `fits_before_finish`.
- Verify: `verify._Verifier.budget_and_slots`.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, NamedTuple

from mmplan.core.errors import UsageError
from mmplan.core.limits import pace_problem
from mmplan.schedule.model import PlanRequest

if TYPE_CHECKING:
    import mmplan.schedule.cpsat as cpsat

# The profile drops breakpoints that lie in the past only once more than this many have piled
# up: deleting from the front of a list copies the rest, so it is done in batches.
PROFILE_TRIM_AT = 32


def check(request: PlanRequest) -> None:
    """The pace must lie in every command's range."""
    problem = pace_problem(request.hours_per_week)
    if problem is not None:
        raise UsageError(problem)


def fixed_load(rate: int, capacity: int) -> int:
    """What a fixed course of weekly `rate` holds of the learner's `capacity`: its rate, or
    the whole pace when its rate alone is above it (it runs at its own rate all the same,
    and the plan says so: `BentRule.OVER_PACE`)."""
    return min(rate, capacity)


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


@dataclass
class Load:
    """What the courses put on the learner's hours, in the exact model: intervals with their
    weekly allocations, and each course's work (hundredth-hour study days, at least)."""

    intervals: list[cpsat.IntervalVar] = field(default_factory=list)
    demands: list[cpsat.LinearExprT] = field(default_factory=list)
    energy: dict[int, cpsat.LinearExprT] = field(default_factory=dict)


def constrain(model: cpsat.CpModel, load: Load, capacity: int) -> None:
    """On every study day the allocations add up to at most `capacity`."""
    model.add_cumulative(load.intervals, load.demands, capacity)


def fits_before_finish(
    model: cpsat.CpModel, load: Load, capacity: int, finish: cpsat.IntVar
) -> None:
    """Redundant, for the search's bound: all the work fits in the hours before the finish."""
    model.add(capacity * (finish + 1) >= sum(load.energy.values()))
