"""The exact pass: a CP-SAT model of the planner's own rules, warm-started from the list schedule.

The list schedule (`mmplan.schedule`) is fast and usually close to its lower bound; where it
is not, this pass searches for a shorter plan under the same rules and, when the search
completes, proves that none is shorter.

Model
-----
Time is counted in *study days* (breaks removed): a self-paced course spanning a break simply
continues after it, as in the list schedule, and a fixed course may only start where its whole
span avoids the breaks.

- A self-paced course gets a weekly allocation in hundredths of an hour (the planner's unit)
  and a length in study days whose product does all its work: `allocation x days >= work`.
  Any allocation is allowed, not only whole quarter hours: the bound knows no such rounding,
  and a plan that meets it may need, say, 5.57 h/week (ubcx-software-development at 8 h/week:
  218 days, against 219 with quarter hours).
- It may pause, or change its allocation, once: at the start or the end of a fixed course (an
  instructor-paced course: a session, an exam window) it neither needs nor is needed by (any
  other's start and end fall outside its span). It keeps its place among the courses in
  progress while paused (one interval from its start to its end holds its slot either way),
  and its two segments together do all its work.
- A course that runs whole takes the fewest days its allocation needs and the least
  allocation those days need (`rules.pauses.least_pace`): any plan can be brought to that
  form without ending later, so no finish is lost, and the search does not wander among paces
  that do the same work in the same days.
- An instructor-paced course starts on a listed run (or, where the list schedule had to plan
  it as if a new run started: none left, or every one colliding, on any day after the last
  one), or on any day when it lists no runs; it lasts its published days at its published
  rate (at most the learner's hours).
- Prerequisites end before their dependants start; on every day the allocations add up to at
  most the learner's hours, and at most `max_parallel` courses are in progress.

Search
------
1. Without pauses, minimise the finish, never beyond the list schedule's (whose plan is the
   hint). Redundant energy and course-day constraints give the search its bound: all the
   courses fit before the finish; what a course needs first fits before its start, and what
   needs it fits after its end; for a fixed course, so do the other courses that fall wholly
   before or after it (a literal each). They prove most plans within a fraction of a
   second (benchmarks/exact_quality.py).
2. With a course that may pause (above), look for a plan finishing earlier still by pausing,
   starting from step 1's plan (the hint; the finish is at most its). When none exists,
   the plan of step 1 is the best under the model. This model is much harder to search:
   CP-SAT interleaves a portfolio of strategies on it (several searches and large
   neighbourhood searches that improve the hinted plan, in turns on one thread).
3. Among plans that short, prefer fewer pauses, then fewer study days in progress in total
   (fewer courses at once), then courses ending early.

Each step runs on one thread with a fixed seed and a *deterministic* time limit (CP-SAT's
own work count, about a second of a laptop's time each), so the same inputs give the same
plan on any machine and under any load; the outcome says how much of it the search spent,
and the planner shares one budget among a command's searches. The solver is imported here
only, when a plan needs it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

from mmplan.schedule.problem import EPSILON, BentRule, Problem, Schedule, duration
from mmplan.schedule.rules import hours, prerequisites
from mmplan.schedule.rules import slots as slots_rule
from mmplan.schedule.rules.pauses import add_pausing, least_pace
from mmplan.schedule.rules.sessions import fixed_starts
from mmplan.schedule.solve import load_solver, solve, wall_left
from mmplan.schedule.study_days import Solution, StudyDays, without_idle_days

if TYPE_CHECKING:
    import mmplan.schedule.cpsat as cpsat

MAX_EXACT_COURSES = 30  # beyond this the list schedule is used as it is
_SEED = 20261201
_LEAST_STEP = 0.05  # a step given less deterministic time than this is skipped
_PLAIN_SHARE = 0.25  # of the budget for step 1 when step 2 follows (step 2 searches it too)
_TIDYING_SHARE = 0.15  # of the budget, at most, for step 3 (it rarely completes)
_PORTFOLIO = 2  # CP-SAT's interleaved strategies for the pausing model (more: no better)

CAPPED_BEFORE = "the exact search's wall-clock cap was reached before it began"
_CAPPED_HEURISTIC = "the exact search stopped at its wall-clock cap, nothing shorter found"
_CAPPED_EXACT = "shorter than the list schedule; the search stopped at its wall-clock cap"

Used = Literal["exact", "heuristic"]
# Notes of a course the list schedule planned after its last listed run (none left when it
# was ready, or every one collided): the model lets it start on any day after that run too.
_PAST_RUNS = (BentRule.NO_RUN, BentRule.COLLISION)


@dataclass(frozen=True)
class ExactOutcome:
    """What the exact pass decided; `schedule` None keeps the list schedule."""

    used: Used
    reason: str
    schedule: Schedule | None = None
    proven: bool = False  # no plan under the model finishes before the kept one
    bound: int = -1  # a day before which no plan can finish (-1: none found)
    spent: float = 0.0  # deterministic seconds the search used
    capped: bool = False  # the wall-clock cap stopped it: another run may differ


def exact_schedule(
    problem: Problem,
    capacity: int,
    heuristic: Schedule,
    bound: int,
    seconds: float,
    deadline: float = math.inf,
    *,
    tidy: bool = True,
) -> ExactOutcome:
    """Search for a plan finishing before `heuristic`'s, within `seconds` of deterministic time
    and before `deadline` (a `time.monotonic()` value: the wall-clock cap), model building
    included; `tidy` False leaves out step 3 (for a plan of which only the finish is shown).

    `bound` is the list schedule's lower bound: the search stops when it meets it.

    Keeps the list schedule when the search is off, when the problem is larger than the
    exact limit, when the list schedule had to bend a rule the model keeps (every run of a
    course overlapping a break, sessions under way that together need more than the pace or
    the slots: they run from the first day), or when the search finds nothing shorter.
    """
    jobs = problem.jobs
    if seconds <= 0:
        return ExactOutcome("heuristic", "the exact search is off")
    if len(jobs) > MAX_EXACT_COURSES:
        return ExactOutcome(
            "heuristic",
            f"{len(jobs)} courses, more than the exact search's limit of {MAX_EXACT_COURSES}",
        )
    if any(note.kind is BentRule.RUN_IN_BREAK for note in heuristic.notes):
        return ExactOutcome("heuristic", "a course's every run overlaps a break")
    under_way = [hours.fixed_load(job.rate, capacity) for job in jobs if job.fixed is not None]
    if sum(under_way) > capacity or len(under_way) > problem.max_parallel:
        return ExactOutcome(
            "heuristic", "the sessions under way need more than your hours or slots together"
        )
    load_solver()  # once per process; the cap counts it
    if wall_left(deadline) <= 0:
        return ExactOutcome("heuristic", CAPPED_BEFORE, capped=True)
    return _Search(problem, capacity, heuristic, bound, deadline).run(seconds, tidy)


@dataclass
class _Course:
    """One course's variables; self-paced courses also have their pause variables."""

    start: cpsat.IntVar
    end: cpsat.IntVar
    load: cpsat.IntVar | None = None  # allocation when not paused
    length: cpsat.IntVar | None = None  # study days when not paused
    done: cpsat.IntVar | None = None  # allocation x study days when not paused
    paused: cpsat.IntVar | None = None  # pause mode: two segments
    pieces: list[tuple[cpsat.IntVar, cpsat.IntVar, cpsat.IntVar]] = field(
        default_factory=list
    )  # (first, study days, allocation) of each segment


@dataclass
class _Built:
    """A model of the plan, and the variables read back from it."""

    model: cpsat.CpModel
    courses: list[_Course]
    finish: cpsat.IntVar
    spans: list[cpsat.LinearExpr]
    pauses: list[cpsat.IntVar]


def _runs_whole(
    model: cpsat.CpModel,
    j: int,
    course: _Course,
    work: int,
    load: hours.Load,
    holds: list[cpsat.IntervalVar],
) -> None:
    """Self-paced course `j` runs from its start to its end at one allocation."""
    assert course.load is not None
    assert course.length is not None
    assert course.done is not None
    model.add(course.done >= work)
    least_pace(model, (course.load, course.length, course.done), work)
    load.energy[j] = course.done
    model.add(course.end == course.start + course.length - 1)
    interval = model.new_interval_var(course.start, course.length, course.end + 1, f"i{j}")
    load.intervals.append(interval)
    load.demands.append(course.load)
    holds.append(interval)


class _Search:
    """The exact pass over one plan at one pace."""

    def __init__(
        self, problem: Problem, capacity: int, heuristic: Schedule, bound: int, deadline: float
    ) -> None:
        self.problem = problem
        self.deadline = deadline  # the wall-clock cap, model building included
        self.capped = False  # whether the cap stopped a step
        self.capacity = capacity
        self.heuristic = heuristic
        self.days = StudyDays(problem)
        self.horizon = self.days.study(heuristic.finish)  # the list schedule's last study day
        self.bound = self.days.study(bound)  # the list schedule's lower bound, in study days
        self.fixed = [j for j, job in enumerate(problem.jobs) if not job.self_paced]
        # The fixed courses each self-paced course may pause at: those it neither needs nor
        # is needed by (a pause at any other's start or end would fall outside its span).
        before, after = prerequisites.before_and_after(problem.jobs)
        self.pause_at = {
            j: [k for k, i in enumerate(self.fixed) if i not in before[j] and i not in after[j]]
            for j, job in enumerate(problem.jobs)
            if job.self_paced
        }

    # ----------------------------------------------------------------- pieces of the model

    def _hinted_pace(self, j: int) -> tuple[int, int]:
        """The list schedule's pace for course `j` as the model has it (`least_pace`): the
        fewest study days its allocation needs, and the least allocation for those days."""
        work = math.ceil(self.problem.jobs[j].work - EPSILON)
        length = -(-work // self.heuristic.alloc[j])
        return -(-work // length), length

    def _build(self, with_pauses: bool) -> _Built | None:
        """The model, or None when no plan within the list schedule's finish can exist."""
        import mmplan.schedule.cpsat as cpsat

        jobs, capacity, horizon = self.problem.jobs, self.capacity, self.horizon
        model = cpsat.CpModel()
        courses: list[_Course] = []
        load = hours.Load()
        holds: list[cpsat.IntervalVar] = []  # what holds a course slot
        least: dict[int, tuple[int, int]] = {}  # each course's least (work, study days)
        pauses: list[cpsat.IntVar] = []
        boundaries: list[tuple[cpsat.IntVar, cpsat.IntVar]] = []  # fixed (start, end)
        for j, job in enumerate(jobs):
            if job.self_paced:
                continue
            need = hours.fixed_load(job.rate, capacity)
            if job.fixed is not None:
                span = max(self.days.study(job.fixed[1] + 1), 1)
                start, end = model.new_constant(0), model.new_constant(span - 1)
            else:
                no_run = any(
                    note.job == j and note.kind in _PAST_RUNS for note in self.heuristic.notes
                )
                ranges = fixed_starts(job, self.days, horizon, no_run)
                if not ranges:
                    return None
                domain = cpsat.Domain.from_intervals([[lo, hi] for lo, hi in ranges])
                start = model.new_int_var_from_domain(domain, f"s{j}")
                span = job.days
                end = model.new_int_var(span - 1, horizon, f"e{j}")
                model.add(end == start + span - 1)
            interval = model.new_fixed_size_interval_var(start, span, f"i{j}")
            load.intervals.append(interval)
            load.demands.append(need)
            holds.append(interval)
            load.energy[j] = need * span
            least[j] = (need * span, span)
            boundaries.append((start, end))
            courses.append(_Course(start, end))
        by_index = dict(zip(self.fixed, courses, strict=True))
        for j, job in enumerate(jobs):
            if not job.self_paced:
                continue
            work = math.ceil(job.work - EPSILON)
            shortest = duration(job.work, capacity)
            if shortest > horizon + 1:
                return None
            start = model.new_int_var(0, 0 if job.started else horizon - shortest + 1, f"s{j}")
            end = model.new_int_var(shortest - 1, horizon, f"e{j}")
            length = model.new_int_var(shortest, horizon + 1, f"d{j}")
            rate = model.new_int_var(math.ceil(work / (horizon + 1)), capacity, f"a{j}")
            done = model.new_int_var(0, capacity * (horizon + 1), f"w{j}")
            model.add_multiplication_equality(done, [rate, length])
            course = _Course(start, end, rate, length, done)
            least[j] = (work, shortest)
            edges = [boundaries[k] for k in self.pause_at[j]]
            if not with_pauses or not edges:
                _runs_whole(model, j, course, work, load, holds)
            else:
                pausing = add_pausing(
                    model,
                    j,
                    (start, end, rate, length, done),
                    work=work,
                    shortest=shortest,
                    capacity=capacity,
                    horizon=horizon,
                    boundaries=edges,
                    load=load,
                    holds=holds,
                )
                course.paused, course.pieces = pausing.paused, pausing.pieces
                least_pace(model, (rate, length, done), work, unless=pausing.paused)
                load.energy[j] = pausing.used
                pauses.append(pausing.paused)
            courses.append(course)
            by_index[j] = course
        ordered = [by_index[j] for j in range(len(jobs))]
        bounds = [(c.start, c.end) for c in ordered]
        slots = self.problem.max_parallel
        prerequisites.constrain(model, jobs, bounds)
        hours.constrain(model, load, capacity)
        slots_rule.constrain(model, holds, slots)
        finish = model.new_int_var(min(self.bound, horizon), horizon, "finish")
        model.add_max_equality(finish, [c.end for c in ordered])
        # Redundant, for the bound: the work and the course-days fit before the finish, and
        # around each course.
        spans = [c.end - c.start + 1 for c in ordered]
        hours.fits_before_finish(model, load, capacity, finish)
        slots_rule.fits_before_finish(model, spans, slots, finish)
        prerequisites.add_chain_energy(
            model, jobs, bounds, finish, (capacity, slots), load.energy, least
        )
        model.minimize(finish)
        return _Built(model, ordered, finish, spans, pauses)

    # ----------------------------------------------------------------- solving

    def _solve(
        self, built: _Built, seconds: float, hint: Solution | None
    ) -> tuple[str, Solution | None, int, float]:
        """(status name, solution, objective bound, deterministic time spent); a search the
        wall-clock cap stopped sets `capped`."""
        import mmplan.schedule.cpsat as cpsat

        if hint is not None:
            self._hint(built, hint)
        solver = cpsat.CpSolver()
        solver.parameters.num_workers = 1
        solver.parameters.random_seed = _SEED
        # Much stronger bounds on these models, at little cost (measured on every bundled
        # program: benchmarks/exact_quality.py).
        solver.parameters.use_timetable_edge_finding_in_cumulative = True
        if built.pauses:  # measured: the pausing model finds and proves much sooner with
            # the fuller LP relaxation; the others do better without it
            solver.parameters.linearization_level = 2
            # Measured (benchmarks/exact_quality.py, generated programs of up to 15
            # courses): one search alone seldom improves a hinted plan by pausing; the
            # interleaved portfolio (its large neighbourhood searches above all) took the
            # share within a day of the bound from 76% to 88%, at the same deterministic
            # budget and on one thread (batches of one: deterministic, as one worker is).
            solver.parameters.interleave_search = True
            solver.parameters.num_workers = _PORTFOLIO
            solver.parameters.interleave_batch_size = 1
        elif not self.fixed:  # measured: without fixed courses the plan is a packing of
            # self-paced work that propagation alone finds and proves sooner, without the
            # LP (bundled programs at 5, 8 and 15 h/week: 3.2 CPU-s in all -> 1.9;
            # ucsandiegox-algorithms-data-structures at 5 h/week 0.63 -> 0.12)
            solver.parameters.linearization_level = 0
        run = solve(solver, built.model, seconds, self.deadline)
        self.capped = self.capped or run.capped
        name = solver.status_name(run.status)
        reached = solver.best_objective_bound
        bound = math.ceil(reached - EPSILON) if math.isfinite(reached) else -1
        if run.status not in (cpsat.OPTIMAL, cpsat.FEASIBLE):
            return name, None, bound, run.spent
        return name, self._read(solver, built), bound, run.spent

    def _read(self, solver: cpsat.CpSolver, built: _Built) -> Solution:
        spans, segments, loads = [], {}, []
        for j, course in enumerate(built.courses):
            spans.append((solver.value(course.start), solver.value(course.end)))
            job = self.problem.jobs[j]
            if not job.self_paced:
                loads.append(hours.fixed_load(job.rate, self.capacity))
            elif course.paused is not None and solver.boolean_value(course.paused):
                pieces = tuple(
                    (solver.value(b), solver.value(b) + solver.value(d) - 1, solver.value(a))
                    for b, d, a in course.pieces
                )
                (_, last, before), (resume, _, after) = pieces
                if resume > last + 1 or before != after:  # else one segment after all
                    segments[j] = pieces
                loads.append(max(before, after))
            else:
                assert course.load is not None
                loads.append(solver.value(course.load))
        return Solution(solver.value(built.finish), spans, segments, loads)

    def _hint(self, built: _Built, hint: Solution) -> None:
        """A complete hint: CP-SAT on one worker only follows hints that set every variable."""
        model = built.model
        for j, course in enumerate(built.courses):
            first, last = hint.spans[j]
            model.add_hint(course.start, first)
            model.add_hint(course.end, last)
            load, length, done = course.load, course.length, course.done
            if load is None or length is None or done is None:  # a fixed course
                continue
            if course.paused is not None:
                model.add_hint(course.paused, j in hint.segments)
            if j in hint.segments:
                pieces = zip(course.pieces, hint.segments[j], strict=True)
                for k, ((b, d, a), (lo, hi, alloc)) in enumerate(pieces):
                    if k:  # the first segment begins at the course's start, hinted above
                        model.add_hint(b, lo)
                    model.add_hint(d, hi - lo + 1)
                    model.add_hint(a, alloc)
                continue
            days = last - first + 1
            model.add_hint(load, hint.loads[j])
            model.add_hint(length, days)
            model.add_hint(done, hint.loads[j] * days)
        model.add_hint(built.finish, hint.finish)

    def _from_heuristic(self) -> Solution:
        """The list schedule in study days, each self-paced course at its fewest days."""
        days, spans, loads = self.days, [], []
        for j, job in enumerate(self.problem.jobs):
            first = days.study(self.heuristic.start[j])
            if job.self_paced:
                alloc, length = self._hinted_pace(j)
                spans.append((first, first + length - 1))
                loads.append(alloc)
            else:
                spans.append((first, days.study(self.heuristic.end[j] + 1) - 1))
                loads.append(hours.fixed_load(job.rate, self.capacity))
        return Solution(max(last for _, last in spans), spans, {}, loads)

    def run(self, seconds: float, tidy: bool = True) -> ExactOutcome:
        """Steps 1-3 of the module doc (step 3 only when `tidy`) within `seconds` of
        deterministic time in all."""
        listed = self._from_heuristic()
        plain = self._build(with_pauses=False)
        if plain is None:
            return ExactOutcome("heuristic", "the exact search proved it optimal", proven=True)
        pausing = any(self.pause_at.values())
        share = seconds * _PLAIN_SHARE if pausing else seconds
        status, best, bound, spent = self._solve(plain, share, listed)
        left = seconds - spent
        proven = status == "OPTIMAL" and not pausing
        best = best or listed
        with_pauses = False
        if pausing and left > _LEAST_STEP and not self._out_of_time():
            built = self._build(with_pauses=True)
            assert built is not None
            built.model.add(built.finish <= best.finish)
            status, found, paused_bound, used = self._solve(built, left, best)
            left -= used
            if status == "INFEASIBLE":  # nothing finishes earlier, even pausing
                proven, bound = True, best.finish
            elif found is not None:
                if found.finish < best.finish:  # else step 1's plan, without pauses
                    best, with_pauses = found, True
                proven, bound = status == "OPTIMAL", paused_bound
            else:  # step 1's bound does not hold once courses may pause; step 2's does,
                # for plans finishing before `best` (and `best` for the others)
                bound = min(paused_bound, best.finish) if paused_bound >= 0 else -1
        elif pausing:
            bound = -1
        if best.finish >= self.horizon:
            return ExactOutcome(
                "heuristic",
                "the exact search proved it optimal"
                if proven
                else _CAPPED_HEURISTIC
                if self.capped
                else "the exact search found nothing shorter in time",
                proven=proven,
                bound=self.days.calendar_day(bound) if bound >= 0 else -1,
                spent=seconds - left,
                capped=self.capped,
            )
        tidying = min(left, seconds * _TIDYING_SHARE) if tidy else 0.0
        if tidying > _LEAST_STEP and not self._out_of_time():  # among plans this short,
            # fewer pauses, then fewer courses at once
            built = self._build(with_pauses=with_pauses)
            assert built is not None
            built.model.add(built.finish <= best.finish)
            pauses, spans = sum(built.pauses), sum(built.spans)
            ends = sum(course.end for course in built.courses)  # then each course early
            most = len(built.courses) * (self.horizon + 1)  # more than the ends' sum
            built.model.minimize(((most + 1) * most + 1) * pauses + (most + 1) * spans + ends)
            _, tidier, _, used = self._solve(built, tidying, best)
            left -= used
            best = tidier or best
        if not self.fixed:
            best = without_idle_days(best)
        return ExactOutcome(
            "exact",
            "proven optimal"
            if proven
            else _CAPPED_EXACT
            if self.capped
            else "shorter than the list schedule, not proven optimal",
            self._schedule(best),
            proven,
            self.days.calendar_day(max(bound, 0)) if bound >= 0 else -1,
            seconds - left,
            self.capped,
        )

    def _out_of_time(self) -> bool:
        """Whether the wall-clock cap has stopped the search (or is reached now)."""
        self.capped = self.capped or wall_left(self.deadline) <= 0
        return self.capped

    # ----------------------------------------------------------------- back to calendar days

    def _schedule(self, solution: Solution) -> Schedule:
        """The solution in calendar days. Each self-paced allocation is trimmed to the least
        that still does the work in its days (as the list schedule trims), which only lowers
        the load: the quarter hours of the model would otherwise add hours nobody needs."""
        jobs, day = self.problem.jobs, self.days.calendar_day
        start = [day(first) for first, _ in solution.spans]
        end = [day(last) for _, last in solution.spans]
        alloc = [
            max(1, math.ceil(job.work / (last - first + 1) - EPSILON))
            if job.self_paced
            else job.rate
            for job, (first, last) in zip(jobs, solution.spans, strict=True)
        ]
        pieces: dict[int, tuple[tuple[int, int, int], ...]] = {}
        for j, ((f1, l1, a1), (f2, l2, _)) in solution.segments.items():
            rest = max(1, math.ceil((jobs[j].work - a1 * (l1 - f1 + 1)) / (l2 - f2 + 1) - EPSILON))
            pieces[j] = ((f1, l1, a1), (f2, l2, rest))
            alloc[j] = max(a1, rest)
        for j, job in enumerate(jobs):  # courses under way keep their calendar span
            if job.fixed is not None:
                start[j], end[j] = job.fixed
        notes = [
            note
            for note in self.heuristic.notes
            if note.kind is BentRule.OVER_PACE
            or (note.kind in _PAST_RUNS and start[note.job] not in jobs[note.job].runs)
        ]
        ready = [max((end[p] + 1 for p in job.prerequisites), default=0) for job in jobs]
        segments = {
            j: tuple((day(first), day(last), load) for first, last, load in stretches)
            for j, stretches in pieces.items()
        }
        return Schedule(start, end, alloc, notes, ready, max(end), self.heuristic.policy, segments)
