"""At 60, 80 and 120 columns `status` and `progress show` keep every state and date whole;
wrapped lines stay indented under what they continue."""

from __future__ import annotations

import html
import io
import json
import re
from pathlib import Path

import pytest

import factories
from conftest import Invoke
from mmplan.render.formatting import fit_labels
from mmplan.render.html import CODE_CHARS
from mmplan.render.tabular import Column, TableView, to_rich, whole_word_table

STATES = ("passed", "in progress", "available now", "blocked by")


@pytest.fixture
def recorded(mmplan: Invoke) -> Invoke:
    for args in (
        ("progress", "add", "mitx-scm", "CTL.SC0x", "--date", "2026-05-01", "--grade", "0.87"),
        ("progress", "add", "mitx-scm", "CTL.SC2x", "--date", "2026-06-01", "--hours-spent", "150"),
        ("progress", "start", "mitx-scm", "CTL.SC1x", "--date", "2026-10-05", "--percent", "40"),
    ):
        assert mmplan(*args).exit_code == 0
    return mmplan


@pytest.mark.parametrize("width", [60, 80, 120])
def test_status_keeps_each_state_on_its_line_and_titles_beside_codes(
    recorded: Invoke, monkeypatch: pytest.MonkeyPatch, width: int
) -> None:
    monkeypatch.setenv("COLUMNS", str(width))
    result = recorded("status", "mitx-scm")
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert max(len(line) for line in lines) <= width
    assert "…" not in result.stdout
    for state in STATES:
        assert any(state in line for line in lines), (width, state)
    document = json.loads(recorded("status", "mitx-scm", "--format", "json").stdout)
    for course_id in document["needed"]:
        code = course_id.split("/")[1]
        row = next(line for line in lines if re.search(rf"\b{re.escape(code)}\b", line))
        assert "Supply" in row or "Comprehensive" in row, row  # the title starts beside it


@pytest.mark.parametrize("width", [60, 80, 120])
def test_progress_show_keeps_statuses_dates_and_hours_whole(
    recorded: Invoke, monkeypatch: pytest.MonkeyPatch, width: int
) -> None:
    monkeypatch.setenv("COLUMNS", str(width))
    result = recorded("progress", "show")
    assert result.exit_code == 0, result.stderr
    out = result.stdout
    assert max(len(line) for line in out.splitlines()) <= width
    assert "…" not in out
    for whole in ("verified", "started, 40% done", "2026-05-01", "2026-06-01", "2026-10-05", "87%"):
        assert whole in out, (width, whole)
    for title in ("Supply Chain Analytics", "Supply Chain Design"):
        assert title in out or title.split()[-1] in out, (width, title)


@pytest.mark.parametrize("width", [60, 80, 120])
@pytest.mark.parametrize("command", ["cost", "plan", "show"])
def test_placeholder_codes_keep_a_title_beside_them(
    mmplan: Invoke, monkeypatch: pytest.MonkeyPatch, width: int, command: str
) -> None:
    # MichiganX UX has only placeholder codes (ux-1 ... ux-8): alone they mean nothing.
    monkeypatch.setenv("COLUMNS", str(width))
    result = mmplan(command, "michiganx-ux")
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert max(len(line) for line in lines) <= width
    show = json.loads(mmplan("show", "michiganx-ux", "--format", "json").stdout)
    for listed in show["courses"]:
        row = next(line for line in lines if re.search(rf"\b{re.escape(listed['code'])}\s", line))
        assert listed["title"][:6] in row, (command, width, row)


def test_status_indents_a_wrapped_prerequisite_under_its_course(
    mmplan: Invoke, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "60")
    lines = mmplan("status", "mitx-scm").stdout.splitlines()
    document = json.loads(mmplan("status", "mitx-scm", "--format", "json").stdout)
    item = document["external_prerequisites"][0]
    first = next(i for i, line in enumerate(lines) if line.startswith(f"  {item['course']}: "))
    block = [lines[first]]
    for line in lines[first + 1 :]:
        if not re.match(r"  \S", line):
            break
        block.append(line)
    assert len(block) > 1  # the requirement wraps at 60 columns, and stays indented
    assert " ".join(line.strip() for line in block) == f"{item['course']}: {item['requirement']}"


def test_list_wraps_a_long_title_beside_its_id_never_under_it(
    mmplan: Invoke, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "60")
    ids = {p["id"] for p in json.loads(mmplan("list", "--format", "json").stdout)["programs"]}
    lines = mmplan("list").stdout.splitlines()
    rows = lines[1 : next(i for i, line in enumerate(lines) if line.startswith("Courses, hours"))]
    assert all(line.startswith(" ") or line.split()[0] in ids for line in rows)
    assert any(line.startswith("    ") for line in rows)  # some title did wrap


@pytest.mark.parametrize("width", [60, 80])
def test_status_fits_every_bundled_program_without_cutting_a_title(
    mmplan: Invoke, monkeypatch: pytest.MonkeyPatch, width: int
) -> None:
    """Long slug ids (`lei-improvement-science`) leave a table no room: a block per course."""
    monkeypatch.setenv("COLUMNS", str(width))
    listing = json.loads(mmplan("list", "--format", "json").stdout)
    for program in listing["programs"]:
        out = mmplan("status", program["id"]).stdout
        assert max(len(line) for line in out.splitlines()) <= width, program["id"]
        assert "…" not in out, program["id"]


def _rendered(table: object, width: int) -> str:
    from rich.console import Console

    console = Console(width=width, record=True, file=io.StringIO())
    console.print(table)
    return console.export_text()


def test_a_whole_word_table_never_cuts_a_word_where_rich_alone_would() -> None:
    view = TableView(
        title="t",
        columns=(Column("Id", no_wrap=True), Column("Title"), Column("State")),
        rows=(
            (
                "SoftConst2x",
                "Software Construction: Object-Oriented Design",
                "available now; recommended first: HtC1x, SoftConst1x",
            ),
        ),
    )
    cut_by_rich = []
    for width in range(30, 100):
        table = whole_word_table(view, width)
        if table is None:  # too narrow for the longest words: the caller stacks the rows
            assert width < 11 + len("Object-Oriented") + len("recommended") + 10
            continue
        text = _rendered(table, width)
        assert "…" not in text, width
        assert max(len(line) for line in text.splitlines()) <= width
        if "…" in _rendered(to_rich(view), width):
            cut_by_rich.append(width)
    assert cut_by_rich  # widths where Rich alone cuts "Object-Oriented" to fit


@pytest.mark.parametrize(
    "programs",
    [
        ("ritx-project-management",),
        ("michiganx-educational-innovation",),
        ("ucsandiegox-data-science", "michiganx-ux-research-design"),
    ],
)
def test_cost_by_month_at_60_columns_cuts_no_course_id(
    mmplan: Invoke, monkeypatch: pytest.MonkeyPatch, programs: tuple[str, ...]
) -> None:
    monkeypatch.setenv("COLUMNS", "60")
    out = mmplan("cost", *programs, "--by-month").stdout
    months = out[out.index("Due by month") : out.index("\nPaid:")]
    assert "…" not in months
    assert max(len(line) for line in months.splitlines()) <= 60
    document = json.loads(mmplan("cost", *programs, "--by-month", "--format", "json").stdout)
    for month in document["by_month"]:
        for course in month["courses"]:  # a single program's courses go by code
            named = course if len(programs) > 1 else course.split("/")[1]
            assert named in months, course
    assert (f"{programs[0]}/" in months) == (len(programs) > 1)


FIGURE_THEN_UNIT = re.compile(r"(?:^|\s)~?[\d.,]+\n\s*(?:h/week|h\b|weeks?\b|days?\b)")


@pytest.mark.parametrize(
    ("program_id", "pace", "width"),
    [
        ("mitx-scm", "10.5", 60),  # "at 10.5" / "h/week"; "~670" / "h in all"
        ("mitx-finance", "8", 60),  # "needing up to 12" / "h/week"
        ("mitx-dedp", "10.5", 60),  # "over your 10.5" / "h/week"
        ("columbiax-ai", "5", 80),  # "needing up to 9" / "h/week"
        ("mitx-scm", "8", 60),
    ],
)
def test_plan_keeps_each_figure_beside_its_unit(
    mmplan: Invoke, monkeypatch: pytest.MonkeyPatch, program_id: str, pace: str, width: int
) -> None:
    monkeypatch.setenv("COLUMNS", str(width))
    result = mmplan("plan", program_id, "--hours-per-week", pace)
    assert result.exit_code == 0, result.stderr
    summary = result.stdout[: result.stdout.index("Courses")]
    assert FIGURE_THEN_UNIT.search(summary) is None, summary
    assert max(len(line) for line in summary.splitlines()) <= width
    assert "\u00a0" not in result.stdout
    heading = " ".join(summary.split("Finish:")[0].split())
    page = mmplan("plan", program_id, "--hours-per-week", pace, "--format", "html").stdout
    assert f"<h1>{html.escape(heading, quote=False)}</h1>" in page  # the same words
    for machine in ("json", "csv", "markdown", "html"):
        out = mmplan("plan", program_id, "--hours-per-week", pace, "--format", machine).stdout
        assert "\u00a0" not in out, machine


@pytest.mark.parametrize("width", [60, 80, 120])
@pytest.mark.parametrize("program", ["mitx-scm", "michiganx-educational-innovation"])
def test_plan_tells_every_course_apart_by_its_whole_title(
    mmplan: Invoke, monkeypatch: pytest.MonkeyPatch, width: int, program: str
) -> None:
    """#25: at 60 columns every SCM title was "Supply Chain…"; at 80, slug ids squeezed
    titles to 12 characters. Titles now wrap between words, and long ids cost the hours."""
    monkeypatch.setenv("COLUMNS", str(width))
    result = mmplan("plan", program, "--start", "2027-01-04")
    assert result.exit_code == 0, result.stderr
    table = result.stdout.split("Timeline")[0]
    assert "…" not in table
    assert max(len(line) for line in table.splitlines()) <= width
    words = set(table.split())
    plan = json.loads(mmplan("plan", program, "--start", "2027-01-04", "--format", "json").stdout)
    for course in plan["courses"]:
        assert set(course["title"].split()) <= words, (width, course["title"])


def test_help_wraps_between_words_never_at_an_options_hyphen(
    mmplan: Invoke, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "60")
    for command in (["plan"], ["cost"], ["compare"], ["progress", "start"]):
        out = mmplan(*command, "--help").stdout
        assert not re.search(r"--[a-z]+(-[a-z]+)*-$", out, re.MULTILINE), (command, out)


def test_cut_labels_never_read_the_same() -> None:
    """Replaying #25's coordinator: two slug ids sharing their first 14 characters were both
    `lei-improvemen` in the timeline, and ran under the bars on the page."""
    labels = ["lei-improvement-science-foundations", "lei-improvement-science-practice", "A1x"]
    fitted = fit_labels(labels, 14)
    assert fitted == ["lei-imp…ations", "lei-imp…actice", "A1x"]
    assert fit_labels(labels, 40) == labels  # nothing cut where all fit
    assert [len(label) for label in fit_labels(labels, 9)] == [9, 9, 3]


SLUGS = factories.program(
    "lei",
    factories.course("lei-improvement-science-foundations", weeks=2, hours=4),
    factories.course("lei-improvement-science-practice", weeks=2, hours=4),
)


@pytest.mark.parametrize("width", [60, 80, 120])
def test_the_timeline_and_the_gantt_tell_slug_ids_apart(
    mmplan: Invoke, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, width: int
) -> None:
    monkeypatch.setenv("COLUMNS", str(width))
    run = factories.cli_on(mmplan, tmp_path / "slugs.yaml", SLUGS)
    text = run("plan", "lei", "--start", "2027-01-04", "--max-parallel", "1").stdout
    rows = text.split("Timeline\n")[1].split("What if")[0].splitlines()[1:]
    labels = [row.split(" ")[0] for row in rows]
    assert len(labels) == 2
    assert len(set(labels)) == 2, labels
    page = run("plan", "lei", "--start", "2027-01-04", "--format", "html").stdout
    codes = re.findall(r'<tspan class="code">([^<]*)</tspan>', page)
    assert len(set(codes)) == 2, codes
    assert all(len(code) <= CODE_CHARS for code in codes)
    assert "lei-improvement-science-foundations" in page  # whole in the table and tooltips
