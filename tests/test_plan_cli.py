"""`mmplan plan` through the CLI: every flag and every format."""

from __future__ import annotations

import csv
import io
import json
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from icalendar import Calendar

from conftest import Invoke
from factories import catalog_yaml, cli_on, course, program

CATALOG = catalog_yaml(
    program(
        "data-sci",
        course("PROB", weeks=4, hours=7, external_prerequisites=["Calculus"]),
        course("STATS", weeks=2, hours=7, prereqs=["PROB"], price=[150, 300]),
        course("ML", weeks=2, hours=7, prereqs=["STATS"], price=None, estimated=["weeks"]),
        course("VIZ", weeks=1, hours=7),
        course("NLP", weeks=3, hours=7),
        electives=[{"choose": 1, "from": ["VIZ", "NLP"]}],
    ),
    program(
        "finance",
        course("FIN1", weeks=2, hours=7, prereqs=["data-sci/STATS"]),
        course(
            "LIVE",
            weeks=2,
            hours=4,
            pacing="instructor",
            runs=[date(2027, 6, 7), date(2027, 9, 6)],
        ),
    ),
)
START = ("--start", "2027-01-04")
PACE_RULE = "--hours-per-week must be more than 0 and at most 168"


@pytest.fixture
def run(mmplan: Invoke, tmp_path: Path) -> Invoke:
    """`mmplan plan ...` on the test catalog only."""
    return cli_on(mmplan, tmp_path / "catalog.yaml", text=CATALOG, command=("plan",))


def document(run: Invoke, *args: str) -> dict[str, object]:
    result = run(*args, *START, "--format", "json")
    assert result.exit_code == 0, result.stderr
    parsed: dict[str, object] = json.loads(result.stdout)
    return parsed


def courses(doc: dict[str, object]) -> dict[str, dict[str, object]]:
    return {c["id"]: c for c in doc["courses"]}  # type: ignore[attr-defined]


def warning_messages(doc: dict[str, object]) -> list[str]:
    return [w["message"] for w in doc["warnings"]]  # type: ignore[attr-defined]


def test_table_output_answers_first_then_the_table_timeline_and_what_if(run: Invoke) -> None:
    result = run("data-sci", *START, "-H", "7")
    assert result.exit_code == 0, result.stderr
    out = result.stdout
    assert out.splitlines()[:6] == [
        "Plan for data-sci: Program data-sci (TestX) at 7 h/week",
        "Finish:     2027-03-07, 9 weeks from 2027-01-04; no plan can finish earlier",
        "Cost:       $350–$500 + 1 unknown",
        "Hours:      at most 7 h/week, within your 7 h/week; ~63 h in all",
        "Credential: earned on 2027-03-07 if you pass every course",
        "Next:       start PROB Course PROB on 2027-01-04 ($100)",
    ]
    for expected in ("Courses", "Timeline", "What if", "~14", "~63"):  # ~: estimated
        assert expected in out, expected
    assert out.index("Next:") < out.index("Courses\n") < out.index("Timeline")
    assert "Warning: before you start, check the background advised for PROB: " in result.stderr
    assert "Warning: chose for you: elective VIZ (fewest hours);" in result.stderr
    assert "Warning" not in out


def test_json_is_the_documented_document(run: Invoke) -> None:
    doc = document(run, "data-sci", "-H", "7")
    assert {
        "programs",
        "hours_per_week",
        "effort",
        "max_parallel",
        "start",
        "finish",
        "weeks",
        "total_hours",
        "courses",
        "cost_usd",
        "lower_bound",
        "eligibility",
        "warnings",
    } <= set(doc)
    assert doc["programs"] == [
        {
            "id": "data-sci",
            "title": "Program data-sci",
            "institution": "TestX",
            "platform": "edX",
            "published_price_usd": None,
            "prices_as_of": None,  # the program gives no as_of of its own
            "published_price_as_of": None,  # no published price
        }
    ]
    assert (doc["hours_per_week"], doc["effort"], doc["max_parallel"]) == (7.0, "mid", 2)
    assert (doc["start"], doc["finish"], doc["weeks"], doc["total_hours"]) == (
        "2027-01-04",
        "2027-03-07",
        9.0,
        63.0,
    )
    ids = [c["id"] for c in doc["courses"]]  # type: ignore[attr-defined]
    assert ids.index("data-sci/PROB") < ids.index("data-sci/STATS") < ids.index("data-sci/ML")
    stats = courses(doc)["data-sci/STATS"]
    assert stats["price_usd"] == [150, 300]
    assert stats["prerequisites"] == ["data-sci/PROB"]
    assert set(stats) >= {
        "id", "program", "code", "title", "kind", "pacing", "status", "start", "end",
        "hours", "hours_per_week", "price_usd", "prerequisites", "reason",
    }  # fmt: skip
    assert doc["cost_usd"] == {
        "due": [350, 500],
        "paid": 0,
        "unknown": ["data-sci/ML"],
        "estimated": False,
    }
    assert doc["lower_bound"] == {"finish": "2027-03-07", "gap_days": 0, "optimal": True}
    assert doc["eligibility"] == {
        "earned_on": "2027-03-07",
        "missing": [],
        "programs": [{"program": "data-sci", "earned_on": "2027-03-07", "missing": []}],
    }
    # Each warning: its kind, the sentence, and the ids and figures it names.
    assert doc["warnings"][0] == {  # type: ignore[index]
        "kind": "chosen_for_you",
        "message": "data-sci: chose elective VIZ (fewest hours) for you; "
        "--track/--pick choose yourself",
        "programs": ["data-sci"],
        "courses": [],
        "institutions": [],
        "hours_per_week": None,
        "budget_hours_per_week": None,
        "start": None,
        "end": None,
        "ready": None,
        "days": None,
        "text": "elective VIZ (fewest hours)",
    }


def test_csv_and_markdown_print_the_course_table(run: Invoke) -> None:
    result = run("data-sci", *START, "-H", "7", "--format", "csv")
    assert result.exit_code == 0, result.stderr
    rows = list(csv.reader(io.StringIO(result.stdout)))
    assert rows[0] == ["Course", "Title", "Start", "End", "Weeks", "h/week", "Hours", "Price"]
    assert rows[1][:4] == ["PROB", "Course PROB", "2027-01-04", "2027-01-31"]
    markdown = run("data-sci", *START, "-H", "7", "--format", "markdown")
    assert markdown.stdout.startswith("| Course | Title | Start | End |")
    assert "| PROB | Course PROB | 2027-01-04 | 2027-01-31 |" in markdown.stdout


def test_ics_has_one_all_day_event_per_course_with_a_stable_uid(run: Invoke) -> None:
    result = run("data-sci", *START, "-H", "7", "--format", "ics")
    assert result.exit_code == 0, result.stderr
    calendar = Calendar.from_ical(result.stdout)
    events = {str(e["UID"]): e for e in calendar.walk("VEVENT")}
    assert set(events) == {f"data-sci/{code}@mmplan" for code in ("PROB", "STATS", "ML", "VIZ")}
    prob = events["data-sci/PROB@mmplan"]
    assert prob.decoded("DTSTART") == date(2027, 1, 4)
    assert prob.decoded("DTEND") == date(2027, 2, 1)  # the day after the last study day
    assert str(prob["SUMMARY"]) == "PROB: Course PROB"
    assert run("data-sci", *START, "-H", "7", "--format", "ics").stdout == result.stdout


def test_output_is_deterministic(run: Invoke) -> None:
    first = run("data-sci", "finance", *START)
    assert first.exit_code == 0, first.stderr
    assert run("data-sci", "finance", *START).stdout == first.stdout


def test_several_programs_share_courses_and_follow_runs(run: Invoke) -> None:
    doc = document(run, "finance", "data-sci", "-H", "7")
    found = courses(doc)
    assert found["data-sci/STATS"]["reason"] == "required"  # planned once, for both programs
    assert found["finance/LIVE"]["start"] == "2027-06-07"  # its first listed run
    alone = document(run, "finance", "-H", "7")
    assert courses(alone)["data-sci/STATS"]["reason"] == "prerequisite of finance/FIN1"
    assert any("data-sci/STATS from data-sci" in w for w in warning_messages(alone))


def test_effort_max_parallel_track_and_pick(run: Invoke) -> None:
    assert document(run, "data-sci", "--effort", "high")["effort"] == "high"
    assert document(run, "data-sci", "--max-parallel", "1")["max_parallel"] == 1
    picked = courses(document(run, "data-sci", "--pick", "NLP"))
    assert "data-sci/NLP" in picked
    assert "data-sci/VIZ" not in picked
    qualified = courses(document(run, "data-sci", "--pick", "data-sci/NLP"))
    assert "data-sci/NLP" in qualified
    result = run("data-sci", *START, "--track", "Deep")
    assert result.exit_code == 1
    assert result.stderr == "Error: --track 'Deep': data-sci has no tracks\n"


def test_done_marks_courses_completed_by_code_or_id(run: Invoke) -> None:
    doc = document(run, "data-sci", "finance", "--done", "PROB", "--done", "data-sci/stats")
    found = courses(doc)
    assert (found["data-sci/PROB"]["status"], found["data-sci/PROB"]["start"]) == (
        "completed",
        None,
    )
    assert found["data-sci/STATS"]["status"] == "completed"
    assert doc["cost_usd"]["paid"] == [250, 400]  # type: ignore[index]
    result = run("data-sci", *START, "--done", "PROBB")
    assert result.exit_code == 1
    assert result.stderr == "Error: unknown course in data-sci 'PROBB' (did you mean 'PROB'?)\n"


def test_progress_flags_are_accepted(run: Invoke) -> None:
    assert run("data-sci", *START, "--ignore-progress", "--no-calibrate").exit_code == 0


def test_breaks_pause_the_plan(run: Invoke) -> None:
    doc = document(run, "data-sci", "-H", "7", "--break", "2027-01-11:2027-01-17")
    assert courses(doc)["data-sci/PROB"]["end"] == "2027-02-07"
    assert doc["breaks"] == [{"start": "2027-01-11", "end": "2027-01-17"}]
    table = run("data-sci", *START, "-H", "7", "--break", "2027-01-11:2027-01-17").stdout
    breaks_row = next(line for line in table.splitlines() if line.startswith("breaks"))
    assert "░" in breaks_row


def test_finish_by_finds_the_pace_or_says_what_blocks_it(run: Invoke) -> None:
    doc = document(run, "data-sci", "--finish-by", "2027-03-07")
    assert doc["hours_per_week"] == 7.0
    assert doc["finish"] == "2027-03-07"
    late = run("finance", *START, "--finish-by", "2027-05-01")
    assert late.exit_code == 1
    assert late.stderr.startswith(
        "Error: no pace finishes by 2027-05-01: finance/LIVE ends 2027-06-20"
    )
    yes = run("data-sci", *START, "--finish-by", "2027-05-01", "-H", "8", "--format", "json")
    assert yes.exit_code == 0
    assert json.loads(yes.stdout)["hours_per_week"] == 8.0
    # The answer is the plan's own finish: the exact pass's (the list schedule's is 03-02).
    assert json.loads(yes.stdout)["finish"] == "2027-02-28"
    assert "Warning: yes: at 8 h/week you finish on 2027-02-28" in yes.stderr
    no = run("data-sci", *START, "--finish-by", "2027-03-07", "-H", "5")
    assert no.exit_code == 1
    assert no.stderr == (
        "Error: not by 2027-03-07 at 5 h/week: the plan finishes on 2027-04-02; "
        "7 h/week finishes by 2027-03-07\n"
    )


def test_default_start_is_the_next_monday(run: Invoke, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MMPLAN_TODAY", "2027-01-06")  # a Wednesday
    result = run("data-sci", "--format", "json")
    assert json.loads(result.stdout)["start"] == "2027-01-11"


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (("-H", "0"), 2, "Error: --hours-per-week: 0 is not in the range 0.5 to 168\n"),
        (("-H", "200"), 2, "Error: --hours-per-week: 200 is not in the range 0.5 to 168\n"),
        (("--max-parallel", "0"), 2, "Error: --max-parallel: 0 is not in the range 1 to 100\n"),
        (("--start", "soon"), 2, "Error: --start: 'soon' is not a date written YYYY-MM-DD\n"),
        (
            ("--break", "2027-02-01"),
            2,
            "Error: --break: expected START:END (YYYY-MM-DD:YYYY-MM-DD), got '2027-02-01'\n",
        ),
        (
            ("--break", "2027-02-01:2027-01-01"),
            2,
            "Error: --break: 2027-02-01:2027-01-01 ends before it starts\n",
        ),
    ],
)
def test_bad_values_are_one_line_errors(
    run: Invoke, args: tuple[str, ...], code: int, message: str
) -> None:
    result = run("data-sci", *args)
    assert result.exit_code == code
    assert result.stderr == message
    assert result.stdout == ""


def test_unknown_program_suggests_the_right_id(run: Invoke) -> None:
    result = run("data-sc1", *START)
    assert result.exit_code == 1
    assert result.stderr == "Error: unknown program 'data-sc1' (did you mean 'data-sci'?)\n"


@pytest.mark.parametrize("columns", ["60", "120"])
def test_the_table_output_fits_the_terminal(
    run: Invoke, monkeypatch: pytest.MonkeyPatch, columns: str
) -> None:
    monkeypatch.setenv("COLUMNS", columns)
    result = run("data-sci", "finance", *START)
    assert result.exit_code == 0, result.stderr
    assert max(len(line) for line in result.stdout.splitlines()) <= int(columns)
    assert "finance/LIVE" in result.stdout or "LIVE" in result.stdout


def test_the_bundled_catalog_plans(mmplan: Invoke) -> None:
    result = mmplan("plan", "mitx-scm", "--start", "2027-01-04", "--format", "json")
    assert result.exit_code == 0, result.stderr
    doc = json.loads(result.stdout)
    first = date.fromisoformat(doc["start"])
    assert date.fromisoformat(doc["finish"]) > first + timedelta(days=100)


def test_the_bundled_mitx_scm_plan_takes_the_recommended_reference_course_first(
    mmplan: Invoke,
) -> None:
    result = mmplan("plan", "mitx-scm", "--start", "2026-11-30", "--format", "json")
    assert result.exit_code == 0, result.stderr
    courses = {c["code"]: c for c in json.loads(result.stdout)["courses"]}
    reference_ends = date.fromisoformat(courses["CTL.SC0x"]["end"])
    for code in ("CTL.SC1x", "CTL.SC2x", "CTL.SC3x", "CTL.SC4x"):
        assert date.fromisoformat(courses[code]["start"]) > reference_ends, code
        assert courses[code]["recommended"] == ["mitx-scm/CTL.SC0x"]
        assert courses[code]["prerequisites"] == []
    warnings = warning_messages(json.loads(result.stdout))
    assert any(
        w.startswith("following the recommended order: mitx-scm/CTL.SC0x before ") for w in warnings
    )
    assert "Warning: following the recommended order: CTL.SC0x before CTL.SC1x" in result.stderr
    assert "recommended first" not in result.stderr  # the advice is followed, not repeated

    ignored = mmplan(
        "plan", "mitx-scm", "--start", "2026-11-30", "--format", "json", "--ignore-recommended"
    )
    assert ignored.exit_code == 0, ignored.stderr
    order = [c["code"] for c in json.loads(ignored.stdout)["courses"]]
    # learner-paced CTL.SC0x starts at once; the final exam needs every course
    assert (order[0], order[-1]) == ("CTL.SC0x", "CTL.CFx")
    assert "following the recommended order" not in ignored.stderr


def test_a_pace_beyond_full_time_is_planned_with_a_warning(run: Invoke) -> None:
    fast = document(run, "data-sci", "-H", "70")
    assert (
        "70 h/week is more than a full-time job (about 10 h every day): "
        "is that pace realistic for you?"
    ) in warning_messages(fast)
    usual = document(run, "data-sci", "-H", "40")
    assert not any("full-time" in w for w in warning_messages(usual))


@pytest.mark.parametrize(
    ("args", "shown"),
    [
        (("--format", "table"), True),
        (("--format", "json"), True),
        (("--format", "csv"), False),
        (("--format", "markdown"), False),
        (("--format", "ics"), False),
        (("--format", "html"), False),
    ],
)
def test_the_other_paces_are_worked_out_only_where_they_are_shown(
    run: Invoke, monkeypatch: pytest.MonkeyPatch, args: tuple[str, ...], shown: bool
) -> None:
    from mmplan.schedule import planner

    asked: list[float] = []
    what_ifs = planner._what_ifs

    def counted(*given: Any) -> Any:
        asked.append(1)
        return what_ifs(*given)

    monkeypatch.setattr(planner, "_what_ifs", counted)
    result = run("data-sci", *START, *args)
    assert result.exit_code == 0, result.stderr
    assert bool(asked) == shown


def test_cost_by_month_plans_without_the_other_paces(
    mmplan: Invoke, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from mmplan.schedule import planner

    def refused(*given: Any) -> Any:
        raise AssertionError("cost --by-month shows no other paces")

    monkeypatch.setattr(planner, "_what_ifs", refused)
    run = cli_on(mmplan, tmp_path / "catalog.yaml", text=CATALOG)
    result = run("cost", "data-sci", "--by-month")
    assert result.exit_code == 0, result.stderr
    assert "Due by month" in result.stdout
