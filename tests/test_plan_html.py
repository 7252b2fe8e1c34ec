"""`plan --format html`: a self-contained page, escaped, with charts a browser really draws."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from datetime import date, timedelta
from itertools import pairwise
from pathlib import Path

import pytest

import mmplan as mmplan_api
from conftest import PLANNABLE_IDS, Invoke
from factories import catalog, cli_on, course, pausing_program, program
from mmplan.api import cost_by_month, plan_cost
from mmplan.catalog.enrolment import Enrolment
from mmplan.render.html import (
    LABEL_LINE,
    LOAD_HEIGHT,
    LOAD_TOP,
    TOP_LABEL_Y,
    budget_label_y,
    gantt_chart,
    load_chart,
    month_rows,
    plan_html,
    weekly_load,
)
from mmplan.schedule import Break, PlanRequest, plan_programs

START = date(2027, 1, 4)
CRITICAL = (217, 72, 15)  # --critical in the template: the bars that set the finish date
PLANNED = (47, 111, 214)  # --bar
OVER = (224, 49, 49)  # --over: a week of the load chart above the budget


def _plan(*programs: dict[str, object], **request: object):  # type: ignore[no-untyped-def]
    cat = catalog(*programs)
    ids = tuple(str(p["id"]) for p in programs)
    return plan_programs(cat, PlanRequest(program_ids=ids, start=START, **request))  # type: ignore[arg-type]


CHAIN = program(
    "p",
    course("A", weeks=4, hours=4),
    course("B", weeks=4, hours=4, prereqs=["A"], price=None),
    course("C", weeks=2, hours=4, recommended=["A"]),
    course("S", weeks=2, hours=6, pacing="instructor", prereqs=["B"], session_starts=["06-01"]),
)


def test_the_gantt_chart_has_a_bar_per_course_arrows_waits_and_breaks() -> None:
    plan = _plan(
        CHAIN, hours_per_week=8, breaks=(Break(start=date(2027, 2, 15), end=date(2027, 2, 21)),)
    )
    chart = gantt_chart(plan)
    assert chart is not None
    assert [bar.code for bar in chart.bars] == [c.code for c in plan.planned]
    edges = sum(1 for c in plan.planned for needed in (*c.prerequisites, *c.recommended) if needed)
    assert len(chart.arrows) == edges
    assert sum(arrow.soft for arrow in chart.arrows) == 1  # C's recommended A, dashed
    session = next(bar for bar in chart.bars if bar.code == "S")
    assert session.wait_x is not None  # waits for June
    assert session.wait_width > 0
    assert len(chart.breaks) == 1
    lefts = {bar.code: bar.x for bar in chart.bars}
    assert lefts["A"] < lefts["B"] < lefts["S"]
    labelled = [tick for tick in chart.ticks if tick.label]
    assert labelled[0].label == "Jan 2027"
    for tick, following in pairwise(labelled):
        assert tick.x + len(tick.label) * 7.5 < following.x  # labels never overlap
    assert labelled[-1].x + len(labelled[-1].label) * 7.5 <= chart.width


def test_the_weekly_load_adds_up_to_the_plan_hours() -> None:
    plan = _plan(program("p", course("A", weeks=3, hours=5), course("B", weeks=2, hours=3)))
    weeks = weekly_load(plan)
    assert weeks[0][0] == plan.start
    assert sum(hours for _, hours in weeks) == pytest.approx(plan.total_hours, abs=0.1)
    assert max(hours for _, hours in weeks) <= plan.peak_hours_per_week + 1e-9


def test_the_budget_label_never_touches_the_top_label() -> None:
    # Within the budget, its line is near the axis' top: its label goes under the line.
    within = load_chart(_plan(program("p", course("A", weeks=3, hours=20)), hours_per_week=20))
    assert within is not None
    assert within.budget_label_y - within.top_label_y >= LABEL_LINE
    assert within.budget_label_y > within.budget_y + 4
    # Well over it, the budget line is low: its label stays beside it.
    heavy = course("A", weeks=3, hours=12, pacing="instructor")
    over = load_chart(_plan(program("p", heavy), hours_per_week=4))
    assert over is not None
    assert over.budget_label_y == over.budget_y + 4
    for budget_y in range(LOAD_TOP, LOAD_HEIGHT):  # beside its line or under it, never above
        assert budget_label_y(budget_y) - TOP_LABEL_Y >= LABEL_LINE
        assert budget_label_y(budget_y) >= budget_y + 4


def test_the_load_axis_is_a_scale_never_read_as_the_plans_need(mmplan: Invoke) -> None:
    # A plan needing 5 h/week at most: its axis tops out above that, as a plain tick.
    chart = load_chart(_plan(program("p", course("A", weeks=3, hours=5)), hours_per_week=5))
    assert chart is not None
    assert chart.top == "6"  # 1.15 x 5, up to a whole hour, exactly where its tick sits
    assert chart.top_y == LOAD_TOP
    assert chart.base_y == max(week.y + week.height for week in chart.weeks)
    page = _page(mmplan, "mitx-sds", "--start", "2027-01-04")
    load = page[page.index('id="load"') : page.index("</svg>", page.index('id="load"'))]
    assert "up to" not in load
    ticks = re.findall(r'text-anchor="end">([^<]*)</text>', load)
    assert len(ticks) == 2, ticks
    assert re.fullmatch(r"\d+ h", ticks[0]), ticks
    assert ticks[1] == "0 h"


# At 8 h/week the plan pauses A during F's session.
PAUSING = pausing_program(START)


def test_a_course_that_pauses_gets_a_bar_per_segment_joined_by_a_dashed_pause() -> None:
    plan = _plan(PAUSING, hours_per_week=8)
    paused = next(c for c in plan.planned if c.code == "A")
    assert paused.paused
    chart = gantt_chart(plan)
    assert chart is not None
    assert chart.paused
    bars = {bar.code: bar for bar in chart.bars}
    first, second = bars["A"].pieces
    (pause,) = bars["A"].pauses
    assert first.x + first.width == pytest.approx(pause.x, abs=0.2)
    assert pause.x + pause.width == pytest.approx(second.x, abs=0.2)
    # The pause is F's session: F's bar fills exactly the gap in A's.
    (session,) = bars["F"].pieces
    assert (session.x, session.x + session.width) == pytest.approx(
        (pause.x, pause.x + pause.width), abs=0.2
    )
    assert "part 1 of 2" in first.tooltip
    assert "pauses 2027-01-18 to 2027-02-14" in pause.tooltip
    assert all(len(bars[code].pieces) == 1 and not bars[code].pauses for code in ("F", "E"))


def test_a_slower_segment_is_drawn_lighter() -> None:
    plan = _plan(PAUSING, hours_per_week=8)
    paused = next(c for c in plan.planned if c.code == "A")
    first, second = paused.segments
    slowed = plan.model_copy(
        update={
            "courses": tuple(
                c.model_copy(
                    update={"segments": (first.model_copy(update={"hours_per_week": 2}), second)}
                )
                if c.code == "A"
                else c
                for c in plan.courses
            )
        }
    )
    chart = gantt_chart(slowed)
    assert chart is not None
    assert chart.slower
    pieces = next(bar for bar in chart.bars if bar.code == "A").pieces
    assert [piece.slower for piece in pieces] == [True, False]


def test_the_weekly_load_counts_nothing_for_a_course_while_it_pauses() -> None:
    plan = _plan(PAUSING, hours_per_week=8)
    weeks = dict(weekly_load(plan))
    # Weeks 3 to 6 are F's session alone: A pauses, so they hold F's 8 h, not 16.
    for week in range(2, 6):
        assert weeks[START + timedelta(weeks=week)] == pytest.approx(8.0)
    assert max(weeks.values()) <= plan.hours_per_week + 1e-9
    assert sum(weeks.values()) == pytest.approx(plan.total_hours, abs=0.1)


def test_the_weekly_load_counts_nothing_for_a_self_paced_course_during_a_break() -> None:
    pause = Break(start=date(2027, 1, 11), end=date(2027, 1, 17))
    alone = program("p", course("A", weeks=4, hours=5))
    weeks = dict(weekly_load(_plan(alone, breaks=(pause,))))
    assert weeks[pause.start] == 0
    assert weeks[pause.start + timedelta(days=7)] == pytest.approx(8.0)
    # The break moves the work, and adds none: the same hours as without it.
    without = weekly_load(_plan(alone))
    assert sum(weeks.values()) == pytest.approx(sum(hours for _, hours in without))


def test_cost_by_month_counts_unknown_prices_and_never_as_zero() -> None:
    cat = catalog(CHAIN)
    plan = plan_programs(cat, PlanRequest(program_ids=("p",), start=START, hours_per_week=8))
    months = month_rows(plan, cost_by_month(cat, plan))
    assert [m.month for m in months] == sorted(m.month for m in months)
    text = " ".join(f"{m.due} {m.courses}" for m in months)
    assert "1 unknown" in text  # B has no published price
    assert "$0" not in text


@pytest.mark.parametrize("program_id", ["mitx-scm", "mitx-sds"])
def test_the_page_has_the_months_of_cost_by_month_with_a_course_under_way(
    program_id: str,
) -> None:
    """One cost by month (#25): the page's months are `cost --by-month`'s, a course under
    way included, so they add up to the page's total, and estimates keep their `~`."""
    cat = mmplan_api.load_catalog()
    first = cat.program(program_id).courses[0]
    under_way = mmplan_api.StartedCourse(
        program=program_id, code=first.code, started_on=date(2026, 11, 2), percent_done=30
    )
    progress = mmplan_api.Progress(in_progress=(under_way,))
    plan = mmplan_api.plan(cat, program_id, hours_per_week=12, start=START, progress=progress)
    months = cost_by_month(cat, plan)
    report = mmplan_api.cost(
        cat, program_id, by_month=True, hours_per_week=12, start=START, progress=progress
    )
    assert months == report.by_month
    assert f"{program_id}/{first.code}" in months[0].courses  # due in the plan's first month
    assert sum(m.due_usd.hi for m in months) == plan.cost_usd.due.hi
    assert sum(m.due_usd.lo for m in months) == plan.cost_usd.due.lo
    rows = month_rows(plan, months)
    assert [row.due.startswith("~") for row in rows] == [m.estimated for m in months]
    page = plan_html(plan, None, plan_cost(cat, plan))
    for row in rows:
        assert f'<td class="date">{row.month}</td><td class="num">{row.due}</td>' in page


HOSTILE = program(
    "evil",
    course("X", title='<script>alert("x")</script> & <b>bold</b>', url="javascript:alert(1)"),
    course("Y", title="Plain", url="https://www.edx.org/course/y"),
    title="<img src=x onerror=alert(1)>",
)


def test_every_catalog_string_is_escaped_and_no_javascript_link_is_made() -> None:
    plan = _plan(HOSTILE)
    page = plan_html(
        plan,
        {
            "evil/X": Enrolment(platform="edX", url="javascript:alert(1)"),
            "evil/Y": Enrolment(platform="edX", url="https://www.edx.org/course/y"),
        },
    )
    assert "<script" not in page
    assert "<img" not in page
    assert "<b>bold" not in page
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; &lt;b&gt;bold&lt;/b&gt;" in page
    assert 'href="javascript' not in page
    assert '<a href="https://www.edx.org/course/y">' in page


def _page(mmplan: Invoke, *args: str) -> str:
    result = mmplan("plan", *args, "--format", "html")
    assert result.exit_code == 0, result.stderr
    return result.stdout


def test_the_page_is_self_contained_and_printable(mmplan: Invoke) -> None:
    page = _page(mmplan, "mitx-sds", "--start", "2027-01-04")
    assert page.startswith("<!DOCTYPE html>")
    for outside in ("<script", "<link", "<iframe", "@import", " src=", "url(http"):
        assert outside not in page, outside
    hrefs = re.findall(r'href="([^"]*)"', page)
    assert all(href.startswith("https://") for href in hrefs), hrefs
    assert "@media print" in page
    for section in ('id="gantt"', 'id="load"', 'id="cost"', 'id="eligibility"'):
        assert section in page, section
    document = json.loads(
        mmplan("plan", "mitx-sds", "--start", "2027-01-04", "--format", "json").stdout
    )
    for planned in document["courses"]:
        assert planned["title"] in page


def _pixels_near(path: Path, colour: tuple[int, int, int], tolerance: int = 12) -> int:
    from PIL import Image

    with Image.open(path) as image:
        rgb = image.convert("RGB")
        histogram = rgb.getcolors(maxcolors=1 << 24) or []
    return sum(
        count
        for count, pixel in histogram
        if all(
            abs(channel - want) <= tolerance for channel, want in zip(pixel, colour, strict=True)
        )
    )


def _screenshot(mmplan: Invoke, tmp_path: Path, data: dict[str, object], *args: str) -> Path:
    """Chromium's picture of the HTML plan of one program of a tiny catalog."""
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    assert chromium, "Chromium is needed to render the page: apt-get install -y chromium"
    run = cli_on(mmplan, tmp_path / "catalog.yaml", data)
    html = tmp_path / "plan.html"
    result = run("plan", "p", "--start", "2027-01-04", "--format", "html", *args)
    assert result.exit_code == 0, result.stderr
    html.write_text(result.stdout, encoding="utf-8")
    screenshot = tmp_path / "plan.png"
    subprocess.run(
        [
            chromium,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            f"--user-data-dir={tmp_path / 'profile'}",
            f"--screenshot={screenshot}",
            "--window-size=1280,1800",
            html.as_uri(),
        ],
        capture_output=True,
        timeout=120,
        check=False,
        cwd=tmp_path,
    )
    assert screenshot.is_file(), "Chromium wrote no screenshot"
    return screenshot


def test_headless_chromium_draws_the_chart(mmplan: Invoke, tmp_path: Path) -> None:
    screenshot = _screenshot(mmplan, tmp_path, CHAIN)
    # More than the legend's swatches (140 pixels each) could give: the bars are drawn.
    assert _pixels_near(screenshot, CRITICAL) > 600  # the bars that set the finish date
    assert _pixels_near(screenshot, PLANNED) > 600  # the other bars and the weekly load


def test_headless_chromium_draws_no_overload_while_a_course_pauses(
    mmplan: Invoke, tmp_path: Path
) -> None:
    screenshot = _screenshot(mmplan, tmp_path, PAUSING, "-H", "8")
    assert _pixels_near(screenshot, CRITICAL) > 600
    assert _pixels_near(screenshot, PLANNED) > 600  # the weekly load, within the budget
    assert _pixels_near(screenshot, OVER) == 0  # no week is over 8 h: A pauses during F


@pytest.mark.parametrize("program_id", PLANNABLE_IDS)
def test_every_bundled_program_gets_a_page_with_its_chart(
    bundled_runs: Invoke, program_id: str
) -> None:
    # The page's drawing, not the search, is checked here: a quick plan.
    args = ("plan", program_id, "--start", "2027-01-04", "--solver-seconds", "0")
    result = bundled_runs(*args, "--format", "html")
    assert result.exit_code == 0, (program_id, result.stderr)
    assert result.stdout.count('class="bar ') >= 1, program_id
    assert 'id="load"' in result.stdout, program_id


def test_a_stacked_plan_gives_each_credential_its_own_day_and_where_to_enrol() -> None:
    """#25: two programs, two credentials; the moved one says where its courses run."""
    plan = _plan(
        program("p", course("A", weeks=8, url="https://www.edx.org/course/a")),
        program(
            "q",
            course("X", weeks=2),
            status="moved",
            status_note="moved to MITx Online",
            platform="MITx Online",
        ),
        hours_per_week=10,
        max_parallel=2,
    )
    by_program = {c.program: c.earned_on for c in plan.eligibility.programs}
    assert by_program == {"p": date(2027, 1, 31), "q": date(2027, 2, 7)}
    page = plan_html(plan, {"p/A": Enrolment(platform="edX", url="https://www.edx.org/course/a")})
    assert "<p><strong>p: earned on 2027-01-31 if you pass its courses.</strong></p>" in page
    assert "<p><strong>q: earned on 2027-02-07 if you pass its courses.</strong></p>" in page
    assert "<li>q runs on MITx Online: find X there</li>" in page
