"""Cost: exact money, ranges and unknowns kept honest, shared courses once, financial aid."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest

from conftest import Invoke
from factories import catalog, cli_on, course, program
from mmplan.catalog.model import PriceRange
from mmplan.catalog.money import price_total
from mmplan.core.errors import UnknownIdError, UsageError
from mmplan.render.cost import cost_summary
from mmplan.reports.cost import cost_report, with_aid

PROGRAMS = (
    program(
        "p",
        course("A", price=150),
        course("B", price=[100, 300], estimated=["price_usd"]),
        course("C", price=None),
        course("SHARED", price=49.99),
        course("E1", price=10, weeks=8),
        course("E2", price=20, weeks=2),
        electives=[{"choose": 1, "from": ["E1", "E2"]}],
        price_usd=600,
    ),
    program("q", course("SHARED", price=49.99), course("Y", price=200, prereqs=["r/BASE"])),
    program("r", course("BASE", price=75)),
)
CATALOG = catalog(*PROGRAMS)
P, Q = CATALOG.program("p"), CATALOG.program("q")


def money(lo: float | str, hi: float | str | None = None) -> PriceRange:
    return PriceRange(lo=Decimal(str(lo)), hi=Decimal(str(hi if hi is not None else lo)))


def test_one_program_sums_known_prices_exactly_and_lists_unknowns() -> None:
    report = cost_report(CATALOG, [P])
    assert [c.id for c in report.courses] == ["p/A", "p/B", "p/C", "p/SHARED", "p/E2"]
    assert report.total_usd == money("319.99", "519.99")  # 150 + [100, 300] + 49.99 + 20
    assert report.unknown == ("p/C",)
    assert report.paid_usd == money(0)
    assert report.due_usd == report.total_usd
    assert report.programs[0].price_usd == money(600)
    assert report.programs[0].courses_usd == report.total_usd
    assert report.program_price_usd == money(600)
    assert next(c for c in report.courses if c.id == "p/B").estimated


def test_passed_courses_are_paid_and_the_rest_is_due() -> None:
    report = cost_report(CATALOG, [P], passed={"p/A", "p/E1"}, started={"p/B"})
    assert {c.id: c.status for c in report.courses} == {
        "p/A": "paid",
        "p/B": "due",  # started: whether it was paid is not recorded, so it stays due
        "p/C": "due",
        "p/SHARED": "due",
        "p/E1": "paid",  # the passed elective replaces the cheaper one
    }
    assert report.paid_usd == money(160)
    assert report.due_usd == money("149.99", "349.99")
    assert report.total_usd == report.paid_usd + report.due_usd


def test_a_shared_course_is_counted_once_and_outside_prerequisites_are_added() -> None:
    report = cost_report(CATALOG, [P, Q])
    assert [c.id for c in report.courses] == [
        "p/A",
        "p/B",
        "p/C",
        "p/SHARED",  # the same code in q: one course, counted once
        "p/E2",
        "q/Y",
        "r/BASE",
    ]
    assert report.courses[3].same_as == ("q/SHARED",)
    assert report.total_usd == money("594.99", "794.99")  # 319.99-519.99 + 200 + 75
    assert report.programs[1].courses_usd == money("249.99")  # each program's own sum
    # Passing it under q's id pays for p's listing too.
    paid = cost_report(CATALOG, [P, Q], passed={"q/SHARED"})
    assert paid.courses[3].status == "paid"

    shared = catalog(
        program("p", course("A", price=100), course("S", price=50)),
        program("q", course("B", price=100, prereqs=["p/S"])),
    )
    report = cost_report(shared, [shared.program("p"), shared.program("q")])
    assert [c.id for c in report.courses] == ["p/A", "p/S", "q/B"]
    assert report.total_usd == money(250)

    report = cost_report(CATALOG, [Q])
    base = next(c for c in report.courses if c.id == "r/BASE")
    assert base.reason == "prerequisite of q/Y"
    assert report.program_price_usd is None  # q publishes no program price
    assert cost_report(CATALOG, [Q], passed={"r/BASE"}).total_usd == money("249.99")


def test_aid_applies_to_what_is_due_rounded_to_the_cent() -> None:
    assert with_aid(money(150), Decimal(90)) == money(15)
    assert with_aid(money("49.99"), Decimal(35)) == money("32.49")  # 32.4935
    assert with_aid(money(100, 300), Decimal(50)) == money(50, 150)
    report = cost_report(CATALOG, [P], passed={"p/A"}, aid_percent=Decimal(50))
    assert report.due_usd == money("169.99", "369.99")  # [100, 300] + 49.99 + 20
    assert report.due_after_aid_usd == money(85, 185)  # [50, 150] + 25 (24.995) + 10
    assert report.paid_usd == money(150)


@pytest.mark.parametrize("aid", ["-1", "100.5", "250"])
def test_aid_beyond_a_percentage_is_refused(aid: str) -> None:
    with pytest.raises(UsageError, match="between 0 and 100"):
        cost_report(CATALOG, [P], aid_percent=Decimal(aid))


def test_price_total_still_counts_each_id_once() -> None:
    a = P.course("A")
    total = price_total([("p/A", a), ("p/A", a), ("p/C", P.course("C"))])
    assert total.known == money(150)
    assert total.unknown == ("p/C",)


def test_json_money_is_a_number_or_a_range_pair() -> None:
    document = cost_report(CATALOG, [P], aid_percent=Decimal("12.5")).model_dump(mode="json")
    assert list(document) == [
        "programs",
        "courses",
        "paid_usd",
        "due_usd",
        "total_usd",
        "aid_percent",
        "due_after_aid_usd",
        "aid_not_applied",
        "aid_notes",
        "aid_terms",
        "program_price_usd",
        "retakes_usd",
        "retakes_unknown",
        "unknown",
        "paid_estimated",
        "due_estimated",
        "hours_per_week",
        "plan_start",
        "plan_breaks",
        "by_month",
    ]
    assert document["total_usd"] == [319.99, 519.99]
    assert document["paid_usd"] == 0
    assert document["aid_percent"] == 12.5
    assert document["program_price_usd"] == 600
    assert document["courses"][2]["price_usd"] is None
    assert document["programs"][0]["prices_as_of"] == "2026-11-01"  # the catalog's, by default
    assert set(document["courses"][0]) >= {"id", "title", "price_usd", "status", "estimated"}


@pytest.fixture
def run(mmplan: Invoke, tmp_path: Path) -> Invoke:
    return cli_on(mmplan, tmp_path / "catalog.yaml", *PROGRAMS)


def test_cost_table_shows_before_and_after_aid_and_never_hides_unknowns(run: Invoke) -> None:
    run("progress", "add", "p", "A", "--date", "2026-01-05")
    result = run("cost", "p", "--aid", "50")
    assert result.exit_code == 0, result.stderr
    out = result.stdout
    assert "~$100–$300" in out
    assert "Paid: $150\n" in out
    assert "Due: ~$169.99–$369.99 + 1 unknown\n" in out  # B's price is an estimate
    assert (
        "Due with 50% financial aid: ~$169.99–$369.99 + 1 unknown -> ~$85–$185 + 1 unknown" in out
    )
    assert "Total: ~$319.99–$519.99 + 1 unknown\n" in out
    assert (
        "p: published price $600 (2026-11-01); its courses add up to ~$319.99–$519.99 + 1 unknown; "
        "prices are dated (facts as of 2026-11-01)"
    ) in " ".join(out.split())
    assert "Unknown prices, not counted in any total: p/C" in out

    scratch = json.loads(run("cost", "p", "--ignore-progress", "--format", "json").stdout)
    assert scratch["paid_usd"] == 0


def test_cost_json_csv_and_markdown(run: Invoke) -> None:
    document = json.loads(run("cost", "p", "q", "--format", "json").stdout)
    assert [p["id"] for p in document["programs"]] == ["p", "q"]
    assert document["unknown"] == ["p/C"]
    csv = run("cost", "p", "--format", "csv").stdout
    assert csv.splitlines()[0] == "Course,Title,Price,Status,Why"
    assert "p/A,Course A,$150,due,required" in csv
    markdown = run("cost", "p", "--format", "markdown").stdout
    assert markdown.startswith("| Course | Title | Price | Status | Why |\n")
    assert "| **Total** |  | **~$319.99–$519.99+?** |  | **+ 1 unknown** |" in markdown
    assert "- Total: ~$319.99–$519.99 + 1 unknown\n" in markdown


@pytest.mark.parametrize("width", [60, 80])
def test_below_100_columns_the_reasons_go_under_the_table(
    run: Invoke, monkeypatch: pytest.MonkeyPatch, width: int
) -> None:
    monkeypatch.setenv("COLUMNS", str(width))
    out = run("cost", "p", "q").stdout
    assert max(len(line) for line in out.splitlines()) <= width
    table, notes = out.split("\nWhy: ", 1)
    assert "required" not in table  # no Why column: the reasons follow it, grouped
    said = " ".join(notes.split("\nPaid:")[0].split())
    for course_cost in json.loads(run("cost", "p", "q", "--format", "json").stdout)["courses"]:
        assert course_cost["reason"] in said, course_cost["id"]
    assert "p/A, p/B, p/C, q/Y (required)" in said
    assert "p/E2 (elective: choose 1 of 2) r/BASE (prerequisite of q/Y)" in said


def test_column_notes_group_rows_by_value_in_order() -> None:
    from mmplan.render.tabular import Column, TableView, column_notes

    view = TableView(
        title="t",
        columns=(Column("Course"), Column("Why")),
        rows=(("A", "required"), ("B", "elective"), ("C", "required"), ("D", "")),
    )
    assert column_notes(view, "Why") == ("A, C (required)", "B (elective)")
    same = TableView(title="t", columns=view.columns, rows=(("A", "required"), ("B", "required")))
    assert column_notes(same, "Why") == ("all (required)",)


def test_cost_refuses_too_much_aid_and_unknown_programs(run: Invoke) -> None:
    result = run("cost", "p", "--aid", "101")
    assert result.exit_code == 2
    assert "--aid" in result.stderr
    result = run("cost", "pp")
    assert result.exit_code == 1
    assert result.stderr == "Error: unknown program 'pp' (did you mean 'p'?)\n"


def test_by_month_groups_what_is_due_by_the_month_each_course_starts(
    run: Invoke, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MMPLAN_TODAY", "2026-11-20")  # the plan starts Monday 2026-11-23
    run("progress", "add", "p", "A", "--date", "2026-01-05")
    document = json.loads(
        run(
            "cost", "p", "--by-month", "--hours-per-week", "5", "--aid", "50", "--format", "json"
        ).stdout
    )
    months = document["by_month"]
    assert document["hours_per_week"] == 5
    assert [m["month"] for m in months] == sorted(m["month"] for m in months)
    assert months[0]["month"] == "2026-11"
    listed = [course for month in months for course in month["courses"]]
    due = [c["id"] for c in document["courses"] if c["status"] == "due"]
    assert sorted(listed) == sorted(due)  # every due course once, the paid one not at all
    assert "p/A" not in listed
    assert ["p/C"] in [m["unknown"] for m in months]
    lo = sum(
        m["due_usd"] if isinstance(m["due_usd"], float | int) else m["due_usd"][0] for m in months
    )
    assert lo == pytest.approx(document["due_usd"][0])
    assert "unscheduled" not in [m["month"] for m in months]

    table = run("cost", "p", "--by-month", "-H", "5").stdout
    assert "Due by month at 5 h/week" in table
    assert "2026-11" in table
    assert json.loads(run("cost", "p", "--format", "json").stdout)["by_month"] is None


def test_by_month_plans_at_plans_default_pace(run: Invoke) -> None:
    result = run("cost", "p", "--by-month", "--format", "json")
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["hours_per_week"] == 8


@pytest.mark.parametrize(
    "option", [("-H", "5"), ("--start", "2027-01-04"), ("--break", "2027-02-01:2027-02-07")]
)
def test_the_plan_options_of_cost_need_by_month(run: Invoke, option: tuple[str, str]) -> None:
    result = run("cost", "p", *option)
    assert result.exit_code == 2
    name = "--hours-per-week" if option[0] == "-H" else option[0]
    assert result.stderr == f"Error: {name} is for the plan behind --by-month; add --by-month\n"


def test_by_month_dates_follow_start_and_breaks_as_plan_does(mmplan: Invoke) -> None:
    options = ("--start", "2027-01-04", "--break", "2027-01-01:2027-03-31", "-H", "10")
    cost = mmplan("cost", "mitx-scm", "--by-month", "--format", "json", *options)
    plan = mmplan("plan", "mitx-scm", "--format", "json", *options)
    assert cost.exit_code == 0, cost.stderr
    report, planned = json.loads(cost.stdout), json.loads(plan.stdout)
    assert report["plan_start"] == "2027-01-04"
    assert report["plan_breaks"] == [["2027-01-01", "2027-03-31"]]
    assert report["by_month"][0]["month"] > "2027-03"  # nothing starts during the break
    first_due = min(c["pay_by"] for c in planned["courses"] if c["pay_by"])
    assert report["by_month"][0]["month"] == first_due[:7]  # the plan's payment deadline


def test_by_month_follows_the_recommended_order_unless_told_not_to(
    mmplan: Invoke, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("MMPLAN_TODAY", "2026-11-20")
    run = cli_on(
        mmplan,
        tmp_path / "recommended.yaml",
        program(
            "r",
            course("REF", weeks=8, hours=8),
            course("FIX", weeks=8, hours=8, pacing="instructor", recommended=["REF"]),
        ),
    )

    def first_month(*extra: str) -> list[str]:
        result = run("cost", "r", "--by-month", "-H", "8", "--format", "json", *extra)
        assert result.exit_code == 0, result.stderr
        return list(json.loads(result.stdout)["by_month"][0]["courses"])

    assert first_month() == ["r/REF"]  # the recommended course first
    assert first_month("--ignore-recommended") == ["r/FIX"]  # the instructor-paced one leads
    alone = mmplan("cost", "mitx-scm", "--ignore-recommended")
    assert alone.exit_code == 2
    assert alone.stderr == (
        "Error: --ignore-recommended is for the plan behind --by-month; add --by-month\n"
    )


def test_track_and_pick_choose_the_courses_that_are_costed() -> None:
    tracked = catalog(
        program(
            "t",
            course("CORE", price=100),
            course("CHEAP", price=10, weeks=1),
            course("DEAR", price=500, weeks=9),
            course("E1", price=1, weeks=1),
            course("E2", price=2, weeks=9),
            tracks=[{"name": "Cheap", "courses": ["CHEAP"]}, {"name": "Dear", "courses": ["DEAR"]}],
            electives=[{"choose": 1, "from": ["E1", "E2"]}],
        )
    )
    t = tracked.program("t")
    assert cost_report(tracked, [t]).total_usd == money(111)  # fewest hours: Cheap, E1
    chosen = cost_report(tracked, [t], tracks=["dear"], picks=["E2"])
    assert [c.id for c in chosen.courses] == ["t/CORE", "t/DEAR", "t/E2"]
    assert chosen.total_usd == money(602)
    assert cost_report(tracked, [t], picks=["t/E2"]).total_usd == money(112)
    with pytest.raises(UnknownIdError, match="did you mean 'Dear'"):
        cost_report(tracked, [t], tracks=["Deer"])
    with pytest.raises(UnknownIdError, match="did you mean 'E1'"):
        cost_report(tracked, [t], picks=["E11"])
    with pytest.raises(UnknownIdError, match="names a program not asked for"):
        cost_report(tracked, [t], picks=["u/E1"])


def test_cost_command_takes_track_and_pick_like_plan(run: Invoke) -> None:
    document = json.loads(run("cost", "p", "--pick", "E1", "--format", "json").stdout)
    assert "p/E1" in [c["id"] for c in document["courses"]]
    assert "p/E2" not in [c["id"] for c in document["courses"]]
    result = run("cost", "p", "--track", "Fast")
    assert result.exit_code == 1
    assert result.stderr == "Error: --track 'Fast': p has no tracks\n"


def test_an_elective_another_program_requires_is_costed_once_not_a_cheaper_one() -> None:
    shared = catalog(
        program(
            "p",
            course("L", price=300, weeks=6),
            course("S", price=50, weeks=2),
            electives=[{"choose": 1, "from": ["L", "S"]}],
        ),
        program("q", course("l", price=300, weeks=6)),
    )
    p, q = shared.program("p"), shared.program("q")
    for order in ([p, q], [q, p]):
        report = cost_report(shared, order)
        assert len(report.courses) == 1  # L, under whichever id comes first; no S
        assert report.total_usd == money(300)
    assert [c.id for c in cost_report(shared, [p]).courses] == ["p/S"]  # alone: fewest hours
    picked = cost_report(shared, [p, q], picks=["S"])  # an explicit pick still wins
    assert [c.id for c in picked.courses] == ["p/S", "q/l"]


def test_by_month_dates_a_course_under_way_from_the_day_it_began(
    mmplan: Invoke, monkeypatch: pytest.MonkeyPatch
) -> None:
    """#25: a course begun in October had its deadline in October, not after the plan starts."""
    monkeypatch.setenv("MMPLAN_TODAY", "2026-12-07")
    started = mmplan("progress", "start", "mitx-scm", "CTL.SC2x", "--date", "2026-10-01")
    assert started.exit_code == 0, started.stderr
    report = json.loads(mmplan("cost", "mitx-scm", "--by-month", "--format", "json").stdout)
    first = report["by_month"][0]
    assert first["month"] == "2026-10"
    assert first["payments"][0]["due_on"] == "2026-10-15"
    text = mmplan("cost", "mitx-scm", "--by-month").stdout
    assert "Deadline passed for a course under way" in text
    assert "mitx-scm/CTL.SC2x on 2026-10-15" in " ".join(text.split())


def test_aid_comes_off_edx_prices_only_and_says_where_it_did_not() -> None:
    """#25: edX's financial assistance does not apply to MITx Online's income-based prices."""
    cat = catalog(
        program("e", course("E", price=100)),
        program("m", course("M", price=[100, 1000]), platform="MITx Online"),
    )
    report = cost_report(cat, [cat.program("e"), cat.program("m")], aid_percent=Decimal(90))
    after = {c.id: c.due_after_aid_usd for c in report.courses}
    assert after == {"e/E": money(10), "m/M": money(100, 1000)}
    assert report.aid_not_applied == ("m/M",)
    assert (
        "m: no aid taken off its 1 course: edX's financial assistance is for courses on edX, "
        "and m runs on MITx Online (ask it about its own)"
    ) in cost_summary(report)
    assert cost_report(cat, [cat.program("m")]).aid_not_applied == ()  # no aid asked: no word


def test_aid_leaves_income_based_prices_as_they_are_and_says_where_to_ask() -> None:
    """#25 item 7: DEDP's prices are set from the learner's income already: --aid 90 does
    not take 90% off them; one line names the program and where to ask for one's price."""
    cat = catalog(
        program("e", course("E", price=100)),
        program(
            "d",
            course("D", price=[100, 1000]),
            platform="MITx Online",
            pricing="income-based",
            pricing_url="https://example.org/pricing",
        ),
    )
    report = cost_report(cat, [cat.program("e"), cat.program("d")], aid_percent=Decimal(90))
    assert {c.id: c.due_after_aid_usd for c in report.courses} == {
        "e/E": money(10),
        "d/D": money(100, 1000),
    }
    assert report.due_after_aid_usd == money(110, 1010)
    assert [(n.program, n.income_based, n.ask_at) for n in report.aid_notes] == [
        ("d", True, "https://example.org/pricing")
    ]
    assert (
        "d: no aid taken off its 1 course: MITx Online already sets their prices from your income; "
        "ask for your price at https://example.org/pricing"
    ) in cost_summary(report)


AIDED = (
    program(
        "e",
        course("E1", price=100),
        course("E2", price=[100, 300], estimated=["price_usd"], prereqs=["E1"]),
    ),
    program(
        "d",
        course("D1", price=[100, 1000]),
        platform="MITx Online",
        pricing="income-based",
        pricing_url="https://example.org/pricing",
    ),
)


def _squeezed(text: str) -> str:
    return " ".join(text.split())


def test_plan_aid_is_cost_aid_in_text_json_and_html(mmplan: Invoke, tmp_path: Path) -> None:
    """#25 item 7: `plan --aid` takes aid off as `cost --aid` does (edX list prices only;
    the income-based ones named with where to ask), in the table, the JSON and the page."""
    run = cli_on(mmplan, tmp_path / "aid.yaml", *AIDED)
    start = ("--start", "2027-01-04")
    cost = json.loads(run("cost", "e", "d", "--aid", "90", "--format", "json").stdout)
    result = run("plan", "e", "d", "--aid", "90", *start, "--format", "json")
    assert result.exit_code == 0, result.stderr
    aid = json.loads(result.stdout)["aid"]
    assert aid["due_after_aid_usd"] == cost["due_after_aid_usd"] == [120, 1040]
    assert aid["aid_notes"] == cost["aid_notes"]
    assert aid["courses_after_aid_usd"] == {
        c["id"]: c["due_after_aid_usd"] for c in cost["courses"]
    }
    assert aid["courses_after_aid_usd"]["d/D1"] == [100, 1000]  # income-based: as it is

    cost_text = _squeezed(run("cost", "e", "d", "--aid", "90").stdout)
    plan_text = _squeezed(run("plan", "e", "d", "--aid", "90", *start).stdout)
    assert "Aid: due with 90% financial aid: ~$300–$1,400 -> ~$120–$1,040" in plan_text
    assert "Due with 90% financial aid: ~$300–$1,400 -> ~$120–$1,040" in cost_text
    note = (
        "d: no aid taken off its 1 course: MITx Online already sets their prices from your "
        "income; ask for your price at https://example.org/pricing"
    )
    assert f"Aid: {note}" in plan_text
    assert note in cost_text

    page = run("plan", "e", "d", "--aid", "90", *start, "--format", "html").stdout
    assert '<th class="num">After 90% aid</th>' in page
    assert "ask for your price at https://example.org/pricing" in page
    plain = run("plan", "e", "d", *start, "--format", "html").stdout
    assert "After" not in plain
    assert "aid" not in json.loads(run("plan", "e", "d", *start, "--format", "json").stdout)


@pytest.mark.parametrize("output_format", ["csv", "markdown", "ics"])
def test_plan_aid_is_refused_where_it_would_not_show(
    mmplan: Invoke, tmp_path: Path, output_format: str
) -> None:
    run = cli_on(mmplan, tmp_path / "aid.yaml", *AIDED)
    result = run("plan", "e", "--aid", "50", "--format", output_format)
    assert result.exit_code == 2
    assert result.stderr.startswith(
        f"Error: --aid: --format {output_format} does not show it; use table, json, html"
    )
    assert run("plan", "e", "--aid", "100.5").exit_code == 2  # the bounds of cost --aid


def test_a_course_priced_by_an_income_based_program_keeps_its_price_in_any_order() -> None:
    """Replaying #25: `cost mitx-sds mitx-dedp --aid 90` took 90% off 14.310x, whose only
    price is DEDP's income-based one (SDS lists it without a price), and `cost mitx-dedp
    mitx-sds --aid 90` did not: the price's terms decide, whichever program comes first."""
    cat = catalog(
        program("s", course("A", price=300), course("X", price=None)),
        program(
            "d",
            course("X", price=[100, 1000]),
            platform="MITx Online",
            pricing="income-based",
            pricing_url="https://example.org/pricing",
        ),
    )
    s, d = cat.program("s"), cat.program("d")
    alone = cost_report(cat, [s], aid_percent=Decimal(90))
    assert {c.id: c.due_after_aid_usd for c in alone.courses} == {
        "s/A": money(30),
        "s/X": money(100, 1000),
    }
    assert [(n.program, n.courses) for n in alone.aid_notes] == [("d", ("s/X",))]
    assert (
        "d: no aid taken off s/X: MITx Online already sets their prices from your income; "
        "ask for your price at https://example.org/pricing"
    ) in cost_summary(alone)
    both = cost_report(cat, [s, d], aid_percent=Decimal(90)).due_after_aid_usd
    assert both == cost_report(cat, [d, s], aid_percent=Decimal(90)).due_after_aid_usd
    assert both == money(130, 1030)


def test_aid_that_takes_nothing_off_says_still_not_a_price_to_itself(
    mmplan: Invoke, tmp_path: Path
) -> None:
    """Only an income-based price is due: `--aid` changes nothing, and the line says so."""
    run = cli_on(mmplan, tmp_path / "aid.yaml", *AIDED)
    for command in (("cost", "d"), ("plan", "d", "--start", "2027-01-04")):
        out = _squeezed(run(*command, "--aid", "50").stdout)
        assert "financial aid: still $100–$1,000" in out, out
        assert "$100–$1,000 -> $100–$1,000" not in out


ASK_IN_CYCLES = "applications in January and July only; one course per cycle"
CYCLES_PAGE = "https://example.org/" + "financial-assistance-cycles-" * 4


def test_aid_terms_of_a_program_are_said_where_its_aid_is_taken_off() -> None:
    """A program with its own rules for applying (MIT Finance: four cycles a year, one
    course each) has them said under the aid, with where they are published; not without
    --aid, and not for a program the aid is not taken off."""
    cycles = program("f", course("F", price=450), aid_terms=ASK_IN_CYCLES, aid_url=CYCLES_PAGE)
    elsewhere = program(
        "m",
        course("M", price=100),
        platform="MITx Online",
        aid_terms="never asked for here",
    )
    cat = catalog(cycles, elsewhere, program("e", course("E", price=100)))
    report = cost_report(cat, list(cat.programs), aid_percent=Decimal(50))
    assert [(t.program, t.terms, t.url) for t in report.aid_terms] == [
        ("f", ASK_IN_CYCLES, CYCLES_PAGE)
    ]
    assert f"f: applying for its aid: {ASK_IN_CYCLES}; see {CYCLES_PAGE}" in cost_summary(report)
    assert cost_report(cat, list(cat.programs)).aid_terms == ()
    paid = cost_report(cat, [cat.program("f")], passed={"f/F"}, aid_percent=Decimal(50))
    assert paid.aid_terms == ()  # nothing due: nothing to apply for


@pytest.mark.parametrize("columns", ["60", "80"])
def test_aid_terms_page_stays_whole_on_a_line_of_its_own(
    mmplan: Invoke, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, columns: str
) -> None:
    monkeypatch.setenv("COLUMNS", columns)
    cycles = program("f", course("F", price=450), aid_terms=ASK_IN_CYCLES, aid_url=CYCLES_PAGE)
    run = cli_on(mmplan, tmp_path / "cycles.yaml", cycles)
    for command in (("cost", "f"), ("plan", "f", "--start", "2027-01-04")):
        result = run(*command, "--aid", "50")
        assert result.exit_code == 0, result.stderr
        lines = [line.strip() for line in result.stdout.splitlines()]
        assert CYCLES_PAGE in lines, result.stdout
        assert ASK_IN_CYCLES in _squeezed(result.stdout)
    document = json.loads(run("cost", "f", "--aid", "50", "--format", "json").stdout)
    assert document["aid_terms"] == [{"program": "f", "terms": ASK_IN_CYCLES, "url": CYCLES_PAGE}]
    start = ("--start", "2027-01-04")
    plan = json.loads(run("plan", "f", "--aid", "50", *start, "--format", "json").stdout)
    assert plan["aid"]["aid_terms"] == document["aid_terms"]
