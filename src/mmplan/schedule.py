"""The planner: selected courses -> a dated study plan that respects the learner's hours.

Model
-----
Time is counted in whole days from the plan's start; a study day is any day outside the
learner's breaks. Capacity is the learner's `H` hours a week, kept in integer hundredths of
an hour so that sums are exact.

- A self-paced course has a workload of `weeks x rate x workload_scale` hours and gets a
  constant weekly allocation `a` for its whole span, so it lasts `ceil(7 x hours / a)` study
  days. The allocation is then trimmed to `ceil(7 x hours / days)` (to the hundredth), which
  still finishes in those days and leaves the rounding slack to other courses. A self-paced
  course spanning a break pauses: its end moves later by the break's study-free days.
- An instructor-paced course lasts exactly its published weeks (calendar days) at its
  published rate. With `runs` it starts only on a listed run date. A run must not overlap a
  break when any listed run avoids the breaks; otherwise the earliest run is used and a
  warning says so. Without listed runs it may start on any day whose span avoids breaks. When
  every listed run has already begun by the time the course is ready, it is planned as if a
  new run started then, with a warning (and the credential is reported as blocked on it).
- On every day the allocations of the courses in progress add up to at most `H`, and at most
  `max_parallel` courses are in progress (a course paused by a break still holds its place).
  The only exceptions are warned overloads: an instructor-paced course whose rate alone is
  above `H` runs alone, and a course whose every listed run collides with other fixed runs
  takes its first run anyway.

Algorithm: list scheduling by critical path, event driven
---------------------------------------------------------
1. Priorities: a backward pass from the prerequisite-chain bound gives each course its
   *latest start* (the last day it may start without pushing the chain bound out; an
   instructor-paced course must start on a listed run). Earlier latest starts go first; ties:
   the longer chain of days after the course (its *tail*), then prerequisite and catalog order.
   A second priority puts the deadlines of listed runs first (the prerequisites of a course
   that must make its earliest run), for programs with runs.
2. A capacity profile (a sorted step function of committed load and course count) records
   every commitment. Instructor-paced courses are inflexible, so each is committed as soon as
   its last prerequisite's end is known (courses tied to listed runs first): to the earliest
   allowed run (see above) whose whole span fits the remaining capacity and course slots.
3. Self-paced courses enter a ready heap on the day after their last prerequisite ends. At
   every event (a course ends, a course becomes ready) the simulation starts ready courses in
   priority order while slots and capacity are free. A course whose span would collide with a
   later commitment either finishes before it at a higher allocation, runs beside it at what
   it leaves free, or waits for the commitment to pass when that finishes sooner (the only
   case in which the learner may be left idle: self-paced programs never are).
4. The share a new course gets depends on a *lane* count `k`: with `r` courses in progress,
   up to `k - r` new courses split the free capacity equally (in quarter hours). `k = 1` runs
   courses one after another at full pace (best for chains); larger `k` runs several side by
   side, which wastes less of the rounding to whole days when courses are short. The planner
   simulates `k = 1`, `2` and `max_parallel`. With listed runs it also tries each priority,
   and a *lazy* variant that places fixed runs only when their day comes (so a run that
   becomes possible later is not blocked by one reserved early). It keeps the plan that
   keeps every rule (no colliding runs) and finishes first; ties: the first tried. The
   what-if paces reuse the winning policy.

Every step works on heaps and the profile's breakpoints, never day by day, so a plan costs
O(n log n) for n courses (plus the few live commitments the profile holds at a time).

Lower bound and quality
-----------------------
Each plan reports a lower bound on its finish: the largest of (a) the longest prerequisite
chain with each course at its fastest feasible pace and earliest allowed run, (b) the day on
which all the work, at `H` hours every study day, could be done (self-paced work, plus the
load of fixed runs unless the plan had to let runs collide), and (c) the same for course
slots: each course holds a slot for at least its fastest study days, and only
`max_parallel` slots exist. The gap in days between the plan and the bound is reported;
`optimal` means the gap is zero (then no schedule under this model can finish earlier).

`--finish-by` bisects on the lower bound for the smallest pace that could make the date, then
tries each half hour up from there (then bisects) until a plan makes it.
"""

from __future__ import annotations

import heapq
import math
from bisect import bisect_right
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from typing import Annotated, Literal

from pydantic import Field, PlainSerializer

from mmplan.cost import price_total
from mmplan.errors import MmplanError, UnknownIdError, UsageError
from mmplan.graph import (
    build_graph,
    canonical_course_id,
    find_cycle,
    same_course_ids,
    topological_order,
)
from mmplan.lookup import did_you_mean, find_program
from mmplan.models import (
    MAX_HOURS_PER_WEEK,
    Catalog,
    Course,
    Effort,
    EstimatedField,
    Kind,
    Pacing,
    PriceRange,
    Program,
    money_json,
    split_course_id,
)
from mmplan.records import Frozen
from mmplan.selection import select_courses

DEFAULT_HOURS_PER_WEEK = 8.0
DEFAULT_MAX_PARALLEL = 2
FULL_TIME_HOURS_PER_WEEK = 40  # above this a plan says the pace is more than a full-time job
FINISH_BY_STEP = 0.5  # --finish-by searches paces in steps of half an hour a week
_FINISH_BY_SCAN = 24  # paces tried one by one above the lowest the bound allows
WHAT_IF_STEPS = (-2.0, 2.0, 4.0)
_CENTI = 100  # capacity is counted in hundredths of an hour a week
_QUARTER = 25  # allocations are trimmed to quarter hours
_EPSILON = 1e-9


# --------------------------------------------------------------------------- request


class Break(Frozen):
    """A holiday or busy period with no study; both days inclusive."""

    start: date
    end: date


class InProgress(Frozen):
    """A course already started: it continues from the plan's start with what is left."""

    course_id: str
    started: date
    percent_done: Annotated[float, Field(ge=0, le=100)] = 0.0


class PlanRequest(Frozen):
    """Everything the planner needs besides the catalog."""

    program_ids: tuple[str, ...]
    hours_per_week: float = DEFAULT_HOURS_PER_WEEK
    start: date
    effort: Effort = Effort.MID
    max_parallel: int = DEFAULT_MAX_PARALLEL
    tracks: tuple[str, ...] = ()  # track names, each matched against every program's tracks
    picks: tuple[str, ...] = ()  # elective codes: CODE or program/CODE
    completed: tuple[str, ...] = ()  # course ids already passed
    in_progress: tuple[InProgress, ...] = ()
    breaks: tuple[Break, ...] = ()
    workload_scale: float = 1.0  # the learner's own pace: real hours / published hours
    # Courses recommended first that are in the plan end before the course starts; soft:
    # a recommended course that is not in the plan is never added.
    follow_recommended: bool = True


def next_monday(today: date) -> date:
    """The default start: the first Monday after `today`."""
    return today + timedelta(days=7 - today.weekday())


# --------------------------------------------------------------------------- result


Money = Annotated[PriceRange | None, PlainSerializer(money_json, when_used="json")]
Status = Literal["planned", "in_progress", "completed"]


class ProgramRef(Frozen):
    id: str
    title: str
    institution: str


class PlannedCourse(Frozen):
    """One course of the plan: when, how hard, and why it is there."""

    id: str
    program: str
    code: str
    title: str
    kind: Kind
    pacing: Pacing
    status: Status
    start: date | None  # first study day (inclusive); None when completed
    end: date | None  # last study day (inclusive)
    hours: float  # workload left to do (the whole workload for completed courses)
    hours_per_week: float | None  # weekly allocation while in progress
    price_usd: Money
    prerequisites: tuple[str, ...]
    reason: str
    recommended: tuple[str, ...] = ()  # the courses recommended first (soft), planned ids
    critical: bool = False  # on the chain that sets the finish date
    estimated: tuple[str, ...] = ()  # catalog fields that are estimates

    @property
    def weeks(self) -> float | None:
        """Calendar length of the course's span, in weeks."""
        if self.start is None or self.end is None:
            return None
        return ((self.end - self.start).days + 1) / 7


class CostSummary(Frozen):
    due: Money  # sum of known prices of courses still to take
    paid: Money  # sum of known prices of completed courses
    unknown: tuple[str, ...] = ()  # ids of plan courses with no known price


class LowerBound(Frozen):
    finish: date | None
    gap_days: int
    optimal: bool


class Eligibility(Frozen):
    earned_on: date | None  # when the last credential course ends, if every course is passed
    missing: tuple[str, ...] = ()  # courses that block the credential (no announced run)


class WhatIf(Frozen):
    """The finish at another pace, and the courses that set it."""

    hours_per_week: float
    finish: date | None
    weeks: float
    critical_chain: tuple[str, ...]


class Plan(Frozen):
    """A dated study plan; `model_dump(mode="json")` is the `--format json` document."""

    programs: tuple[ProgramRef, ...]
    hours_per_week: float
    effort: Effort
    max_parallel: int
    start: date
    finish: date | None  # None when every course is already completed
    weeks: float
    total_hours: float
    courses: tuple[PlannedCourse, ...]
    cost_usd: CostSummary
    lower_bound: LowerBound
    eligibility: Eligibility
    warnings: tuple[str, ...] = ()
    critical_chain: tuple[str, ...] = ()
    what_if: tuple[WhatIf, ...] = ()
    breaks: tuple[Break, ...] = ()
    workload_scale: float = 1.0

    @property
    def planned(self) -> tuple[PlannedCourse, ...]:
        """Courses with dates (planned or in progress)."""
        return tuple(c for c in self.courses if c.start is not None)


# --------------------------------------------------------------------------- calendar


class _Calendar:
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


# --------------------------------------------------------------------------- profile


class _Profile:
    """Committed load and course count over time, as a step function with breakpoints."""

    __slots__ = ("count", "load", "times")

    def __init__(self) -> None:
        self.times = [0]
        self.load = [0]
        self.count = [0]

    def _breakpoint(self, day: int) -> int:
        i = bisect_right(self.times, day) - 1
        if self.times[i] == day:
            return i
        self.times.insert(i + 1, day)
        self.load.insert(i + 1, self.load[i])
        self.count.insert(i + 1, self.count[i])
        return i + 1

    def add(self, first: int, last: int, load: int) -> None:
        lo = self._breakpoint(first)
        hi = self._breakpoint(last + 1)
        for i in range(lo, hi):
            self.load[i] += load
            self.count[i] += 1

    def at(self, day: int) -> tuple[int, int]:
        i = bisect_right(self.times, day) - 1
        return self.load[i], self.count[i]

    def first_conflict(
        self, first: int, last: int, need: int, capacity: int, slots: int
    ) -> tuple[int, int, bool] | None:
        """The first day in [first, last] where `need` more load or one more course does not fit.

        Returns (day, free capacity there, whether the slots are full there).
        """
        times, load, count = self.times, self.load, self.count
        i = bisect_right(times, first) - 1
        while i < len(times) and times[i] <= last:
            if load[i] + need > capacity or count[i] >= slots:
                return max(times[i], first), capacity - load[i], count[i] >= slots
            i += 1
        return None

    def next_change(self, day: int) -> int:
        """The first breakpoint after `day`."""
        i = bisect_right(self.times, day)
        return self.times[i] if i < len(self.times) else day + 1

    def min_free(self, first: int, last: int, capacity: int) -> int:
        i = bisect_right(self.times, first) - 1
        free = capacity
        while i < len(self.times) and self.times[i] <= last:
            free = min(free, capacity - self.load[i])
            i += 1
        return free

    def forget_before(self, day: int) -> None:
        """Drop breakpoints wholly before `day` (nothing is placed there any more)."""
        i = bisect_right(self.times, day) - 1
        if i > 32:
            del self.times[:i], self.load[:i], self.count[:i]


# --------------------------------------------------------------------------- problem


@dataclass
class _Job:
    """One course to place, in working form."""

    id: str
    self_paced: bool
    work: float  # self-paced: 7 x hours x 100 (centi-hour-days)
    rate: int  # instructor-paced: weekly load in centi-hours
    days: int  # instructor-paced: calendar length
    runs: tuple[int, ...]  # instructor-paced: listed run days (offsets), sorted
    has_runs: bool
    prerequisites: tuple[int, ...]
    fixed: tuple[int, int] | None = None  # in-progress instructor-paced: its running span
    started: bool = False  # in progress: placed first, from day 0
    dependants: list[int] = field(default_factory=list)


@dataclass
class _Problem:
    """What one simulation schedules: the jobs, the calendar and the parallel limit."""

    jobs: list[_Job]
    calendar: _Calendar
    max_parallel: int
    earliest_ends: dict[int, list[int]] = field(default_factory=dict)  # by capacity


@dataclass
class _Schedule:
    """One simulation's result: each job's start, end and weekly allocation, by index."""

    start: list[int]
    end: list[int]
    alloc: list[int]
    notes: list[tuple[str, int]]  # (kind, job index): overloads and run fallbacks
    finish: int  # last day of the plan, -1 when empty
    policy: _Policy


_Priority = tuple[float, float, int, int]  # (run deadline, chain deadline, -tail, index)
_Policy = tuple[bool, int, bool]  # (runs first, lanes, fixed runs placed lazily)
_NEVER = 1 << 62


def _duration(work: float, alloc: int) -> int:
    return max(1, math.ceil(work / alloc - _EPSILON))


def _trimmed(work: float, days: int, ceiling: int) -> int:
    """The allocation that still finishes `work` in `days`: rounded up to a quarter hour
    (plans read better), never above the `ceiling` the days were computed from."""
    exact = math.ceil(work / days - _EPSILON)
    return min(-(-exact // _QUARTER) * _QUARTER, max(ceiling, exact))


def _share(free: int, courses: int) -> int:
    """An equal share of the free capacity, in quarter hours when there is room for that."""
    share = free // courses
    return share - share % _QUARTER if share >= _QUARTER else share


def _tails(problem: _Problem, capacity: int) -> list[int]:
    """Longest chain of days from each course's start to the end, at the fastest pace."""
    jobs = problem.jobs
    tails = [0] * len(jobs)
    for j in range(len(jobs) - 1, -1, -1):
        job = jobs[j]
        own = _duration(job.work, capacity) if job.self_paced else job.days
        tails[j] = own + max((tails[d] for d in job.dependants), default=0)
    return tails


def _run_choice(job: _Job, ready: int, calendar: _Calendar) -> tuple[list[int] | None, str | None]:
    """Candidate run days for an instructor-paced course ready on `ready`, in preference order.

    None means "any day" (no listed run applies). The note names a fallback that was needed.
    """
    if not job.runs and not job.has_runs:
        return None, None
    upcoming = [day for day in job.runs if day >= ready]
    if not upcoming:
        return None, "no_run"
    allowed = [d for d in upcoming if calendar.overlapping_break_end(d, d + job.days - 1) is None]
    if allowed:
        return allowed, None
    return upcoming, "run_in_break"


def _simulate(
    problem: _Problem,
    capacity: int,
    policy: _Policy,
    priorities: dict[bool, list[_Priority]],
) -> _Schedule:
    """One list-scheduling pass under `policy`; see the module doc."""
    runs_first, lanes, lazy = policy
    jobs, calendar, slots = problem.jobs, problem.calendar, problem.max_parallel
    n = len(jobs)
    priority = priorities[runs_first]
    start, end, alloc = [-1] * n, [-1] * n, [0] * n
    notes: list[tuple[str, int]] = []
    profile = _Profile()
    waiting = [len(job.prerequisites) for job in jobs]
    ready_on = [0] * n
    pending: list[tuple[int, _Priority]] = []  # (ready day, priority)
    ready: list[_Priority] = []  # priorities (see _latest_starts)
    ends: list[int] = []  # days on which capacity frees up
    released: list[int] = []
    runs_due: list[tuple[int, _Priority]] = []  # lazy: (day to try, priority) of fixed courses
    run_days: dict[int, list[int] | None] = {}  # lazy: the run days still to try, per course
    left = [n]  # courses not yet placed

    def commit(j: int, first: int, last: int, load: int, profile_load: int) -> None:
        start[j], end[j], alloc[j] = first, last, load
        left[0] -= 1
        profile.add(first, last, profile_load)
        heapq.heappush(ends, last + 1)
        for d in jobs[j].dependants:
            waiting[d] -= 1
            ready_on[d] = max(ready_on[d], last + 1)
            if waiting[d] == 0:
                released.append(d)

    def reserve(j: int) -> None:
        job = jobs[j]
        need = min(job.rate, capacity)
        if job.rate > capacity:
            notes.append(("over_pace", j))
        candidates, note = _run_choice(job, ready_on[j], calendar)
        if note:
            notes.append((note, j))
        if candidates is not None:
            for day in candidates:
                if profile.first_conflict(day, day + job.days - 1, need, capacity, slots) is None:
                    commit(j, day, day + job.days - 1, job.rate, need)
                    return
            notes.append(("collision", j))
            day = candidates[0]
            commit(j, day, day + job.days - 1, job.rate, need)
            return
        day = calendar.study_day(ready_on[j])
        while True:
            last = day + job.days - 1
            break_end = calendar.overlapping_break_end(day, last)
            if break_end is not None:
                day = calendar.study_day(break_end + 1)
                continue
            conflict = profile.first_conflict(day, last, need, capacity, slots)
            if conflict is None:
                commit(j, day, last, job.rate, need)
                return
            day = calendar.study_day(profile.next_change(conflict[0]))

    def defer(j: int) -> None:
        """Lazy policy: try the course's runs when their days come, against what is placed."""
        job = jobs[j]
        if job.rate > capacity:
            notes.append(("over_pace", j))
        candidates, note = _run_choice(job, ready_on[j], calendar)
        if note:
            notes.append((note, j))
        run_days[j] = candidates
        first = candidates.pop(0) if candidates else calendar.study_day(ready_on[j])
        heapq.heappush(runs_due, (first, priority[j]))

    def try_run(j: int, day: int) -> None:
        job = jobs[j]
        need, last = min(job.rate, capacity), day + job.days - 1
        conflict = profile.first_conflict(day, last, need, capacity, slots)
        candidates = run_days[j]
        if candidates is None:  # any day: the first whose span avoids breaks and fits
            break_end = calendar.overlapping_break_end(day, last)
            if break_end is not None:
                later = break_end + 1
            elif conflict is not None:
                later = profile.next_change(conflict[0])
            else:
                commit(j, day, last, job.rate, need)
                return
            heapq.heappush(runs_due, (calendar.study_day(later), priority[j]))
        elif conflict is None or not candidates:
            if conflict is not None:
                notes.append(("collision", j))
            commit(j, day, last, job.rate, need)
        else:
            heapq.heappush(runs_due, (candidates.pop(0), priority[j]))

    def release_all() -> None:
        while released:
            # Courses tied to listed runs choose first: the others can move.
            batch = sorted(released, key=lambda j: (not jobs[j].runs, priority[j]))
            released.clear()
            for j in batch:
                if jobs[j].self_paced:
                    heapq.heappush(pending, (ready_on[j], priority[j]))
                elif lazy:
                    defer(j)
                else:
                    reserve(j)

    def place(j: int, day: int, share: int) -> tuple[int, int, int] | None:
        """Where a self-paced course fits when started on `day`: (first, last, allocation).

        None means it is better started later: its span collides with later commitments
        and neither finishing before them nor running beside them beats waiting.
        """
        work = jobs[j].work
        days = _duration(work, share)
        last = calendar.advance(day, days)
        load = _trimmed(work, days, share)
        conflict = profile.first_conflict(day, last, load, capacity, slots)
        if conflict is None:
            return day, last, load
        when = conflict[0]
        if when > day:  # finish before the collision, at the highest allocation that fits
            room = calendar.study_days_between(day, when - 1)
            best = profile.min_free(day, when - 1, capacity)
            if room > 0 and best > 0 and _duration(work, best) <= room:
                quick = _duration(work, best)
                return day, calendar.advance(day, quick), _trimmed(work, quick, best)
        beside = None  # run beside the commitments, at what they leave free
        wanted = share
        for _ in range(12):
            assert conflict is not None
            _, free_there, slots_full = conflict
            if slots_full or free_there <= 0:
                break
            wanted = min(wanted, free_there)
            days = _duration(work, wanted)
            last = calendar.advance(day, days)
            load = _trimmed(work, days, wanted)
            conflict = profile.first_conflict(day, last, load, capacity, slots)
            if conflict is None:
                beside = (day, last, load)
                break
        if beside is None:
            return None
        later = day  # would waiting for the commitments to pass finish sooner?
        days = _duration(work, share)
        for _ in range(8):
            later = calendar.study_day(profile.next_change(later))
            last = calendar.advance(later, days)
            if last >= beside[1]:
                break
            if (
                profile.first_conflict(later, last, _trimmed(work, days, share), capacity, slots)
                is None
            ):
                return None
        return beside

    # In-progress courses hold their places from the first day, sharing the hours the fixed
    # runs leave.
    for j, job in enumerate(jobs):
        if job.started and job.fixed is not None:
            commit(j, job.fixed[0], job.fixed[1], job.rate, min(job.rate, capacity))
    continuing = [j for j, job in enumerate(jobs) if job.started and job.fixed is None]
    for position, j in enumerate(continuing):
        job = jobs[j]
        first = calendar.study_day(0)
        free = max(_share(capacity - profile.at(first)[0], len(continuing) - position), 1)
        placed = place(j, first, free)
        if placed is None:  # squeezed out by other in-progress courses: still keep it going
            days = _duration(job.work, free)
            placed = (first, calendar.advance(first, days), _trimmed(job.work, days, free))
        commit(j, *placed, placed[2])
    already = set(released)  # dependants of in-progress courses, released by their commits
    released.extend(
        j for j in range(n) if waiting[j] == 0 and not jobs[j].started and j not in already
    )
    release_all()

    day = 0
    while left[0] > 0:
        day = calendar.study_day(day)
        while runs_due and runs_due[0][0] <= day:  # lazy: fixed runs whose day has come
            due, entry = heapq.heappop(runs_due)
            try_run(entry[3], due)
            release_all()
        while pending and pending[0][0] <= day:
            heapq.heappush(ready, heapq.heappop(pending)[1])
        profile.forget_before(day)
        load, count = profile.at(day)
        free, open_slots = capacity - load, slots - count
        wanted = min(max(lanes - count, 1 if count == 0 else 0), open_slots, len(ready))
        deferred: list[_Priority] = []
        tries = wanted + 4
        while wanted > 0 and ready and free >= wanted and tries > 0:
            tries -= 1
            entry = heapq.heappop(ready)
            j = entry[3]
            placed = place(j, day, _share(free, wanted))
            if placed is None:
                deferred.append(entry)
                continue
            commit(j, *placed, placed[2])
            release_all()
            free -= placed[2]
            count += 1
            wanted -= 1
        for entry in deferred:
            heapq.heappush(ready, entry)
        while ends and ends[0] <= day:
            heapq.heappop(ends)
        upcoming = min(
            ends[0] if ends else _NEVER,
            pending[0][0] if pending else _NEVER,
            runs_due[0][0] if runs_due else _NEVER,
        )
        if upcoming == _NEVER:
            upcoming = profile.times[-1]  # nothing committed ahead: try after everything
        day = max(upcoming, day + 1)
    finish = max(end, default=-1)
    return _Schedule(start, end, alloc, notes, finish, policy)


def _policies(problem: _Problem) -> list[_Policy]:
    """The policies worth simulating for this problem (see the module doc)."""
    lanes = sorted({1, min(2, problem.max_parallel), problem.max_parallel})
    if not any(job.runs for job in problem.jobs):
        return [(False, k, False) for k in lanes]
    return [(first, k, lazy) for lazy in (False, True) for first in (False, True) for k in lanes]


def _rank(schedule: _Schedule) -> tuple[bool, int]:
    """Plans that keep every rule beat plans with collisions of fixed runs; then earlier wins."""
    return any(kind == "collision" for kind, _ in schedule.notes), schedule.finish


def _best_schedule(
    problem: _Problem, capacity: int, policies: list[_Policy] | None = None
) -> _Schedule:
    """The best schedule of the policies (see `_rank`; ties: the first tried)."""
    policies = policies or _policies(problem)
    tails = _tails(problem, capacity)
    chain = _latest_starts(problem, capacity, runs_only=False)
    priorities = {False: [(c, c, -t, j) for j, (c, t) in enumerate(zip(chain, tails, strict=True))]}
    if any(first for first, _, _ in policies):
        runs = _latest_starts(problem, capacity, runs_only=True)
        priorities[True] = [
            (r, c, -t, j) for j, (r, c, t) in enumerate(zip(runs, chain, tails, strict=True))
        ]
    best: _Schedule | None = None
    for policy in policies:
        schedule = _simulate(problem, capacity, policy, priorities)
        if best is None or _rank(schedule) < _rank(best):
            best = schedule
    assert best is not None
    return best


def _earliest_ends(problem: _Problem, capacity: int) -> list[int]:
    """Each course's earliest end: prerequisites first, at full pace, on the earliest run."""
    cached = problem.earliest_ends.get(capacity)
    if cached is not None:
        return cached
    jobs, calendar = problem.jobs, problem.calendar
    earliest_end = [0] * len(jobs)
    for j, job in enumerate(jobs):
        ready = max((earliest_end[p] + 1 for p in job.prerequisites), default=0)
        if job.fixed is not None:
            earliest_end[j] = job.fixed[1]
        elif job.self_paced:
            first = calendar.study_day(0 if job.started else ready)
            earliest_end[j] = calendar.advance(first, _duration(job.work, capacity))
        else:
            candidates, _ = _run_choice(job, ready, calendar)
            if candidates is not None:
                first = candidates[0]
            else:
                first = calendar.study_day(ready)
                while (
                    b := calendar.overlapping_break_end(first, first + job.days - 1)
                ) is not None:
                    first = calendar.study_day(b + 1)
            earliest_end[j] = first + job.days - 1
    problem.earliest_ends[capacity] = earliest_end
    return earliest_end


def _latest_starts(problem: _Problem, capacity: int, runs_only: bool) -> list[float]:
    """Each course's latest start that keeps a deadline (smaller = more urgent).

    A backward pass at full pace. With `runs_only` False the deadline is the prerequisite-chain
    bound; with `runs_only` True only listed runs set deadlines: an instructor-paced course
    must make its earliest possible run, and every course it needs must end before that.
    """
    jobs = problem.jobs
    if not jobs:
        return []
    earliest = _earliest_ends(problem, capacity)
    horizon = math.inf if runs_only else max(earliest)
    latest: list[float] = [0.0] * len(jobs)
    for j in range(len(jobs) - 1, -1, -1):
        job = jobs[j]
        must_end = min((latest[d] - 1 for d in job.dependants), default=horizon)
        if job.self_paced:
            latest[j] = must_end - _duration(job.work, capacity) + 1
            continue
        latest[j] = must_end - job.days + 1
        if job.runs:
            if runs_only:  # the run it can make at the earliest
                latest[j] = min(latest[j], earliest[j] - job.days + 1)
            i = bisect_right(job.runs, latest[j]) - 1
            if i >= 0:
                latest[j] = job.runs[i]
    return latest


def _lower_bound(problem: _Problem, capacity: int, fixed_runs_share: bool) -> int:
    """A day before which no schedule under the model can finish (see module doc).

    With `fixed_runs_share`, the load and course slots of instructor-paced courses count too;
    that holds unless a plan had to let fixed runs collide (warned).
    """
    jobs, calendar = problem.jobs, problem.calendar
    if not jobs:
        return -1
    bound = max(_earliest_ends(problem, capacity))
    work = sum(job.work for job in jobs if job.self_paced)
    slot_days = sum(_duration(job.work, capacity) for job in jobs if job.self_paced)
    if fixed_runs_share:
        break_days = sum(last - first + 1 for first, last in calendar.breaks)
        for job in jobs:
            if not job.self_paced:
                days = job.fixed[1] - job.fixed[0] + 1 if job.fixed else job.days
                work += min(job.rate, capacity) * max(days - break_days, 0)
                slot_days += max(days - break_days, 0)
    first_day = calendar.study_day(0)
    if work > 0:
        bound = max(bound, calendar.advance(first_day, math.ceil(work / capacity - _EPSILON)))
    if slot_days:
        slot_bound = math.ceil(slot_days / problem.max_parallel)
        bound = max(bound, calendar.advance(first_day, slot_bound))
    return bound


def _critical_chain(problem: _Problem, schedule: _Schedule) -> tuple[int, ...]:
    """The courses that set the finish, first to last.

    From the course that ends last, step back to a course that ended just before it started
    (a prerequisite when there is one, else the course whose end freed the learner's hours),
    until a course started for another reason: the plan's first day or a run date.
    """
    if schedule.finish < 0:
        return ()
    jobs, calendar = problem.jobs, problem.calendar
    freed_on: dict[int, list[int]] = {}
    for j in range(len(jobs)):
        freed_on.setdefault(calendar.study_day(schedule.end[j] + 1), []).append(j)
    current = min(j for j in range(len(jobs)) if schedule.end[j] == schedule.finish)
    chain = [current]
    while not jobs[current].started:
        before = freed_on.get(schedule.start[current], [])
        if not before:
            break
        prerequisites = set(jobs[current].prerequisites)
        current = max(before, key=lambda p: (p in prerequisites, schedule.end[p], -p))
        chain.append(current)
    return tuple(reversed(chain))


# --------------------------------------------------------------------------- selection


@dataclass
class _Entry:
    """A course of the plan before scheduling."""

    id: str
    program: Program
    course: Course
    reason: str
    status: Status
    prerequisites: tuple[str, ...]  # planned ids: a shared course's other ids already resolved
    progress: InProgress | None  # the learner's record when the course is under way
    recommended: tuple[str, ...] = ()  # courses recommended first (soft), planned ids
    followed: tuple[str, ...] = ()  # those of `recommended` the plan puts first


def _validate(request: PlanRequest) -> None:
    if not request.program_ids:
        raise UsageError("name at least one program to plan")
    if not 0 < request.hours_per_week <= MAX_HOURS_PER_WEEK:
        raise UsageError(
            f"--hours-per-week must be more than 0 and at most {MAX_HOURS_PER_WEEK}, "
            f"got {request.hours_per_week:g}"
        )
    if request.max_parallel < 1:
        raise UsageError(f"--max-parallel must be at least 1, got {request.max_parallel}")
    if not 0 < request.workload_scale <= 10:
        raise UsageError(
            f"workload scale must be more than 0 and at most 10, got {request.workload_scale:g}"
        )
    for pause in request.breaks:
        if pause.start > pause.end:
            raise UsageError(f"--break {pause.start}:{pause.end} ends before it starts")


def _resolve_programs(catalog: Catalog, typed: Iterable[str]) -> list[Program]:
    programs: list[Program] = []
    for name in typed:
        program = find_program(catalog, name)
        if program not in programs:
            programs.append(program)
    return programs


def _track_for(program: Program, tracks: tuple[str, ...]) -> str | None:
    names = {t.name.casefold() for t in program.tracks}
    matching = [name for name in tracks if name.casefold() in names]
    if len(matching) > 1:
        raise UsageError(f"{program.id}: follow one track, not {', '.join(matching)}")
    return matching[0] if matching else None


def _check_tracks(programs: list[Program], tracks: tuple[str, ...]) -> None:
    """Every --track must name a track of some planned program."""
    for name in tracks:
        if any(name.casefold() == t.name.casefold() for p in programs for t in p.tracks):
            continue
        with_tracks = [p for p in programs if p.tracks]
        if not with_tracks:
            raise UsageError(f"--track '{name}': no planned program has tracks")
        select_courses(with_tracks[0], track=name)  # raises, suggesting the closest name
        raise UsageError(f"--track '{name}' matches no track")  # pragma: no cover


def _picks_for(programs: list[Program], picks: tuple[str, ...]) -> dict[str, list[str]]:
    """Elective picks per program id: `program/CODE` goes to that program, `CODE` to the first
    planned program that offers it as an elective (else the first program, to be refused there).
    """
    by_program: dict[str, list[str]] = {p.id: [] for p in programs}
    for pick in picks:
        if "/" in pick:
            program_part, code = split_course_id(pick, programs[0].id)
            program = _find_planned_program(programs, program_part, pick)
        else:
            code = pick
            offering = [p for p in programs if any(code in g.from_ for g in p.electives)]
            program = offering[0] if offering else programs[0]
        by_program[program.id].append(code)
    return by_program


def _find_planned_program(programs: list[Program], typed: str, reference: str) -> Program:
    """The planned program `typed` names (exact id, case-insensitive)."""
    for program in programs:
        if program.id.casefold() == typed.casefold():
            return program
    ids = [p.id for p in programs]
    raise UnknownIdError(
        f"'{reference}' names a program that is not being planned{did_you_mean(typed, ids)}; "
        f"planned: {', '.join(ids)}"
    )


def _check_course_ids(ids: Iterable[str], graph: dict[str, tuple[str, ...]], what: str) -> None:
    for cid in ids:
        if cid not in graph:
            raise UnknownIdError(f"{what}: unknown course '{cid}'{did_you_mean(cid, graph)}")


def _select(
    catalog: Catalog, request: PlanRequest, graph: dict[str, tuple[str, ...]]
) -> tuple[list[Program], list[_Entry], list[str]]:
    """The plan's courses (selected, plus uncompleted prerequisites) and what to tell the user.

    Courses recommended first are never added; those already in the plan come first when
    the request follows the recommended order.
    """
    programs = _resolve_programs(catalog, request.program_ids)
    _check_tracks(programs, request.tracks)
    picks = _picks_for(programs, request.picks)
    _check_course_ids(request.completed, graph, "completed")
    _check_course_ids((c.course_id for c in request.in_progress), graph, "in progress")
    same = same_course_ids(catalog)
    planned_as, merged = _merge_same_courses(same, graph, [p.id for p in programs])
    ordering = build_graph(catalog, with_recommended=True)
    merged_ordering = _merge_same_courses(same, ordering, [p.id for p in programs])[1]
    completed = {planned_as.get(c, c) for c in request.completed}
    progress: dict[str, InProgress] = {}
    for record in request.in_progress:  # under any id of the course; the first record wins
        progress.setdefault(planned_as.get(record.course_id, record.course_id), record)
    in_progress = set(progress) - completed
    warnings: list[str] = []

    def status(cid: str) -> Status:
        if cid in completed:
            return "completed"
        return "in_progress" if cid in in_progress else "planned"

    by_program: dict[str, dict[str, Course]] = {}

    def courses_of(program: Program) -> dict[str, Course]:
        if program.id not in by_program:
            by_program[program.id] = {c.code: c for c in program.courses}
        return by_program[program.id]

    def course_of(cid: str) -> tuple[Program, Course]:
        program_id, code = split_course_id(cid, "")
        program = catalog.program(program_id)
        return program, courses_of(program)[code]

    def entry_for(cid: str, reason: str) -> _Entry:
        program, course = course_of(cid)
        if course.price_usd is None and cid in same:
            course = _with_known_price(course, (course_of(i)[1] for i in same[cid]))
        state = status(cid)
        underway = progress.get(cid) if state == "in_progress" else None
        needs = merged[cid]
        recommended = tuple(r for r in merged_ordering[cid] if r not in needs and r != cid)
        return _Entry(cid, program, course, reason, state, needs, underway, recommended)

    # Courses the learner takes anyway cost no extra hours when electives and tracks are
    # chosen for them: passed or under way, or taken through any requested program (its
    # required courses, --track and --pick first, then, in request order, what each chose).
    def planned_id(program: Program, code: str) -> str:
        own = f"{program.id}/{code}"
        return planned_as.get(own, own)

    tracks = {p.id: _track_for(p, request.tracks) for p in programs}
    taken_anyway = completed | in_progress
    for program in programs:
        fixed = [*program.required_codes, *picks[program.id]]
        named = (tracks[program.id] or "").casefold()
        fixed.extend(c for t in program.tracks if t.name.casefold() == named for c in t.courses)
        taken_anyway.update(planned_id(program, code) for code in fixed)

    entries: dict[str, _Entry] = {}
    for program in programs:
        selection = select_courses(
            program,
            track=tracks[program.id],
            picks=picks[program.id],
            effort=request.effort,
            already_taken=[
                c.code for c in program.courses if planned_id(program, c.code) in taken_anyway
            ],
        )
        taken_anyway.update(planned_id(program, code) for code in selection.codes)
        for choice in selection.chosen_for_you:
            warnings.append(f"{program.id}: chose {choice} for you; --track/--pick choose yourself")
        for chosen in selection.courses:
            own = f"{program.id}/{chosen.code}"
            cid = planned_as.get(own, own)
            reason = chosen.reason if cid == own else f"{chosen.reason} in {program.id}"
            if cid != own:
                warnings.append(f"{own} is the same course as {cid}: planned once")
            if cid not in entries:
                entries[cid] = entry_for(cid, reason)
            elif cid != own:
                entries[cid].reason += f"; {reason}"

    # Prerequisites that are not completed join the plan; completed ones are shown as done.
    planned_programs = {p.id for p in programs}
    stack = [cid for cid, e in entries.items() if e.status != "completed"]
    added: list[str] = []
    while stack:
        dependant = stack.pop()
        if entries[dependant].status == "in_progress":
            continue  # already under way: its prerequisites no longer matter
        for prerequisite in entries[dependant].prerequisites:
            if prerequisite in entries:
                continue
            entry = entry_for(prerequisite, f"prerequisite of {dependant}")
            entries[prerequisite] = entry
            if entry.status != "completed":
                stack.append(prerequisite)
                added.append(prerequisite)
    position = {cid: i for i, cid in enumerate(merged)}
    for cid in sorted(added, key=position.__getitem__):
        entry = entries[cid]
        origin = "" if entry.program.id in planned_programs else f" from {entry.program.id}"
        warnings.append(f"added {cid}{origin}: it is a {entry.reason} and is not completed")
    ordered = sorted(entries, key=position.__getitem__)
    try:
        order = topological_order(ordered, merged)
    except ValueError:
        cycle = find_cycle({cid: merged[cid] for cid in ordered}) or ()
        raise MmplanError(
            f"prerequisite cycle once each shared course is planned once: {' -> '.join(cycle)}; "
            "check the prerequisites of the courses several programs list"
        ) from None
    if request.follow_recommended:
        order, note = _follow_recommended(entries, order, merged)
        warnings.extend(note)
    return programs, [entries[cid] for cid in order], warnings


def _follow_recommended(
    entries: dict[str, _Entry], order: tuple[str, ...], merged: Mapping[str, tuple[str, ...]]
) -> tuple[tuple[str, ...], list[str]]:
    """Put each course recommended first that is in the plan before the course that
    recommends it: (the order, a warning naming what is followed).

    Only courses still to start are held back; a course already under way has started.
    """
    for cid in order:
        entry = entries[cid]
        if entry.status == "planned":
            entry.followed = tuple(
                r for r in entry.recommended if r in entries and entries[r].status != "completed"
            )
    try:
        followed_order = topological_order(
            order, {cid: (*merged[cid], *entries[cid].followed) for cid in order}
        )
    except ValueError:
        cycle = find_cycle({cid: (*merged[cid], *entries[cid].followed) for cid in order}) or ()
        for entry in entries.values():
            entry.followed = ()
        return order, [
            "the recommended order cannot be followed once each shared course is planned "
            f"once ({' -> '.join(cycle)}); planned by prerequisites only"
        ]
    before: dict[str, list[str]] = {}  # recommended course -> the courses it goes before
    for cid in followed_order:
        for recommended in entries[cid].followed:
            before.setdefault(recommended, []).append(cid)
    if not before:
        return followed_order, []
    edges = "; ".join(f"{first} before {', '.join(then)}" for first, then in before.items())
    return followed_order, [
        f"following the recommended order: {edges} (--ignore-recommended to drop it)"
    ]


def _merge_same_courses(
    same: Mapping[str, tuple[str, ...]],
    graph: Mapping[str, tuple[str, ...]],
    programs: Sequence[str],
) -> tuple[dict[str, str], dict[str, tuple[str, ...]]]:
    """(each shared course's ids -> the one it is planned under, the graph with it as one node).

    The planned id needs what any of its ids needs (its own prerequisites first), and
    prerequisites naming any of its ids name it. Nodes keep catalog order (first id's place).
    """
    planned_as: dict[str, str] = {}
    for ids in same.values():
        if ids[0] not in planned_as:
            planned_as.update(dict.fromkeys(ids, canonical_course_id(ids, programs)))
    if not planned_as:
        return planned_as, dict(graph)
    own: dict[str, list[str]] = {}
    others: dict[str, list[str]] = {}
    for cid, prerequisites in graph.items():
        node = planned_as.get(cid, cid)
        own.setdefault(node, [])
        target = own[node] if node == cid else others.setdefault(node, [])
        target.extend(planned_as.get(p, p) for p in prerequisites)
    merged = {
        node: tuple(dict.fromkeys([*needs, *others.get(node, ())])) for node, needs in own.items()
    }
    return planned_as, merged


def _with_known_price(course: Course, twins: Iterable[Course]) -> Course:
    """A shared course without a price takes the first known price of its other ids (as the
    cost report does), so the plan's cost counts it once and at the same price."""
    for twin in twins:
        if twin.price_usd is not None:
            estimated: list[EstimatedField] = [f for f in course.estimated if f != "price_usd"]
            if twin.is_estimated("price_usd"):
                estimated.append("price_usd")
            return replace(course, price_usd=twin.price_usd, estimated=tuple(estimated))
    return course


# --------------------------------------------------------------------------- planning


def _course_warnings(entries: list[_Entry], request: PlanRequest) -> list[str]:
    warnings: list[str] = []
    needed_by: dict[str, list[str]] = {}  # one line per requirement, naming every course
    for entry in entries:
        if entry.status != "completed":
            for requirement in entry.course.external_prerequisites:
                needed_by.setdefault(requirement, []).append(entry.id)
    for requirement, ids in needed_by.items():
        noun = "prerequisite" if len(ids) == 1 else "prerequisites"
        warnings.append(f"check the {noun} of {', '.join(ids)}: {requirement}")
    estimated = [
        f"{e.id} ({', '.join(e.course.estimated)})"
        for e in entries
        if e.course.estimated and e.status != "completed"
    ]
    if estimated:
        warnings.append("estimated figures used: " + "; ".join(estimated))
    if request.workload_scale != 1.0:
        warnings.append(
            f"workloads scaled by your own pace: x{request.workload_scale:.2f} "
            "of the published hours"
        )
    return warnings


def _build_problem(
    entries: list[_Entry], request: PlanRequest
) -> tuple[_Problem, list[_Entry], list[float]]:
    """Working jobs for the courses still to do; also their entries and hours, index-aligned."""
    start = request.start
    offsets = [
        ((b.start - start).days, (b.end - start).days) for b in request.breaks if b.end >= start
    ]
    calendar = _Calendar((max(first, 0), last) for first, last in offsets)
    todo = [e for e in entries if e.status != "completed"]
    index = {e.id: i for i, e in enumerate(todo)}
    jobs: list[_Job] = []
    hours: list[float] = []
    for entry in todo:
        course = entry.course
        rate = course.hours_per_week.at(request.effort) * request.workload_scale
        workload = course.weeks * rate
        underway = entry.progress
        left = workload * (1 - underway.percent_done / 100) if underway else workload
        self_paced = course.pacing is Pacing.SELF
        days = max(1, math.ceil(course.weeks * 7 - _EPSILON))
        fixed = None
        if underway and not self_paced:
            first_day = (underway.started - start).days
            fixed = (0, max(first_day + days - 1, 0))
        first = (*entry.prerequisites, *entry.followed)  # what must end before it starts
        prerequisites = () if underway else tuple(sorted({index[p] for p in first if p in index}))
        jobs.append(
            _Job(
                id=entry.id,
                self_paced=self_paced,
                work=7 * left * _CENTI,
                rate=max(1, round(rate * _CENTI)),
                days=days,
                runs=tuple(sorted({(r - start).days for r in course.runs if r >= start})),
                has_runs=bool(course.runs),
                prerequisites=prerequisites,
                fixed=fixed,
                started=underway is not None,
            )
        )
        hours.append(left)
    for j, job in enumerate(jobs):
        for p in job.prerequisites:
            jobs[p].dependants.append(j)
    return _Problem(jobs, calendar, request.max_parallel), todo, hours


def _capacity(hours_per_week: float) -> int:
    return round(hours_per_week * _CENTI)


def _day(start: date, offset: int) -> date:
    return start + timedelta(days=offset)


def _weeks(start: date, finish: date | None) -> float:
    return round(((finish - start).days + 1) / 7, 1) if finish else 0.0


def plan_programs(catalog: Catalog, request: PlanRequest) -> Plan:
    """Plan the request's programs: dated courses, totals, bound, eligibility and what-ifs."""
    _validate(request)
    graph = build_graph(catalog)
    programs, entries, warnings = _select(catalog, request, graph)
    problem, todo, hours = _build_problem(entries, request)
    return _assemble(request, programs, entries, warnings, problem, todo, hours)


def plan_finishing_by(catalog: Catalog, request: PlanRequest, finish_by: date) -> Plan:
    """Plan at the smallest pace (in 0.5 h steps) that finishes on or before `finish_by`."""
    _validate(request)
    if finish_by <= request.start:
        raise UsageError(f"--finish-by {finish_by} must be after the start {request.start}")
    graph = build_graph(catalog)
    programs, entries, warnings = _select(catalog, request, graph)
    problem, todo, hours = _build_problem(entries, request)
    if not problem.jobs:
        return _assemble(request, programs, entries, warnings, problem, todo, hours)
    deadline = (finish_by - request.start).days

    def finish_at(steps: int) -> int:
        return _best_schedule(problem, _capacity(steps * FINISH_BY_STEP)).finish

    most = int(MAX_HOURS_PER_WEEK / FINISH_BY_STEP)
    fastest = _best_schedule(problem, _capacity(MAX_HOURS_PER_WEEK))
    if fastest.finish > deadline:
        chain = _critical_chain(problem, fastest)
        fixed = [j for j in chain if not problem.jobs[j].self_paced]
        blocker = fixed[-1] if fixed else chain[-1]
        raise MmplanError(
            f"no pace finishes by {finish_by}: {problem.jobs[blocker].id} ends "
            f"{_day(request.start, fastest.end[blocker])} at the earliest; the earliest possible "
            f"finish is {_day(request.start, fastest.finish)}"
        )
    # Below the pace where even the lower bound misses the deadline nothing can work; from
    # there, try each half hour up (plans usually sit near their bound), then bisect.
    low, high = 0, most  # the bound misses at `low` (or it is 0); the plan meets it at `high`
    while high - low > 1:
        middle = (low + high) // 2
        bound = _lower_bound(problem, _capacity(middle * FINISH_BY_STEP), fixed_runs_share=False)
        if bound <= deadline:
            high = middle
        else:
            low = middle
    exact = True
    found = next(
        (s for s in range(high, min(high + _FINISH_BY_SCAN, most)) if finish_at(s) <= deadline),
        None,
    )
    if found is None:
        exact = False
        low, high = min(high + _FINISH_BY_SCAN, most) - 1, most
        while high - low > 1:
            middle = (low + high) // 2
            if finish_at(middle) <= deadline:
                high = middle
            else:
                low = middle
        found = high
    paced = request.model_copy(update={"hours_per_week": found * FINISH_BY_STEP})
    least = "the least" if exact else "the least found"
    warnings = [
        *warnings,
        f"{paced.hours_per_week:g} h/week is {least} that finishes by {finish_by}",
    ]
    return _assemble(paced, programs, entries, warnings, problem, todo, hours)


def _assemble(
    request: PlanRequest,
    programs: list[Program],
    entries: list[_Entry],
    warnings: list[str],
    problem: _Problem,
    todo: list[_Entry],
    hours: list[float],
) -> Plan:
    start = request.start
    capacity = _capacity(request.hours_per_week)
    schedule = _best_schedule(problem, capacity)
    chain = _critical_chain(problem, schedule)
    on_chain = {problem.jobs[j].id for j in chain}
    collided = any(kind == "collision" for kind, _ in schedule.notes)
    bound = _lower_bound(problem, capacity, fixed_runs_share=not collided)
    finish = _day(start, schedule.finish) if schedule.finish >= 0 else None

    index = {e.id: j for j, e in enumerate(todo)}
    courses: list[PlannedCourse] = []
    for entry in entries:
        course = entry.course
        j = index.get(entry.id)
        courses.append(
            PlannedCourse(
                id=entry.id,
                program=entry.program.id,
                code=course.code,
                title=course.title,
                kind=course.kind,
                pacing=course.pacing,
                status=entry.status,
                start=None if j is None else _day(start, schedule.start[j]),
                end=None if j is None else _day(start, schedule.end[j]),
                hours=round(
                    hours[j]
                    if j is not None
                    else course.weeks * course.hours_per_week.at(request.effort),
                    2,
                ),
                hours_per_week=None if j is None else schedule.alloc[j] / _CENTI,
                price_usd=course.price_usd,
                prerequisites=entry.prerequisites,
                reason=entry.reason,
                recommended=entry.recommended,
                critical=entry.id in on_chain,
                estimated=course.estimated,
            )
        )
    # Completed first, then by start: a prerequisite order a learner can read down.
    order = {e.id: i for i, e in enumerate(entries)}
    courses.sort(key=lambda c: (c.start is not None, c.start or start, c.end or start, order[c.id]))

    due = price_total((e.id, e.course) for e in entries if e.status != "completed")
    paid = price_total((e.id, e.course) for e in entries if e.status == "completed")
    notes = _schedule_warnings(problem, schedule, start, request.hours_per_week)
    missing = tuple(problem.jobs[j].id for kind, j in schedule.notes if kind == "no_run")
    all_warnings = (*warnings, *_course_warnings(entries, request), *notes)

    return Plan(
        programs=tuple(
            ProgramRef(id=p.id, title=p.title, institution=p.institution) for p in programs
        ),
        hours_per_week=request.hours_per_week,
        effort=request.effort,
        max_parallel=request.max_parallel,
        start=start,
        finish=finish,
        weeks=_weeks(start, finish),
        total_hours=round(sum(hours), 2),
        courses=tuple(courses),
        cost_usd=CostSummary(due=due.known, paid=paid.known, unknown=(*paid.unknown, *due.unknown)),
        lower_bound=LowerBound(
            finish=_day(start, bound) if bound >= 0 else None,
            gap_days=max(schedule.finish - bound, 0),
            optimal=schedule.finish <= bound,
        ),
        eligibility=Eligibility(earned_on=None if missing else finish, missing=missing),
        warnings=tuple(dict.fromkeys(all_warnings)),
        critical_chain=tuple(problem.jobs[j].id for j in chain),
        what_if=_what_ifs(problem, request, schedule.policy),
        breaks=request.breaks,
        workload_scale=request.workload_scale,
    )


def _what_ifs(problem: _Problem, request: PlanRequest, policy: _Policy) -> tuple[WhatIf, ...]:
    """Finish dates at a few other paces, under the policy that won at the asked pace."""
    rows: list[WhatIf] = []
    if not problem.jobs:
        return ()
    for step in WHAT_IF_STEPS:
        pace = request.hours_per_week + step
        if not 0 < pace <= MAX_HOURS_PER_WEEK:
            continue
        schedule = _best_schedule(problem, _capacity(pace), [policy])
        finish = _day(request.start, schedule.finish) if schedule.finish >= 0 else None
        chain = _critical_chain(problem, schedule)
        rows.append(
            WhatIf(
                hours_per_week=pace,
                finish=finish,
                weeks=_weeks(request.start, finish),
                critical_chain=tuple(problem.jobs[j].id for j in chain),
            )
        )
    return tuple(rows)


def _schedule_warnings(
    problem: _Problem, schedule: _Schedule, start: date, hours_per_week: float
) -> list[str]:
    warnings: list[str] = []
    if hours_per_week > FULL_TIME_HOURS_PER_WEEK:
        warnings.append(
            f"{hours_per_week:g} h/week is more than a full-time job "
            f"(about {hours_per_week / 7:.0f} h every day): is that pace realistic for you?"
        )
    for kind, j in schedule.notes:
        job = problem.jobs[j]
        first, last = _day(start, schedule.start[j]), _day(start, schedule.end[j])
        rate = job.rate / _CENTI
        if kind == "over_pace":
            warnings.append(
                f"overload: {job.id} runs at {rate:g} h/week, more than your "
                f"{hours_per_week:g} h/week, from {first} to {last}; it is planned alone"
            )
        elif kind == "collision":
            warnings.append(
                f"overload: {job.id} collides with other courses on every listed run; "
                f"planned {first}–{last} anyway, needing more than {hours_per_week:g} h/week "
                "or more courses at once than you allow"
            )
        elif kind == "run_in_break":
            warnings.append(f"{job.id}: every listed run overlaps a break; planned {first}–{last}")
        elif kind == "no_run":
            warnings.append(
                f"{job.id}: no listed run starts on or after {first}; planned as if one did "
                "(check edX for new runs)"
            )
    return warnings
