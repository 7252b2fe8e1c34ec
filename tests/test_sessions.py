"""Fixed schedules and an honest budget: sessions, waits, the peak load, and --finish-by."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from conftest import Invoke
from factories import catalog, cli_on, course, messages, program
from mmplan.core.errors import MmplanError
from mmplan.schedule import (
    Break,
    InProgress,
    Plan,
    PlannedCourse,
    PlanRequest,
    WarningKind,
    plan_finishing_by,
)
from mmplan.schedule import plan_programs as plan

MONDAY = date(2027, 1, 4)


def request(*programs: str, **options: object) -> PlanRequest:
    values: dict[str, object] = {"hours_per_week": 6.0, "start": MONDAY, **options}
    return PlanRequest(program_ids=programs, **values)  # type: ignore[arg-type]


def by_code(result: Plan) -> dict[str, PlannedCourse]:
    return {c.code: c for c in result.courses}


# Two 4-week courses at 12 h/week, one after the other: a 6 h/week learner cannot slow them.
HEAVY = catalog(
    program(
        "p",
        course("A", weeks=4, hours=12, pacing="instructor"),
        course("B", weeks=4, hours=12, pacing="instructor", prereqs=["A"]),
    )
)


# The 6.5 h/week learner of issue #25: one 10-week course at 10.5 h/week, then 195 hours
# at her own pace; 6.5 h/week makes her date, if she gives 10.5 during the heavy course.
DEADLINE_LEARNER = catalog(
    program(
        "p",
        course("HEAVY", weeks=10, hours=10.5, pacing="instructor"),
        course("LIGHT", weeks=15, hours=13, pacing="self", prereqs=["HEAVY"]),
    )
)


def test_a_plan_above_the_learners_hours_says_its_peak_and_is_not_within_budget() -> None:
    result = plan(HEAVY, request("p"))
    assert result.peak_hours_per_week == 12.0
    assert not result.within_budget
    assert (result.peak_start, result.peak_end) == (date(2027, 1, 4), date(2027, 1, 31))
    assert result.peak_courses == ("p/A",)
    assert (
        "over budget: the plan needs 12 h/week from 2027-01-04 to 2027-01-31 (p/A), "
        "more than your 6 h/week"
    ) in messages(result)


def test_a_plan_within_the_learners_hours_is_within_budget_and_says_nothing() -> None:
    result = plan(HEAVY, request("p", hours_per_week=12.0))
    assert result.within_budget
    assert result.peak_hours_per_week == 12.0
    assert not any(w.startswith("over budget") for w in messages(result))


def test_the_peak_sums_the_courses_in_progress_together() -> None:
    fixed = {"weeks": 4, "hours": 3, "pacing": "instructor"}
    side_by_side = catalog(program("p", course("A", **fixed), course("B", **fixed)))
    result = plan(side_by_side, request("p", hours_per_week=6.0, max_parallel=2))
    assert by_code(result)["A"].start == by_code(result)["B"].start == MONDAY
    assert result.peak_hours_per_week == 6.0
    assert result.peak_courses == ("p/A", "p/B")
    assert result.within_budget


def test_what_if_paces_below_a_fixed_courses_rate_stay_and_say_their_peak() -> None:
    result = plan(HEAVY, request("p", hours_per_week=12.0))
    rows = {row.hours_per_week: row.peak_hours_per_week for row in result.what_if}
    assert rows == {10.0: 12.0, 14.0: 12.0, 16.0: 12.0}
    low = plan(HEAVY, request("p", hours_per_week=6.0))
    assert [row.hours_per_week for row in low.what_if] == [4.0, 8.0, 10.0]  # never empty


def test_finish_by_names_the_least_pace_and_the_peak_it_needs_separately() -> None:
    result = plan_finishing_by(DEADLINE_LEARNER, request("p"), date(2027, 10, 20))
    assert result.hours_per_week == 6.5
    assert (
        "6.5 h/week is the least that finishes by 2027-10-20, if you can give up to "
        "10.5 h/week during HEAVY (2027-01-04 to 2027-03-14); every week at one pace, "
        "10.5 h/week"
    ) in messages(result)


def test_finish_by_at_a_given_pace_answers_yes_with_the_plan_or_no_with_what_would_do() -> None:
    yes = plan_finishing_by(
        DEADLINE_LEARNER, request("p", hours_per_week=6.5), date(2027, 10, 20), pace_given=True
    )
    assert yes.hours_per_week == 6.5
    assert messages(yes)[0] == (
        "yes: at 6.5 h/week you finish on 2027-10-10, if you can give up to 10.5 h/week during "
        "HEAVY (2027-01-04 to 2027-03-14); at 6.5 h/week every week, no (10.5 h/week every "
        "week does)"
    )
    with pytest.raises(
        MmplanError,
        match=r"^not by 2027-10-20 at 6 h/week: the plan finishes on 2027-10-28; "
        r"6.5 h/week finishes by 2027-10-20, if you can give up to 10.5 h/week during HEAVY "
        r"\(2027-01-04 to 2027-03-14\)$",
    ):
        plan_finishing_by(DEADLINE_LEARNER, request("p"), date(2027, 10, 20), pace_given=True)
    with pytest.raises(MmplanError, match=r"no pace does: p/B ends 2027-02-28 at the earliest"):
        plan_finishing_by(HEAVY, request("p"), date(2027, 2, 1), pace_given=True)


def test_a_course_ready_between_sessions_waits_for_the_next_and_the_plan_says_so() -> None:
    runs = [date(2027, 1, 4), date(2027, 3, 1)]
    cat = catalog(
        program(
            "p",
            course("A", weeks=2, hours=6),
            course("B", weeks=4, hours=6, pacing="instructor", prereqs=["A"], runs=runs),
        )
    )
    result = plan(cat, request("p"))
    b = by_code(result)["B"]
    assert (b.ready, b.start) == (date(2027, 1, 18), date(2027, 3, 1))
    assert by_code(result)["A"].ready is None  # self-paced: it never waits for a session
    assert (
        "p/B is ready on 2027-01-18 and waits for its session starting 2027-03-01, with nothing "
        "else to study on 42 of those days"
    ) in messages(result)
    assert b.idle_from == date(2027, 1, 18)
    assert result.lower_bound.finish == result.finish == date(2027, 3, 28)
    assert result.lower_bound.optimal


def test_a_self_paced_course_with_listed_runs_keeps_to_them() -> None:
    cat = catalog(program("p", course("A", weeks=2, hours=6, runs=[date(2027, 2, 1)])))
    result = plan(cat, request("p"))
    assert (by_code(result)["A"].start, by_code(result)["A"].end) == (
        date(2027, 2, 1),
        date(2027, 2, 14),
    )


def test_fixed_courses_with_no_dates_are_named_once_as_unknown() -> None:
    result = plan(HEAVY, request("p", hours_per_week=12.0))
    unknown = [w for w in messages(result) if w.startswith("session dates unknown")]
    assert unknown == [
        "session dates unknown for p/A, p/B: each is planned to start when it is ready "
        "(check edX for the real sessions)"
    ]


def test_a_fixed_course_under_way_has_what_is_left_of_it_to_do_by_its_sessions_end() -> None:
    cat = catalog(program("p", course("I", weeks=6, hours=9, pacing="instructor")))
    on_pace = InProgress(course_id="p/I", started=date(2026, 12, 7), percent_done=70)
    result = plan(cat, request("p", hours_per_week=9.0, in_progress=(on_pace,)))
    course_i = by_code(result)["I"]
    assert (course_i.start, course_i.end) == (MONDAY, date(2027, 1, 17))  # 2 weeks left
    assert course_i.status == "in_progress"
    assert course_i.started_on == date(2026, 12, 7)
    assert result.start_dates()["p/I"] == date(2026, 12, 7)  # its payment counts from then
    assert course_i.hours == 16.2  # 30% of 54 h
    assert course_i.hours_per_week == 8.1
    assert not any(w.startswith("behind pace") for w in messages(result))

    behind = InProgress(course_id="p/I", started=date(2026, 12, 7), percent_done=10)
    result = plan(cat, request("p", hours_per_week=9.0, in_progress=(behind,)))
    course_i = by_code(result)["I"]
    assert course_i.hours == 48.6  # 90% of 54 h, not the 18 h of two weeks at its rate
    assert course_i.hours_per_week == 24.3
    assert not result.within_budget
    assert (
        "behind pace: p/I has 48.6 h left (10% done) and 14 days until its session ends on "
        "2027-01-17: 24.3 h/week, where the course expects 9 (record your progress with "
        "--percent, or take it again in a later session)"
    ) in messages(result)


def test_a_fixed_course_whose_session_ended_is_taken_again_in_a_later_one() -> None:
    cat = catalog(
        program("p", course("I", weeks=6, hours=9, pacing="instructor", runs=[date(2027, 2, 1)]))
    )
    started = InProgress(course_id="p/I", started=date(2026, 1, 5), percent_done=50)
    result = plan(cat, request("p", hours_per_week=9.0, in_progress=(started,)))
    course_i = by_code(result)["I"]
    assert (course_i.start, course_i.end) == (date(2027, 2, 1), date(2027, 3, 14))
    assert course_i.status == "planned"
    assert course_i.hours == 54.0
    assert (
        "p/I: the session you started ended on 2026-02-15; planned again in a later session, "
        "from 2027-02-01"
    ) in messages(result)


def test_the_table_opens_with_the_peak_when_the_plan_is_over_budget(
    mmplan: Invoke, tmp_path: Path
) -> None:
    run = cli_on(
        mmplan,
        tmp_path / "catalog.yaml",
        program(
            "p",
            course("A", weeks=4, hours=12, pacing="instructor"),
            course("B", weeks=4, hours=12, pacing="instructor", prereqs=["A"]),
        ),
    )
    result = run("plan", "p", "-H", "6", "--start", "2027-01-04")
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "Plan for p: Program p (TestX), needing up to 12 h/week"
    assert lines[3] == (
        "Hours:      needs 12 h/week at its peak (A, 2027-01-04 to 2027-01-31), "
        "over your 6 h/week; 96 h in all"
    )
    assert "at 6 h/week" not in result.stdout


def test_yearly_session_starts_and_listed_runs_together_give_the_start_days() -> None:
    cat = catalog(
        program(
            "p",
            course("A", weeks=10, hours=6, pacing="self"),
            course(
                "B",
                weeks=4,
                hours=6,
                pacing="instructor",
                prereqs=["A"],
                session_starts=["02-01", "09-01"],
                runs=[date(2027, 4, 5)],
            ),
            course(
                "C", weeks=4, hours=6, pacing="instructor", prereqs=["B"], session_starts=["03-01"]
            ),
        )
    )
    result = plan(cat, request("p"))
    courses = by_code(result)
    assert courses["A"].end == date(2027, 3, 14)
    assert (courses["B"].ready, courses["B"].start) == (date(2027, 3, 15), date(2027, 4, 5))
    # C is ready in May and waits for March of the next year.
    assert (courses["C"].ready, courses["C"].start) == (date(2027, 5, 3), date(2028, 3, 1))
    assert result.finish == date(2028, 3, 28)
    assert result.lower_bound.finish == result.finish
    assert not any(w.startswith("session dates unknown") for w in messages(result))


def test_a_self_paced_course_with_yearly_sessions_is_on_a_fixed_schedule() -> None:
    cat = catalog(
        program("p", course("A", weeks=2, hours=6, pacing="self", session_starts=["06-01"]))
    )
    result = plan(cat, request("p"))
    assert (by_code(result)["A"].start, by_code(result)["A"].end) == (
        date(2027, 6, 1),
        date(2027, 6, 14),
    )


def test_a_course_knows_its_next_session_from_runs_and_yearly_starts() -> None:
    cat = catalog(
        program(
            "p",
            course(
                "A", pacing="instructor", session_starts=["09-01", "02-01"], runs=[date(2027, 5, 3)]
            ),
            course("Y", pacing="instructor", session_starts=["09-01", "02-01"]),
        )
    )
    a = cat.program("p").course("A")
    assert a.fixed_schedule
    # The listed run first (not the yearly 02-01 before it), then the yearly starts after it.
    assert a.next_session(date(2027, 1, 4)) == date(2027, 5, 3)
    assert a.next_session(date(2027, 5, 4)) == date(2027, 9, 1)
    assert a.next_session(date(2027, 9, 2)) == date(2028, 2, 1)
    assert cat.program("p").course("Y").next_session(date(2027, 1, 4)) == date(2027, 2, 1)


def test_a_listed_run_replaces_the_yearly_start_before_it_and_the_pattern_continues_after() -> None:
    # The platform lists a February run; the curated pattern (Feb 1, Sep 1) estimated Feb 1.
    dated = {"session_starts": ["02-01", "09-01"], "runs": [date(2027, 2, 3)]}
    cat = catalog(
        program(
            "p",
            course("A", weeks=4, hours=12, pacing="instructor", **dated),
            course("B", weeks=4, hours=12, pacing="instructor", **dated),
        )
    )
    result = plan(cat, request("p"))  # 6 h/week: each 12 h/week course is planned alone
    starts = sorted(c.start for c in result.courses)
    assert starts == [date(2027, 2, 3), date(2027, 9, 1)]
    assert result.lower_bound.finish <= result.finish


def test_list_weeks_wait_for_sessions_and_show_the_least_pace_within_budget() -> None:
    from mmplan.reports.listing import list_programs

    cat = catalog(
        program(
            "p",
            course("A", weeks=2, hours=6, pacing="self"),
            course(
                "B", weeks=4, hours=12, pacing="instructor", prereqs=["A"], session_starts=["09-06"]
            ),
        ),
        program("q", course("S", weeks=2, hours=6, pacing="self")),
    )
    dated = list_programs(cat, hours_per_week=6.0, start=MONDAY).programs
    undated = list_programs(cat, hours_per_week=6.0).programs
    # A ends after 2 weeks; B waits for 6 September (35 weeks in), then runs 4 weeks.
    assert (dated[0].weeks_estimate, undated[0].weeks_estimate) == (39.0, 6.0)
    assert dated[0].needs_hours_per_week == 12.0
    assert dated[1].needs_hours_per_week is None  # self-paced only: any pace will do


def test_list_weeks_take_the_courses_a_plan_takes_alone_in_the_order_that_ends_soonest() -> None:
    """The soonest session first would lose a year: A starts 2027-01-04 and blocks B's only
    session (01-18); taking B first and A in its April session ends in May."""
    from mmplan.reports.listing import list_programs

    fixed = {"weeks": 8, "hours": 8, "pacing": "instructor"}
    cat = catalog(
        program(
            "p",
            course("A", **fixed, session_starts=["01-04", "04-05"]),
            course("B", **fixed, session_starts=["01-18"]),
        )
    )
    (summary,) = list_programs(cat, hours_per_week=8.0, start=date(2027, 1, 4)).programs
    # B 2027-01-18 to 03-14, then A 2027-04-05 to 05-30: 13 weeks to April, plus 8.
    assert summary.weeks_estimate == 21.0


def test_list_and_compare_show_what_a_program_needs(mmplan: Invoke, tmp_path: Path) -> None:
    run = cli_on(
        mmplan,
        tmp_path / "catalog.yaml",
        program("p", course("B", weeks=4, hours=12, pacing="instructor")),
        program("q", course("S", weeks=2, hours=6, pacing="self")),
    )
    listed = run("list", "-H", "6", "--format", "csv")
    assert listed.exit_code == 0, listed.stderr
    rows = [line.split(",") for line in listed.stdout.splitlines()]
    needs = rows[0].index("Needs")
    assert [row[needs] for row in rows[1:]] == ["12 h/week", "any"]
    compared = run("compare", "p", "q", "-H", "6", "--format", "csv")
    assert "Needs,12 h/week,any" in compared.stdout.splitlines()


def test_finish_by_says_when_session_dates_set_the_finish() -> None:
    cat = catalog(
        program(
            "p",
            course("A", weeks=2, hours=4, pacing="self"),
            course(
                "B", weeks=4, hours=8, pacing="instructor", prereqs=["A"], session_starts=["06-01"]
            ),
        )
    )
    result = plan_finishing_by(cat, request("p"), date(2027, 12, 31))
    assert result.hours_per_week == 0.5  # A's 8 hours by June; B needs its 8 h/week alone
    assert result.finish == date(2027, 6, 28)
    assert (
        "session dates set the finish: 2027-06-28 is the earliest at any pace, "
        "and 0.5 h/week is enough for it"
    ) in messages(result)


# A self-paced A (4 weeks), then S, whose session starts every June 1.
A_THEN_JUNE_SESSION = catalog(
    program(
        "p",
        course("A", weeks=4, hours=6),
        course("S", weeks=4, hours=6, pacing="instructor", prereqs=["A"], session_starts=["06-01"]),
    )
)


def test_a_break_that_costs_a_session_says_which_what_it_adds_and_where_it_would_not() -> None:
    """#25: a 6-week break over S's June session moves the finish a year, not 6 weeks."""
    cat = A_THEN_JUNE_SESSION
    pause = Break(start=date(2027, 5, 24), end=date(2027, 7, 4))
    result = plan(cat, request("p", breaks=(pause,)))
    assert result.finish == date(2028, 6, 28)
    (cost,) = [w for w in result.warnings if w.kind is WarningKind.BREAK_COST]
    assert cost.courses == ("p/S",)
    assert cost.days == 366
    assert cost.message == (
        "the break 2027-05-24 to 2027-07-04 (42 days) moves the finish 366 days later, to "
        "2028-06-28: it overlaps S's session 2027-06-01 to 2027-06-28, taken later instead; "
        "a break costs nothing 2027-02-01 to 2027-05-31, when nothing is planned"
    )
    short = Break(start=date(2027, 2, 1), end=date(2027, 3, 14))
    assert not any(
        w.kind is WarningKind.BREAK_COST for w in plan(cat, request("p", breaks=(short,))).warnings
    )


def test_a_break_before_a_session_that_delays_its_prerequisite_past_it_costs_the_session() -> None:
    """The break overlaps no session, yet A ends after June 1 and S waits for the next year."""
    cat = A_THEN_JUNE_SESSION
    pause = Break(start=date(2027, 1, 11), end=date(2027, 5, 30))
    result = plan(cat, request("p", breaks=(pause,)))
    assert result.finish == date(2028, 6, 28)
    (cost,) = [w for w in result.warnings if w.kind is WarningKind.BREAK_COST]
    assert (cost.courses, cost.days) == ((), 366)
    assert cost.message == (
        "the break 2027-01-11 to 2027-05-30 (140 days) moves the finish 366 days later, to "
        "2028-06-28; the longest stretch with nothing planned, where a break costs nothing, "
        "is 2027-02-01 to 2027-05-31 (120 days)"
    )


def test_a_wait_for_a_session_counts_only_the_days_with_nothing_else_to_study() -> None:
    """#25: B is ready on day 14 and waits for March; C fills all but the last 13 days."""
    runs = [date(2027, 1, 4), date(2027, 3, 1)]
    cat = catalog(
        program(
            "p",
            course("A", weeks=2, hours=6),
            course("B", weeks=4, hours=6, pacing="instructor", prereqs=["A"], runs=runs),
            course("C", weeks=4, hours=6, prereqs=["A"]),
        )
    )
    result = plan(cat, request("p", max_parallel=1))
    b, c = by_code(result)["B"], by_code(result)["C"]
    assert (b.ready, c.start, c.end) == (date(2027, 1, 18), date(2027, 1, 18), date(2027, 2, 14))
    (wait,) = [w for w in result.warnings if w.kind is WarningKind.SESSION_WAIT]
    assert wait.days == 14  # 2027-02-15 to 2027-02-28, not the 42 days since B was ready
    assert b.idle_from == date(2027, 2, 15)  # the chart's wait starts there
