"""A course code that several programs list names one course: planned, paid and counted once."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal

import pytest

from conftest import Invoke
from factories import catalog, course, messages, program
from mmplan.catalog.graph import canonical_course_id, same_course_ids
from mmplan.catalog.model import PriceRange
from mmplan.core.errors import MmplanError
from mmplan.schedule import InProgress, Plan, PlannedCourse, PlanRequest, plan_programs

MONDAY = date(2027, 1, 4)

# X is one course listed by both programs (as "X" in p, "x" in q); each program has a course
# that needs it. p lists it without a price, q with one.
SHARED = catalog(
    program("p", course("X", weeks=2, hours=7, price=None), course("D", prereqs=["X"])),
    program("q", course("x", weeks=2, hours=7, price=150), course("E", prereqs=["x"])),
    program("r", course("R")),
)


def request(*programs: str, **options: object) -> PlanRequest:
    values: dict[str, object] = {"hours_per_week": 7.0, "start": MONDAY, **options}
    return PlanRequest(program_ids=programs, **values)  # type: ignore[arg-type]


def by_id(plan: Plan) -> dict[str, PlannedCourse]:
    return {c.id: c for c in plan.courses}


def test_same_course_ids_groups_a_code_across_programs_case_insensitively() -> None:
    assert same_course_ids(SHARED) == {"p/X": ("p/X", "q/x"), "q/x": ("p/X", "q/x")}


def test_same_course_ids_ignores_codes_of_one_program_only() -> None:
    alone = catalog(program("p", course("A"), course("a")), program("q", course("B")))
    assert same_course_ids(alone) == {}


def test_canonical_course_id_is_the_first_requested_program_that_lists_it() -> None:
    ids = ("p/X", "q/x")
    assert canonical_course_id(ids, ["q", "p"]) == "q/x"
    assert canonical_course_id(ids, ["r", "p"]) == "p/X"
    assert canonical_course_id(ids, ["r"]) == "p/X"  # no requested program lists it


def test_a_shared_course_is_planned_once_and_its_dependants_wait_for_it() -> None:
    plan = plan_programs(SHARED, request("p", "q"))
    courses = by_id(plan)
    assert list(courses) == ["p/X", "p/D", "q/E"]
    shared = courses["p/X"]
    assert shared.reason == "required; required in q"
    assert courses["q/E"].prerequisites == ("p/X",)
    assert shared.end is not None
    for dependant in ("p/D", "q/E"):
        start = courses[dependant].start
        assert start is not None
        assert start > shared.end
    assert "q/x is the same course as p/X: planned once" in messages(plan)


def test_a_shared_course_is_planned_under_the_first_requested_program() -> None:
    plan = plan_programs(SHARED, request("q", "p"))
    assert [c.id for c in plan.courses] == ["q/x", "p/D", "q/E"]  # ties: catalog order
    assert by_id(plan)["p/D"].prerequisites == ("q/x",)
    assert "p/X is the same course as q/x: planned once" in messages(plan)


def test_a_shared_course_is_paid_once_at_its_known_price() -> None:
    plan = plan_programs(SHARED, request("p", "q"))
    assert by_id(plan)["p/X"].price_usd == PriceRange(lo=Decimal(150), hi=Decimal(150))
    assert plan.cost_usd.due == PriceRange(lo=Decimal(350), hi=Decimal(350))  # 150 + 100 + 100
    assert plan.cost_usd.unknown == ()
    assert plan.total_hours == 14 + 20 + 20


def test_completed_under_another_id_counts_for_the_shared_course() -> None:
    plan = plan_programs(SHARED, request("p", "q", completed=("q/x",)))
    courses = by_id(plan)
    assert courses["p/X"].status == "completed"
    assert plan.cost_usd.paid == PriceRange(lo=Decimal(150), hi=Decimal(150))
    assert courses["p/D"].start == MONDAY
    assert plan.finish == date(2027, 2, 12)  # D then E, 20 days each, no time for X
    assert [c.id for c in plan.planned] == ["p/D", "q/E"]


def test_in_progress_under_another_id_counts_for_the_shared_course() -> None:
    underway = InProgress(course_id="q/x", started=date(2026, 12, 28), percent_done=50)
    plan = plan_programs(SHARED, request("p", "q", in_progress=(underway,)))
    shared = by_id(plan)["p/X"]
    assert shared.status == "in_progress"
    assert shared.hours == 7.0  # half of 2 weeks x 7 h is left


def test_a_prerequisite_naming_the_other_id_names_the_planned_course() -> None:
    pointing = catalog(
        program("p", course("X")),
        program("q", course("X"), course("E", prereqs=["p/X"])),
    )
    plan = plan_programs(pointing, request("q"))
    assert [c.id for c in plan.courses] == ["q/X", "q/E"]
    assert by_id(plan)["q/E"].prerequisites == ("q/X",)


def test_merging_shared_courses_into_a_cycle_is_an_error_naming_it() -> None:
    # p: A needs B; q: B needs A. Each program alone is fine; as one course each, A and B
    # need each other.
    crossed = catalog(
        program("p", course("A", prereqs=["B"]), course("B")),
        program("q", course("A"), course("B", prereqs=["A"])),
    )
    with pytest.raises(MmplanError, match=r"prerequisite cycle .*: p/A -> p/B -> p/A;"):
        plan_programs(crossed, request("p", "q"))


def test_plan_lists_a_course_two_bundled_programs_share_once(mmplan: Invoke) -> None:
    result = mmplan("plan", "mitx-sds", "mitx-dedp", "--start", "2027-01-04", "--format", "json")
    assert result.exit_code == 0, result.stderr
    document = json.loads(result.stdout)
    ids = [c["id"] for c in document["courses"]]
    assert [i for i in ids if i.endswith("/14.310x")] == ["mitx-sds/14.310x"]
    assert "mitx-dedp/14.310x is the same course as mitx-sds/14.310x: planned once" in [
        w["message"] for w in document["warnings"]
    ]
    assert "planned once" in result.stderr


# p chooses 1 of a long elective L (which q requires) and a shorter one S.
ELECTIVE_SHARED = catalog(
    program(
        "p",
        course("A"),
        course("L", weeks=6),
        course("S", weeks=2),
        electives=[{"choose": 1, "from": ["L", "S"]}],
    ),
    program("q", course("l", weeks=6), course("B", prereqs=["l"])),
)


def test_an_elective_another_program_requires_is_preferred_over_a_shorter_one() -> None:
    plan = plan_programs(ELECTIVE_SHARED, request("p", "q"))
    assert sorted(c.id for c in plan.courses) == ["p/A", "p/L", "q/B"]
    assert by_id(plan)["p/L"].reason == "elective: choose 1 of 2; required in q"
    assert "p: chose elective L (already in your plan) for you; --track/--pick choose yourself" in (
        messages(plan)
    )
    assert plan.total_hours == 20 + 30 + 20  # L once, no S


def test_the_shared_elective_is_preferred_whichever_program_comes_first() -> None:
    plan = plan_programs(ELECTIVE_SHARED, request("q", "p"))
    assert sorted(c.id for c in plan.courses) == ["p/A", "q/B", "q/l"]


def test_an_explicit_pick_wins_over_a_shared_elective() -> None:
    plan = plan_programs(ELECTIVE_SHARED, request("p", "q", picks=("S",)))
    assert sorted(c.id for c in plan.courses) == ["p/A", "p/L", "p/S", "q/B"]
    assert by_id(plan)["p/L"].reason == "required in q"  # planned under p, for q only


def test_one_program_alone_still_takes_the_shortest_elective() -> None:
    plan = plan_programs(ELECTIVE_SHARED, request("p"))
    assert [c.id for c in plan.courses] == ["p/A", "p/S"]
    assert "p: chose elective S (fewest hours) for you; --track/--pick choose yourself" in (
        messages(plan)
    )


def test_a_completed_elective_is_preferred_over_a_shorter_one() -> None:
    plan = plan_programs(ELECTIVE_SHARED, request("p", completed=("p/L",)))
    assert by_id(plan)["p/L"].status == "completed"
    assert [c.id for c in plan.planned] == ["p/A"]
