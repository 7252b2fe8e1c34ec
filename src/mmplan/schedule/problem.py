"""The planner's working form: jobs (courses still to do), policies, priorities and results.

Capacity and load are integers in hundredths of an hour a week (`CENTI`), so sums are exact;
days are whole-day offsets from the plan's start.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from enum import Enum
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:  # the breaks rule's study calendar (importing `rules` here would cycle)
    from mmplan.schedule.rules.breaks import Calendar

CENTI = 100  # capacity is counted in hundredths of an hour a week
QUARTER = 25  # allocations are trimmed to quarter hours
EPSILON = 1e-9
NEVER = 1 << 62  # a day after every real day: "no such event"


class BentRule(Enum):
    """A rule a schedule had to bend, noted per job; the planner words each as a plan
    warning (`WarningKind`)."""

    OVER_PACE = "over_pace"  # an instructor-paced course's rate alone is above the pace
    COLLISION = "collision"  # every listed run collides: planned after the last one
    RUN_IN_BREAK = "run_in_break"  # every listed run overlaps a break
    NO_RUN = "no_run"  # every listed run has begun by the time the course is ready


class ScheduleNote(NamedTuple):
    """That a schedule bent a rule for one job."""

    kind: BentRule
    job: int  # index of the job it is about


class Policy(NamedTuple):
    """How one simulation chooses (see the package doc, step 4)."""

    runs_first: bool  # order by the deadlines of listed runs first
    lanes: int  # how many courses new starts aim to run side by side
    lazy: bool  # place fixed runs only when their day comes
    guarded: bool = False  # lazy: deferred courses hold their runs (see `Simulation._hold`)


class Priority(NamedTuple):
    """A job's place in the ready queue: smaller goes first."""

    run_deadline: float  # latest start that makes the listed runs (or the chain deadline)
    chain_deadline: float  # latest start that keeps the prerequisite-chain bound
    minus_tail: int  # the longer chain of days after the job first
    job: int  # the job's index: then prerequisite and catalog order


@dataclass(frozen=True)
class Job:
    """One course to place, in working form."""

    id: str
    self_paced: bool  # False: a fixed schedule (instructor-paced, or on listed dates)
    work: float  # self-paced: 7 x hours x 100 (centi-hour-days)
    rate: int  # fixed: weekly load in centi-hours
    days: int  # fixed: calendar length
    runs: tuple[int, ...]  # fixed: the days a session starts (offsets), sorted
    has_dates: bool  # fixed: the catalog lists session dates (maybe all before the plan)
    prerequisites: tuple[int, ...]
    dependants: tuple[int, ...]
    fixed: tuple[int, int] | None = None  # in-progress instructor-paced: its running span
    started: bool = False  # in progress: placed first, from day 0


@dataclass
class Problem:
    """What one simulation schedules: the jobs, the calendar and the parallel limit."""

    jobs: list[Job]
    calendar: Calendar
    max_parallel: int
    last_day: int  # the last day a date can have (9999-12-31), as an offset
    earliest_ends: dict[int, list[int]] = field(default_factory=dict)  # memo, by capacity


@dataclass(frozen=True)
class Schedule:
    """One simulation's result: each job's start, end and weekly allocation, by index."""

    start: list[int]
    end: list[int]
    alloc: list[int]
    notes: list[ScheduleNote]  # overloads and run fallbacks
    ready: list[int]  # the day each job's prerequisites allowed it to start
    finish: int  # last day of the plan, -1 when empty
    policy: Policy
    # Courses that pause or change pace (only the exact pass plans that): for each, its
    # segments as (first day, last day, allocation), in order.
    segments: dict[int, tuple[tuple[int, int, int], ...]] = field(default_factory=dict)

    def pieces(self, j: int) -> tuple[tuple[int, int, int], ...]:
        """Job `j`'s stretches at one allocation: its segments, or its whole span."""
        return self.segments.get(j, ((self.start[j], self.end[j], self.alloc[j]),))

    @property
    def collided(self) -> bool:
        """Whether fixed runs had to collide (the plan then breaks a rule, warned)."""
        return any(note.kind is BentRule.COLLISION for note in self.notes)


def capacity_of(hours_per_week: float) -> int:
    """A pace in the planner's unit, hundredths of an hour a week."""
    return round(hours_per_week * CENTI)


def duration(work: float, alloc: int) -> int:
    """Study days that `work` takes at `alloc` a week (at least one)."""
    return max(1, math.ceil(work / alloc - EPSILON))


def trimmed(work: float, days: int, ceiling: int) -> int:
    """The allocation that still finishes `work` in `days`: rounded up to a quarter hour
    (plans read better), never above the `ceiling` the days were computed from."""
    exact = math.ceil(work / days - EPSILON)
    return min(-(-exact // QUARTER) * QUARTER, max(ceiling, exact))


def share(free: int, courses: int) -> int:
    """An equal share of the free capacity, in quarter hours when there is room for that."""
    each = free // courses
    return each - each % QUARTER if each >= QUARTER else each
