"""The independent plan verifier: it passes real plans and names the rule a broken one breaks."""

from __future__ import annotations

import ast
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

from factories import catalog, course, program
from mmplan.schedule import Break, Plan, PlanRequest, plan_finishing_by, plan_programs, verify
from mmplan.schedule.model import Segment
from mmplan.schedule.verify import verify_plan

MONDAY = date(2027, 1, 4)
CATALOG = catalog(
    program(
        "p",
        course("A", weeks=4, hours=7),
        course("B", weeks=2, hours=7, prereqs=["A"]),
        course("S", weeks=2, hours=3, pacing="instructor", runs=[MONDAY + timedelta(days=7)]),
    )
)
REQUEST = PlanRequest(program_ids=("p",), hours_per_week=10, start=MONDAY, solver_seconds=0)


def planned() -> Plan:
    return plan_programs(CATALOG, REQUEST)


def moved(plan: Plan, code: str, days: int, **changes: Any) -> Plan:
    """The plan with one course (and its segments) moved by `days` and fields changed."""
    courses = []
    for c in plan.courses:
        if c.code == code:
            assert c.start is not None
            assert c.end is not None
            shift = timedelta(days=days)
            segments = tuple(
                Segment(start=s.start + shift, end=s.end + shift, hours_per_week=s.hours_per_week)
                for s in c.segments
            )
            update = {"start": c.start + shift, "end": c.end + shift, "segments": segments}
            c = c.model_copy(update={**update, **changes})
        courses.append(c)
    return plan.model_copy(update={"courses": tuple(courses)})


def rules(plan: Plan, request: PlanRequest = REQUEST) -> set[str]:
    return {v.rule for v in verify_plan(CATALOG, request, plan)}


def test_the_planning_functions_the_tests_call_verify_every_plan() -> None:
    assert hasattr(plan_programs, "__wrapped__")
    assert hasattr(plan_finishing_by, "__wrapped__")


def test_a_real_plan_keeps_every_rule() -> None:
    assert verify_plan(CATALOG, REQUEST, planned()) == []


def test_a_course_started_before_its_prerequisite_ends_is_caught() -> None:
    assert "prerequisites" in rules(moved(planned(), "B", -3))


def test_a_session_course_off_its_run_is_caught() -> None:
    assert "sessions" in rules(moved(planned(), "S", 1))


def test_a_yearly_start_before_a_listed_run_is_off_the_sessions() -> None:
    runs = {"runs": [date(2027, 2, 3)], "session_starts": ["02-01", "09-01"]}
    cat = catalog(program("q", course("R", weeks=2, hours=3, pacing="instructor", **runs)))
    request = PlanRequest(program_ids=("q",), hours_per_week=10, start=MONDAY, solver_seconds=0)
    result = plan_programs(cat, request)
    assert [c.start for c in result.courses] == [date(2027, 2, 3)]
    early = moved(result, "R", -2)  # the yearly Feb 1 the listed run replaces
    assert "sessions" in {v.rule for v in verify_plan(cat, request, early)}
    later = moved(result, "R", (date(2027, 9, 1) - date(2027, 2, 3)).days)
    assert "sessions" not in {v.rule for v in verify_plan(cat, request, later)}


def test_hours_lost_or_invented_are_caught() -> None:
    plan = planned()
    a = next(c for c in plan.courses if c.code == "A")
    half = Segment(start=a.segments[0].start, end=a.segments[0].end, hours_per_week=3.5)
    assert "hours" in rules(moved(plan, "A", 0, segments=(half,), hours_per_week=3.5))
    assert "hours" in rules(moved(plan, "A", 0, hours=99.0))


def test_a_load_above_the_pace_and_a_wrong_peak_are_caught() -> None:
    plan = moved(planned(), "B", -14)  # B beside A: 14 h/week
    assert {"budget", "prerequisites"} <= rules(plan)


def test_too_many_courses_at_once_are_caught() -> None:
    plan = planned()
    one_at_a_time = REQUEST.model_copy(update={"max_parallel": 1})
    assert "slots" in rules(plan.model_copy(update={"max_parallel": 1}), one_at_a_time)


def test_a_course_starting_in_a_break_is_caught() -> None:
    plan = planned()
    a = next(c for c in plan.courses if c.code == "A")
    assert a.start is not None
    pause = Break(start=a.start, end=a.start + timedelta(days=2))
    assert "breaks" in rules(plan.model_copy(update={"breaks": (pause,)}))


def test_a_wrong_finish_is_caught() -> None:
    plan = planned()
    assert plan.finish is not None
    assert "dates" in rules(plan.model_copy(update={"finish": plan.finish + timedelta(days=1)}))


def test_a_bound_after_the_finish_is_caught() -> None:
    plan = planned()
    assert plan.finish is not None
    late = plan.lower_bound.model_copy(update={"finish": plan.finish + timedelta(days=1)})
    assert "dates" in rules(plan.model_copy(update={"lower_bound": late}))


@pytest.mark.parametrize("solver_seconds", [0.0, 0.5])
def test_plans_with_breaks_and_a_finish_by_answer_keep_every_rule(solver_seconds: float) -> None:
    request = REQUEST.model_copy(
        update={
            "solver_seconds": solver_seconds,
            "breaks": (Break(start=MONDAY + timedelta(days=10), end=MONDAY + timedelta(days=20)),),
        }
    )
    assert verify_plan(CATALOG, request, plan_programs(CATALOG, request)) == []
    answer = plan_finishing_by(CATALOG, request, MONDAY + timedelta(days=200))
    assert verify_plan(CATALOG, request, answer) == []


def test_the_verifier_shares_no_code_with_the_planners_rules() -> None:
    source = Path(verify.__file__).read_text(encoding="utf-8")
    imported = {
        node.module
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("mmplan")
    }
    assert imported <= {"mmplan.catalog.graph", "mmplan.catalog.model", "mmplan.schedule.model"}
