"""The planner and the recommended order: soft edges followed among planned courses only."""

from __future__ import annotations

from datetime import date
from typing import Any

from factories import catalog, course, messages, program
from mmplan.catalog.model import Catalog
from mmplan.schedule import InProgress, Plan, PlanRequest, plan_programs

MONDAY = date(2027, 1, 4)


def request(*programs: str, **options: object) -> PlanRequest:
    values: dict[str, object] = {"hours_per_week": 14.0, "start": MONDAY, **options}
    return PlanRequest(program_ids=programs, **values)  # type: ignore[arg-type]


def span(plan: Plan, cid: str) -> tuple[date | None, date | None]:
    found = next(c for c in plan.courses if c.id == cid)
    return found.start, found.end


def fixed(code: str, **extra: Any) -> dict[str, Any]:
    """An instructor-paced course of 4 weeks x 7 h: its length does not change with the pace."""
    return course(code, weeks=4, hours=7, pacing="instructor", **extra)


# A and B side by side at 14 h/week, unless B waits for A.
SIDE_BY_SIDE = catalog(program("p", fixed("A"), fixed("B", recommended=["A"])))
SELF_PACED = catalog(
    program("p", course("A", weeks=4, hours=7), course("B", weeks=4, hours=7, recommended=["A"]))
)
FOLLOWED = "following the recommended order: p/A before p/B (--ignore-recommended to drop it)"


def unknown_dates(*ids: str) -> str:
    """The one line that says the fixed courses' session dates are unknown."""
    return (
        f"session dates unknown for {', '.join(ids)}: each is planned to start when it is "
        "ready (check edX for the real sessions)"
    )


def test_a_recommended_course_in_the_plan_ends_before_the_course_starts() -> None:
    plan = plan_programs(SIDE_BY_SIDE, request("p"))
    assert span(plan, "p/A") == (date(2027, 1, 4), date(2027, 1, 31))
    assert span(plan, "p/B") == (date(2027, 2, 1), date(2027, 2, 28))
    assert [c.id for c in plan.courses] == ["p/A", "p/B"]
    assert messages(plan) == (FOLLOWED, unknown_dates("p/A", "p/B"))
    # The bound counts the recommended edge as a chain, so the plan is still optimal.
    assert plan.lower_bound.finish == plan.finish == date(2027, 2, 28)
    assert plan.lower_bound.optimal
    assert plan.critical_chain == ("p/A", "p/B")


def test_ignoring_the_recommended_order_plans_by_prerequisites_only() -> None:
    plan = plan_programs(SIDE_BY_SIDE, request("p", follow_recommended=False))
    assert span(plan, "p/A") == span(plan, "p/B") == (date(2027, 1, 4), date(2027, 1, 31))
    assert messages(plan) == (unknown_dates("p/A", "p/B"),)
    assert plan.lower_bound.finish == date(2027, 1, 31)


def test_the_json_courses_list_their_recommended_courses_beside_prerequisites() -> None:
    plan = plan_programs(SIDE_BY_SIDE, request("p", follow_recommended=False))
    second = plan.model_dump(mode="json")["courses"][1]
    assert (second["id"], second["prerequisites"], second["recommended"]) == ("p/B", [], ["p/A"])


def test_a_recommended_course_outside_the_plan_is_not_added() -> None:
    two_programs = catalog(
        program("p", fixed("B", recommended=["q/X"])),
        program("q", fixed("X")),
    )
    plan = plan_programs(two_programs, request("p"))
    assert [c.id for c in plan.courses] == ["p/B"]
    assert span(plan, "p/B") == (date(2027, 1, 4), date(2027, 1, 31))
    assert messages(plan) == (unknown_dates("p/B"),)


def test_an_elective_not_picked_is_not_added_for_being_recommended() -> None:
    with_electives = catalog(
        program(
            "p",
            fixed("A"),
            fixed("C"),
            fixed("B", recommended=["C"]),
            electives=[{"choose": 1, "from": ["A", "C"]}],
        )
    )
    plan = plan_programs(with_electives, request("p", picks=("A",)))
    assert [c.id for c in plan.courses] == ["p/A", "p/B"]
    assert span(plan, "p/B") == (date(2027, 1, 4), date(2027, 1, 31))


def test_a_recommended_course_added_as_a_prerequisite_comes_first_too() -> None:
    two_programs = catalog(
        program(
            "p",
            fixed("B", recommended=["q/X"]),
            fixed("C", prereqs=["q/X"]),
        ),
        program("q", fixed("X")),
    )
    plan = plan_programs(two_programs, request("p"))
    assert span(plan, "q/X") == (date(2027, 1, 4), date(2027, 1, 31))
    assert span(plan, "p/B")[0] == date(2027, 2, 1)
    assert "following the recommended order: q/X before p/B (--ignore-recommended to drop it)" in (
        messages(plan)
    )


def test_a_completed_recommended_course_holds_nothing_back() -> None:
    plan = plan_programs(SIDE_BY_SIDE, request("p", completed=("p/A",)))
    assert span(plan, "p/A") == (None, None)
    assert span(plan, "p/B") == (date(2027, 1, 4), date(2027, 1, 31))
    assert messages(plan) == (unknown_dates("p/B"),)


def test_a_recommended_course_in_progress_ends_before_the_course_starts() -> None:
    underway = InProgress(course_id="p/A", started=date(2026, 12, 7), percent_done=50)
    plan = plan_programs(SELF_PACED, request("p", in_progress=(underway,)))
    first_end = span(plan, "p/A")[1]
    assert first_end is not None
    assert span(plan, "p/B")[0] == date.fromordinal(first_end.toordinal() + 1)


def test_a_course_under_way_is_not_held_back_by_its_recommended_course() -> None:
    underway = InProgress(course_id="p/B", started=date(2026, 12, 7), percent_done=50)
    plan = plan_programs(SELF_PACED, request("p", in_progress=(underway,)))
    assert span(plan, "p/B")[0] == MONDAY
    assert not any("recommended" in warning for warning in messages(plan))


def shared_courses_crossed() -> Catalog:
    """p1 recommends X before Y; p2 needs Y before X: a cycle once each is planned once."""
    return catalog(
        program("p1", course("X"), course("Y", recommended=["X"])),
        program("p2", course("Y"), course("X", prereqs=["Y"])),
    )


def test_no_cycle_through_recommended_edges_the_recommended_order_is_dropped_instead() -> None:
    plan = plan_programs(shared_courses_crossed(), request("p1", "p2"))
    order = [c.id for c in plan.courses]
    assert order.index("p1/Y") < order.index("p1/X")  # the hard edge holds
    x_starts, y_ends = span(plan, "p1/X")[0], span(plan, "p1/Y")[1]
    assert x_starts is not None
    assert y_ends is not None
    assert x_starts > y_ends
    assert messages(plan)[-1] == (
        "the recommended order cannot be followed once each shared course is planned once "
        "(p1/Y -> p1/X -> p1/Y); planned by prerequisites only"
    )
