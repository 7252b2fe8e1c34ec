"""One truth (#12): for every bundled program, `list`, `show`, `plan`, `cost` and `status`
give the same figure for the same thing: each course's price, the total due with its
unknowns, the total hours and the estimate marks. Each figure comes from `mmplan.figures`;
this test reads the commands' JSON, as a learner comparing them would."""

from __future__ import annotations

import json
from typing import Any

import pytest

from conftest import Invoke
from mmplan.catalog import CatalogSources, load_active_catalog

PROGRAMS = [p.id for p in load_active_catalog(CatalogSources()).programs]


def document(mmplan: Invoke, *args: str) -> Any:
    result = mmplan(*args, "--format", "json")
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


@pytest.mark.parametrize("program", PROGRAMS)
def test_the_commands_agree_on_every_figure(mmplan: Invoke, program: str) -> None:
    plan = document(mmplan, "plan", program, "--start", "2027-01-04")
    cost = document(mmplan, "cost", program)
    listed = next(s for s in document(mmplan, "list")["programs"] if s["id"] == program)
    shown = document(mmplan, "show", program)
    status = document(mmplan, "status", program)

    # The same courses: plan, cost, list and status count the same selection.
    planned = {c["id"] for c in plan["courses"]}
    costed = {c["id"] for c in cost["courses"]}
    assert planned == costed
    assert planned == set(listed["course_ids"])
    own = {i for i in planned if i.startswith(program + "/")}
    assert own == set(status["needed"])

    # Each course's price and its estimate mark.
    costs = {c["id"]: c for c in cost["courses"]}
    facts = {c["id"]: c for c in shown["courses"]}
    for course in plan["courses"]:
        costed_course = costs[course["id"]]
        assert course["price_usd"] == costed_course["price_usd"], course["id"]
        estimated = "price_usd" in course["estimated"] and course["price_usd"] is not None
        assert estimated == (costed_course["estimated"] and costed_course["price_usd"] is not None)
        if course["id"] in facts:
            assert facts[course["id"]]["price_usd"] == course["price_usd"], course["id"]

    # The total due, its unknowns and its estimate mark.
    assert plan["cost_usd"]["due"] == cost["due_usd"]
    assert sorted(plan["cost_usd"]["unknown"]) == sorted(cost["unknown"])
    assert plan["cost_usd"]["estimated"] == cost["due_estimated"]
    if listed["price_basis"] != "published":  # a published program price is another fact
        assert sorted(listed["price_unknown"]) == sorted(cost["unknown"])
        if listed["price_usd"] is not None:
            assert listed["price_usd"] == cost["due_usd"]
        assert listed["price_estimated"] == cost["due_estimated"]

    # Total hours and their estimate mark.
    assert plan["total_hours"] == pytest.approx(listed["total_hours"])
    assert shown["summary"]["total_hours"] == listed["total_hours"]
    assert plan["hours_estimated"] == listed["hours_estimated"]
