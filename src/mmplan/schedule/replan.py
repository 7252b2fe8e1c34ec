"""Re-planning for `plan --risk`: the list schedule run again from a sample's state, and the
plan a sample then follows, as a `Leg` of items in the order the plan starts them.

A leg keeps what the plan decided (which course goes after which, at what weekly share, in
which session) and lets the sample's own durations move the dates: a course starts after
every course that ended before it in the plan (so two courses share days only where the plan
had them share days, and the learner's hours and course slots hold), a self-paced course
keeps its planned gap after each of them, and a fixed course keeps its planned session unless
a late course pushes it to a later one. A re-plan sees only what is known on its day: the
courses passed, the ones under way (held as they are, to their expected end), the ones left.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass, replace

from mmplan.schedule.problem import Job, Policy, Problem, Schedule
from mmplan.schedule.rules.breaks import Calendar
from mmplan.schedule.simulation import best_schedule


@dataclass(frozen=True)
class Item:
    """One course of a leg: its job, its planned dates (offsets from the leg's day) and load,
    and the items it follows in the plan, each with the planned gap after it."""

    job: int  # the job's index in the whole plan's problem
    self_paced: bool
    start: int
    end: int
    alloc: int  # weekly load, in hundredths of an hour
    days: int  # self-paced: planned study days; fixed: calendar days
    preds: tuple[tuple[int, int], ...]  # (position in the leg, study days between)
    block: bool = False  # under way when the leg was planned: its dates are the sample's own


@dataclass(frozen=True)
class Leg:
    """A plan a sample follows from some day: its items, by planned start."""

    items: tuple[Item, ...]


# A course under way at a re-plan: (job, the day it is expected to end, its weekly load).
Block = tuple[int, int, int]
# A re-plan holds a course under way to its expected end rounded up to this many days: the
# plan for what follows is then the same for ends a few days apart, and computed once (a
# sample still starts each course when its own courses end, as the plan orders them).
HELD = 7


def leg_of(
    calendar: Calendar, schedule: Schedule, jobs: Sequence[Job], ids: Sequence[int], blocks: int
) -> Leg:
    """The leg a schedule of `jobs` gives (job `i` is the whole plan's job `ids[i]`); the
    first `blocks` jobs are under way at the re-plan."""
    start, end = schedule.start, schedule.end
    order = sorted(range(len(jobs)), key=lambda i: (start[i], end[i], i))
    position = {i: p for p, i in enumerate(order)}
    items: list[Item] = []
    for i in order:
        job = jobs[i]
        before = [k for k in order if end[k] < start[i]]
        # Only the courses it follows directly: each of the others ends before one of them.
        latest_start = max((start[k] for k in before), default=0)
        preds = tuple(
            (position[k], calendar.study_days_between(end[k] + 1, start[i] - 1))
            for k in before
            if end[k] >= latest_start
        )
        days = (
            calendar.study_days_between(start[i], end[i])
            if job.self_paced
            else end[i] - start[i] + 1
        )
        items.append(
            Item(
                job=ids[i],
                self_paced=job.self_paced,
                start=start[i],
                end=end[i],
                alloc=schedule.alloc[i],
                days=days,
                preds=preds,
                block=i < blocks,
            )
        )
    return Leg(tuple(items))


def shifted_calendar(calendar: Calendar, day: int) -> Calendar:
    """The breaks of `calendar` seen from `day` (offsets from it)."""
    ahead = [(first, last) for first, last in calendar.breaks if last >= day]
    return Calendar((max(first - day, 0), last - day) for first, last in ahead)


def subproblem(
    base: Problem,
    fresh: Sequence[Job],
    day: int,
    left: Sequence[int],
    blocks: Sequence[Block],
    waits: Sequence[int] = (),
) -> Problem:
    """What is left to plan on `day`: the courses under way held as blocks to their expected
    ends, then the courses `left` (fresh: a retake starts from nothing), offsets from `day`;
    a fixed course of `left` takes no session starting sooner than its wait (index-aligned
    with `left`, in days from `day`: a retake's wait after its failed attempt)."""
    ids = [job for job, _, _ in blocks] + list(left)
    index = {j: i for i, j in enumerate(ids)}
    prerequisites: list[tuple[int, ...]] = [()] * len(blocks)
    prerequisites += [
        tuple(sorted(index[p] for p in fresh[j].prerequisites if p in index)) for j in left
    ]
    dependants: list[list[int]] = [[] for _ in ids]
    for i, needs in enumerate(prerequisites):
        for p in needs:
            dependants[p].append(i)
    jobs: list[Job] = []
    for i, (j, expected_end, alloc) in enumerate(blocks):
        last = max(expected_end - day, 0)
        jobs.append(
            Job(
                id=fresh[j].id,
                self_paced=False,
                work=0.0,
                rate=alloc,
                days=last + 1,
                runs=(),
                has_dates=False,
                prerequisites=(),
                dependants=tuple(dependants[i]),
                fixed=(0, last),
                started=True,
            )
        )
    for i, j in enumerate(left, start=len(blocks)):
        job = fresh[j]
        wait = waits[i - len(blocks)] if waits else 0
        runs = job.runs[bisect_left(job.runs, day + wait) :]
        jobs.append(
            replace(
                job,
                runs=tuple(run - day for run in runs),
                prerequisites=prerequisites[i],
                dependants=tuple(dependants[i]),
            )
        )
    calendar = shifted_calendar(base.calendar, day)
    return Problem(jobs, calendar, base.max_parallel, base.last_day - day)


class Replanner:
    """Re-plans by the list schedule under the plan's own policy, cached by state: the day
    (left out when nothing ahead depends on the date: no sessions, no breaks), the courses
    left with the fixed ones' waits, and the courses under way with their expected ends."""

    def __init__(self, base: Problem, fresh: Sequence[Job], capacity: int, policy: Policy) -> None:
        self.base, self.fresh = base, fresh
        self.capacity, self.policy = capacity, policy
        self.last_break = max((last for _, last in base.calendar.breaks), default=-1)
        self.last_run = [job.runs[-1] if job.runs else -1 for job in fresh]
        self.cache: dict[
            tuple[int | None, tuple[int, ...], tuple[Block, ...], tuple[int, ...]], Leg
        ] = {}

    def leg(
        self,
        day: int,
        left: tuple[int, ...],
        blocks: tuple[Block, ...],
        waits: tuple[int, ...] = (),
    ) -> Leg:
        """The plan from `day` (its offsets count from that day); `waits`: see `subproblem`."""
        dated = self.last_break >= day or any(self.last_run[j] >= day for j in left)
        # A course under way is held to its expected end rounded up to a week (`HELD`).
        relative = tuple((j, -(-max(end - day, 0) // HELD) * HELD, a) for j, end, a in blocks)
        key = (day if dated else None, left, relative, waits)
        known = self.cache.get(key)
        if known is not None:
            return known
        held = [(j, day + end, alloc) for j, end, alloc in relative]
        problem = subproblem(self.base, self.fresh, day, left, held, waits)
        schedule = best_schedule(problem, self.capacity, [self.policy])
        ids = [j for j, _, _ in blocks] + list(left)
        made = leg_of(problem.calendar, schedule, problem.jobs, ids, len(blocks))
        self.cache[key] = made
        return made
