"""List scheduling by critical path, event driven: one simulation per policy, and the best.

See the package doc for the algorithm. A `Simulation` holds one pass's state; its methods
are the steps: commit a course, reserve or defer a fixed run, place a self-paced course.
"""

from __future__ import annotations

import heapq
from bisect import bisect_right
from collections import deque
from typing import NamedTuple

from mmplan.core.errors import MmplanError
from mmplan.schedule.bounds import latest_starts, tails
from mmplan.schedule.problem import (
    CENTI,
    NEVER,
    BentRule,
    Job,
    Policy,
    Priority,
    Problem,
    Schedule,
    ScheduleNote,
    duration,
    share,
    trimmed,
)
from mmplan.schedule.rules.hours import Conflict, Profile, fixed_load
from mmplan.schedule.rules.sessions import run_choice
from mmplan.schedule.rules.slots import lane_counts

# Running beside later commitments: each try lowers the allocation to what the next collision
# leaves free. Only a few commitments are alive at a time, so a dozen tries settle it; giving
# up only means the course waits for the commitments to pass.
BESIDE_TRIES = 12
# Before running beside commitments, the next few capacity changes are checked to see whether
# waiting for them finishes sooner. Beyond these the wait is never shorter in practice.
WAIT_LOOKAHEAD = 8
# At one event, ready courses that do not fit (deferred) may be tried on top of the ones that
# start: enough to skip a few blocked courses, while keeping each event's work bounded.
EXTRA_START_TRIES = 4
# Each step of the simulation handles an event: a course ends, becomes ready, or a listed
# run comes due; plans take about one step per course and run (often fewer). A pace far too
# low for the work can leave ready courses unplaceable, stepping day after day: past this
# many steps per course and run the simulation stops with an error instead of running on.
STEPS_PER_EVENT = 8
STEPS_SLACK = 1000  # for tiny programs, where per-course counts say little


class PlanTooLongError(MmplanError):
    """No plan can be made at the pace asked for: it is far too low for the work."""

    def __init__(self, capacity: int, why: str) -> None:
        super().__init__(f"at {capacity / CENTI:g} h/week {why}; raise --hours-per-week")


class Placement(NamedTuple):
    """Where a self-paced course goes: its first and last day and its weekly allocation."""

    first: int
    last: int
    load: int


class Simulation:
    """One list-scheduling pass under a policy; `run()` gives its `Schedule`."""

    def __init__(
        self, problem: Problem, capacity: int, policy: Policy, priority: list[Priority]
    ) -> None:
        n = len(problem.jobs)
        self.jobs, self.calendar = problem.jobs, problem.calendar
        self.slots, self.last_day = problem.max_parallel, problem.last_day
        self.capacity, self.policy, self.priority = capacity, policy, priority
        self.start, self.end, self.alloc = [-1] * n, [-1] * n, [0] * n
        self.notes: list[ScheduleNote] = []
        self.profile = Profile()
        self.waiting = [len(job.prerequisites) for job in problem.jobs]
        self.ready_on = [0] * n
        self.pending: list[tuple[int, Priority]] = []  # (ready day, priority)
        self.ready: list[Priority] = []  # the ready courses, as a heap
        self.ends: list[int] = []  # days on which capacity frees up
        self.released: list[int] = []  # courses whose last prerequisite was just placed
        self.runs_due: list[tuple[int, Priority]] = []  # lazy: (day to try, priority)
        self.run_days: dict[int, deque[int] | None] = {}  # lazy: run days still to try
        self.holds: dict[int, int] = {}  # guarded: the listed run each deferred course waits for
        self.held = Profile()  # guarded: the profile with every hold committed too
        self.left = n  # courses not yet placed

    def commit(self, j: int, first: int, last: int, load: int, profile_load: int) -> None:
        """Place course `j` on [first, last] and release the courses waiting for it."""
        self.start[j], self.end[j], self.alloc[j] = first, last, load
        self.left -= 1
        self.profile.add(first, last, profile_load)
        if self.policy.guarded:
            self._drop_hold(j)
            self.held.add(first, last, profile_load)
        heapq.heappush(self.ends, last + 1)
        for d in self.jobs[j].dependants:
            self.waiting[d] -= 1
            self.ready_on[d] = max(self.ready_on[d], last + 1)
            if self.waiting[d] == 0:
                self.released.append(d)

    def _fixed_need(self, j: int) -> int:
        """The load a fixed course holds in the profile (noted when above the pace)."""
        need = fixed_load(self.jobs[j].rate, self.capacity)
        if need < self.jobs[j].rate:
            self.notes.append(ScheduleNote(BentRule.OVER_PACE, j))
        return need

    def _run_candidates(self, j: int) -> list[int] | None:
        candidates, note = run_choice(self.jobs[j], self.ready_on[j], self.calendar)
        if note:
            self.notes.append(ScheduleNote(note, j))
        return candidates

    def reserve(self, j: int) -> None:
        """Commit a fixed course now, to the earliest allowed run whose span fits (when every
        listed run collides: as if a new run started after the last, `rules.sessions`)."""
        job, profile, calendar = self.jobs[j], self.profile, self.calendar
        need = self._fixed_need(j)
        candidates = self._run_candidates(j)
        day = calendar.study_day(self.ready_on[j])
        if candidates is not None:
            for day in candidates:
                last = day + job.days - 1
                if profile.first_conflict(day, last, need, self.capacity, self.slots) is None:
                    self.commit(j, day, last, job.rate, need)
                    return
            day = calendar.study_day(max(self._past_listed_runs(j), self.ready_on[j]))
        while True:
            last = day + job.days - 1
            break_end = calendar.overlapping_break_end(day, last)
            if break_end is not None:
                day = calendar.study_day(break_end + 1)
                continue
            conflict = profile.first_conflict(day, last, need, self.capacity, self.slots)
            if conflict is None:
                self.commit(j, day, last, job.rate, need)
                return
            day = calendar.study_day(profile.next_change(conflict.day))

    def _past_listed_runs(self, j: int) -> int:
        """Every listed run of fixed course `j` collides: note it, and give the first day a
        new run may start, after the last (any day from then on whose span avoids breaks,
        so a note that every run overlaps a break no longer holds)."""
        self.notes = [n for n in self.notes if n != (BentRule.RUN_IN_BREAK, j)]
        self.notes.append(ScheduleNote(BentRule.COLLISION, j))
        return self.jobs[j].runs[-1] + 1

    def defer(self, j: int) -> None:
        """Lazy policy: try the course's runs when their days come, against what is placed."""
        self._fixed_need(j)
        listed = self._run_candidates(j)
        candidates = None if listed is None else deque(listed)
        self.run_days[j] = candidates
        if candidates:
            first = candidates.popleft()
            if self.policy.guarded:
                self._hold(j, first)
        else:
            first = self.calendar.study_day(self.ready_on[j])
        heapq.heappush(self.runs_due, (first, self.priority[j]))

    def try_run(self, j: int, day: int) -> None:
        """Lazy policy: place a fixed course on `day` if it fits, else queue its next chance."""
        job, profile, calendar = self.jobs[j], self.profile, self.calendar
        need, last = fixed_load(job.rate, self.capacity), day + job.days - 1
        conflict = profile.first_conflict(day, last, need, self.capacity, self.slots)
        candidates = self.run_days[j]
        self._drop_hold(j)  # this run is decided now
        if candidates is None:  # any day: the first whose span avoids breaks and fits
            break_end = calendar.overlapping_break_end(day, last)
            if break_end is not None:
                later = break_end + 1
            elif conflict is not None:
                later = profile.next_change(conflict.day)
            else:
                self.commit(j, day, last, job.rate, need)
                return
            heapq.heappush(self.runs_due, (calendar.study_day(later), self.priority[j]))
        elif conflict is None and not self._yields(j, day, last, need):
            self.commit(j, day, last, job.rate, need)
        elif candidates:
            following = candidates.popleft()
            if self.policy.guarded:
                self._hold(j, following)
            heapq.heappush(self.runs_due, (following, self.priority[j]))
        else:  # its last listed run collides too: as if a new run started after it
            self.run_days[j] = None
            after = calendar.study_day(self._past_listed_runs(j))
            heapq.heappush(self.runs_due, (after, self.priority[j]))

    def _hold(self, j: int, day: int) -> None:
        """Guarded policy: fixed course `j` waits for its run on `day`, and holds it against
        less urgent courses (`_view`) and fixed courses that can take a later run (`_yields`)."""
        self.holds[j] = day
        job = self.jobs[j]
        self.held.add(day, day + job.days - 1, fixed_load(job.rate, self.capacity))

    def _drop_hold(self, j: int) -> None:
        """Fixed course `j` no longer waits for the run it held (placed, or trying it now)."""
        day = self.holds.pop(j, None)
        if day is not None:
            job = self.jobs[j]
            self.held.remove(day, day + job.days - 1, fixed_load(job.rate, self.capacity))

    def _yields(self, j: int, first: int, last: int, need: int) -> bool:
        """Whether fixed course `j` leaves its run [first, last] to a deferred course whose run
        it would block (guarded policy): when waiting for its own next run delays it less than
        missing theirs would delay them, and its chain (the run plus its tail) still ends
        before theirs would."""
        candidates = self.run_days[j]
        limits = self.capacity, self.slots
        if (
            not candidates
            or not self.holds
            or self.held.first_conflict(first, last, need, *limits) is None
        ):
            return False  # no later run, or no held run in the way
        own_end = candidates[0] - self.priority[j].minus_tail
        capacity, slots = limits
        for k, day in self.holds.items():
            job = self.jobs[k]
            their_last, their_need = day + job.days - 1, fixed_load(job.rate, capacity)
            if day > last or their_last < first:
                continue
            later = bisect_right(job.runs, day)
            their_next = job.runs[later] if later < len(job.runs) else self.last_day
            if candidates[0] - first >= their_next - day:
                continue  # waiting for its next run costs it as much as it would cost them
            if own_end >= their_next - self.priority[k].minus_tail:
                continue  # its chain would then end later than theirs
            if self.profile.first_conflict(day, their_last, their_need, *limits) is not None:
                continue  # that run is blocked anyway: nothing to leave it for
            overlap = max(first, day), min(last, their_last)
            together = need + their_need, capacity, slots - 1  # both runs on those days
            if self.profile.first_conflict(*overlap, *together) is not None:
                return True
        return False

    def _view(self, j: int, placed: Placement) -> Profile | None:
        """The profile ready course `j` is placed against when its placement meets a hold: the
        listed runs that more urgent deferred courses wait for, up to its end, count as taken.
        None when no such run is in its way."""
        priority = self.priority[j]
        urgent = [
            k for k, day in self.holds.items() if day <= placed.last and self.priority[k] < priority
        ]
        if not urgent:
            return None
        view = self.profile.copy()
        for k in urgent:
            day, job = self.holds[k], self.jobs[k]
            view.add(day, day + job.days - 1, fixed_load(job.rate, self.capacity))
        return view

    def release_all(self) -> None:
        """Queue every released course: self-paced ones to start, fixed ones to place."""
        jobs, priority = self.jobs, self.priority
        while self.released:
            # Courses tied to listed runs choose first: the others can move.
            batch = sorted(self.released, key=lambda j: (not jobs[j].runs, priority[j]))
            self.released.clear()
            for j in batch:
                if jobs[j].self_paced:
                    heapq.heappush(self.pending, (self.ready_on[j], priority[j]))
                elif self.policy.lazy and movable(jobs[j]):
                    self._fixed_need(j)  # notes an overload now, as reserving would
                    heapq.heappush(self.pending, (self.ready_on[j], priority[j]))
                elif self.policy.lazy:
                    self.defer(j)
                else:
                    self.reserve(j)

    def place_fixed(self, j: int, day: int, profile: Profile) -> Placement | None:
        """Where a movable fixed course fits in `profile` when started on `day` (its load is
        the share of the pace it holds), or None when its span meets a break or does not fit."""
        job = self.jobs[j]
        last = day + job.days - 1
        need = fixed_load(job.rate, self.capacity)
        if self.calendar.overlapping_break_end(day, last) is not None:
            return None
        if profile.first_conflict(day, last, need, self.capacity, self.slots) is not None:
            return None
        return Placement(day, last, need)

    def place(self, j: int, day: int, wanted: int, profile: Profile) -> Placement | None:
        """Where a self-paced course fits in `profile` when started on `day`: (first, last,
        allocation).

        None means it is better started later: its span collides with later commitments
        and neither finishing before them nor running beside them beats waiting.
        """
        calendar, capacity = self.calendar, self.capacity
        work = self.jobs[j].work
        days = duration(work, wanted)
        last = calendar.advance(day, days)
        load = trimmed(work, days, wanted)
        conflict = profile.first_conflict(day, last, load, capacity, self.slots)
        if conflict is None:
            return Placement(day, last, load)
        when = conflict.day
        if when > day:  # finish before the collision, at the highest allocation that fits
            room = calendar.study_days_between(day, when - 1)
            best = profile.min_free(day, when - 1, capacity)
            if room > 0 and best > 0 and duration(work, best) <= room:
                quick = duration(work, best)
                return Placement(day, calendar.advance(day, quick), trimmed(work, quick, best))
        beside = self._beside(work, day, wanted, conflict, profile)
        if beside is None or self._waiting_is_sooner(work, day, wanted, beside.last, profile):
            return None
        return beside

    def _beside(
        self, work: float, day: int, wanted: int, conflict: Conflict, profile: Profile
    ) -> Placement | None:
        """Run beside the commitments from `day`, at what they leave free, if that fits."""
        for _ in range(BESIDE_TRIES):
            if conflict.slots_full or conflict.free <= 0:
                return None
            wanted = min(wanted, conflict.free)
            days = duration(work, wanted)
            last = self.calendar.advance(day, days)
            load = trimmed(work, days, wanted)
            found = profile.first_conflict(day, last, load, self.capacity, self.slots)
            if found is None:
                return Placement(day, last, load)
            conflict = found
        return None

    def _waiting_is_sooner(
        self, work: float, day: int, wanted: int, beside_end: int, profile: Profile
    ) -> bool:
        """Whether starting after the commitments pass, at `wanted`, ends before `beside_end`."""
        days = duration(work, wanted)
        load = trimmed(work, days, wanted)
        later = day
        for _ in range(WAIT_LOOKAHEAD):
            later = self.calendar.study_day(profile.next_change(later))
            last = self.calendar.advance(later, days)
            if last >= beside_end:
                return False
            if profile.first_conflict(later, last, load, self.capacity, self.slots) is None:
                return True
        return False

    def _start_in_progress(self) -> None:
        """In-progress courses hold their places from the first day, sharing the hours the
        fixed runs leave."""
        jobs, calendar = self.jobs, self.calendar
        for j, job in enumerate(jobs):
            if job.started and job.fixed is not None:
                self.commit(
                    j, job.fixed[0], job.fixed[1], job.rate, fixed_load(job.rate, self.capacity)
                )
        continuing = [j for j, job in enumerate(jobs) if job.started and job.fixed is None]
        for position, j in enumerate(continuing):
            job = jobs[j]
            first = calendar.study_day(0)
            free = self.capacity - self.profile.at(first)[0]
            wanted = max(share(free, len(continuing) - position), 1)
            placed = self.place(j, first, wanted, self.profile)
            if placed is None:  # squeezed out by other in-progress courses: keep it going
                days = duration(job.work, wanted)
                placed = Placement(
                    first, calendar.advance(first, days), trimmed(job.work, days, wanted)
                )
            self.commit(j, placed.first, placed.last, placed.load, placed.load)
        already = set(self.released)  # dependants of in-progress courses, released already
        self.released.extend(
            j
            for j in range(len(jobs))
            if self.waiting[j] == 0 and not jobs[j].started and j not in already
        )
        self.release_all()

    def _placement(self, j: int, day: int, wanted: int, profile: Profile) -> Placement | None:
        """Where ready course `j` goes in `profile` when started on `day` (see `place`)."""
        if self.jobs[j].self_paced:
            return self.place(j, day, wanted, profile)
        return self.place_fixed(j, day, profile)  # a movable fixed course (see `movable`)

    def _meets_a_hold(self, placed: Placement) -> bool:
        """Whether a placement takes room that a deferred course's run needs (guarded policy)."""
        if not self.holds:
            return False
        limits = self.capacity, self.slots
        return self.held.first_conflict(placed.first, placed.last, placed.load, *limits) is not None

    def _start_ready(self, day: int) -> None:
        """Start ready courses on `day` in priority order while slots and capacity are free."""
        load, count = self.profile.at(day)
        free, open_slots = self.capacity - load, self.slots - count
        lanes = self.policy.lanes
        wanted = min(max(lanes - count, 1 if count == 0 else 0), open_slots, len(self.ready))
        deferred: list[Priority] = []
        tries = wanted + EXTRA_START_TRIES
        while wanted > 0 and self.ready and free >= wanted and tries > 0:
            tries -= 1
            entry = heapq.heappop(self.ready)
            job, allocation = self.jobs[entry.job], share(free, wanted)
            placed = self._placement(entry.job, day, allocation, self.profile)
            if placed is not None and self._meets_a_hold(placed):
                view = self._view(entry.job, placed)
                if view is not None:
                    placed = self._placement(entry.job, day, allocation, view)
            if placed is None:
                deferred.append(entry)
                continue
            alloc = placed.load if job.self_paced else job.rate
            self.commit(entry.job, placed.first, placed.last, alloc, placed.load)
            self.release_all()
            free -= placed.load
            wanted -= 1
        for entry in deferred:
            heapq.heappush(self.ready, entry)

    def _next_event(self, day: int) -> int:
        """The next day on which something changes: a course ends, or one becomes ready."""
        while self.ends and self.ends[0] <= day:
            heapq.heappop(self.ends)
        upcoming = min(
            self.ends[0] if self.ends else NEVER,
            self.pending[0][0] if self.pending else NEVER,
            self.runs_due[0][0] if self.runs_due else NEVER,
        )
        if upcoming == NEVER:
            upcoming = self.profile.times[-1]  # nothing committed ahead: try after everything
        return max(upcoming, day + 1)

    def run(self) -> Schedule:
        """Simulate to the end; raises `PlanTooLongError` when the steps run out or the plan
        would end after the last day a date can have."""
        self._start_in_progress()
        events = len(self.jobs) + sum(len(job.runs) for job in self.jobs)
        steps_left = STEPS_PER_EVENT * events + STEPS_SLACK
        day = 0
        while self.left > 0:
            steps_left -= 1
            if steps_left < 0:
                raise PlanTooLongError(self.capacity, "the courses cannot all be placed")
            day = self.calendar.study_day(day)
            while self.runs_due and self.runs_due[0][0] <= day:  # lazy: fixed runs due
                due, entry = heapq.heappop(self.runs_due)
                self.try_run(entry.job, due)
                self.release_all()
            while self.pending and self.pending[0][0] <= day:
                heapq.heappush(self.ready, heapq.heappop(self.pending)[1])
            self.profile.forget_before(day)
            self.held.forget_before(day)
            self._start_ready(day)
            day = self._next_event(day)
        finish = max(self.end, default=-1)
        if finish > self.last_day:
            raise PlanTooLongError(self.capacity, "the plan would end after the year 9999")
        return Schedule(
            self.start, self.end, self.alloc, self.notes, self.ready_on, finish, self.policy
        )


def movable(job: Job) -> bool:
    """A fixed course with no session dates at all: it may start on any day, so under the
    lazy policies it waits among the ready courses by urgency instead of being placed as
    soon as it is ready (which can push a more urgent chain past its only early run)."""
    return not job.self_paced and not job.has_dates and job.fixed is None and not job.started


def can_hold(job: Job) -> bool:
    """Whether a guarded pass may hold a run for this course: a fixed course placed when
    ready (not under way) with listed runs. Without such a course a guarded pass never
    holds anything and plans exactly as its plain lazy twin, which is tried first."""
    return not job.self_paced and bool(job.runs) and not job.started


def policies(problem: Problem) -> list[Policy]:
    """The policies worth simulating for this problem (see the package doc)."""
    lanes = lane_counts(problem.max_parallel)
    if not any(job.runs or movable(job) for job in problem.jobs):
        return [Policy(False, k, False) for k in lanes]
    plain = [
        Policy(first, k, lazy) for lazy in (False, True) for first in (False, True) for k in lanes
    ]
    if not any(can_hold(job) for job in problem.jobs):
        return plain  # a guarded pass would hold nothing: it would repeat its plain twin
    return plain + [Policy(first, k, True, guarded=True) for first in (False, True) for k in lanes]


def _rank(schedule: Schedule) -> tuple[bool, int]:
    """Plans whose fixed courses all take listed runs beat plans where every listed run of one
    collided (it then takes a run nobody announced yet); then earlier wins."""
    return schedule.collided, schedule.finish


def best_schedule(problem: Problem, capacity: int, tried: list[Policy] | None = None) -> Schedule:
    """The best schedule of the policies (see `_rank`; ties: the first tried)."""
    tried = tried or policies(problem)
    tail = tails(problem, capacity)
    chain = latest_starts(problem, capacity, runs_only=False)
    priorities = {
        False: [Priority(c, c, -t, j) for j, (c, t) in enumerate(zip(chain, tail, strict=True))]
    }
    if any(policy.runs_first for policy in tried):
        runs = latest_starts(problem, capacity, runs_only=True)
        priorities[True] = [
            Priority(r, c, -t, j) for j, (r, c, t) in enumerate(zip(runs, chain, tail, strict=True))
        ]
    best: Schedule | None = None
    failed: PlanTooLongError | None = None
    for policy in tried:
        try:
            schedule = Simulation(problem, capacity, policy, priorities[policy.runs_first]).run()
        except PlanTooLongError as error:
            # A policy of many lanes can start more courses than the hours share out (more
            # ready courses than centi-hours free) and place nothing: the one-lane pass, as
            # with --max-parallel 1, still plans, so more freedom never fails a plan.
            failed = failed or error
            continue
        if best is None or _rank(schedule) < _rank(best):
            best = schedule
    if best is None:
        assert failed is not None
        raise failed
    return best
