"""One pace's best schedule within one command's search budget: the list schedule, then
the exact pass where it misses its lower bound, under a wall-clock cap."""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field, replace

from mmplan.schedule.bounds import lower_bound
from mmplan.schedule.exact import CAPPED_BEFORE, exact_schedule
from mmplan.schedule.model import MEETS_THE_BOUND, PlanWarning, SolverReport, WarningKind
from mmplan.schedule.problem import Policy, Problem, Schedule
from mmplan.schedule.rates import quarter_hour_rates
from mmplan.schedule.simulation import best_schedule
from mmplan.schedule.solve import load_solver, wall_cap_enabled, wall_left

_LEAST_SEARCH = 0.05  # deterministic seconds: a search given less is not worth starting
# Deterministic seconds of search (CP-SAT's own work count, about a CPU second each) for
# each second of the wall-clock cap: the deterministic budget is what normally stops the
# search; the cap, twice as long, stops it only on a slow or busy machine.
DETERMINISTIC_PER_SECOND = 0.5
# Of the command's deterministic budget, at most, for a plan whose list schedule is within a
# day of its bound: it has at most that day to gain (a rounding day, often removed and proven
# in much less), and the rest is kept for the searches after it. michiganx-ux-research-design
# at 3 h/week (--finish-by 2028-01-01) spent 0.48 deterministic seconds proving one day.
CLOSE_SHARE = 0.2
# Of the deterministic budget, for a plan of several programs stacked. Its model is larger
# and its search seldom completes (none of the three bundled pairs that search was proven
# at the whole budget, half a deterministic second: 1.2-2.4 CPU s each on a busy 2-core
# machine), so it would spend the whole budget for a day or three; at this share a pair
# keeps the answer within a second and says how far it may be from the best plan.
STACKED_SHARE = 0.15
_NO_BUDGET = "the exact search's budget was spent"
_CLOSE_ENOUGH = "within a day of the lower bound"


@dataclass(frozen=True)
class Best:
    """The schedule a plan uses, its lower bound, and which search made it."""

    schedule: Schedule
    bound: int
    solver: SolverReport


_Key = tuple[int, tuple[Policy, ...] | None]  # a pace's capacity and the policies tried


@dataclass
class SolverBudget:
    """The exact pass's budget for one whole command (`--solver-seconds`): a wall-clock cap
    from now, and within it deterministic seconds, spent in a fixed order (the `--finish-by`
    search, the plan, then its what-if paces); also the schedules already made for the
    command's one problem, so that no pace is listed or searched twice."""

    seconds: float  # the wall-clock cap of every search together; 0: the exact search is off
    programs: int = 1  # stacked in the plan: several get `STACKED_SHARE` of the budget
    whole: float = field(init=False)  # deterministic seconds for the whole command
    left: float = field(init=False)  # deterministic seconds left
    deadline: float = field(init=False)  # time.monotonic() at the cap; set by the first search
    capped: bool = False  # the cap stopped a search: the plan may differ from run to run
    searched: dict[_Key, Best] = field(default_factory=dict)
    listed: dict[_Key, tuple[Schedule, int]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        share = STACKED_SHARE if self.programs > 1 else 1.0
        self.whole = self.left = self.seconds * DETERMINISTIC_PER_SECOND * share
        self.deadline = math.inf

    def wall_left(self) -> float:
        """Seconds left before the wall-clock cap. Its clock starts when the first search
        does, before the solver loads: loading it is part of what the cap bounds."""
        if self.deadline == math.inf and wall_cap_enabled():
            self.deadline = time.monotonic() + self.seconds
            load_solver()
        return wall_left(self.deadline)


def list_schedule(
    problem: Problem, capacity: int, policies: list[Policy] | None, budget: SolverBudget
) -> tuple[Schedule, int]:
    """The list schedule (under `policies`, default all) and its lower bound, made once per
    command (`budget` keeps them)."""
    key = (capacity, None if policies is None else tuple(policies))
    made = budget.listed.get(key)
    if made is None:
        schedule = best_schedule(problem, capacity, policies)
        bound = lower_bound(problem, capacity)
        made = budget.listed[key] = (schedule, bound)
    return made


def best_plan(
    problem: Problem,
    capacity: int,
    budget: SolverBudget,
    policies: list[Policy] | None = None,
    *,
    among: int = 1,
    slack: int = 0,
    tidy: bool = True,
) -> Best:
    """The list schedule, then the exact pass where it misses its bound by more than `slack`
    days, within `1/among` of what is left of `budget` (the rest stays for the `among - 1`
    searches that follow; a list schedule a day over its bound gets at most `CLOSE_SHARE`
    of the whole), tidying the plan found only when `tidy`; weekly rates rounded up to
    quarter hours where the hours allow."""
    key = (capacity, None if policies is None else tuple(policies))
    known = budget.searched.get(key)
    if known is not None:
        return known
    schedule, bound = list_schedule(problem, capacity, policies, budget)
    if schedule.finish <= bound:
        best = Best(schedule, bound, SolverReport(used="heuristic", reason=MEETS_THE_BOUND))
    elif schedule.finish <= bound + slack:
        best = Best(schedule, bound, SolverReport(used="heuristic", reason=_CLOSE_ENOUGH))
    elif budget.seconds > 0 and budget.left < _LEAST_SEARCH:
        best = Best(schedule, bound, SolverReport(used="heuristic", reason=_NO_BUDGET))
    elif budget.seconds > 0 and budget.wall_left() <= 0:
        budget.capped = True
        best = Best(schedule, bound, SolverReport(used="heuristic", reason=CAPPED_BEFORE))
    else:
        seconds = budget.left / among
        if schedule.finish <= bound + 1:
            seconds = min(seconds, budget.whole * CLOSE_SHARE)
        outcome = exact_schedule(
            problem, capacity, schedule, bound, seconds, budget.deadline, tidy=tidy
        )
        budget.left = max(budget.left - outcome.spent, 0.0)
        budget.capped = budget.capped or outcome.capped
        kept = outcome.schedule or schedule
        bound = kept.finish if outcome.proven else max(bound, outcome.bound)
        best = Best(kept, bound, SolverReport(used=outcome.used, reason=outcome.reason))
    best = replace(best, schedule=quarter_hour_rates(problem, best.schedule, capacity))
    budget.searched[key] = best
    return best


def capped_warning(budget: SolverBudget) -> list[PlanWarning]:
    """When the wall-clock cap stopped a search before its deterministic budget."""
    if not budget.capped:
        return []
    return [
        PlanWarning(
            kind=WarningKind.SEARCH_CAPPED,
            message=f"the exact search stopped at its {budget.seconds:g} s wall-clock cap "
            "(--solver-seconds) before its deterministic budget: this plan may differ from "
            "run to run; more seconds, or a less busy machine, give the whole search",
        )
    ]
