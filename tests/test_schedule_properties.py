"""Scheduling invariants on random prerequisite graphs (hypothesis)."""

from __future__ import annotations

import json
from datetime import date, timedelta
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from factories import catalog, course, program, property_request
from mmplan.catalog.model import Catalog
from mmplan.schedule import Plan, PlanRequest, plan_programs
from mmplan.schedule.verify import verify_plan

START = date(2027, 1, 4)
EXACT_SECONDS = 0.2  # a small budget for the exact pass: these tests check rules, not speed
PROPERTY_SETTINGS = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)


@st.composite
def programs(draw: st.DrawFn, *, mixed: bool) -> tuple[Catalog, list[dict[str, Any]]]:
    """A program of 1-10 courses with random prerequisites (and courses recommended first)
    on earlier courses.

    `mixed` adds instructor-paced courses (some with listed runs).
    """
    count = draw(st.integers(1, 10))
    courses = []
    for i in range(count):
        prerequisites = [f"C{j}" for j in range(i) if draw(st.booleans()) and draw(st.booleans())]
        extra: dict[str, Any] = {}
        recommended = [
            f"C{j}"
            for j in range(i)
            if f"C{j}" not in prerequisites and draw(st.integers(0, 5)) == 0
        ]
        if recommended:
            extra["recommended"] = recommended
        if mixed and draw(st.integers(0, 3)) == 0:
            extra["pacing"] = "instructor"
            offsets = draw(st.lists(st.integers(0, 500), max_size=3, unique=True))
            if offsets:
                extra["runs"] = sorted(START + timedelta(days=d) for d in offsets)
        courses.append(
            course(
                f"C{i}",
                weeks=draw(st.integers(3, 16)),
                hours=draw(st.integers(2, 12)),
                prereqs=prerequisites,
                **extra,
            )
        )
    # Shuffle catalog order so that prerequisites may come later in the file.
    order = draw(st.permutations(courses))
    return catalog(program("p", *order)), courses


def check_invariants(
    plan: Plan, courses: list[dict[str, Any]], request: PlanRequest, cat: Catalog
) -> None:
    """Every course present once, every rule kept (by the independent verifier), and the
    bound a bound."""
    assert sorted(c.code for c in plan.courses) == sorted(c["code"] for c in courses)
    assert [str(v) for v in verify_plan(cat, request, plan)] == []
    assert plan.lower_bound.finish is not None
    assert plan.finish is not None
    assert plan.lower_bound.finish <= plan.finish
    assert plan.lower_bound.gap_days == (plan.finish - plan.lower_bound.finish).days


@PROPERTY_SETTINGS
@given(
    generated=programs(mixed=True),
    hours_per_week=st.sampled_from([2.0, 5.0, 7.5, 10.0, 20.0]),
    max_parallel=st.integers(1, 4),
    break_at=st.none() | st.tuples(st.integers(0, 300), st.integers(0, 20)),
)
def test_plans_keep_order_load_parallelism_and_hours(
    generated: tuple[Catalog, list[dict[str, Any]]],
    hours_per_week: float,
    max_parallel: int,
    break_at: tuple[int, int] | None,
) -> None:
    cat, courses = generated
    request = property_request(
        START, hours_per_week, max_parallel, break_at, solver_seconds=EXACT_SECONDS
    )
    plan = plan_programs(cat, request)
    check_invariants(plan, courses, request, cat)
    # The exact pass never makes a plan later.
    quick_request = request.model_copy(update={"solver_seconds": 0})
    quick = plan_programs(cat, quick_request)
    check_invariants(quick, courses, quick_request, cat)
    assert plan.finish is not None
    assert quick.finish is not None
    assert plan.finish <= quick.finish
    # Deterministic: the same request gives the same document, byte for byte.
    again = plan_programs(cat, request)
    assert json.dumps(plan.model_dump(mode="json")) == json.dumps(again.model_dump(mode="json"))


@st.composite
def self_paced_cases(draw: st.DrawFn) -> tuple[Catalog, list[dict[str, Any]], float, int]:
    """A self-paced program and a pace at which every course takes at least 20 days.

    That is every real course at a sensible pace; below it, rounding each course to whole
    days can cost more than 5% whatever the plan.
    """
    cat, courses = draw(programs(mixed=False))
    smallest = min(c["weeks"] * c["hours_per_week"] for c in courses)
    fastest = int(2 * 7 * smallest / 20) / 2  # in half hours
    hours_per_week = draw(st.sampled_from([h / 2 for h in range(2, int(2 * fastest) + 1)] or [1.0]))
    return cat, courses, hours_per_week, draw(st.integers(1, 4))


@PROPERTY_SETTINGS
@given(case=self_paced_cases())
def test_self_paced_plans_stay_within_5_percent_of_the_bound_and_never_idle(
    case: tuple[Catalog, list[dict[str, Any]], float, int],
) -> None:
    cat, courses, hours_per_week, max_parallel = case
    request = PlanRequest(
        program_ids=("p",),
        hours_per_week=hours_per_week,
        start=START,
        max_parallel=max_parallel,
        solver_seconds=EXACT_SECONDS,
    )
    plan = plan_programs(cat, request)
    check_invariants(plan, courses, request, cat)
    assert plan.finish is not None
    assert plan.lower_bound.finish is not None
    length = (plan.finish - plan.start).days + 1
    bound = (plan.lower_bound.finish - plan.start).days + 1
    assert length <= 1.05 * bound, (length, bound)
    total_hours_bound = 7 * plan.total_hours / hours_per_week
    assert bound >= total_hours_bound
    # Never idle: every day from the start to the finish has a course in progress.
    covered = sorted((c.start, c.end) for c in plan.planned if c.start and c.end)
    reach = plan.start - timedelta(days=1)
    for first, last in covered:
        assert first <= reach + timedelta(days=1), f"idle from {reach} to {first}"
        reach = max(reach, last)
    assert reach == plan.finish
