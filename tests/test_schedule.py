"""The planner on tiny inline catalogs, with dates checked by hand."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest

from factories import catalog, course, messages, program
from mmplan.catalog.model import Catalog, PriceRange
from mmplan.core.errors import MmplanError, UnknownIdError, UsageError
from mmplan.schedule import (
    Break,
    InProgress,
    Plan,
    PlannedCourse,
    PlanRequest,
    next_monday,
    plan_finishing_by,
    plan_programs,
)
from mmplan.schedule.planner import _prepare
from mmplan.schedule.problem import capacity_of
from mmplan.schedule.simulation import PlanTooLongError, best_schedule, policies

MONDAY = date(2027, 1, 4)


def request(*programs: str, **options: object) -> PlanRequest:
    values: dict[str, object] = {"hours_per_week": 7.0, "start": MONDAY, **options}
    return PlanRequest(program_ids=programs, **values)  # type: ignore[arg-type]


def by_code(plan: Plan) -> dict[str, PlannedCourse]:
    return {c.code: c for c in plan.courses}


def dates(plan: Plan, code: str) -> tuple[date | None, date | None]:
    found = by_code(plan)[code]
    return found.start, found.end


# A: 4 weeks x 7 h = 28 h; B: 2 weeks x 7 h = 14 h, after A.
CHAIN = catalog(
    program("p", course("A", weeks=4, hours=7), course("B", weeks=2, hours=7, prereqs=["A"]))
)


def test_a_serial_chain_runs_back_to_back_at_full_pace() -> None:
    plan = plan_programs(CHAIN, request("p"))
    assert dates(plan, "A") == (date(2027, 1, 4), date(2027, 1, 31))  # 7 x 28 / 7 = 28 days
    assert dates(plan, "B") == (date(2027, 2, 1), date(2027, 2, 14))  # starts after A's end
    assert plan.finish == date(2027, 2, 14)
    assert plan.weeks == 6.0
    assert plan.total_hours == 42.0
    assert [c.hours_per_week for c in plan.courses] == [7.0, 7.0]
    assert plan.lower_bound.finish == date(2027, 2, 14)
    assert plan.lower_bound.optimal
    assert plan.critical_chain == ("p/A", "p/B")


def test_short_courses_run_side_by_side_when_rounding_to_days_wastes_less() -> None:
    # Two independent 3 h courses at 10 h/week: one after the other each needs ceil(2.1) = 3
    # days (6 in all); side by side, sharing the 10 hours, both are done in 5 days.
    cat = catalog(program("p", course("A", weeks=1, hours=3), course("B", weeks=1, hours=3)))
    plan = plan_programs(cat, request("p", hours_per_week=10.0))
    assert dates(plan, "A") == (date(2027, 1, 4), date(2027, 1, 8))
    assert by_code(plan)["B"].start == date(2027, 1, 4)
    assert plan.finish == date(2027, 1, 8)
    assert sum(c.hours_per_week or 0 for c in plan.courses) <= 10.0
    assert plan.lower_bound.optimal
    serial = plan_programs(cat, request("p", hours_per_week=10.0, max_parallel=1))
    assert dates(serial, "A") == (date(2027, 1, 4), date(2027, 1, 6))
    assert dates(serial, "B") == (date(2027, 1, 7), date(2027, 1, 9))


def test_an_instructor_paced_course_starts_on_the_first_listed_run_after_its_prerequisites() -> (
    None
):
    runs = [date(2027, 1, 25), date(2027, 2, 15), date(2027, 3, 1)]
    cat = catalog(
        program(
            "p",
            course("A", weeks=4, hours=7),
            course("B", weeks=4, hours=5, prereqs=["A"], pacing="instructor", runs=runs),
        )
    )
    plan = plan_programs(cat, request("p"))
    assert dates(plan, "A") == (date(2027, 1, 4), date(2027, 1, 31))
    assert dates(plan, "B") == (date(2027, 2, 15), date(2027, 3, 14))  # exactly 4 weeks
    assert by_code(plan)["B"].hours_per_week == 5.0  # its published rate
    assert plan.lower_bound.optimal


PAUSE = Break(start=date(2027, 1, 6), end=date(2027, 1, 12))  # 7 days


def test_a_break_pauses_a_self_paced_course() -> None:
    cat = catalog(program("p", course("A", weeks=4, hours=7)))
    plan = plan_programs(cat, request("p", breaks=(PAUSE,)))
    assert dates(plan, "A") == (date(2027, 1, 4), date(2027, 2, 7))  # 28 study days + 7


def test_an_instructor_paced_course_without_runs_starts_after_a_break_it_would_span() -> None:
    cat = catalog(program("p", course("I", weeks=1, hours=1, pacing="instructor")))
    plan = plan_programs(cat, request("p", breaks=(PAUSE,)))
    assert dates(plan, "I") == (date(2027, 1, 13), date(2027, 1, 19))


def test_a_start_inside_a_break_moves_to_the_first_study_day() -> None:
    plan = plan_programs(CHAIN, request("p", start=date(2027, 1, 8), breaks=(PAUSE,)))
    assert by_code(plan)["A"].start == date(2027, 1, 13)


def test_an_instructor_paced_run_overlapping_every_break_is_planned_with_a_warning() -> None:
    cat = catalog(
        program("p", course("I", weeks=2, hours=3, pacing="instructor", runs=[date(2027, 1, 11)]))
    )
    pause = Break(start=date(2027, 1, 15), end=date(2027, 1, 16))
    plan = plan_programs(cat, request("p", breaks=(pause,)))
    assert dates(plan, "I") == (date(2027, 1, 11), date(2027, 1, 24))
    assert any("overlaps a break" in w for w in messages(plan))


def test_completed_courses_are_not_planned_again_and_count_as_paid() -> None:
    plan = plan_programs(CHAIN, request("p", completed=("p/A",)))
    a, _ = plan.courses
    assert (a.code, a.status, a.start, a.end) == ("A", "completed", None, None)
    assert dates(plan, "B") == (date(2027, 1, 4), date(2027, 1, 17))
    assert plan.cost_usd.paid == PriceRange(lo=Decimal(100), hi=Decimal(100))
    assert plan.cost_usd.due == PriceRange(lo=Decimal(100), hi=Decimal(100))
    assert plan.total_hours == 14.0
    document = plan.model_dump(mode="json")
    assert document["courses"][0]["start"] is None
    assert document["cost_usd"] == {"due": 100, "paid": 100, "unknown": [], "estimated": False}


def test_an_in_progress_course_continues_from_the_start_with_what_is_left() -> None:
    started = InProgress(course_id="p/A", started=date(2026, 12, 1), percent_done=50)
    plan = plan_programs(CHAIN, request("p", in_progress=(started,)))
    a = by_code(plan)["A"]
    assert (a.status, a.start, a.end, a.hours) == (
        "in_progress",
        date(2027, 1, 4),
        date(2027, 1, 17),
        14.0,
    )
    assert dates(plan, "B") == (date(2027, 1, 18), date(2027, 1, 31))


def test_a_prerequisite_from_another_program_is_planned_once_and_explained() -> None:
    cat = catalog(
        program("stats", course("S", weeks=2, hours=7)),
        program("ml", course("M", weeks=2, hours=7, prereqs=["stats/S"])),
    )
    plan = plan_programs(cat, request("ml"))
    assert [c.id for c in plan.courses] == ["stats/S", "ml/M"]
    assert by_code(plan)["S"].reason == "prerequisite of ml/M"
    assert any("stats/S from stats" in w for w in messages(plan))
    both = plan_programs(cat, request("ml", "stats"))
    assert [c.id for c in both.courses] == ["stats/S", "ml/M"]
    assert by_code(both)["S"].reason == "required"
    done = plan_programs(cat, request("ml", completed=("stats/S",)))
    assert [(c.id, c.status) for c in done.courses] == [
        ("stats/S", "completed"),
        ("ml/M", "planned"),
    ]


def test_finish_by_finds_the_smallest_pace_in_half_hours() -> None:
    # 42 h in 42 days needs 7 h/week; 6.5 h/week would take 31 + 16 = 47 days.
    plan = plan_finishing_by(CHAIN, request("p", hours_per_week=1.0), date(2027, 2, 14))
    assert plan.hours_per_week == 7.0
    assert plan.finish == date(2027, 2, 14)
    assert any("7 h/week is the least" in w for w in messages(plan))


def test_finish_by_names_the_blocking_course_when_no_pace_is_enough() -> None:
    cat = catalog(
        program("p", course("I", weeks=4, hours=5, pacing="instructor", runs=[date(2027, 6, 7)]))
    )
    with pytest.raises(
        MmplanError, match=r"p/I ends 2027-07-04.*earliest possible finish is 2027-07-04"
    ):
        plan_finishing_by(cat, request("p"), date(2027, 5, 1))
    with pytest.raises(UsageError, match="must be after the start"):
        plan_finishing_by(cat, request("p"), MONDAY)


def test_an_instructor_paced_course_above_the_learners_pace_is_planned_with_a_warning() -> None:
    cat = catalog(
        program(
            "p",
            course("I", weeks=2, hours=10, pacing="instructor"),
            course("A", weeks=1, hours=7),
        )
    )
    plan = plan_programs(cat, request("p", hours_per_week=8.0))
    assert dates(plan, "I") == (date(2027, 1, 4), date(2027, 1, 17))
    assert dates(plan, "A") == (date(2027, 1, 18), date(2027, 1, 24))  # not beside I
    assert any(w.startswith("overload: p/I runs at 10 h/week") for w in messages(plan))


def test_a_course_with_no_run_left_is_planned_but_blocks_the_credential() -> None:
    cat = catalog(
        program("p", course("I", weeks=1, hours=3, pacing="instructor", runs=[date(2026, 9, 1)]))
    )
    plan = plan_programs(cat, request("p"))
    assert dates(plan, "I") == (date(2027, 1, 4), date(2027, 1, 10))
    assert plan.eligibility.missing == ("p/I",)
    assert plan.eligibility.earned_on is None
    assert any("no listed run" in w for w in messages(plan))


def test_eligibility_is_the_finish_when_every_course_can_be_planned() -> None:
    plan = plan_programs(CHAIN, request("p"))
    assert plan.eligibility.earned_on == plan.finish
    assert plan.eligibility.missing == ()


def test_what_if_rows_skip_paces_that_are_not_positive() -> None:
    plan = plan_programs(CHAIN, request("p", hours_per_week=1.5))
    assert [row.hours_per_week for row in plan.what_if] == [3.5, 5.5]
    faster = plan_programs(CHAIN, request("p")).what_if
    assert [row.hours_per_week for row in faster] == [5.0, 9.0, 11.0]
    assert faster[0].finish == date(2027, 3, 4)  # ceil(39.2) + ceil(19.6) = 60 days
    assert faster[0].critical_chain == ("p/A", "p/B")


def test_effort_and_the_learners_own_pace_scale_the_workload() -> None:
    cat = catalog(program("p", course("A", weeks=4, hours=[5, 9])))
    assert plan_programs(cat, request("p", effort="low")).total_hours == 20.0
    assert plan_programs(cat, request("p")).total_hours == 28.0
    assert plan_programs(cat, request("p", effort="high")).total_hours == 36.0
    slower = plan_programs(cat, request("p", workload_scale=1.5))
    assert slower.total_hours == 42.0
    assert any("your own pace" in w for w in messages(slower))


def test_automatic_choices_external_prerequisites_and_estimates_are_warned() -> None:
    cat = catalog(
        program(
            "p",
            course("A", external_prerequisites=["Calculus"], estimated=["weeks"]),
            course("E1", weeks=2),
            course("E2", weeks=6),
            electives=[{"choose": 1, "from": ["E1", "E2"]}],
        )
    )
    plan = plan_programs(cat, request("p"))
    assert [c.code for c in plan.courses if c.reason.startswith("elective")] == ["E1"]
    assert "p: chose elective E1 (fewest hours) for you; --track/--pick choose yourself" in (
        messages(plan)
    )
    assert "check the prerequisite of p/A: Calculus" in messages(plan)
    assert "estimated figures used: p/A (weeks)" in messages(plan)
    picked = plan_programs(cat, request("p", picks=("p/E2",)))
    assert {c.code for c in picked.courses} == {"A", "E2"}


def test_tracks_are_matched_per_program() -> None:
    cat = catalog(
        program(
            "p",
            course("A"),
            course("L", weeks=10),
            course("S", weeks=1),
            tracks=[{"name": "Long", "courses": ["L"]}, {"name": "Short", "courses": ["S"]}],
        ),
        program("q", course("Q")),
    )
    assert {c.code for c in plan_programs(cat, request("p", "q", tracks=("long",))).courses} == {
        "A",
        "L",
        "Q",
    }
    with pytest.raises(UnknownIdError, match="did you mean 'Short'"):
        plan_programs(cat, request("p", tracks=("Shrt",)))
    with pytest.raises(UnknownIdError, match="--track 'Long': q has no tracks"):
        plan_programs(cat, request("q", tracks=("Long",)))


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"hours_per_week": 0.0}, "--hours-per-week 0 is not in the range 0.5 to 168"),
        ({"hours_per_week": 0.49}, "--hours-per-week 0.49 is not in the range 0.5 to 168"),
        ({"hours_per_week": 169.0}, "--hours-per-week 169 is not in the range 0.5 to 168"),
        ({"hours_per_week": float("nan")}, "--hours-per-week nan is not a finite number"),
        ({"max_parallel": 0}, "--max-parallel must be at least 1"),
        ({"solver_seconds": -1.0}, "--solver-seconds must be at least 0"),
        ({"solver_seconds": 61.0}, "at most 60"),
        (
            {"breaks": (Break(start=date(2027, 2, 1), end=date(2027, 1, 1)),)},
            "ends before it starts",
        ),
    ],
)
def test_bad_request_values_are_usage_errors(options: dict[str, object], message: str) -> None:
    with pytest.raises(UsageError, match=message):
        plan_programs(CHAIN, request("p", **options))


def test_unknown_ids_suggest_the_right_one() -> None:
    two = catalog(program("stats", course("A")), program("other", course("B")))
    with pytest.raises(UnknownIdError, match="did you mean 'stats'"):
        plan_programs(two, request("statz"))
    with pytest.raises(UnknownIdError, match="did you mean 'p/A'"):
        plan_programs(CHAIN, request("p", completed=("p/a",)))


def test_nothing_left_to_plan_gives_an_empty_plan() -> None:
    plan = plan_programs(CHAIN, request("p", completed=("p/A", "p/B")))
    assert plan.finish is None
    assert plan.weeks == 0.0
    assert plan.planned == ()
    assert plan.lower_bound.optimal
    assert plan.what_if == ()


def test_next_monday_is_strictly_after_today() -> None:
    assert next_monday(date(2027, 1, 4)) == date(2027, 1, 11)  # a Monday
    assert next_monday(date(2027, 1, 10)) == date(2027, 1, 11)  # a Sunday
    assert next_monday(date(2027, 1, 6)) == date(2027, 1, 11)


def test_the_json_document_has_the_documented_shape() -> None:
    document = plan_programs(CHAIN, request("p")).model_dump(mode="json")
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
        "solver",
        "eligibility",
        "warnings",
        "peak_hours_per_week",
        "within_budget",
    } <= set(document)
    assert document["solver"] == {"used": "heuristic", "reason": "meets the bound"}
    assert document["programs"] == [
        {
            "id": "p",
            "title": "Program p",
            "institution": "TestX",
            "platform": "edX",
            "published_price_usd": None,
            "prices_as_of": None,
            "published_price_as_of": None,
        }
    ]
    assert (document["effort"], document["start"], document["finish"]) == (
        "mid",
        "2027-01-04",
        "2027-02-14",
    )
    assert document["courses"][1] == {
        "id": "p/B",
        "program": "p",
        "code": "B",
        "title": "Course B",
        "kind": "course",
        "pacing": "self",
        "status": "planned",
        "started_on": None,
        "start": "2027-02-01",
        "end": "2027-02-14",
        "hours": 14.0,
        "hours_per_week": 7.0,
        "segments": [{"start": "2027-02-01", "end": "2027-02-14", "hours_per_week": 7.0}],
        "price_usd": 100,
        "prerequisites": ["p/A"],
        "reason": "required",
        "recommended": [],
        "critical": True,
        "ready": None,
        "idle_from": None,
        "estimated": [],
        "pay_by": None,  # the catalog gives no payment rule
    }
    assert document["lower_bound"] == {"finish": "2027-02-14", "gap_days": 0, "optimal": True}
    assert document["eligibility"] == {
        "earned_on": "2027-02-14",
        "missing": [],
        "programs": [{"program": "p", "earned_on": "2027-02-14", "missing": []}],
    }


def test_price_ranges_and_unknown_prices_stay_honest_in_json() -> None:
    cat: Catalog = catalog(program("p", course("A", price=[100, 300]), course("B", price=None)))
    document = plan_programs(cat, request("p")).model_dump(mode="json")
    assert document["cost_usd"] == {
        "due": [100, 300],
        "paid": 0,
        "unknown": ["p/B"],
        "estimated": False,
    }
    assert [c["price_usd"] for c in document["courses"]] == [[100, 300], None]


def test_several_in_progress_courses_share_the_hours_from_the_start() -> None:
    cat = catalog(program("p", course("A", weeks=4, hours=7), course("B", weeks=4, hours=7)))
    underway = tuple(
        InProgress(course_id=f"p/{code}", started=date(2026, 12, 1), percent_done=50)
        for code in ("A", "B")
    )
    plan = plan_programs(cat, request("p", hours_per_week=8.0, in_progress=underway))
    # 14 h left each at 4 h/week: ceil(7 x 14 / 4) = 25 days, side by side.
    assert dates(plan, "A") == (date(2027, 1, 4), date(2027, 1, 28))
    assert dates(plan, "B") == (date(2027, 1, 4), date(2027, 1, 28))
    assert {c.hours_per_week for c in plan.courses} == {4.0}


def test_an_in_progress_instructor_paced_course_keeps_its_run_dates() -> None:
    cat = catalog(program("p", course("I", weeks=4, hours=5, pacing="instructor")))
    underway = InProgress(course_id="p/I", started=date(2026, 12, 28), percent_done=25)
    plan = plan_programs(cat, request("p", in_progress=(underway,)))
    # Its run began a week before the plan: three of its four weeks are left.
    assert dates(plan, "I") == (date(2027, 1, 4), date(2027, 1, 24))
    assert by_code(plan)["I"].hours == 15.0


def test_a_pick_naming_a_program_not_planned_is_refused() -> None:
    with pytest.raises(UnknownIdError, match="names a program not asked for"):
        plan_programs(CHAIN, request("p", picks=("q/A",)))


def test_a_run_that_becomes_possible_later_is_not_blocked_by_one_reserved_early() -> None:
    # I2 could take the run of 01-18 at once, but that would push I1 (which must wait for A)
    # from its run of 01-11 to June; the two cannot overlap at 10 h/week.
    cat = catalog(
        program(
            "p",
            course("A", weeks=1, hours=7),
            course(
                "I1",
                weeks=4,
                hours=6,
                prereqs=["A"],
                pacing="instructor",
                runs=[date(2027, 1, 11), date(2027, 6, 7)],
            ),
            course(
                "I2",
                weeks=4,
                hours=6,
                pacing="instructor",
                runs=[date(2027, 1, 18), date(2027, 1, 25), date(2027, 3, 1)],
            ),
        )
    )
    plan = plan_programs(cat, request("p", hours_per_week=10.0))
    assert dates(plan, "A") == (date(2027, 1, 4), date(2027, 1, 8))
    assert dates(plan, "I1") == (date(2027, 1, 11), date(2027, 2, 7))
    assert dates(plan, "I2") == (date(2027, 3, 1), date(2027, 3, 28))
    assert not any(w.startswith("overload") for w in messages(plan))


def test_a_plan_past_the_last_date_is_refused_at_the_slowest_pace() -> None:
    # Three courses of 520 weeks at 168 h/week in a chain: 262,080 hours, more than 10,000
    # years at the slowest pace mmplan takes.
    huge = {"weeks": 520, "hours": 168}
    slow = catalog(
        program(
            "p",
            course("A", **huge),
            course("B", prereqs=["A"], **huge),
            course("C", prereqs=["B"], **huge),
        )
    )
    with pytest.raises(
        MmplanError, match=r"^at 0\.5 h/week the plan would end after the year 9999"
    ):
        plan_programs(slow, request("p", hours_per_week=0.5))


def test_a_simulation_that_cannot_place_its_courses_stops_with_an_error() -> None:
    # At 0.01 h/week (one hundredth of an hour: below what a request allows) the fixed
    # course takes every bit of capacity and self-paced ones step day by day, for ever.
    stuck = catalog(
        program(
            "p",
            course("A", weeks=12, hours=8, pacing="self"),
            course("B", pacing="self", prereqs=["A"]),
            course("C", weeks=6, hours=10, pacing="instructor"),
            course("D", weeks=6, hours=3, pacing="self"),
        )
    )
    problem = _prepare(stuck, request("p")).problem
    two_lanes = [policy for policy in policies(problem) if policy.lanes == 2]
    with pytest.raises(
        PlanTooLongError, match=r"^at 0\.01 h/week the courses cannot all be placed"
    ):
        best_schedule(problem, capacity_of(0.01), two_lanes)
    # A pass that cannot place its courses leaves the choice to the others: one lane plans
    # (more lanes never make a plan fail; the planner then refuses its centuries-long end).
    assert best_schedule(problem, capacity_of(0.01)).policy.lanes == 1


def test_what_if_paces_below_the_least_pace_are_left_out() -> None:
    plan = plan_programs(CHAIN, request("p", hours_per_week=2.1))
    assert [row.hours_per_week for row in plan.what_if] == [4.1, 6.1]  # not 0.1 h/week


def test_a_break_after_the_finish_does_not_move_the_lower_bound() -> None:
    fixed = catalog(
        program(
            "p",
            course("A", weeks=4, hours=7, pacing="instructor"),
            course("B", weeks=4, hours=7, pacing="instructor"),
        )
    )
    plain = plan_programs(fixed, request("p", max_parallel=1))
    later = Break(start=date(2027, 6, 14), end=date(2027, 7, 25))
    with_break = plan_programs(fixed, request("p", max_parallel=1, breaks=(later,)))
    assert plain.finish == with_break.finish == date(2027, 2, 28)
    assert plain.lower_bound == with_break.lower_bound
    assert with_break.lower_bound.optimal


def test_a_break_in_the_plan_is_not_taken_off_a_fixed_course_placed_clear_of_it() -> None:
    # 28 + 56 days of work at the whole pace, with a 14-day break: 98 days. I (no listed
    # runs) is placed clear of breaks, so the break takes nothing off it; only S pauses.
    cat = catalog(
        program(
            "p",
            course("I", weeks=4, hours=7, pacing="instructor"),
            course("S", weeks=8, hours=7, pacing="self"),
        )
    )
    pause = Break(start=date(2027, 3, 1), end=date(2027, 3, 14))
    plan = plan_programs(cat, request("p", breaks=(pause,)))
    assert plan.finish == date(2027, 4, 11)
    assert plan.lower_bound.finish == plan.finish
    assert plan.lower_bound.optimal


def test_a_fixed_course_without_dates_waits_for_a_chain_that_must_make_its_only_early_run() -> None:
    """X has no session dates: reserved as soon as it is ready it would take the first eight
    weeks at 5 h/week, A could not end before B's early run, and B would wait a year."""
    early, late = MONDAY + timedelta(days=28), MONDAY + timedelta(days=365)
    cat = catalog(
        program(
            "p",
            course("X", weeks=8, hours=5, pacing="instructor"),
            course("A", weeks=4, hours=5),
            course("B", weeks=5, hours=3, pacing="instructor", prereqs=["A"], runs=[early, late]),
        )
    )
    plan = plan_programs(cat, request("p", hours_per_week=5.0, solver_seconds=0))
    assert dates(plan, "A") == (MONDAY, early - timedelta(days=1))
    assert dates(plan, "B")[0] == early
    assert dates(plan, "X")[0] == early + timedelta(days=35)  # after B: 5 + 3 h is over 5


def test_a_course_free_to_start_any_day_leaves_the_run_a_chain_waits_for() -> None:
    """Issue #16's study case, list schedule alone. E needs D and X and has runs on day 200
    and day 400. Once D is placed, E waits for its day-200 run; Y (no dates, nothing needs
    it) fits right after D, but at 4 of the 5 h/week it would block that run, and E would
    wait for day 400 (414 days in all). Y goes after E instead."""
    on = [MONDAY + timedelta(days=d) for d in (28, 200, 365, 400)]
    cat = catalog(
        program(
            "p",
            course("X", weeks=8, hours=5, pacing="instructor"),
            course("Y", weeks=6, hours=4, pacing="instructor"),
            course("A", weeks=4, hours=5),
            course("B", weeks=5, hours=3, pacing="instructor", prereqs=["A"], runs=on[::2]),
            course("C", weeks=4, hours=5, prereqs=["B"]),
            course("D", weeks=3, hours=4, prereqs=["C"]),
            course("E", weeks=2, hours=4, pacing="instructor", prereqs=["D", "X"], runs=on[1::2]),
        )
    )
    plan = plan_programs(cat, request("p", hours_per_week=5.0, solver_seconds=0))
    assert dates(plan, "B")[0] == on[0]
    assert dates(plan, "E") == (on[1], on[1] + timedelta(days=13))
    assert dates(plan, "Y")[0] == on[1] + timedelta(days=14)
    assert plan.finish == MONDAY + timedelta(days=255)  # 36.6 weeks, not 59.1


def test_a_fixed_course_with_slack_takes_a_later_run_so_a_chain_makes_its_early_one() -> None:
    """One course at a time. F has runs on days 81 and 231 and nothing needs it; G, after S,
    has runs on days 87 and 453. F on day 81 would run into G's day-87 run and G would wait
    a year; F waiting for day 231 costs it 150 days and ends the plan sooner."""
    f_runs = [MONDAY + timedelta(days=d) for d in (81, 231)]
    g_runs = [MONDAY + timedelta(days=d) for d in (87, 453)]
    cat = catalog(
        program(
            "p",
            course("F", weeks=3, hours=7, pacing="instructor", runs=f_runs),
            course("S", weeks=4, hours=7),
            course("G", weeks=7, hours=6, pacing="instructor", prereqs=["S"], runs=g_runs),
        )
    )
    plan = plan_programs(cat, request("p", hours_per_week=15.0, max_parallel=1, solver_seconds=0))
    assert dates(plan, "G")[0] == g_runs[0]
    assert dates(plan, "F") == (f_runs[1], f_runs[1] + timedelta(days=20))
    assert plan.finish == f_runs[1] + timedelta(days=20)
