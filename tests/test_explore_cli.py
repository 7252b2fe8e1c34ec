"""`mmplan list`, `show` and `compare` through the CLI, on tiny catalogs and the bundled one."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from conftest import BUNDLED_IDS, Invoke
from factories import cli_on, course, program


@pytest.fixture
def tiny(mmplan: Invoke, tmp_path: Path) -> Invoke:
    """The CLI over a two-program catalog alone, instead of the bundled one."""
    return cli_on(
        mmplan,
        tmp_path / "tiny.yaml",
        program(
            "alpha-data",
            course("A1", weeks=4, hours=10, price=100),
            course("A2", weeks=4, hours=10, price=None, prereqs=["A1"]),
            field="Data science",
            institution="AlphaX",
            credit_pathways=[{"institution": "Alpha U", "degree": "MSc", "credit": "1 term"}],
        ),
        program(
            "beta-energy",
            course("B1", weeks=2, hours=[4, 8], price=[100, 300], pacing="instructor"),
            course("A1", weeks=4, hours=10, price=100),
            field="Energy",
            institution="BetaX",
            price_usd=350,
        ),
    )


def test_list_table_shows_every_column(tiny: Invoke) -> None:
    result = tiny("list", "--hours-per-week", "10")
    assert result.exit_code == 0, result.stderr
    assert result.stderr == ""
    out = result.stdout
    for text in (
        "alpha-data",
        "beta-energy",
        "AlphaX",
        "Energy",
        "$100 + 1 unknown",
        "$350",
        "~8",
        "~6",
    ):
        assert text in out
    assert "Weeks at 10h" in out


def test_list_json_is_plain_and_complete(tiny: Invoke) -> None:
    result = tiny("list", "--format", "json", "--sort", "price")
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert data["hours_per_week"] == 8.0
    assert data["sort"] == "price"
    programs = {p["id"]: p for p in data["programs"]}
    # "$100 + 1 unknown" may cost anything: it sorts after the known $350 (#25).
    assert [p["id"] for p in data["programs"]] == ["beta-energy", "alpha-data"]
    assert programs["alpha-data"]["price_unknown"] == ["alpha-data/A2"]
    assert programs["beta-energy"]["price_usd"] == 350
    assert programs["beta-energy"]["price_basis"] == "published"
    assert programs["alpha-data"]["credit_pathways"] == 1
    assert programs["alpha-data"]["weeks_estimate"] == 10.0


def test_list_csv_and_markdown_share_one_view(tiny: Invoke) -> None:
    rows = list(csv.reader(io.StringIO(tiny("list", "--format", "csv").stdout)))
    assert rows[0][:4] == ["Id", "Title", "Institution", "Field"]
    assert [r[0] for r in rows[1:]] == ["alpha-data", "beta-energy"]
    markdown = tiny("list", "--format", "markdown").stdout
    assert markdown.splitlines()[0].startswith("| Id | Title |")
    assert "| alpha-data |" in markdown


@pytest.mark.parametrize(
    ("options", "expected"),
    [
        (["--field", "ENERGY"], ["beta-energy"]),
        (["--institution", "alpha"], ["alpha-data"]),
        (["--credit-at", "alpha u"], ["alpha-data"]),
        (["--search", "course B1"], ["beta-energy"]),
        (["--max-price", "400"], ["beta-energy"]),
        (["--max-weeks", "9"], ["beta-energy"]),
        (["--sort", "weeks"], ["beta-energy", "alpha-data"]),
        (["--sort", "id", "--reverse"], ["beta-energy", "alpha-data"]),
    ],
)
def test_list_filters_and_sorting(tiny: Invoke, options: list[str], expected: list[str]) -> None:
    result = tiny("list", "--format", "json", *options)
    assert result.exit_code == 0, result.stderr
    assert [p["id"] for p in json.loads(result.stdout)["programs"]] == expected


@pytest.mark.parametrize(
    "options",
    [["--sort", "colour"], ["--hours-per-week", "0"], ["--format", "yaml"], ["--max-price", "-1"]],
)
def test_list_bad_options_are_usage_errors(tiny: Invoke, options: list[str]) -> None:
    result = tiny("list", *options)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert "Usage" in result.stderr or "Error" in result.stderr


def test_show_prints_facts_courses_tree_and_credit_caveat(tiny: Invoke) -> None:
    result = tiny("show", "ALPHA")  # any case, unique prefix
    assert result.exit_code == 0, result.stderr
    out = result.stdout
    assert "(alpha-data)" in out
    assert "A2  Course A2" in out  # the tree: A2 above what it needs first
    assert "└── A1  Course A1" in out
    assert "Alpha U: MSc; credit: 1 term" in out
    assert "admission is never guaranteed" in out
    assert "https://example.org/source" in out
    assert "2026-11-01" in out


def test_show_marks_recommended_edges_in_the_tree(mmplan: Invoke) -> None:
    result = mmplan("show", "mitx-scm")
    assert result.exit_code == 0, result.stderr
    assert "│   └── CTL.SC0x  Supply Chain Analytics  (recommended; see above)" in result.stdout


def test_show_json(tiny: Invoke) -> None:
    result = tiny("show", "beta-energy", "--format", "json")
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert [c["code"] for c in data["courses"]] == ["B1", "A1"]
    assert data["courses"][0]["hours_per_week"] == [4.0, 8.0]
    assert data["courses"][0]["pacing"] == "instructor"
    assert data["as_of"] == "2026-11-01"
    assert data["sources"] == ["https://example.org/source"]


def test_show_unknown_program_suggests_and_exits_1(tiny: Invoke) -> None:
    result = tiny("show", "alpha-dota")
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr == "Error: unknown program 'alpha-dota' (did you mean 'alpha-data'?)\n"


def test_compare_side_by_side_with_shared_courses(tiny: Invoke) -> None:
    result = tiny("compare", "alpha-data", "beta-energy")
    assert result.exit_code == 0, result.stderr
    assert "Shared courses" in result.stdout
    assert "All together: 3 courses" in result.stdout
    data = json.loads(tiny("compare", "alpha", "beta", "--format", "json").stdout)
    assert [p["summary"]["id"] for p in data["programs"]] == ["alpha-data", "beta-energy"]
    assert data["shared_courses"] == [
        {
            "code": "A1",
            "title": "Course A1",
            "ids": ["alpha-data/A1", "beta-energy/A1"],
            "programs": ["alpha-data", "beta-energy"],
        }
    ]
    table = tiny("compare", "a", "b", "--format", "csv").stdout
    rows = list(csv.reader(io.StringIO(table)))
    assert rows[0] == ["", "alpha-data", "beta-energy"]


def test_compare_one_program_is_a_usage_error(tiny: Invoke) -> None:
    result = tiny("compare", "alpha-data", "ALPHA-DATA")
    assert result.exit_code == 2
    assert result.stderr == "Error: compare needs at least two different programs\n"


def test_list_on_the_bundled_catalog_matches_the_planner_selection(mmplan: Invoke) -> None:
    from mmplan.catalog.load import CatalogSources, load_active_catalog
    from mmplan.selection import select_courses

    data = json.loads(mmplan("list", "--format", "json").stdout)
    bundled = load_active_catalog(CatalogSources()).catalog
    assert [p["id"] for p in data["programs"]] == [p.id for p in bundled.programs]
    for entry in data["programs"]:
        selected = select_courses(bundled.program(entry["id"])).codes
        own = [ref.split("/", 1)[1] for ref in entry["course_ids"] if ref.startswith(entry["id"])]
        assert set(selected) <= set(own)


def test_stacked_layout_on_narrow_terminals(tiny: Invoke, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "60")
    out = tiny("list").stdout
    assert "alpha-data  Program alpha-data" in out
    assert "Institution: AlphaX" in out
    assert max(len(line) for line in out.splitlines()) <= 60


def test_the_cli_and_the_domain_share_one_set_of_enums_and_defaults() -> None:
    """One light module (mmplan.core.defaults) holds them; no command keeps a copy to drift."""
    from mmplan import schedule
    from mmplan.cli import explore_cmd, options, plan_cmd
    from mmplan.core import defaults
    from mmplan.reports import listing

    assert explore_cmd.SortKey is listing.SortKey is defaults.SortKey
    assert (
        options.Effort
        is explore_cmd.Effort
        is schedule.PlanRequest.model_fields["effort"].annotation
    )
    assert explore_cmd.DEFAULT_HOURS_PER_WEEK is defaults.DEFAULT_HOURS_PER_WEEK
    assert plan_cmd.DEFAULT_MAX_PARALLEL is defaults.DEFAULT_MAX_PARALLEL
    request = schedule.PlanRequest.model_fields
    assert request["hours_per_week"].default is defaults.DEFAULT_HOURS_PER_WEEK
    assert request["max_parallel"].default is defaults.DEFAULT_MAX_PARALLEL


def test_show_says_which_effort_it_counts(tiny: Invoke) -> None:
    result = tiny("show", "beta-energy", "--effort", "high")
    assert "56 (default path, high effort)" in result.stdout  # 2 x 8 + 4 x 10
    assert json.loads(tiny("show", "beta", "--format", "json").stdout)["effort"] == "mid"


def test_an_empty_listing_says_so_on_stderr(tiny: Invoke) -> None:
    result = tiny("list", "--field", "astronomy")
    assert result.exit_code == 0
    assert result.stdout == ""
    assert result.stderr == "No program matches these filters.\n"
    empty = json.loads(tiny("list", "--field", "astronomy", "--format", "json").stdout)
    assert empty["programs"] == []


@pytest.mark.parametrize("program_id", BUNDLED_IDS)
def test_weeks_estimate_is_close_to_the_plan_and_never_longer(
    bundled_runs: Invoke, program_id: str
) -> None:
    """On the bundled catalog, `list` agrees with `plan` on what it counts, and its weeks
    are a slightly optimistic estimate of the plan's finish."""
    listing = json.loads(bundled_runs("list", "--format", "json").stdout)
    entry = next(e for e in listing["programs"] if e["id"] == program_id)
    if entry["status"] == "retired":  # listed, never planned
        assert bundled_runs("plan", entry["id"]).exit_code == 1
        return
    plan = json.loads(bundled_runs("plan", entry["id"], "--format", "json").stdout)
    assert sorted(c["id"] for c in plan["courses"]) == sorted(entry["course_ids"])
    assert plan["total_hours"] == pytest.approx(entry["total_hours"])
    assert entry["weeks_estimate"] <= plan["weeks"] + 0.1, entry["id"]
    assert entry["weeks_estimate"] >= 0.8 * plan["weeks"], entry["id"]


def test_show_draws_tracks_electives_and_outside_prerequisites(
    mmplan: Invoke, tmp_path: Path
) -> None:
    run = cli_on(
        mmplan,
        tmp_path / "structured.yaml",
        program("base", course("P")),
        program(
            "top",
            course("core", prereqs=["base/P"]),
            course("e1"),
            course("e2", weeks=1),
            course("t1"),
            course("t2"),
            electives=[{"choose": 1, "from": ["e1", "e2"]}],
            tracks=[{"name": "Short", "courses": ["t1"]}, {"name": "Long", "courses": ["t2"]}],
            notes="A note about the program.",
        ),
    )
    result = run("show", "top")
    assert result.exit_code == 0, result.stderr
    out = result.stdout
    assert "base/P  Course P  (another program)" in out
    assert "Needs from other programs: base/P" in out
    assert "Electives: choose 1 of e1, e2" in out
    assert "Tracks: follow exactly one" in out
    assert "Track Short: t1" in out
    assert "elective: 1 of 2 (not counted)" in out  # e1: outside the fewest-hours default
    assert "A note about the program." in out
    assert "Default path" in out


def test_show_and_compare_write_the_summary_that_list_writes(mmplan: Invoke) -> None:
    """`list` serializes with the json module, `show` and `compare` through pydantic."""
    listed = json.loads(mmplan("list", "--format", "json").stdout)["programs"]
    by_id = {entry["id"]: entry for entry in listed}
    shown = json.loads(mmplan("show", "mitx-sds", "--format", "json").stdout)["summary"]
    compared = json.loads(mmplan("compare", "mitx-sds", "mitx-scm", "--format", "json").stdout)[
        "programs"
    ]
    assert shown == by_id["mitx-sds"]
    assert [p["summary"] for p in compared] == [by_id["mitx-sds"], by_id["mitx-scm"]]
    assert isinstance(shown["price_usd"], int | list)  # money as numbers, not {lo, hi}
