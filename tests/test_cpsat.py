"""`mmplan.schedule.cpsat` builds and solves the exact pass's models as OR-Tools' `cp_model`
does: the same model, the same parameters, the same proven objective and the same plan."""

from __future__ import annotations

from datetime import date

import pytest
from ortools.sat.python import cp_model

from factories import catalog, course, pausing_program, program
from mmplan.catalog.load import CatalogSources, load_active_catalog
from mmplan.catalog.model import Catalog
from mmplan.schedule import PlanRequest, cpsat
from mmplan.schedule import exact as exact_module
from mmplan.schedule import planner as planner_module
from mmplan.schedule import search as search_module
from mmplan.schedule.solve import Run

MONDAY = date(2027, 1, 4)
# The list schedule loses a rounding day that the search removes and proves (no pauses).
ROUNDING = catalog(
    program(
        "p",
        course("A", weeks=2, hours=2),
        course("B", weeks=2, hours=8),
        course("C", weeks=4, hours=5),
    )
)
SESSION = catalog(pausing_program(MONDAY))  # the shortest plan pauses a course
CASES = {
    "rounding": (ROUNDING, "p", 5.0),
    "pausing": (SESSION, "p", 8.0),
    "bundled": (None, "ucsandiegox-algorithms-data-structures", 5.0),
}

Solved = tuple[str, str, str, float, float]  # model, parameters, status, objective, bound


def _search(
    monkeypatch: pytest.MonkeyPatch, case: str
) -> tuple[list[Solved], exact_module.ExactOutcome]:
    """Every solve of one exact search, and its outcome."""
    data, program_id, hours = CASES[case]
    chosen: Catalog = data or load_active_catalog(CatalogSources()).catalog
    asked = PlanRequest(program_ids=(program_id,), hours_per_week=hours, start=MONDAY)
    problem = planner_module._prepare(chosen, asked).problem
    capacity = round(hours * 100)
    listed, bound = search_module.list_schedule(
        problem, capacity, None, search_module.SolverBudget(0)
    )
    solved: list[Solved] = []
    solve = exact_module.solve

    def recorded(solver: cpsat.CpSolver, model: cpsat.CpModel, *limits: float) -> Run:
        run = solve(solver, model, *limits)
        response = solver.response_proto
        solved.append(
            (
                str(model.model_proto),
                str(solver.parameters),
                solver.status_name(run.status),
                response.objective_value,
                solver.best_objective_bound,
            )
        )
        return run

    with monkeypatch.context() as patch:
        patch.setattr(exact_module, "solve", recorded)
        outcome = exact_module.exact_schedule(problem, capacity, listed, bound, 1.0)
    return solved, outcome


@pytest.mark.parametrize("case", sorted(CASES))
def test_cpsat_solves_the_exact_pass_as_cp_model_does(
    monkeypatch: pytest.MonkeyPatch, case: str
) -> None:
    ours, ours_outcome = _search(monkeypatch, case)
    monkeypatch.setattr(cpsat, "CpModel", cp_model.CpModel)
    monkeypatch.setattr(cpsat, "CpSolver", cp_model.CpSolver)
    theirs, theirs_outcome = _search(monkeypatch, case)
    assert ours_outcome.proven  # each case searches, and proves its plan shortest
    assert "OPTIMAL" in {status for _, _, status, _, _ in ours}
    assert ours == theirs
    assert ours_outcome == theirs_outcome
