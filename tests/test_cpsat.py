"""`mmplan.schedule.cpsat` builds and solves the exact pass's models as OR-Tools' `cp_model`
does: the same model (byte for byte), the same parameters, the same proven objective and
the same plan."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from ortools.sat.python import cp_model

from factories import catalog, course, pausing_program, program, rounding_program
from mmplan.catalog.load import CatalogSources, load_active_catalog
from mmplan.catalog.model import Catalog
from mmplan.schedule import InProgress, PlanRequest, cpsat
from mmplan.schedule import exact as exact_module
from mmplan.schedule import planner as planner_module
from mmplan.schedule import search as search_module
from mmplan.schedule.solve import Run

MONDAY = date(2027, 1, 4)
ROUNDING = catalog(rounding_program())  # loses a rounding day the exact pass wins back
SESSION = catalog(pausing_program(MONDAY))  # the shortest plan pauses a course
# The same with a session under way (its dates are constants of the model).
UNDER_WAY = catalog(
    program(
        "p",
        course("A", weeks=2, hours=2),
        course("B", weeks=2, hours=8),
        course("C", weeks=4, hours=5),
        course("F", weeks=4, hours=2, pacing="instructor"),
    )
)
CASES = {
    "rounding": (ROUNDING, "p", 5.0),
    "pausing": (SESSION, "p", 8.0),
    "under-way": (UNDER_WAY, "p", 5.0),
    "bundled": (None, "ucsandiegox-algorithms-data-structures", 5.0),
}

Solved = tuple[str, str, str, float, float]  # model, parameters, status, objective, bound


def _search(
    monkeypatch: pytest.MonkeyPatch, case: str
) -> tuple[list[Solved], exact_module.ExactOutcome]:
    """Every solve of one exact search, and its outcome."""
    data, program_id, hours = CASES[case]
    chosen: Catalog = data or load_active_catalog(CatalogSources()).catalog
    started = (InProgress(course_id="p/F", started=MONDAY - timedelta(days=7)),)
    asked = PlanRequest(
        program_ids=(program_id,),
        hours_per_week=hours,
        start=MONDAY,
        in_progress=started if case == "under-way" else (),
    )
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


def _every_method(sat: Any) -> str:
    """A small model that calls every method of `sat` (cpsat or cp_model) mmplan uses."""
    model = sat.CpModel()
    x, y = model.new_int_var(0, 10, "x"), model.new_int_var(0, 10, "y")
    b = model.new_bool_var("b")
    z = model.new_int_var_from_domain(sat.Domain.from_intervals([[0, 2], [5, 9]]), "z")
    four, again = model.new_constant(4), model.new_constant(4)
    model.add(x + 2 * y - 3 >= 4)
    model.add(x == 5).only_enforce_if(b.Not())
    model.add(x + y <= 2 * x + 1).only_enforce_if(b)
    model.add(3 * (x + 1) >= 2 - z)
    model.add(True)
    model.add(False)
    first = model.new_interval_var(x, 3, x + 3, "i")
    second = model.new_fixed_size_interval_var(y, 2, "j")
    third = model.new_optional_interval_var(x, y, four, b.Not(), "k")
    model.add_cumulative([first, second, third], [1, x, 2], 5)
    model.add_multiplication_equality(again, [x, y])
    model.add_max_equality(z, [x, four + 1])
    model.add_bool_or([b, b.Not()])
    model.minimize(3 * x + y - 2)
    model.add_hint(x, 3)
    model.add_hint(b.Not(), True)
    return str(model.model_proto)


def test_every_method_writes_what_cp_model_writes() -> None:
    assert _every_method(cpsat) == _every_method(cp_model)
