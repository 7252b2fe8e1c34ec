"""What no schedule can beat: earliest ends, latest starts, the lower bound, and the chain
of courses that sets a schedule's finish."""

from __future__ import annotations

import math
from bisect import bisect_right

from mmplan.schedule.problem import EPSILON, Job, Problem, Schedule, duration
from mmplan.schedule.rules.breaks import may_span_a_break
from mmplan.schedule.rules.hours import fixed_load
from mmplan.schedule.rules.prerequisites import before_and_after
from mmplan.schedule.rules.sessions import run_choice

AROUND_MAX = 200  # courses: up to this, the bound weighs what comes before and after each


def tails(problem: Problem, capacity: int) -> list[int]:
    """Longest chain of days from each course's start to the end, at the fastest pace."""
    jobs = problem.jobs
    result = [0] * len(jobs)
    for j in range(len(jobs) - 1, -1, -1):
        job = jobs[j]
        own = duration(job.work, capacity) if job.self_paced else job.days
        result[j] = own + max((result[d] for d in job.dependants), default=0)
    return result


def earliest_ends(problem: Problem, capacity: int) -> list[int]:
    """Each course's earliest end: prerequisites first, at full pace, on the earliest run."""
    cached = problem.earliest_ends.get(capacity)
    if cached is not None:
        return cached
    earliest_end: list[int] = []
    for job in problem.jobs:
        ready = max((earliest_end[p] + 1 for p in job.prerequisites), default=0)
        earliest_end.append(_earliest_end(problem, capacity, job, ready))
    problem.earliest_ends[capacity] = earliest_end
    return earliest_end


def _earliest_end(problem: Problem, capacity: int, job: Job, ready: int) -> int:
    """A course's earliest end when it may start on `ready`: at full pace, on its next run."""
    calendar = problem.calendar
    if job.fixed is not None:
        return job.fixed[1]
    if job.self_paced:
        first = calendar.study_day(0 if job.started else ready)
        return calendar.advance(first, duration(job.work, capacity))
    candidates, _ = run_choice(job, ready, calendar)
    if candidates is not None:
        first = candidates[0]
    else:
        first = calendar.study_day(ready)
        while (b := calendar.overlapping_break_end(first, first + job.days - 1)) is not None:
            first = calendar.study_day(b + 1)
    return first + job.days - 1


def _around_each_course(problem: Problem, capacity: int) -> int:
    """Everything a course needs, directly or not, is done before it starts, and everything
    that needs it is done after it ends: that work at the learner's hours, and those
    course-days in the course slots, take study days on either side (pauses change neither).
    A fixed course then waits for its next run, which can push what follows it. Fixed
    courses count only where they take study days for sure (`lower_bound`). The sets of
    courses before and after grow with the square of the plan, so beyond `AROUND_MAX`
    courses this argument is left out (-1)."""
    jobs, calendar = problem.jobs, problem.calendar
    if len(jobs) > AROUND_MAX:
        return -1
    counted = [job.self_paced or not may_span_a_break(problem, job) for job in jobs]
    work = [
        (job.work if job.self_paced else fixed_load(job.rate, capacity) * job.days) * count
        for job, count in zip(jobs, counted, strict=True)
    ]
    slot_days = [
        (duration(job.work, capacity) if job.self_paced else job.days) * count
        for job, count in zip(jobs, counted, strict=True)
    ]
    needs, needed_by = before_and_after(jobs)

    def days_for(courses: set[int]) -> int:
        done = sum(work[i] for i in courses)
        return max(
            math.ceil(done / capacity - EPSILON),
            math.ceil(sum(slot_days[i] for i in courses) / problem.max_parallel),
        )

    ends: list[int] = []
    bound = -1
    for j, job in enumerate(jobs):
        ready = max((ends[p] + 1 for p in job.prerequisites), default=0)
        if needs[j] and not job.started and job.fixed is None:
            ready = max(ready, calendar.advance(calendar.study_day(0), days_for(needs[j])) + 1)
        ends.append(_earliest_end(problem, capacity, job, ready))
    for j, end in enumerate(ends):
        after = days_for(needed_by[j])
        last = calendar.advance(calendar.study_day(end + 1), after) if after else end
        bound = max(bound, last)
    return bound


def latest_starts(problem: Problem, capacity: int, runs_only: bool) -> list[float]:
    """Each course's latest start that keeps a deadline (smaller = more urgent).

    A backward pass at full pace. With `runs_only` False the deadline is the prerequisite-chain
    bound; with `runs_only` True only listed runs set deadlines: an instructor-paced course
    must make its earliest possible run, and every course it needs must end before that.
    """
    jobs = problem.jobs
    if not jobs:
        return []
    earliest = earliest_ends(problem, capacity)
    horizon = math.inf if runs_only else max(earliest)
    latest: list[float] = [0.0] * len(jobs)
    for j in range(len(jobs) - 1, -1, -1):
        job = jobs[j]
        must_end = min((latest[d] - 1 for d in job.dependants), default=horizon)
        if job.self_paced:
            latest[j] = must_end - duration(job.work, capacity) + 1
            continue
        latest[j] = must_end - job.days + 1
        if job.runs:
            if runs_only:  # the run it can make at the earliest
                latest[j] = min(latest[j], earliest[j] - job.days + 1)
            i = bisect_right(job.runs, latest[j]) - 1
            if i >= 0:
                latest[j] = job.runs[i]
    return latest


def lower_bound(problem: Problem, capacity: int) -> int:
    """A day before which no schedule under the model can finish (see the package doc).

    The load and course slots of fixed-schedule courses count too, on their study days:
    fixed runs never collide (a course whose every listed run would is planned after the
    last, `rules.sessions`).
    A fixed course running through a break takes none of the learner's study days there. Only
    a course under way, or one whose listed runs overlap a break, can run through one (the
    planner places every other fixed course clear of breaks), and only breaks that begin
    before the finish can shorten what it takes: the bound is found break by break, each time
    assuming the finish comes before the next break begins.
    """
    jobs = problem.jobs
    if not jobs:
        return -1
    bound = max(
        max(earliest_ends(problem, capacity)),
        _around_each_course(problem, capacity),
    )
    work = sum(job.work for job in jobs if job.self_paced)
    slot_days = sum(duration(job.work, capacity) for job in jobs if job.self_paced)
    clear = [job for job in jobs if not job.self_paced and not may_span_a_break(problem, job)]
    work += sum(fixed_load(job.rate, capacity) * job.days for job in clear)
    slot_days += sum(job.days for job in clear)
    spans = [  # the other fixed courses that may run through a break: (load, days)
        (fixed_load(job.rate, capacity), job.days)
        for job in jobs
        if not job.self_paced and job.fixed is None and may_span_a_break(problem, job)
    ]
    work_layers, slot_layers = _under_way(problem, capacity)
    work_spans = spans + work_layers  # each (amount, days) from the plan's first day
    slot_spans = [(1, days) for _, days in spans] + slot_layers
    break_days = 0  # the days of the breaks that begin before the finish, at most
    for first, last in problem.calendar.breaks:
        fixed_work = sum(rate * max(days - break_days, 0) for rate, days in work_spans)
        fixed_slots = sum(count * max(days - break_days, 0) for count, days in slot_spans)
        found = _study_bound(problem, capacity, work + fixed_work, slot_days + fixed_slots)
        if max(found, bound) < first:  # the finish comes before this break
            return max(found, bound)
        bound = max(bound, first)  # else the finish is on or after this break's first day
        break_days += last - first + 1
    fixed_work = sum(rate * max(days - break_days, 0) for rate, days in work_spans)
    fixed_slots = sum(count * max(days - break_days, 0) for count, days in slot_spans)
    found = _study_bound(problem, capacity, work + fixed_work, slot_days + fixed_slots)
    return max(bound, found, _one_after_another(problem, capacity))


Layers = list[tuple[int, int]]  # (load or course slots, days from the plan's first day)


def _under_way(problem: Problem, capacity: int) -> tuple[Layers, Layers]:
    """What the fixed courses under way take of the hours and the course slots. Each runs
    from the plan's first day to its session's end, whatever else runs, so together they
    may need more than the pace or the slots (a plan then says so): on each day they count
    for at most the pace and the slots. As layers from the first day, the longest first,
    each adding what the courses still running add, capped."""
    under = sorted(
        (
            (job.fixed[1] + 1, fixed_load(job.rate, capacity))
            for job in problem.jobs
            if not job.self_paced and job.fixed is not None
        ),
        reverse=True,
    )
    work: Layers = []
    slots: Layers = []
    load = count = 0
    for days, rate in under:
        work.append((min(load + rate, capacity) - min(load, capacity), days))
        slots.append((int(count < problem.max_parallel), days))
        load, count = load + rate, count + 1
    return work, slots


def _one_after_another(problem: Problem, capacity: int) -> int:
    """Fixed courses that cannot run side by side run one after another.

    Two fixed courses clash when their loads together exceed the pace (or one course at a
    time is allowed). Taking the heaviest first, each course that clashes with every one
    kept joins them; they then fill at least their days added up, from the earliest start
    among them. -1 when fewer than two clash. Courses under way keep their sessions, which
    may overlap (warned), so they are left out.
    """
    ends = earliest_ends(problem, capacity)
    fixed = sorted(
        (
            (fixed_load(job.rate, capacity), j)
            for j, job in enumerate(problem.jobs)
            if not job.self_paced and job.fixed is None
        ),
        reverse=True,
    )
    kept: list[int] = []
    lightest = 0
    for load, j in fixed:
        if not kept or problem.max_parallel == 1 or load + lightest > capacity:
            kept.append(j)
            lightest = load
    if len(kept) < 2:
        return -1

    def span(j: int) -> int:
        job = problem.jobs[j]
        return job.fixed[1] - job.fixed[0] + 1 if job.fixed else job.days

    first = min(ends[j] - span(j) + 1 for j in kept)
    return first + sum(span(j) for j in kept) - 1


def _study_bound(problem: Problem, capacity: int, work: float, slot_days: int) -> int:
    """The first day by which `work` at `capacity` on study days, and `slot_days` spread over
    the course slots, could be done."""
    calendar = problem.calendar
    first_day = calendar.study_day(0)
    bound = -1
    if work > 0:
        bound = calendar.advance(first_day, math.ceil(work / capacity - EPSILON))
    if slot_days:
        slot_bound = math.ceil(slot_days / problem.max_parallel)
        bound = max(bound, calendar.advance(first_day, slot_bound))
    return bound


def critical_chain(problem: Problem, schedule: Schedule) -> tuple[int, ...]:
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
