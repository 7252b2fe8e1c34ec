"""One truth (#12): for every bundled program, `list`, `show`, `plan`, `cost` and `status`
give the same figure for the same thing: each course's price, the total due with its
unknowns, the total hours and the estimate marks. Each figure comes from `mmplan.catalog.figures`;
this test reads the commands' JSON, as a learner comparing them would."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from conftest import PLANNABLE_IDS, Invoke
from factories import cli_on, course, program

# A retired program is listed and shown, but plan and cost refuse it (test_status_platform).
PROGRAMS = PLANNABLE_IDS


def document(mmplan: Invoke, *args: str) -> Any:
    result = mmplan(*args, "--format", "json")
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


@pytest.mark.parametrize("program", PROGRAMS)
def test_the_commands_agree_on_every_figure(bundled_runs: Invoke, program: str) -> None:
    plan = document(bundled_runs, "plan", program, "--start", "2027-01-04")
    cost = document(bundled_runs, "cost", program)
    listed = next(s for s in document(bundled_runs, "list")["programs"] if s["id"] == program)
    shown = document(bundled_runs, "show", program)
    status = document(bundled_runs, "status", program)

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
    for planned in plan["courses"]:
        costed = costs[planned["id"]]
        assert planned["price_usd"] == costed["price_usd"], planned["id"]
        estimated = "price_usd" in planned["estimated"] and planned["price_usd"] is not None
        assert estimated == (costed["estimated"] and costed["price_usd"] is not None)
        if planned["id"] in facts:
            assert facts[planned["id"]]["price_usd"] == planned["price_usd"], planned["id"]

    # The total due, its unknowns and its estimate mark.
    assert plan["cost_usd"]["due"] == cost["due_usd"]
    assert sorted(plan["cost_usd"]["unknown"]) == sorted(cost["unknown"])
    assert plan["cost_usd"]["estimated"] == cost["due_estimated"]
    if listed["price_basis"] != "published":  # a published program price is another fact
        assert sorted(listed["price_unknown"]) == sorted(cost["unknown"])
        if listed["price_usd"] is not None:
            assert listed["price_usd"] == cost["due_usd"]
        assert listed["price_estimated"] == cost["due_estimated"]

    # A published program price and its own date (#25: the SCM bundle's is 2016/2018).
    published = next(p for p in plan["programs"] if p["id"] == program)
    (priced,) = [p for p in cost["programs"] if p["id"] == program]
    assert published["published_price_usd"] == priced["price_usd"] == shown["published_price_usd"]
    if priced["price_usd"] is not None:
        assert published["published_price_as_of"] == priced["published_price_as_of"]
        assert priced["published_price_as_of"] == listed["published_price_as_of"]

    # Total hours and their estimate mark.
    assert plan["total_hours"] == pytest.approx(listed["total_hours"])
    assert shown["summary"]["total_hours"] == listed["total_hours"]
    assert plan["hours_estimated"] == listed["hours_estimated"]


# ----- Regression tests, one per case of issue #12, on tiny catalogs ----------------------

TINY = [
    # X is one course: p lists it without a price, q (which requires it) with one.
    program(
        "p",
        course("A", price=200),
        course("X", weeks=2, hours=5, price=None),
        course("Y", weeks=3, hours=5, price=None),
        electives=[{"choose": 1, "from": ["X", "Y"]}],
    ),
    program("q", course("x", weeks=2, hours=5, price=[100, 1000]), course("Q", price=50)),
    program("none", course("N1", price=None), course("N2", price=None)),
    program(
        "est",
        course("E1", price=300, estimated=["price_usd"]),
        course("E2", weeks=2, hours=5, price=100, estimated=["weeks"]),
    ),
]


@pytest.fixture
def tiny(mmplan: Invoke, tmp_path: Path) -> Invoke:
    return cli_on(mmplan, tmp_path / "tiny.yaml", *TINY)


def test_a_shared_course_has_one_price_in_every_command(tiny: Invoke) -> None:
    """plan priced 14.310x at DEDP's price while cost called it unknown."""
    plan = document(tiny, "plan", "p", "--pick", "X", "--start", "2027-01-04")
    cost = document(tiny, "cost", "p", "--pick", "X")
    shown = document(tiny, "show", "p")
    prices = [
        next(c["price_usd"] for c in plan["courses"] if c["id"] == "p/X"),
        next(c["price_usd"] for c in cost["courses"] if c["id"] == "p/X"),
        next(c["price_usd"] for c in shown["courses"] if c["id"] == "p/X"),
    ]
    assert prices == [[100, 1000]] * 3
    listed = next(s for s in document(tiny, "list")["programs"] if s["id"] == "p")
    assert listed["price_usd"] == [300, 1200]  # A and X (the fewest hours), none unknown
    assert cost["due_usd"] == plan["cost_usd"]["due"] == [300, 1200]


def test_an_unknown_price_is_never_shown_as_zero(tiny: Invoke) -> None:
    plan = tiny("plan", "none", "--start", "2027-01-04").stdout
    assert "Cost:       unknown (2 courses)" in plan
    assert "$0" not in plan
    cost = tiny("cost", "none").stdout
    assert "Due: unknown (2 courses)\n" in cost
    assert "Total: unknown (2 courses)\n" in cost
    some = tiny("cost", "p", "--pick", "Y").stdout
    assert "Due: $200 + 1 unknown\n" in some


def test_estimate_marks_reach_every_total(tiny: Invoke) -> None:
    plan = tiny("plan", "est", "--start", "2027-01-04").stdout
    assert "Cost:       ~$400" in plan
    assert "~30 h in all" in plan
    table = tiny("plan", "est", "--start", "2027-01-04", "--format", "markdown").stdout
    assert (
        "| **Total** |  | **2027-01-04** | **2027-01-30** | **3.9** |  | **~30** | **~$400** |"
        in table
    )
    cost = tiny("cost", "est").stdout
    assert "Due: ~$400\n" in cost
    assert "Total: ~$400\n" in cost
    listed = tiny("list", "--format", "csv").stdout
    assert "est,Program est,TestX,Testing,2,~30,~$400," in listed


def test_cost_words_a_shared_course_as_plan_does(tiny: Invoke) -> None:
    """cost labelled 14.310x 'elective: choose 2 of 4' though DEDP requires it."""
    cost = document(tiny, "cost", "p", "q")
    shared = next(c for c in cost["courses"] if c["id"] == "p/X")
    plan = document(tiny, "plan", "p", "q", "--start", "2027-01-04")
    planned = next(c for c in plan["courses"] if c["id"] == "p/X")
    assert shared["reason"] == planned["reason"] == "elective: choose 1 of 2; required in q"
    assert shared["same_as"] == ["q/x"]


def test_completed_rows_stand_apart_from_the_remaining_total(tiny: Invoke) -> None:
    added = tiny("progress", "add", "q", "Q", "--date", "2026-05-01")
    assert added.exit_code == 0, added.stderr
    table = tiny("plan", "q", "--start", "2027-01-04", "--format", "markdown").stdout
    assert "| Q | Course Q | completed |  |  |  | 20 | $50 |" in table
    # x alone: Q is done and paid, so the last row says it sums what remains
    assert "| **Remaining** |  | **2027-01-04** | **2027-01-12** | **1.3** |  | **10** |" in table
    assert "**Total**" not in table


def test_money_and_hours_are_written_one_way() -> None:
    from decimal import Decimal

    from mmplan.catalog.model import PriceRange
    from mmplan.render.formatting import hours, money_total

    six_hundred = PriceRange(lo=Decimal(600), hi=Decimal(600))
    nothing = PriceRange(lo=Decimal(0), hi=Decimal(0))
    assert money_total(six_hundred, 0, any_known=True) == "$600"
    assert money_total(six_hundred, 3, any_known=True, estimated=True) == "~$600 + 3 unknown"
    assert money_total(nothing, 3, any_known=False) == "unknown (3 courses)"
    assert money_total(nothing, 1, any_known=False) == "unknown (1 course)"
    assert money_total(nothing, 1, any_known=True) == "$0 + 1 unknown"  # a free course
    assert [hours(130.0), hours(97.2), hours(165.456), hours(20, estimated=True)] == [
        "130",
        "97.2",
        "165.5",
        "~20",
    ]


def test_a_narrow_cost_table_still_marks_its_total_incomplete(
    tiny: Invoke, monkeypatch: pytest.MonkeyPatch
) -> None:
    """At 60 columns the why column (`+ 1 unknown`) is dropped; the total keeps `+?`."""
    monkeypatch.setenv("COLUMNS", "60")
    out = tiny("cost", "p", "--pick", "Y").stdout
    total = next(line for line in out.splitlines() if line.startswith("Total"))
    assert total.split()[-1] == "$200+?"


def test_the_scm_bundle_price_is_dated_by_its_source_in_every_command(
    bundled_runs: Invoke,
) -> None:
    """#25: $1,350 comes from MIT's SCM FAQ as copied in 2016-2018, not from the program's
    2021-09-30 facts: every command that shows it gives that date."""
    dated = "$1,350 published (2016–2018)"
    for args in (("list",), ("show", "mitx-scm"), ("compare", "mitx-scm", "mitx-sds")):
        assert dated in " ".join(bundled_runs(*args).stdout.split()), args
    plan = bundled_runs("plan", "mitx-scm", "--start", "2027-01-04").stdout
    assert "published program price $1,350 (2016–2018)" in " ".join(plan.split())
    cost = bundled_runs("cost", "mitx-scm").stdout
    assert "published price $1,350 (2016–2018)" in " ".join(cost.split())
    listed = document(bundled_runs, "list")["programs"]
    assert next(s for s in listed if s["id"] == "mitx-scm")["published_price_as_of"] == (
        "2016/2018"
    )
