"""The sampler behind `plan --risk` for a request, to look at its paths: tests check that
every path keeps the plan's rules, and benchmarks/risk.py measures it and how stable its
P90 is."""

from __future__ import annotations

from dataclasses import dataclass

from mmplan.catalog.model import Catalog
from mmplan.schedule.model import PlanRequest, RiskOptions
from mmplan.schedule.odds import risk_inputs, sampler_for
from mmplan.schedule.planner import _prepare
from mmplan.schedule.problem import Problem, capacity_of
from mmplan.schedule.risk import Sampler, percentile, run_samples
from mmplan.schedule.search import SolverBudget, best_plan


def risk_sampler(catalog: Catalog, request: PlanRequest) -> tuple[Sampler, Problem]:
    """The sampler `--risk` draws from for the request's plan, and the plan's problem: for
    tests and benchmarks, which look at the paths themselves."""
    prepared = _prepare(catalog, request)
    capacity = capacity_of(request.hours_per_week)
    schedule = best_plan(
        prepared.problem, capacity, SolverBudget(request.solver_seconds, len(request.program_ids))
    )
    inputs = risk_inputs(request, prepared.todo)
    options = request.risk or RiskOptions()
    problem = prepared.problem
    made = sampler_for(problem, schedule.schedule, capacity, inputs, options)
    return made, problem


# A finish with at most this many distinct days among the samples falls on sessions' ends.
SESSION_BOUND = 60


@dataclass(frozen=True)
class Stability:
    """How far P90 moves when the samples double (the first half the same samples): in
    days, and in steps between the distinct finishes the samples reach."""

    p90: int | None  # at `samples`
    p90_doubled: int | None  # at twice as many
    days: int | None  # None: one of them is never (within the attempts allowed)
    steps: int | None
    session_bound: bool  # the finishes fall on few days: sessions' ends

    @property
    def stable(self) -> bool:
        """At most one day, or one session for a session-bound finish."""
        if self.days is None or self.steps is None:
            return self.p90 == self.p90_doubled
        return self.days <= 1 or (self.session_bound and self.steps <= 1)


def p90_stability(sampler: Sampler, samples: int, seed: int) -> Stability:
    """P90 at `samples` and at twice as many, from `seed`."""
    finishes = [o.finish for o in run_samples(sampler, 2 * samples, seed)]
    half, whole = percentile(finishes[:samples], 0.9), percentile(finishes, 0.9)
    days = sorted({f for f in finishes if f is not None})
    if half is None or whole is None:
        return Stability(half, whole, None, None, len(days) <= SESSION_BOUND)
    steps = abs(days.index(half) - days.index(whole))
    return Stability(half, whole, abs(half - whole), steps, len(days) <= SESSION_BOUND)
