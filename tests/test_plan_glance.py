"""The plan at a glance: its first lines answer, its warnings fit in a few lines."""

from __future__ import annotations

import json
import re
from datetime import date

import pytest
from typer.testing import Result

from conftest import PLANNABLE_IDS, Invoke
from factories import catalog, course, program
from mmplan.catalog.enrolment import Enrolment, platform_of, where_to_enrol
from mmplan.render.formatting import url_text
from mmplan.render.plan import PlanSummary, cost_text, summary_lines
from mmplan.render.warnings import ORDER, warning_lines
from mmplan.schedule import Plan, PlanRequest, PlanWarning, WarningKind, plan_programs

START = date(2027, 1, 4)


def _plan(*courses: dict[str, object], hours: float = 8, **request: object) -> Plan:
    cat = catalog(program("p", *courses, url="https://www.edx.org/micromasters/p"))
    return plan_programs(
        cat,
        PlanRequest(program_ids=("p",), hours_per_week=hours, start=START, **request),  # type: ignore[arg-type]
    )


def _summary(plan: Plan, enrolment: dict[str, Enrolment] | None = None) -> dict[str, str]:
    return dict(summary_lines(plan, enrolment))


# --- cost: unknowns stay unknown ----------------------------------------------------------


def test_cost_with_every_price_unknown_says_unknown_and_how_many() -> None:
    plan = _plan(*(course(c, price=None) for c in ("A", "B", "C")))
    assert cost_text(plan) == "unknown (3 courses)"


def test_cost_with_some_prices_unknown_counts_them_beside_the_known_sum() -> None:
    plan = _plan(course("A", price=600), course("B", price=None), course("C", price=None))
    assert cost_text(plan) == "$600 + 2 unknown"


def test_cost_names_what_is_already_paid() -> None:
    plan = _plan(course("A", price=150), course("B", price=600), completed=("p/A",))
    assert cost_text(plan) == "$600 to pay ($150 paid)"


# --- hours against the budget -------------------------------------------------------------


def test_hours_within_budget_say_so() -> None:
    plan = _plan(course("A", weeks=2, hours=4), course("B", weeks=2, hours=4))
    assert _summary(plan)["Hours"] == "at most 8 h/week, within your 8 h/week; 16 h in all"


def test_a_course_faster_than_the_budget_shows_the_peak_the_course_and_when() -> None:
    plan = _plan(
        course("A", weeks=2, hours=4),
        course("B", weeks=3, hours=12, pacing="instructor", prereqs=["A"]),
        hours=8,
    )
    assert (plan.peak_hours_per_week, plan.peak_courses) == (12, ("p/B",))
    assert _summary(plan)["Hours"] == (
        f"needs 12 h/week at its peak (B, {plan.peak_start} to {plan.peak_end}), "
        "over your 8 h/week; 44 h in all"
    )


# --- finish, quality, credential, next step -----------------------------------------------


def test_first_lines_answer_finish_quality_credential_and_next_step() -> None:
    plan = _plan(course("A", weeks=2, hours=8, url="https://www.edx.org/course/a"))
    enrolment = {"p/A": Enrolment(platform="edX", url="https://www.edx.org/course/a")}
    lines = _summary(plan, enrolment)
    assert list(lines) == ["Finish", "Cost", "Hours", "Credential", "Next", "Enrol"]
    assert lines["Finish"] == "2027-01-17, 2 weeks from 2027-01-04; no plan can finish earlier"
    assert lines["Credential"] == "earned on 2027-01-17 if you pass every course"
    assert lines["Next"] == "start A Course A on 2027-01-04 ($100)"
    assert lines["Enrol"] == "on edX: https://www.edx.org/course/a"


def test_a_plan_above_its_bound_says_by_how_much_in_plain_words() -> None:
    plan = _plan(course("A"))
    gap = plan.lower_bound.model_copy(update={"optimal": False, "gap_days": 3})
    worse = plan.model_copy(update={"lower_bound": gap})
    assert _summary(worse)["Finish"].endswith("at most 3 days later than the best possible plan")


def test_courses_under_way_come_before_the_next_one_to_start() -> None:
    from mmplan.schedule import InProgress

    plan = _plan(
        course("A", weeks=4, hours=4),
        course("B", weeks=2, hours=4, prereqs=["A"]),
        hours=4,
        in_progress=(InProgress(course_id="p/A", started=date(2026, 12, 1), percent_done=50),),
    )
    lines = _summary(plan)
    assert lines["Now"].startswith("carry on with A until ")
    assert lines["Next"].startswith("start B Course B on ")
    assert "Enrol" not in lines  # the catalog names no page for B: nothing is guessed


def test_nothing_left_to_plan() -> None:
    plan = _plan(course("A"), completed=("p/A",))
    lines = _summary(plan)
    assert lines["Finish"] == "nothing left to plan: every course is completed"
    assert lines["Cost"] == "nothing left to pay ($100 paid)"


def _summary_text(plan: Plan, url: str, width: int) -> list[str]:
    from rich.console import Console

    console = Console(width=width, color_system=None, soft_wrap=False)
    with console.capture() as captured:
        console.print(PlanSummary(plan, {"p/A": Enrolment(platform="edX", url=url)}), crop=False)
    return [line.rstrip() for line in captured.get().splitlines()]


def test_an_enrol_address_too_long_for_its_line_goes_under_the_text_column() -> None:
    plan = _plan(course("A", weeks=2, hours=8))
    url = "https://www.edx.org/course/" + "a" * 38  # 65 characters
    lines = _summary_text(plan, url, 80)
    enrol = lines.index("Enrol:      on edX:")
    assert lines[enrol + 1] == " " * 12 + url  # under "on edX:", where every text starts
    assert lines[enrol - 1].index("start") == 12


@pytest.mark.parametrize(("width", "indent"), [(120, None), (80, 2), (60, 0)])
def test_an_enrol_address_is_never_cut(width: int, indent: int | None) -> None:
    plan = _plan(course("A", weeks=2, hours=8))
    url = "https://www.edx.org/course/marketing-analytics-marketing-measurement-strategy"
    lines = _summary_text(plan, url, width)
    if indent is None:
        assert f"Enrol:      on edX: {url}" in lines  # it fits beside its label
    else:
        assert " " * indent + url in lines  # whole, on a line of its own, even past 60 columns
    assert sum(url in line for line in lines) == 1


def test_an_address_takes_the_widest_indent_that_keeps_it_on_the_line() -> None:
    url = "https://e.org/" + "x" * 50  # 64 characters
    assert url_text(url, 12, 80).plain == " " * 12 + url
    assert url_text(url, 12, 70).plain == "  " + url
    assert url_text(url, 12, 60).plain == url
    assert url_text(url, 12, 60).no_wrap


def test_where_to_enrol_takes_the_course_page_then_the_programs_and_never_guesses() -> None:
    cat = catalog(
        program("p", course("A", url="https://mitxonline.mit.edu/courses/a"), course("B")),
        program("q", course("C")),
    )
    pages = where_to_enrol(cat, ["p/A", "p/B", "q/C", "nope/X"])
    assert pages == {
        "p/A": Enrolment(platform="MITx Online", url="https://mitxonline.mit.edu/courses/a")
    }
    assert platform_of("https://www.edx.org/course/x") == "edX"
    assert platform_of("https://learn.example.org/x") == "learn.example.org"


# --- warnings -----------------------------------------------------------------------------

NO_RUN = PlanWarning(
    kind=WarningKind.NO_RUN,
    message="p/L: no listed run starts on or after 2027-05-01; planned as if one did "
    "(check edX for new runs)",
    courses=("p/L",),
    start=date(2027, 5, 1),
)
OVERLOADS = [
    PlanWarning(
        kind=WarningKind.OVER_PACE,
        message=f"overload: p/C{i} runs at {10 + i} h/week, ...",
        courses=(f"p/C{i}",),
        hours_per_week=10 + i,
        budget_hours_per_week=8,
        start=date(2027, i, 1),
        end=date(2027, i, 20),
    )
    for i in range(1, 9)
]


def _warning(kind: WarningKind, *courses: str, **fields: object) -> PlanWarning:
    """A warning whose sentence the grouped lines must not need: only its kind and fields."""
    return PlanWarning(kind=kind, message=f"{kind} (sentence unused)", courses=courses, **fields)  # type: ignore[arg-type]


def test_every_kind_of_warning_has_its_place_in_the_order() -> None:
    said_with_the_overloads = {WarningKind.OVER_BUDGET}
    assert set(ORDER) | said_with_the_overloads == set(WarningKind)
    assert len(set(ORDER)) == len(ORDER)


def test_lines_come_most_pressing_first_whatever_order_the_plan_gives() -> None:
    answer = _warning(WarningKind.LEAST_PACE)
    unknown = _warning(WarningKind.UNKNOWN_SESSIONS, "p/U")
    advice = _warning(WarningKind.BACKGROUND, "p/A", text="calculus")
    other_run = NO_RUN.model_copy(update={"message": "p/M: no listed run ...", "courses": ("p/M",)})
    expected = [
        answer.message,  # the answer to --finish-by
        NO_RUN.message,  # then what does not fit: single lines, in the plan's order
        other_run.message,
        "session dates unknown for 1 course (U): each starts when ready; check edX for the "
        "real sessions",
        "before you start, check the background advised for A: mmplan show p",
    ]
    assert warning_lines([unknown, advice, NO_RUN, answer, other_run], ["p"]) == expected
    assert (
        warning_lines([other_run, answer, advice, unknown, NO_RUN], ["p"])
        == [
            *expected[:1],
            *expected[2:0:-1],  # one kind keeps the plan's order
            *expected[3:],
        ]
    )


def test_a_wait_of_one_day_is_one_day() -> None:
    waits = [
        _warning(WarningKind.SESSION_WAIT, "p/A", days=1),
        _warning(WarningKind.SESSION_WAIT, "p/B", days=12),
    ]
    assert warning_lines(waits, ["p"]) == [
        "waiting for a session with nothing else to study: A 1 day, B 12 days"
    ]


def test_eight_overloads_are_one_line_with_the_peak_and_the_span() -> None:
    assert warning_lines(OVERLOADS, ["p"]) == [
        "overload: 8 courses need up to 18 h/week, more than your 8 h/week "
        "(C1, C2, C3 and 5 more); each is planned alone, 2027-01-01 to 2027-08-20"
    ]


def test_background_advice_is_one_pointer_to_show() -> None:
    advice = [
        _warning(WarningKind.BACKGROUND, "p/A", text="calculus"),
        _warning(WarningKind.BACKGROUND, "p/B", "p/C", text="Python"),
        _warning(WarningKind.BACKGROUND, "p/A", text="linear algebra"),
    ]
    assert warning_lines(advice, ["p"]) == [
        "before you start, check the background advised for A, B, C: mmplan show p"
    ]
    two_programs = warning_lines(
        [_warning(WarningKind.BACKGROUND, "p/A"), _warning(WarningKind.BACKGROUND, "q/B")],
        ["p", "q"],
    )
    assert two_programs == [
        "before you start, check the background advised for p/A, q/B: "
        "mmplan show p and mmplan show q"
    ]


def test_estimated_figures_are_counted_not_spelled_out() -> None:
    long = _warning(WarningKind.ESTIMATED, *(f"p/ux-{i}" for i in range(9)))
    assert warning_lines([long], ["p"]) == [
        "estimated figures (marked ~) for 9 courses: ux-0, ux-1, ux-2 and 6 more; "
        "the sources give no exact figure"
    ]


def test_at_most_six_lines_unless_verbose_and_unknown_kinds_pass_through() -> None:
    warnings = [
        *OVERLOADS,
        _warning(WarningKind.CHOSEN_FOR_YOU, programs=("p",), text="elective X (fewest hours)"),
        _warning(WarningKind.ADDED_PREREQUISITE, "q/Z", programs=("q",)),
        _warning(WarningKind.BACKGROUND, "p/A", text="calculus"),
        _warning(WarningKind.ESTIMATED, "p/A"),
        _warning(WarningKind.RECOMMENDED_ORDER, "p/A", "p/D"),
        _warning(WarningKind.SAME_COURSE, "p/S", "q/S"),
        NO_RUN,
        NO_RUN,
    ]
    short = warning_lines(warnings, ["p"])
    assert len(short) == 6
    assert short[0].startswith("overload: 8 courses")
    assert short[1] == NO_RUN.message  # a kind shown as it is, once, after the overloads
    assert short[2].startswith("chose for you")  # then what was chosen, before what to know
    assert short[-1] == "and 3 more: --verbose lists every warning"
    verbose = warning_lines(warnings, ["p"], verbose=True)
    assert verbose == list(dict.fromkeys(w.message for w in warnings))
    full = warning_lines(warnings, ["p"], limit=20)
    assert "chose for you: elective X (fewest hours); --track/--pick choose yourself" in full
    assert "added 1 course you need first and have not passed: q/Z" in full
    # What each course recommended first goes before: "A first" read as "first of all" (#25).
    assert "following the recommended order: A before D (--ignore-recommended to drop it)" in full
    assert "shared courses planned once: p/S = q/S" in full


def test_the_peak_joins_the_overloads_and_unknown_sessions_are_counted() -> None:
    peak = _warning(
        WarningKind.OVER_BUDGET,
        "p/A",
        hours_per_week=13,
        budget_hours_per_week=8,
        start=date(2027, 1, 4),
        end=date(2027, 2, 1),
    )
    sessions = _warning(WarningKind.UNKNOWN_SESSIONS, "p/A", "p/B", "p/C", "p/D", "p/E")
    wait = _warning(
        WarningKind.SESSION_WAIT, "p/B", ready=date(2027, 2, 2), start=date(2027, 3, 1), days=27
    )
    assert warning_lines([peak], ["p"]) == [peak.message]
    assert warning_lines([peak, OVERLOADS[0], sessions, wait], ["p"]) == [
        "overload: C1 needs up to 11 h/week, more than your 8 h/week; it is planned alone, "
        "2027-01-01 to 2027-01-20",
        "session dates unknown for 5 courses (A, B, C and 2 more): each starts when ready; "
        "check edX for the real sessions",
        "waiting for a session with nothing else to study: B 27 days",
    ]


def test_the_planners_warnings_group_by_their_kind_and_fields() -> None:
    plan = _plan(
        course("I", weeks=2, hours=10, pacing="instructor"),
        course("S", weeks=2, hours=10, pacing="instructor", prereqs=["I"]),
    )
    overload = next(w for w in plan.warnings if w.kind is WarningKind.OVER_PACE)
    assert (overload.courses, overload.hours_per_week, overload.budget_hours_per_week) == (
        ("p/I",),
        10,
        8,
    )
    assert (overload.start, overload.end) == (START, date(2027, 1, 17))
    assert [w.kind for w in plan.warnings] == [
        WarningKind.OVER_BUDGET,
        WarningKind.UNKNOWN_SESSIONS,
        WarningKind.OVER_PACE,
        WarningKind.OVER_PACE,
    ]
    assert warning_lines(plan.warnings, ["p"]) == [
        "overload: 2 courses need up to 10 h/week, more than your 8 h/week (I, S); "
        "each is planned alone, 2027-01-04 to 2027-01-31",
        "session dates unknown for 2 courses (I, S): each starts when ready; "
        "check edX for the real sessions",
    ]


# --- through the CLI, on the bundled catalog ----------------------------------------------


def test_the_bundled_sds_plan_prints_few_warnings_and_verbose_prints_all(mmplan: Invoke) -> None:
    args = ("plan", "mitx-sds", "-H", "10", "--start", "2027-01-04")
    short = mmplan(*args)
    full = mmplan(*args, "--verbose")
    doc = json.loads(mmplan(*args, "--format", "json").stdout)
    short_lines = short.stderr.splitlines()
    assert 0 < len(short_lines) <= 6
    assert sum("overload" in line for line in short_lines) <= 1
    assert len(full.stderr.splitlines()) == len(doc["warnings"]) > len(short_lines)
    assert "Warning: " + doc["warnings"][0]["message"] in full.stderr


def _head_and_rows(result: Result, program_id: str) -> tuple[str, str]:
    """A plan's first lines, checked to answer, and its table's rows."""
    assert result.exit_code == 0, result.stderr
    head, rows = re.split(r"^ *Courses$", result.stdout, maxsplit=1, flags=re.M)
    for label in ("Finish:", "Cost:", "Hours:", "Credential:", "Next:"):
        assert label in head, (program_id, label)
    assert "$0" not in head  # an unknown price is never a zero
    return head, rows.split("Timeline")[0]


@pytest.mark.parametrize("program_id", PLANNABLE_IDS)
def test_every_bundled_plan_answers_and_warns_in_a_few_lines(
    bundled_runs: Invoke, program_id: str
) -> None:
    # The default plan, once: warnings are never wrapped, so their count is the same at
    # every width.
    result = bundled_runs("plan", program_id, "--start", "2027-01-04")
    _head_and_rows(result, program_id)
    assert len(result.stderr.splitlines()) <= 6, program_id


@pytest.mark.parametrize("width", [60, 80, 120])
@pytest.mark.parametrize("program_id", PLANNABLE_IDS)
def test_every_bundled_plan_answers_in_its_first_lines(
    bundled_runs: Invoke, program_id: str, width: int
) -> None:
    # The layout at each width; the exact search is not what this checks (a quick plan).
    args = ("plan", program_id, "--start", "2027-01-04", "--solver-seconds", "0")
    _, rows = _head_and_rows(bundled_runs(*args, width=width), program_id)
    for planned in json.loads(bundled_runs(*args, "--format", "json").stdout)["courses"]:
        # Every course keeps a (perhaps shortened) title beside its code.
        assert planned["title"][:4] in rows, (program_id, width, planned["id"])
