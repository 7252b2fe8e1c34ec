"""The sampler behind `plan --risk` for a request, to look at its paths: tests check that
every path keeps the plan's rules, and benchmarks/risk.py measures it."""

from __future__ import annotations

from mmplan.catalog.model import Catalog
from mmplan.schedule.model import PlanRequest, RiskOptions
from mmplan.schedule.odds import risk_inputs, sampler_for
from mmplan.schedule.planner import _prepare
from mmplan.schedule.problem import Problem, capacity_of
from mmplan.schedule.risk import Sampler
from mmplan.schedule.search import SolverBudget, best_plan


def risk_sampler(catalog: Catalog, request: PlanRequest) -> tuple[Sampler, Problem]:
    """The sampler `--risk` draws from for the request's plan, and the plan's problem: for
    tests and benchmarks, which look at the paths themselves."""
    prepared = _prepare(catalog, request)
    capacity = capacity_of(request.hours_per_week)
    schedule = best_plan(prepared.problem, capacity, SolverBudget(request.solver_seconds))
    inputs = risk_inputs(request, prepared.todo)
    options = request.risk or RiskOptions()
    problem = prepared.problem
    made = sampler_for(problem, schedule.schedule, capacity, inputs, options)
    return made, problem
