"""`plan --risk`: how sure the finish is, by a Monte Carlo over the plan's own rules.

Each sample follows the plan (`replan.Leg`) with its own luck, drawn whole course by whole
course: each course's hours get a lognormal factor (part shared by every course of the
learner, part its own), each week is lost with some chance (self-paced study pauses that week),
and each attempt passes with the pass rate. A fixed-schedule course keeps its session's dates
whatever its hours. When an attempt fails, the learner re-plans on the day they learn it,
knowing only what has happened: the list schedule runs again from that state (cached by
state), the failed course is retaken at its next session (a self-paced one after a wait: it,
and what needs it, join the plan when the wait ends), and the retake is paid as the catalog
says. A course out of its attempts, or a pass too old when the credential would be earned,
ends the sample unfinished. docs/planning.md ("How sure is that date?") gives the model,
the defaults and their sources.
"""

from __future__ import annotations

import math
import random
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta
from statistics import NormalDist
from typing import NamedTuple

from mmplan.schedule.problem import EPSILON, NEVER, Job, Problem, Schedule
from mmplan.schedule.replan import Leg, Replanner, leg_of
from mmplan.schedule.rules.breaks import Calendar
from mmplan.schedule.rules.sessions import run_choice

# A failed self-paced course is retaken in a later run of it: enrolling again and waiting for
# that run to open. No source gives the wait; four weeks is a judgement (docs/planning.md).
SELF_PACED_RETAKE_WAIT = 28
ATTEMPTS_DRAWN = 3  # outcomes drawn up front per course (the rest as needed): same draws
# A sample that has re-planned this many times stops, unfinished: only a pass rate far below
# any program's would get there.
MAX_REPLANS = 400
# Samples are drawn in blocks of this many, each from its own stream of the seed: the first
# N samples are the same whatever the total, so more samples add to the odds, never redraw them.
BLOCK = 1_000
DROPPED = -1  # the end of a record made for a course that was re-planned instead


_normal = NormalDist().inv_cdf


@dataclass(frozen=True)
class Draw:
    """What one sample draws before it starts: each course's effort factor, the chance
    drawn for its first attempts (it fails at or above the pass rate), and the weeks it
    misses up to a horizon (later ones are drawn as the sample gets there)."""

    index: int
    factor: tuple[float, ...]
    outcomes: tuple[tuple[float, ...], ...]
    missed: tuple[int, ...]
    horizon: int  # the first week not drawn yet


def _shuffled(count: int, rng: random.Random) -> list[int]:
    order = list(range(count))
    rng.shuffle(order)
    return order


@dataclass(frozen=True)
class AttemptRules:
    """What a course's attempts allow and cost: how many in all (None: no limit), the days a
    retake waits after the failed attempt ends (a fixed course then takes its next session),
    and the payments in cents (lo, hi): the first (the course's price), then one retake fee
    for every `per_payment` attempts after the first payment's."""

    limit: int | None
    wait: int | None  # None: the next session (a self-paced course: SELF_PACED_RETAKE_WAIT)
    fee: tuple[int, int] | None  # None: not known (not counted)
    retake_fee: tuple[int, int] | None = None  # None: not known (not counted)
    per_payment: int = 1

    def wait_for(self, self_paced: bool) -> int:
        """The days a retake waits after the failed attempt ends."""
        if self.wait is not None:
            return self.wait
        return SELF_PACED_RETAKE_WAIT if self_paced else 0

    def paid(self, attempts: int) -> tuple[int, int]:
        """What `attempts` attempts cost in all, in cents (lo, hi)."""
        if not attempts:
            return 0, 0
        retakes = (attempts - 1) // self.per_payment
        first, again = self.fee or (0, 0), self.retake_fee or (0, 0)
        return first[0] + retakes * again[0], first[1] + retakes * again[1]


@dataclass(frozen=True)
class Window:
    """A credential whose passes count for `years` only: a pass of one of its `jobs` older
    than that on the day its last one ends is lost (the sample does not finish)."""

    jobs: tuple[int, ...]
    years: int
    start: date  # the plan's first day (offset 0)

    def expired(self, ends: dict[int, int]) -> bool:
        """Whether a pass (its last day in `ends`, by job) is too old on the day the last
        of `jobs` passed ends."""
        passed = [ends[j] for j in self.jobs if j in ends]
        return bool(passed) and min(passed) < years_back(self.start, max(passed), self.years)


def years_back(start: date, day: int, years: int) -> int:
    """The offset from `start` of the day `years` years before offset `day` (29 February:
    the 28th)."""
    when = start + timedelta(days=day)
    try:
        back = when.replace(year=when.year - years)
    except ValueError:  # 29 February, in a year that has none
        back = when.replace(year=when.year - years, day=28)
    return (back - start).days


@dataclass(frozen=True)
class Luck:
    """What samples draw: the pass rate, the effort factor's sigma and correlation, and the
    chance a week is missed."""

    pass_rate: float
    spread: float
    correlation: float
    missed_weeks: float


class Attempt(NamedTuple):
    """One attempt a sample made: the job, its first and last day, its weekly load, and
    whether it failed."""

    job: int
    start: int
    end: int
    alloc: int
    failed: bool


@dataclass(frozen=True)
class Outcome:
    """One sample: its finish (None when it ran out of attempts), the fees it paid in cents
    (lo, hi), and the courses on the chain that set its finish (or that ran out)."""

    finish: int | None
    paid: tuple[int, int]
    critical: frozenset[int]
    expired: bool = False  # unfinished because a pass was too old to count (`Window`)


class _Days:
    """One sample's study days: the plan's breaks and the weeks this sample misses (drawn up
    to a horizon beforehand, then week by week as far as the sample reaches)."""

    def __init__(self, breaks: list[tuple[int, int]], draw: Draw, chance: float, seed: int) -> None:
        self.breaks, self.draw, self.seed = breaks, draw, seed
        self.rng: random.Random | None = None
        self.log_keep = math.log1p(-chance)
        self.missed = [(7 * week, 7 * week + 6) for week in draw.missed]
        self.week = draw.horizon - 1  # the last week drawn
        self.horizon = 7 * draw.horizon  # days covered by the draws
        self.calendar = Calendar([*breaks, *self.missed])

    def _extend(self, day: int) -> None:
        if self.rng is None:
            self.rng = random.Random(f"{self.seed}/weeks/{self.draw.index}")
        while self.horizon <= day:
            self.horizon = max(2 * self.horizon, day + 364)
            self.week = _missed_weeks(
                self.rng, self.log_keep, self.week, self.horizon // 7, self.missed
            )
        self.calendar = Calendar([*self.breaks, *self.missed])

    def study_day(self, day: int) -> int:
        if day + 7 >= self.horizon:
            self._extend(day + 7)
        return self.calendar.study_day(day)

    def advance(self, first: int, days: int) -> int:
        last = self.calendar.advance(first, days)
        while last + 7 >= self.horizon:
            self._extend(last + 7)
            last = self.calendar.advance(first, days)
        return last


def _missed_weeks(
    rng: random.Random, log_keep: float, week: int, horizon: int, into: list[tuple[int, int]]
) -> int:
    """Draw the missed weeks after `week` and before week `horizon` (the gaps between them
    are geometric), appending each as its days; the last week drawn."""
    while True:
        week += 1 + int(math.log(1.0 - rng.random()) / log_keep)
        if week >= horizon:
            return horizon - 1  # memoryless: the weeks from the horizon on are drawn afresh
        into.append((7 * week, 7 * week + 6))


class Sampler:
    """Draws samples of following the plan (see the module doc)."""

    def __init__(
        self,
        problem: Problem,
        fresh: Sequence[Job],
        plan: Schedule,
        capacity: int,
        rules: Sequence[AttemptRules],
        luck: Luck,
        windows: Sequence[Window] = (),
    ) -> None:
        self.problem, self.fresh, self.rules, self.luck = problem, fresh, rules, luck
        self.windows = windows
        self.calendar = problem.calendar
        self.n = len(problem.jobs)
        self.replanner = Replanner(problem, fresh, capacity, plan.policy)
        ids = list(range(self.n))
        self.first_leg = leg_of(self.calendar, plan, problem.jobs, ids, 0)
        self.first_start = plan.start
        self.first_days = [end - first + 1 for first, end in zip(plan.start, plan.end, strict=True)]
        self._draws: tuple[int, list[Draw]] | None = None  # the last draws made: (seed, draws)
        # Missed weeks are drawn beforehand this far: the plan and three years more.
        self.horizon = (max(plan.finish, 0) + 3 * 365) // 7 + 1
        self.shared = math.sqrt(luck.correlation)
        self.own = math.sqrt(1.0 - luck.correlation)
        self.self_paced = [j for j, job in enumerate(fresh) if job.self_paced]
        self.after = [_and_after(fresh, j) for j in range(self.n)]  # a job and what needs it

    def session(self, j: int, earliest: int) -> int:
        """The first day on or after `earliest` a fixed course may start (its next allowed
        session; any day whose span avoids the breaks when it has none)."""
        job = self.fresh[j]
        candidates, _ = run_choice(job, earliest, self.calendar)
        if candidates:
            return candidates[0]
        day = self.calendar.study_day(earliest)
        while (end := self.calendar.overlapping_break_end(day, day + job.days - 1)) is not None:
            day = self.calendar.study_day(end + 1)
        return day

    def draws(self, samples: int, seed: int) -> list[Draw]:
        """What samples 0 to `samples - 1` draw: the first blocks of `BLOCK` samples (see
        `block`), so the first N samples are the same whatever the total."""
        known = self._draws
        made = known[1] if known and known[0] == seed else []
        while len(made) < samples:
            made.extend(self.block(seed, len(made) // BLOCK))
        self._draws = (seed, made)
        return made[:samples]

    def block(self, seed: int, number: int) -> list[Draw]:
        """What the samples of block `number` draw, from their own stream of the seed. The
        learner's shared effort factor and each course's first attempt are drawn as a Latin
        hypercube: the block's samples fall one in each of `BLOCK` equal strata of each,
        shuffled, so the dates by which shares of them finish settle with fewer samples than
        independent draws need."""
        rng, luck, n = random.Random(f"{seed}/{number}"), self.luck, self.n
        log_keep = math.log1p(-luck.missed_weeks) if luck.missed_weeks else 0.0
        shared_order = _shuffled(BLOCK, rng)
        first_orders = [_shuffled(BLOCK, rng) for _ in range(n)]
        made = []
        for i in range(BLOCK):
            factor = (1.0,) * n
            if luck.spread:
                shared = self.shared * _normal((shared_order[i] + rng.random()) / BLOCK)
                factor = tuple(
                    math.exp(luck.spread * (shared + self.own * rng.gauss(0.0, 1.0)))
                    for _ in range(n)
                )
            outcomes = tuple(
                ((order[i] + rng.random()) / BLOCK, rng.random(), rng.random())
                for order in first_orders
            )
            missed: list[tuple[int, int]] = []
            if log_keep:
                _missed_weeks(rng, log_keep, -1, self.horizon, missed)
            weeks = tuple(first // 7 for first, _ in missed)
            index = number * BLOCK + i
            made.append(Draw(index, factor, outcomes, weeks, self.horizon if log_keep else 0))
        return made

    def run(self, draw: Draw, seed: int, certain: int = -1) -> Outcome:
        """The sample `draw` makes (course `certain`, if any, passes at once at its
        published hours)."""
        return _Path(self, draw, seed, certain).run()

    def trace(self, index: int, seed: int) -> tuple[Outcome, tuple[Attempt, ...]]:
        """Sample `index` and every attempt it makes, in the order it made them."""
        draw = self.draws(index + 1, seed)[index]
        path = _Path(self, draw, seed, -1)
        outcome = path.run()
        return outcome, path.made()


class _Path:
    """One sample's path: the attempts it makes, leg after leg, kept as records."""

    def __init__(self, sampler: Sampler, draw: Draw, seed: int, certain: int) -> None:
        self.s, self.draw, self.seed = sampler, draw, seed
        self.factor = draw.factor
        if certain >= 0:
            self.factor = tuple(1.0 if j == certain else f for j, f in enumerate(draw.factor))
        self.rng: random.Random | None = None  # for attempts beyond the ones drawn
        # The sample's own study days, made when a self-paced course first needs them (a
        # fixed course keeps its session whatever weeks are lost).
        self._days: _Days | Calendar | None = (
            None if sampler.luck.missed_weeks else sampler.calendar
        )
        self.certain = certain
        n = sampler.n
        self.attempts = [0] * n
        self.passed = [False] * n
        self.ready_after = [0] * n  # a failed course's retake waits until then
        self.last_fail = [-1] * n  # the record of its last failed attempt
        # Records, one per attempt made: the course, its dates, the end the learner expects
        # from its start, its weekly load, whether it fails, and the record whose end set
        # its start (-1: its session, or the plan's start).
        self.job: list[int] = []
        self.start: list[int] = []
        self.end: list[int] = []
        self.expected: list[int] = []
        self.alloc: list[int] = []
        self.fails: list[bool] = []
        self.binding: list[int] = []

    def _study_days(self) -> _Days | Calendar:
        if self._days is None:
            breaks = list(self.s.calendar.breaks)
            self._days = _Days(breaks, self.draw, self.s.luck.missed_weeks, self.seed)
        return self._days

    def _fails(self, j: int) -> bool:
        if j == self.certain:
            return False
        attempt, drawn = self.attempts[j], self.draw.outcomes[j]
        if attempt < len(drawn):
            return drawn[attempt] >= self.s.luck.pass_rate
        if self.rng is None:
            self.rng = random.Random(f"{self.seed}/attempts/{self.draw.index}")
        return self.rng.random() >= self.s.luck.pass_rate

    def run(self) -> Outcome:
        """Follow the plan, re-planning after each failed attempt, to the finish or until a
        course runs out of attempts."""
        sampler = self.s
        leg, day, blocks, trigger, until = sampler.first_leg, 0, dict[int, int](), -1, NEVER
        for _ in range(MAX_REPLANS):
            cut = self._follow(leg, day, blocks, trigger, until)
            if cut is None:
                return self._outcome(-1)
            out, day, blocks, trigger = cut
            if out >= 0:
                return self._outcome(out)
            left, until = self._left(day, blocks)
            under_way = tuple(
                (self.job[r], max(self.expected[r], day), self.alloc[r]) for r in blocks.values()
            )
            waits = tuple(
                0 if sampler.fresh[j].self_paced else max(self.ready_after[j] - day, 0)
                for j in left
            )
            leg = sampler.replanner.leg(day, left, under_way, waits if any(waits) else ())
        return self._outcome(self.job[-1])

    def _left(self, day: int, blocks: dict[int, int]) -> tuple[tuple[int, ...], int]:
        """What a re-plan on `day` plans, and the last day before it re-plans again: a
        self-paced retake still waiting is held back (with every course after it) until
        its wait ends, when the learner re-plans with it, so other courses fill the wait."""
        passed, ready_after = self.passed, self.ready_after
        left = tuple(j for j in range(self.s.n) if not passed[j] and j not in blocks)
        waiting = [j for j in self.s.self_paced if ready_after[j] > day and not passed[j]]
        held: set[int] = set()
        for j in waiting:
            held |= self.s.after[j]
        free = tuple(j for j in left if j not in held)
        if not waiting or not free:  # nothing to fill a wait with: plan the retake now
            return left, NEVER
        return free, min(ready_after[j] - 1 for j in waiting)

    def _place(
        self, leg: Leg, day: int, blocks: dict[int, int], trigger: int, until: int
    ) -> tuple[list[int], int]:
        """Date the items of `leg` followed from `day`, up to the first failed attempt's end
        or `until` (the cut): for each item its record (blocks) or a new record, in leg
        order, and the cut (-1: every attempt passes, and nothing waits). An item that
        cannot start by the cut found so far is left for the re-plan (and so is every
        course that follows it)."""
        sampler, calendar = self.s, self.s.calendar
        plain = not calendar.breaks
        factor, attempts, last_fail = self.factor, self.attempts, self.last_fail
        ends = [0] * len(leg.items)
        record = [-1] * len(leg.items)  # each placed item's record
        made: list[int] = []
        cut = until
        for pos, item in enumerate(leg.items):
            j = item.job
            if item.block:
                r = blocks[j]
                ends[pos], record[pos] = self.end[r], r
                made.append(r)
                if self.fails[r] and self.end[r] < cut:
                    cut = self.end[r]
                continue
            floor = last_fail[j] if attempts[j] else trigger
            anchor = day + item.start
            earliest, bind = (day, floor) if item.preds else (anchor, floor)
            for p, gap in item.preds:
                e = ends[p] + 1
                if gap and item.self_paced:
                    e = e + gap if plain else calendar.advance(calendar.study_day(e), gap + 1)
                if e > earliest:
                    earliest, bind = e, record[p]
            if earliest > cut:
                ends[pos] = NEVER  # it starts after the cut: re-planned, with what follows it
                continue
            if self.ready_after[j] > earliest:  # a retake waits after the failed attempt
                earliest, bind = self.ready_after[j], last_fail[j]
            if item.self_paced:
                days = self._study_days()
                first = days.study_day(earliest)
                last = days.advance(first, max(1, math.ceil(item.days * factor[j] - EPSILON)))
                expected = first + item.days - 1 if plain else calendar.advance(first, item.days)
            else:
                if earliest > anchor:  # too late for its planned session: the next one
                    first = sampler.session(j, earliest)
                else:
                    first = anchor
                    if earliest < anchor:  # it has time to spare: nothing before it binds,
                        # unless a setback moved it to this session (or it is a retake)
                        moved = anchor > sampler.first_start[j]
                        bind = floor if attempts[j] or moved else -1
                last = expected = first + item.days - 1
            if first > cut:
                ends[pos] = NEVER
                continue
            ends[pos] = last
            fails = self._fails(j)
            if fails and last < cut:
                cut = last
            self.job.append(j)
            self.start.append(first)
            self.end.append(last)
            self.expected.append(expected)
            self.alloc.append(item.alloc)
            self.fails.append(fails)
            self.binding.append(bind)
            record[pos] = len(self.job) - 1
            made.append(record[pos])
        return made, -1 if cut == NEVER else cut

    def _follow(
        self, leg: Leg, day: int, blocks: dict[int, int], trigger: int, until: int
    ) -> tuple[int, int, dict[int, int], int] | None:
        """Follow `leg` from `day` to its end (None), or to its first failed attempt or the
        day `until` (a waiting retake's last day of waiting), whichever ends first: then
        (the course out of attempts or -1, the re-plan day, the courses under way then as
        job -> record, the failed record or -1)."""
        first_record = len(self.job)
        made, cut = self._place(leg, day, blocks, trigger, until)
        if cut < 0:
            for r in made:
                self.passed[self.job[r]] = True
                if r >= first_record:
                    self.attempts[self.job[r]] += 1
            return None
        # Items that start after the cut are re-planned: their records are dropped (none of
        # the kept ones points at them, as a course starts after what sets its start).
        kept = []
        for r in made:
            if self.start[r] <= cut:
                kept.append(r)
            else:
                self.end[r], self.fails[r] = DROPPED, False
        out, failed, under_way = -1, -1, {}
        for r in kept:
            j = self.job[r]
            if r >= first_record:
                self.attempts[j] += 1
            if self.end[r] > cut:
                under_way[j] = r
            elif not self.fails[r]:
                self.passed[j] = True
            else:
                self.last_fail[j] = r
                failed = r if failed < 0 else failed
                rules = self.s.rules[j]
                if rules.limit is not None and self.attempts[j] >= rules.limit:
                    out = j if out < 0 else out
                else:
                    self.ready_after[j] = cut + 1 + rules.wait_for(self.s.fresh[j].self_paced)
        return out, cut + 1, under_way, failed

    def made(self) -> tuple[Attempt, ...]:
        """The attempts this path kept (not the ones re-planned before they started)."""
        return tuple(
            Attempt(self.job[r], self.start[r], self.end[r], self.alloc[r], self.fails[r])
            for r in range(len(self.job))
            if self.end[r] != DROPPED
        )

    def _outcome(self, out: int) -> Outcome:
        """The sample's finish (None when course `out` ran out of attempts), fees, chain."""
        rules = self.s.rules
        lo = hi = 0
        for j, count in enumerate(self.attempts):
            fee = rules[j].paid(count)
            lo += fee[0]
            hi += fee[1]
        expired = False
        if out >= 0:
            finish, r = None, self.last_fail[out]
        else:
            finish = max(self.end, default=-1)
            r = self.end.index(finish) if self.end else -1
            if self._expired():
                finish, expired = None, True
        chain: set[int] = set()
        while r >= 0:
            chain.add(self.job[r])
            r = self.binding[r]
        return Outcome(finish, (lo, hi), frozenset(chain), expired)

    def _expired(self) -> bool:
        """Whether a pass is too old to count when its credential would be earned."""
        if not self.s.windows:
            return False
        ends = {
            self.job[r]: self.end[r]
            for r in range(len(self.job))
            if not self.fails[r] and self.end[r] != DROPPED
        }
        return any(window.expired(ends) for window in self.s.windows)


def _and_after(jobs: Sequence[Job], j: int) -> frozenset[int]:
    """Job `j` and every job that needs it, directly or not."""
    found, todo = {j}, [j]
    while todo:
        for d in jobs[todo.pop()].dependants:
            if d not in found:
                found.add(d)
                todo.append(d)
    return frozenset(found)


def fresh_jobs(problem: Problem, workloads: Sequence[float]) -> list[Job]:
    """Each job as a retake sees it: a course under way at the plan's start starts again
    from nothing, whole (`workloads`: each course's whole work, in the jobs' unit)."""
    return [
        replace(job, work=work, fixed=None, started=False) if job.started else job
        for job, work in zip(problem.jobs, workloads, strict=True)
    ]


def percentile(finishes: Sequence[int | None], share: float) -> int | None:
    """The first day by which `share` of the samples finish (None: they never do)."""
    ordered = sorted(finishes, key=lambda f: (f is None, f or 0))
    rank = max(math.ceil(share * len(ordered) - EPSILON), 1) - 1
    return ordered[rank]


def run_samples(sampler: Sampler, samples: int, seed: int, certain: int = -1) -> list[Outcome]:
    """Samples 0 to `samples - 1` (with course `certain` certain, if any)."""
    draws = sampler.draws(samples, seed)
    return [sampler.run(draw, seed, certain) for draw in draws]


def run_certain(
    sampler: Sampler, outcomes: Sequence[Outcome], seed: int, certain: int
) -> list[Outcome]:
    """The samples `outcomes` (the first ones of `seed`) again, with course `certain` certain.
    A fixed course's hours change nothing, so where its first attempt passed the sample is
    the same: only the others run again."""
    draws = sampler.draws(len(outcomes), seed)
    if sampler.fresh[certain].self_paced:
        return [sampler.run(draw, seed, certain) for draw in draws]
    rate = sampler.luck.pass_rate
    return [
        sampler.run(draw, seed, certain) if draw.outcomes[certain][0] >= rate else outcome
        for draw, outcome in zip(draws, outcomes, strict=True)
    ]


def criticality(outcomes: Sequence[Outcome], n: int) -> list[int]:
    """How many samples each job is on the chain of (that sets their finish)."""
    counts = Counter(j for outcome in outcomes for j in outcome.critical)
    return [counts[j] for j in range(n)]
