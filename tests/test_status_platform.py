"""Program status and platform from the CLI: retired programs are not planned or costed,
moved ones name their platform, and payments follow the platform's upgrade deadline."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

import pytest
import yaml

from conftest import Invoke
from factories import catalog_data, cli_on, course, program
from mmplan.catalog.enrolment import where_to_enrol
from mmplan.catalog.load import parse_catalog
from mmplan.render.explore import sessions
from mmplan.reports.cost import cost_report, payment_due
from mmplan.reports.explore import program_details

GONE_NOTE = "its last session was summer 2021, with no sessions since"
MOVED_NOTE = "moved from edX to Elsewhere in fall 2021"
PLATFORMS = [
    {"name": "edX", "upgrade_deadline_days": 14, "rule": "two weeks", "sources": ["https://e"]},
    {"name": "Elsewhere", "rule": "before the session's deadline", "sources": ["https://o"]},
]


def statuses() -> dict[str, object]:
    data = catalog_data(
        program("open", course("A", price=100)),
        program("gone", course("G", price=100), status="retired", status_note=GONE_NOTE),
        program(
            "moved",
            course("M", price=100),
            status="moved",
            status_note=MOVED_NOTE,
            platform="Elsewhere",
        ),
    )
    data["platforms"] = PLATFORMS
    return data


@pytest.fixture
def run(mmplan: Invoke, tmp_path: Path) -> Invoke:
    """The CLI over the three programs alone."""
    text = yaml.safe_dump(statuses(), sort_keys=False)
    return cli_on(mmplan, tmp_path / "statuses.yaml", text=text)


@pytest.mark.parametrize(
    "command", [("plan", "gone"), ("cost", "gone"), ("cost", "gone", "--by-month")]
)
def test_a_retired_program_is_neither_planned_nor_costed(
    run: Invoke, command: tuple[str, ...]
) -> None:
    result = run(*command)
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr == (
        f"Error: gone is retired: {GONE_NOTE}; `mmplan status gone` still counts the "
        "courses you took\n"
    )


def test_status_still_works_for_a_retired_program(run: Invoke) -> None:
    result = run("status", "gone")
    assert result.exit_code == 0, result.stderr


def test_cost_of_a_moved_program_names_its_platform(run: Invoke) -> None:
    result = run("cost", "moved")
    assert result.exit_code == 0, result.stderr
    assert f"moved runs on Elsewhere ({MOVED_NOTE})" in result.stdout
    data = json.loads(run("cost", "moved", "--format", "json").stdout)
    assert data["programs"][0]["platform"] == "Elsewhere"
    assert data["programs"][0]["status"] == "moved"


def test_payment_is_due_at_the_upgrade_deadline_or_at_the_start() -> None:
    catalog = parse_catalog(yaml.safe_dump(statuses()).encode(), "statuses.yaml").catalog
    start = date(2027, 1, 25)
    on_edx = payment_due(catalog, "open/A", start, start + timedelta(days=27))
    assert (on_edx.due_on, on_edx.due_at, on_edx.platform) == (
        date(2027, 2, 8),
        "upgrade deadline",
        "edX",
    )
    elsewhere = payment_due(catalog, "moved/M", start, start + timedelta(days=27))
    assert (elsewhere.due_on, elsewhere.due_at) == (start, "course start")


def test_by_month_puts_a_payment_in_the_month_of_its_upgrade_deadline() -> None:
    catalog = parse_catalog(yaml.safe_dump(statuses()).encode(), "statuses.yaml").catalog
    starts = {"open/A": date(2027, 1, 25), "moved/M": date(2027, 1, 25)}
    programs = [catalog.program("open"), catalog.program("moved")]
    report = cost_report(catalog, programs, starts=starts, hours_per_week=5)
    assert report.by_month is not None
    months = {m.month: m.courses for m in report.by_month}
    assert months == {"2027-01": ("moved/M",), "2027-02": ("open/A",)}


def test_cost_by_month_says_which_rule_dated_each_platform(run: Invoke) -> None:
    args = ("cost", "open", "moved")
    result = run(*args, "--by-month", "--start", "2027-01-04")
    assert result.exit_code == 0, result.stderr
    said = " ".join(result.stdout.split())
    assert "a certificate is due 14 days after the course starts (platform edX rule) for A" in said
    assert "when the course starts (Elsewhere gives no deadline here) for M" in said
    data = json.loads(run(*args, "--by-month", "--start", "2027-01-04", "--format", "json").stdout)
    payments = [p for month in data["by_month"] for p in month["payments"]]
    assert {p["course"]: p["due_at"] for p in payments} == {
        "open/A": "upgrade deadline",
        "moved/M": "course start",
    }


def test_list_marks_retired_and_moved_programs(run: Invoke) -> None:
    table = run("list", "--format", "markdown")  # cells whole, not wrapped
    assert table.exit_code == 0, table.stderr
    assert "Program gone (retired)" in table.stdout
    assert "Program moved (moved to Elsewhere)" in table.stdout
    assert "Program open (" not in table.stdout
    listed = json.loads(run("list", "--format", "json").stdout)["programs"]
    assert [(p["id"], p["status"], p["platform"]) for p in listed] == [
        ("open", "active", "edX"),
        ("gone", "retired", "edX"),
        ("moved", "moved", "Elsewhere"),
    ]


def test_show_gives_status_and_platform(run: Invoke) -> None:
    moved = " ".join(run("show", "moved").stdout.split())
    assert f"Status {MOVED_NOTE} Platform Elsewhere" in moved
    gone = " ".join(run("show", "gone").stdout.split())
    assert f"Status retired: {GONE_NOTE} Platform edX" in gone
    assert "Status active Platform edX" in " ".join(run("show", "open").stdout.split())


def test_plan_of_a_moved_program_says_where_it_runs(run: Invoke) -> None:
    base = ("plan", "moved")
    table = run(*base)
    assert table.exit_code == 0, table.stderr
    assert table.stdout.endswith(f"moved runs on Elsewhere ({MOVED_NOTE})\n")
    open_plan = run("plan", "open")
    assert "runs on" not in open_plan.stdout
    planned = run(*base, "--format", "json")
    assert "runs on" not in planned.stdout  # machine formats stay the documented document
    both = run("plan", "moved", "open", "--format", "json")
    platforms = {p["id"]: p["platform"] for p in json.loads(both.stdout)["programs"]}
    assert platforms == {"moved": "Elsewhere", "open": "edX"}  # the JSON names it instead


def test_enrolment_leaves_out_the_old_page_of_a_moved_program() -> None:
    data = statuses()
    data["programs"][2]["courses"][0]["url"] = "https://www.edx.org/course/m"  # type: ignore[index]
    data["programs"][0]["courses"][0]["url"] = "https://www.edx.org/course/a"  # type: ignore[index]
    catalog = parse_catalog(yaml.safe_dump(data).encode(), "statuses.yaml").catalog
    assert list(where_to_enrol(catalog, ["open/A", "moved/M"])) == ["open/A"]


def test_status_says_a_program_retired_or_moved(run: Invoke) -> None:
    gone = " ".join(run("status", "gone").stdout.split())
    assert f"gone is retired: {GONE_NOTE}: its courses can no longer be taken;" in gone
    moved = " ".join(run("status", "moved").stdout.split())
    assert f"moved runs on Elsewhere ({MOVED_NOTE})" in moved
    assert "runs on" not in run("status", "open").stdout


def test_show_gives_each_course_its_sessions(mmplan: Invoke, tmp_path: Path) -> None:
    data = catalog_data(
        program(
            "p",
            course("S"),
            course("T", pacing="instructor", session_starts=["09-01", "02-15"]),
            course(
                "E", pacing="instructor", session_starts=["06-01"], estimated=["session_starts"]
            ),
            course("R", pacing="instructor", runs=["2027-03-01"]),
            course("U", pacing="instructor"),
        )
    )
    path = tmp_path / "sessions.yaml"
    run = cli_on(mmplan, path, text=yaml.safe_dump(data, sort_keys=False))
    shown = run("show", "p", "--format", "json")
    facts = {c["code"]: c for c in json.loads(shown.stdout)["courses"]}
    assert facts["T"]["session_starts"] == ["09-01", "02-15"]
    catalog = parse_catalog(path.read_bytes(), str(path)).catalog
    details = program_details(catalog, catalog.program("p"))
    assert {c.code: sessions(c) for c in details.courses} == {
        "S": "any day",
        "T": "Feb 15, Sep 1",
        "E": "~Jun 1",
        "R": "2027-03-01",
        "U": "not known",
    }
    table = " ".join(run("show", "p").stdout.split())
    assert "Sessions" in table
    assert "Feb 15, Sep 1" in table
