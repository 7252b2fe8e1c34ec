"""Payment deadlines, attempts and retakes, validity and status `unknown`: the catalog keys,
the one payment rule every output follows, and what show, list, cost and plan say."""

from __future__ import annotations

import json
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import yaml

from conftest import Invoke
from factories import catalog_data, cli_on, course, program
from mmplan.catalog.load import parse_catalog
from mmplan.catalog.model import Catalog, PriceRange, UpgradeDeadline
from mmplan.catalog.payments import deadline_rule, pay_by
from mmplan.core.errors import CatalogError
from mmplan.reports.cost import cost_report, retake_cost
from mmplan.schedule import InProgress, PlanRequest, WarningKind, plan_programs

START = date(2027, 1, 4)  # a Monday
EDX = {"name": "edX", "upgrade_deadline": {"days_after_start": 14}, "rule": "r", "sources": ["s"]}


def loaded(*programs: dict[str, Any], platforms: list[dict[str, Any]] | None = None) -> Catalog:
    data = {**catalog_data(*programs), "platforms": platforms if platforms is not None else [EDX]}
    return parse_catalog(yaml.safe_dump(data).encode(), "rules.yaml").catalog


def problems(data: dict[str, Any]) -> list[str]:
    try:
        parse_catalog(yaml.safe_dump(data).encode(), "rules.yaml")
    except CatalogError as error:
        return [str(p) for p in error.problems]
    return []


def cli(mmplan: Invoke, tmp_path: Path, *programs: dict[str, Any]) -> Invoke:
    """The CLI over these programs alone, on edX."""
    text = yaml.safe_dump({**catalog_data(*programs), "platforms": [EDX]})
    return cli_on(mmplan, tmp_path / "rules.yaml", text=text)


# --- the payment rule ---------------------------------------------------------------------


def test_a_deadline_counts_from_the_start_or_to_the_end() -> None:
    end = START + timedelta(days=90)
    assert UpgradeDeadline(days_after_start=14).due(START, end) == date(2027, 1, 18)
    assert UpgradeDeadline(days_before_start=7).due(START, end) == date(2026, 12, 28)
    assert UpgradeDeadline(days_before_end=21).due(START, end) == end - timedelta(days=21)
    assert str(UpgradeDeadline(days_before_end=1)) == "1 day before the course ends"


def test_the_course_rule_wins_then_the_program_then_the_platform() -> None:
    catalog = loaded(
        program(
            "p",
            course("OWN", upgrade_deadline={"days_before_end": 21, "estimated": True}),
            course("PLAIN"),
            upgrade_deadline={"days_after_start": 30},
        ),
        program("q", course("Q")),
    )
    own, plain, edx = (deadline_rule(catalog, i) for i in ("p/OWN", "p/PLAIN", "q/Q"))
    assert own is not None
    assert (own.set_by, own.deadline.estimated) == ("course", True)
    assert str(own) == "~pay by 21 days before the course ends (course rule)"
    assert plain is not None
    assert plain.set_by == "program"
    assert edx is not None
    assert str(edx) == "pay by 14 days after the course starts (platform edX rule)"
    assert pay_by(catalog, "q/Q", START, START) == START + timedelta(days=14)
    assert pay_by(loaded(program("q", course("Q")), platforms=[]), "q/Q", START, START) is None


@pytest.mark.parametrize(
    ("rule", "message"),
    [
        ({}, "give exactly one of days_after_start, days_before_start and days_before_end"),
        ({"days_after_start": 1, "days_before_end": 2}, "give exactly one of"),
        ({"days_after_start": -1}, "greater than or equal to 0"),
    ],
)
def test_a_deadline_gives_exactly_one_count_of_days(rule: dict[str, int], message: str) -> None:
    [problem] = problems(catalog_data(program("p", course("A", upgrade_deadline=rule))))
    assert "upgrade_deadline" in problem
    assert message in problem


def test_a_deadline_before_the_end_falls_within_the_course() -> None:
    [problem] = problems(
        catalog_data(program("p", course("A", weeks=2, upgrade_deadline={"days_before_end": 14})))
    )
    assert "days_before_end 14 is not within 'A' (2 weeks)" in problem


def test_a_platform_takes_one_spelling_of_its_deadline() -> None:
    both = {**EDX, "upgrade_deadline_days": 14}
    [problem] = problems({**catalog_data(program("p", course("A"))), "platforms": [both]})
    assert "give upgrade_deadline or upgrade_deadline_days, not both" in problem


# --- attempts ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("attempts", "message"),
    [
        ({"per_payment": 2, "limit": 1}, "limit 1 is less than the 2 attempts one payment buys"),
        ({"per_payment": 1, "retake_fee_usd": "again"}, "expected same (the course price again)"),
        ({"per_payment": 1, "retake_wait": "soon"}, "expected next_session or a number of days"),
        ({"per_payment": 1, "limit": "many"}, "expected unlimited or 1 to 100"),
        ({"limit": 2}, "per_payment"),
    ],
)
def test_attempts_say_what_they_mean(attempts: dict[str, Any], message: str) -> None:
    [problem] = problems(catalog_data(program("p", course("A", attempts=attempts))))
    assert "attempts" in problem
    assert message in problem


def test_a_retake_costs_its_fee_the_price_again_or_nothing_when_already_paid() -> None:
    catalog = loaded(
        program(
            "p",
            course("SAME", price=200),
            course("FEE", attempts={"per_payment": 1, "retake_fee_usd": [50, 80]}),
            course("TWO", attempts={"per_payment": 2, "retake_fee_usd": "same"}),
            course("UNSAID", attempts={"per_payment": 1}),
            attempts={"per_payment": 1, "retake_fee_usd": "same", "retake_wait": "next_session"},
        ),
        program("q", course("NONE")),
    )
    money = PriceRange(lo=Decimal(200), hi=Decimal(200))
    assert retake_cost(catalog, "p/SAME", money) == money
    assert retake_cost(catalog, "p/FEE", money) == PriceRange(lo=Decimal(50), hi=Decimal(80))
    assert retake_cost(catalog, "p/TWO", money) == PriceRange(lo=Decimal(0), hi=Decimal(0))
    assert retake_cost(catalog, "p/UNSAID", money) is None
    assert retake_cost(catalog, "q/NONE", money) is None
    report = cost_report(catalog, [catalog.program("p"), catalog.program("q")])
    assert report.retakes_usd == PriceRange(lo=Decimal(250), hi=Decimal(280))
    assert report.retakes_unknown == ("p/UNSAID", "q/NONE")


def test_cost_says_what_failing_each_course_once_adds(mmplan: Invoke, tmp_path: Path) -> None:
    run = cli(
        mmplan,
        tmp_path,
        program(
            "p",
            course("A", price=300),
            course("B", price=100, attempts={"per_payment": 2}),
            course("C"),
            attempts={"per_payment": 1, "retake_fee_usd": "same"},
        ),
    )
    result = run("cost", "p")
    assert result.exit_code == 0, result.stderr
    assert "Retakes: failing each course once would add $400" in result.stdout


# --- show, list -------------------------------------------------------------------------------


def test_show_gives_the_sds_capstone_attempts_and_retake_wait(mmplan: Invoke) -> None:
    shown = json.loads(mmplan("show", "mitx-sds", "--format", "json").stdout)
    capstone = next(c for c in shown["courses"] if c["code"] == "DS.CFx")
    assert capstone["attempts"]["limit"] == 2
    assert capstone["attempts"]["per_payment"] == 1
    assert capstone["attempts"]["retake_wait"] == "next_session"
    assert capstone["attempts"]["retake_fee_same_as_price"] is True
    assert capstone["after_all"] is True
    assert capstone["payment"]["set_by"] == "platform edX"


def test_show_lists_attempts_validity_and_payment_rules(mmplan: Invoke) -> None:
    text = " ".join(mmplan("show", "mitx-scm").stdout.split())
    assert "Attempts, retakes and payment" in text
    assert "A passed course counts for 5 years" in text
    assert "CTL.SC0x: ~pay 21 days before the course ends (course rule); ~1 attempt per" in text
    assert "a retake costs the price again, at the next session at the earliest" in text
    assert "CTL.SC1x, CTL.SC2x, CTL.SC3x, CTL.SC4x: pay 14 days after" in text
    assert "CTL.CFx: pay 14 days after the course starts (platform edX rule); attempts not" in (
        text
    )
    assert json.loads(mmplan("show", "mitx-scm", "--format", "json").stdout)["valid_years"] == 5


UNKNOWN = {"columbiax-ai", "pennx-robotics", "michiganx-ux-research-design"}


def test_list_says_which_programs_may_no_longer_be_offered(mmplan: Invoke) -> None:
    listed = json.loads(mmplan("list", "--format", "json").stdout)["programs"]
    assert {p["id"] for p in listed if p["status"] == "unknown"} == UNKNOWN
    active = json.loads(mmplan("list", "--status", "active", "--format", "json").stdout)
    assert UNKNOWN.isdisjoint(p["id"] for p in active["programs"])
    assert {p["status"] for p in active["programs"]} == {"active"}
    text = mmplan("list", "--status", "unknown", "--format", "markdown").stdout
    assert text.count("(may no longer be offered)") == 3


def test_compare_marks_a_program_that_may_be_gone(mmplan: Invoke) -> None:
    table = mmplan("compare", "pennx-robotics", "mitx-dedp", "--format", "markdown").stdout
    assert "Robotics (may no longer be offered)" in table
    assert "(moved to MITx Online)" in table


def test_credit_pathways_nobody_lists_are_unknown_not_zero(mmplan: Invoke) -> None:
    listed = json.loads(mmplan("list", "--format", "json").stdout)["programs"]
    finance = next(p for p in listed if p["id"] == "mitx-finance")
    assert finance["credit_pathways"] is None
    text = mmplan("list", "--search", "finance", "--format", "markdown").stdout
    assert "| unknown |" in text
    assert "unknown: no source lists one" in mmplan("show", "mitx-finance").stdout


def test_the_list_status_choices_are_the_catalog_s() -> None:
    from mmplan.catalog.model import ProgramStatus
    from mmplan.cli.options import ProgramStatusChoice

    assert [c.value for c in ProgramStatusChoice] == [s.value for s in ProgramStatus]


# --- plan ---------------------------------------------------------------------------------------


def test_plan_dates_each_payment_and_warns_once_of_those_due_soon() -> None:
    catalog = loaded(program("p", course("A", weeks=2), course("B", weeks=2), course("C")))
    plan = plan_programs(catalog, PlanRequest(program_ids=("p",), start=START, max_parallel=3))
    due = {c.code: c.pay_by for c in plan.courses}
    assert due == {c.code: c.start + timedelta(days=14) for c in plan.courses if c.start}
    soon = [w for w in plan.warnings if w.kind is WarningKind.PAYMENT_DEADLINE]
    assert {w.courses[0] for w in soon} == {"p/A", "p/B", "p/C"}  # all start on day one
    assert all(w.end == START + timedelta(days=14) and w.days == 14 for w in soon)


def test_plan_warns_when_the_deadline_of_a_course_under_way_has_passed() -> None:
    catalog = loaded(program("p", course("A", weeks=8)))
    started = InProgress(course_id="p/A", started=START - timedelta(days=30), percent_done=40)
    request = PlanRequest(program_ids=("p",), start=START, in_progress=(started,))
    plan = plan_programs(catalog, request)
    [late] = [w for w in plan.warnings if w.kind is WarningKind.PAYMENT_DEADLINE]
    assert late.end == START - timedelta(days=16)
    assert late.days == -16
    assert "passed on 2026-12-19" in late.message


def test_plan_says_the_payment_day_and_warns_on_one_line(mmplan: Invoke, tmp_path: Path) -> None:
    run = cli(mmplan, tmp_path, program("p", course("A", weeks=2), course("B", weeks=2)))
    result = run("plan", "p", "--start", str(START))
    assert result.exit_code == 0, result.stderr
    assert "($100, pay by 2027-01-18)" in result.stdout
    [line] = [w for w in result.stderr.splitlines() if "pay soon" in w]
    assert "pay soon: A by 2027-01-18" in line


def test_a_plan_of_an_unknown_status_program_says_it_may_be_gone(
    mmplan: Invoke, tmp_path: Path
) -> None:
    gone = program("p", course("A"), status="unknown", status_note="not listed since 2021")
    run = cli(mmplan, tmp_path, gone)
    plan = run("plan", "p", "--start", str(START))
    assert plan.exit_code == 0, plan.stderr
    assert "may no longer be offered: p (status unknown;" in plan.stderr
    cost = run("cost", "p")
    assert "p may no longer be offered (status unknown: not listed since 2021)" in cost.stdout
    shown = run("show", "p")
    assert "unknown: not listed since 2021" in shown.stdout
