"""Answering `--finish-by`: the least pace that finishes by a date, or whether a given
pace does, and what sets the earliest finish when no pace makes the date."""

from __future__ import annotations

import math
from datetime import date

from mmplan.catalog.index import CatalogIndex
from mmplan.catalog.model import Catalog
from mmplan.core.errors import MmplanError, UsageError
from mmplan.core.limits import MAX_HOURS_PER_WEEK
from mmplan.schedule.bounds import critical_chain, lower_bound
from mmplan.schedule.contents import check_request
from mmplan.schedule.model import FINISH_BY_STEP, Plan, PlanRequest, PlanWarning, WarningKind
from mmplan.schedule.peak import peak_load
from mmplan.schedule.planner import _assemble, _day, _prepare, _Prepared
from mmplan.schedule.problem import CENTI, Problem, Schedule, capacity_of
from mmplan.schedule.search import SolverBudget, best_plan, list_schedule
from mmplan.schedule.simulation import PlanTooLongError
from mmplan.selection import ProgramChoices

_FINISH_BY_SCAN = 24  # paces tried one by one above the lowest the bound allows
_FINISH_BY_EXACT_TRIES = 8  # paces of a --finish-by search that get the exact pass


def plan_finishing_by(
    catalog: Catalog | CatalogIndex,
    request: PlanRequest,
    finish_by: date,
    *,
    pace_given: bool = False,
    what_ifs: bool = True,
    chosen: ProgramChoices | None = None,
) -> Plan:
    """The plan at the smallest pace (in 0.5 h steps) that finishes on or before `finish_by`
    within budget (its peak never above that pace).

    With `pace_given`, answer "can I finish by then at the request's pace?" instead: the plan
    when it can, else an error with the finish at that pace and the pace the date needs.
    `what_ifs`, `chosen`: as for `plan_programs`.
    """
    check_request(request)
    if finish_by <= request.start:
        raise UsageError(f"--finish-by {finish_by} must be after the start {request.start}")
    prepared = _prepare(catalog, request, chosen, checked=True)
    problem = prepared.problem
    # For the whole answer, in this order.
    budget = SolverBudget(request.solver_seconds, len(request.program_ids))
    if not problem.jobs:
        return _assemble(request, prepared, budget, what_ifs=what_ifs)
    deadline = (finish_by - request.start).days
    if pace_given:
        return _check_finish_by(request, prepared, finish_by, budget, what_ifs=what_ifs)
    fastest = _fastest(problem, budget)
    least = _least_pace(problem, deadline, budget)
    if least is None:
        raise MmplanError(
            f"no pace finishes by {finish_by}: " + _earliest(request, problem, fastest, budget)
        )
    steps, exact = least
    if all(
        not job.self_paced and job.rate > steps * FINISH_BY_STEP * CENTI for job in problem.jobs
    ):
        # Every course runs at its own rate, above that pace: no week keeps the pace.
        steps, exact = _least_pace(problem, deadline, budget, steady=True) or least
    paced = request.model_copy(update={"hours_per_week": steps * FINISH_BY_STEP})
    least_text = "the least" if exact else "the least found"
    schedule, _ = list_schedule(problem, capacity_of(paced.hours_per_week), None, budget)
    message = f"{paced.hours_per_week:g} h/week is {least_text} that finishes by {finish_by}"
    peak = _peak_text(request, problem, schedule, paced.hours_per_week)
    if peak:
        steady = _least_pace(problem, deadline, budget, steady=True)
        message += f", {peak}"
        if steady is not None:
            message += f"; every week at one pace, {steady[0] * FINISH_BY_STEP:g} h/week"
    notes = [
        PlanWarning(
            kind=WarningKind.LEAST_PACE,
            message=message,
            hours_per_week=paced.hours_per_week,
            end=finish_by,
        )
    ]
    if schedule.finish <= fastest.finish and any(not job.self_paced for job in problem.jobs):
        # No pace finishes earlier: the fixed courses' sessions (or spans, undated) set it.
        chain = critical_chain(problem, fastest)
        dated = any(problem.jobs[j].has_dates for j in chain)
        setter = "session dates" if dated else "fixed-schedule courses"
        earliest = _day(request.start, fastest.finish)
        notes.append(
            PlanWarning(
                kind=WarningKind.FINISH_SET,
                message=f"{setter} set the finish: {earliest} is the earliest at any pace, "
                f"and {paced.hours_per_week:g} h/week is enough for it",
                courses=tuple(problem.jobs[j].id for j in chain),
                hours_per_week=paced.hours_per_week,
                end=earliest,
            )
        )
    return _assemble(paced, prepared, budget, extra_warnings=notes, what_ifs=what_ifs)


def _fastest(problem: Problem, budget: SolverBudget) -> Schedule:
    """The list schedule at the highest pace any command allows."""
    return list_schedule(problem, capacity_of(MAX_HOURS_PER_WEEK), None, budget)[0]


def _peak_text(request: PlanRequest, problem: Problem, schedule: Schedule, pace: float) -> str:
    """ "if you can give R h/week during C (dates)" for the fixed courses whose rate alone is
    above `pace` (each planned alone): what the plan needs beyond the pace; else ""."""
    capacity = capacity_of(pace)
    over = sorted(
        (j for j, job in enumerate(problem.jobs) if job.rate > capacity and not job.self_paced),
        key=lambda j: (schedule.start[j], j),
    )
    if not over:
        return ""
    most = max(problem.jobs[j].rate for j in over) / CENTI
    one = f"{request.program_ids[0]}/" if len(request.program_ids) == 1 else "/"
    spans = ", ".join(
        f"{problem.jobs[j].id.removeprefix(one)} ({_day(request.start, schedule.start[j])} to "
        f"{_day(request.start, schedule.end[j])})"
        for j in over
        if schedule.start[j] >= 0
    )
    return f"if you can give up to {most:g} h/week during {spans}"


def _check_finish_by(
    request: PlanRequest,
    prepared: _Prepared,
    finish_by: date,
    budget: SolverBudget,
    *,
    what_ifs: bool,
) -> Plan:
    """Yes (the plan) or no (an error saying why) to "can I finish by `finish_by`?".

    A fixed course whose rate alone is above the pace is no "no": the answer then says
    that it needs more during that course, and whether one pace every week makes the date."""
    problem, pace = prepared.problem, request.hours_per_week
    capacity = capacity_of(pace)
    deadline = (finish_by - request.start).days
    schedule = best_plan(problem, capacity, budget).schedule
    # Every course above the pace: no week keeps it, so the pace makes nothing by itself.
    heavy = all(not job.self_paced and job.rate > capacity for job in problem.jobs)
    peak = peak_load(schedule, capped=None if heavy else capacity).load
    finish = _day(request.start, schedule.finish)
    over = _peak_text(request, problem, schedule, pace)
    if finish <= finish_by and peak <= capacity:
        message = f"yes: at {pace:g} h/week you finish on {finish}"
        if over:
            steady = _least_pace(problem, deadline, budget, steady=True)
            message += f", {over}; at {pace:g} h/week every week, no"
            if steady is not None:
                message += f" ({steady[0] * FINISH_BY_STEP:g} h/week every week does)"
        yes = PlanWarning(
            kind=WarningKind.FINISHES_BY, message=message, hours_per_week=pace, end=finish
        )
        return _assemble(request, prepared, budget, extra_warnings=[yes], what_ifs=what_ifs)
    why = f"the plan finishes on {finish}"
    if peak > capacity:
        why += f" and needs up to {peak_load(schedule).load / CENTI:g} h/week"
    least = _least_pace(problem, deadline, budget)
    if least is not None:
        steps = least[0]
        answer = f"{steps * FINISH_BY_STEP:g} h/week finishes by {finish_by}"
        at_least = list_schedule(problem, capacity_of(steps * FINISH_BY_STEP), None, budget)[0]
        more = _peak_text(request, problem, at_least, steps * FINISH_BY_STEP)
        if more:
            answer += f", {more}"
    else:
        fastest = _fastest(problem, budget)
        answer = f"no pace does: {_earliest(request, problem, fastest, budget)}"
    raise MmplanError(f"not by {finish_by} at {pace:g} h/week: {why}; {answer}")


def _earliest(
    request: PlanRequest, problem: Problem, fastest: Schedule, budget: SolverBudget
) -> str:
    """What sets the earliest possible finish, and the pace it needs."""
    chain = critical_chain(problem, fastest)
    fixed = [j for j in chain if not problem.jobs[j].self_paced]
    blocker = fixed[-1] if fixed else chain[-1]
    text = (
        f"{problem.jobs[blocker].id} ends {_day(request.start, fastest.end[blocker])} at the "
        f"earliest; the earliest possible finish is {_day(request.start, fastest.finish)}"
    )
    least = _least_pace(problem, fastest.finish, budget)
    if least is not None:
        text += f", at {least[0] * FINISH_BY_STEP:g} h/week"
    return text


def _least_pace(
    problem: Problem, deadline: int, budget: SolverBudget, *, steady: bool = False
) -> tuple[int, bool] | None:
    """The fewest half hours a week whose plan ends by day `deadline` within budget, and
    whether it is proven least (else it is the least found); None when no pace does.

    Within budget means every week at that pace but while a fixed course whose rate alone
    is above it runs (no pace below its rate avoids that); `steady` asks for every week.

    A pace the list schedule misses gets the exact pass, for at most 8 paces: it may find a
    plan that makes the date, or prove that none does. Each takes an equal part of what is
    left of `budget` for the tries still allowed and the plan that follows."""
    tries = [_FINISH_BY_EXACT_TRIES]
    unproven: list[int] = []  # paces found wanting without a proof that nothing makes it
    fixed_rates = [job.rate for job in problem.jobs if not job.self_paced]
    heavy = math.ceil(max(fixed_rates, default=0) / (FINISH_BY_STEP * CENTI))

    def fits(steps: int) -> bool:
        capacity = capacity_of(steps * FINISH_BY_STEP)
        try:
            schedule, _ = list_schedule(problem, capacity, None, budget)
        except PlanTooLongError:
            return False  # far too slow to make any date
        within = peak_load(schedule, capped=None if steady else capacity).load <= capacity
        if schedule.finish <= deadline and within:
            return True
        # Below the heaviest fixed course's rate, at most half the exact passes: the rest
        # are kept for the paces from that rate up, which make the date more often.
        reserve = _FINISH_BY_EXACT_TRIES // 2 if steps < heavy else 0
        if tries[0] <= reserve or budget.left <= 0 or not within:
            unproven.append(steps)
            return False
        tries[0] -= 1
        best = best_plan(problem, capacity, budget, among=tries[0] + 2)
        if best.schedule.finish <= deadline:
            return True
        if best.bound <= deadline:  # not proven: some plan at this pace might make it
            unproven.append(steps)
        return False

    most = int(MAX_HOURS_PER_WEEK / FINISH_BY_STEP)
    if not fits(most):
        return None
    # No plan is steady below the rate of its most demanding fixed course, and none makes
    # the date below the pace where even the lower bound misses it; from there, try each
    # half hour up (plans usually sit near their bound), then bisect.
    floor = heavy if steady else 0
    low, high = max(floor - 1, 0), most  # the bound misses at `low`; the plan fits at `high`
    while high - low > 1:
        middle = (low + high) // 2
        bound = lower_bound(problem, capacity_of(middle * FINISH_BY_STEP))
        if bound <= deadline:
            high = middle
        else:
            low = middle
    scan_end = min(high + _FINISH_BY_SCAN, most)
    found = next((s for s in range(high, scan_end) if fits(s)), None)
    if found is not None:
        return found, not unproven
    low, high = scan_end - 1, most
    while high - low > 1:
        middle = (low + high) // 2
        if fits(middle):
            high = middle
        else:
            low = middle
    return high, False
