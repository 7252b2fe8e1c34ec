"""Sessions and the budget on random programs (hypothesis): fixed courses keep to their
session dates, the budget flag tells the truth, and --finish-by answers keep their promise."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from factories import catalog, course, program, property_request
from mmplan.catalog.model import Catalog
from mmplan.core.errors import MmplanError
from mmplan.schedule import (
    Plan,
    PlanRequest,
    WarningKind,
    plan_finishing_by,
    plan_programs,
)
from mmplan.schedule.verify import verify_plan

START = date(2027, 1, 4)
EXACT_SECONDS = 0.2  # a small budget for the exact pass: these tests check rules, not the search
SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@st.composite
def session_programs(draw: st.DrawFn) -> tuple[Catalog, dict[str, tuple[date | str, ...]]]:
    """A program of 1-8 courses, about half on fixed schedules, most of those with listed
    runs or yearly session starts; also each dated course's runs and `MM-DD` starts."""
    count = draw(st.integers(1, 8))
    courses = []
    dates: dict[str, tuple[date | str, ...]] = {}
    for i in range(count):
        prerequisites = [f"C{j}" for j in range(i) if draw(st.integers(0, 3)) == 0]
        extra: dict[str, Any] = {}
        if draw(st.booleans()):
            extra["pacing"] = draw(st.sampled_from(["instructor", "self"]))
            offsets = draw(st.lists(st.integers(0, 700), max_size=3, unique=True))
            yearly = draw(st.lists(st.integers(0, 364), max_size=3, unique=True))
            if offsets:
                extra["runs"] = sorted(START + timedelta(days=d) for d in offsets)
            if yearly:
                extra["session_starts"] = [
                    (date(2027, 1, 1) + timedelta(days=d)).strftime("%m-%d") for d in yearly
                ]
            if offsets or yearly:
                dates[f"p/C{i}"] = (*extra.get("runs", ()), *extra.get("session_starts", ()))
        courses.append(
            course(
                f"C{i}",
                weeks=draw(st.integers(1, 12)),
                hours=draw(st.integers(1, 14)),
                prereqs=prerequisites,
                **extra,
            )
        )
    return catalog(program("p", *courses)), dates


def no_run_left(plan: Plan, cid: str) -> bool:
    return any(w.kind is WarningKind.NO_RUN and w.courses == (cid,) for w in plan.warnings)


@SETTINGS
@given(
    generated=session_programs(),
    hours_per_week=st.sampled_from([3.0, 6.0, 9.0, 14.0]),
    max_parallel=st.integers(1, 3),
    break_at=st.none() | st.tuples(st.integers(0, 400), st.integers(0, 40)),
)
def test_fixed_courses_start_on_a_session_and_the_budget_flag_is_the_truth(
    generated: tuple[Catalog, dict[str, tuple[date | str, ...]]],
    hours_per_week: float,
    max_parallel: int,
    break_at: tuple[int, int] | None,
) -> None:
    cat, dates = generated
    request = property_request(
        START, hours_per_week, max_parallel, break_at, solver_seconds=EXACT_SECONDS
    )
    plan = plan_programs(cat, request)
    # Sessions, the budget and its flag: the verifier's rules.
    assert [str(v) for v in verify_plan(cat, request, plan)] == []
    for cid, starts in dates.items():
        if any(isinstance(d, str) for d in starts):  # yearly sessions never run out
            assert not no_run_left(plan, cid)
    assert plan.lower_bound.finish is not None
    assert plan.finish is not None
    assert plan.lower_bound.finish <= plan.finish
    for row in plan.what_if:
        assert row.finish is not None


@SETTINGS
@given(generated=session_programs(), weeks=st.integers(4, 150))
def test_a_finish_by_answer_is_within_budget_and_makes_the_date(
    generated: tuple[Catalog, dict[str, tuple[date | str, ...]]], weeks: int
) -> None:
    cat, _ = generated
    finish_by = START + timedelta(weeks=weeks)
    request = PlanRequest(program_ids=("p",), start=START, solver_seconds=EXACT_SECONDS)
    fastest = plan_programs(cat, request.model_copy(update={"hours_per_week": 168.0}))
    assert fastest.finish is not None
    if fastest.finish > finish_by:
        with pytest.raises(MmplanError, match=f"^no pace finishes by {finish_by}"):
            plan_finishing_by(cat, request, finish_by)
        return
    plan = plan_finishing_by(cat, request, finish_by)
    assert plan.finish is not None
    assert plan.finish <= finish_by
    if not plan.within_budget:  # only while a fixed course above the pace runs, alone
        over = [w.hours_per_week or 0 for w in plan.warnings if w.kind is WarningKind.OVER_PACE]
        assert over
        assert plan.peak_hours_per_week == max(over)


@st.composite
def crowded_sessions(draw: st.DrawFn) -> Catalog:
    """2-5 courses, most of them fixed with one or two listed runs, often on the same days
    and heavy for the pace, so that runs collide and courses take runs after their last."""
    count = draw(st.integers(2, 5))
    courses = []
    for i in range(count):
        prerequisites = [f"C{j}" for j in range(i) if draw(st.integers(0, 3)) == 0]
        extra: dict[str, Any] = {}
        if draw(st.integers(0, 3)) > 0:
            offsets = draw(st.lists(st.sampled_from([0, 14, 60]), min_size=1, max_size=2))
            extra = {
                "pacing": "instructor",
                "runs": sorted({START + timedelta(days=d) for d in offsets}),
            }
        courses.append(
            course(
                f"C{i}",
                weeks=draw(st.integers(1, 6)),
                hours=draw(st.integers(2, 9)),
                prereqs=prerequisites,
                **extra,
            )
        )
    return catalog(program("p", *courses))


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    cat=crowded_sessions(),
    hours_per_week=st.sampled_from([6.0, 10.0]),
    max_parallel=st.integers(1, 2),
)
def test_the_lower_bound_is_never_above_a_proven_optimum(
    cat: Catalog, hours_per_week: float, max_parallel: int
) -> None:
    """The list schedule's lower bound against the finish the exact pass proves optimal
    (a search of its own, on the model, not on the bound): a bound above it would claim
    more than is true. Runs here often collide, so this holds the one rule on collisions
    (courses after their last run, the load of every fixed course counted) to account."""
    request = property_request(START, hours_per_week, max_parallel, None)
    quick = plan_programs(cat, request.model_copy(update={"solver_seconds": 0}), what_ifs=False)
    exact = plan_programs(cat, request.model_copy(update={"solver_seconds": 20}), what_ifs=False)
    assert quick.finish is not None
    assert exact.finish is not None
    assert quick.lower_bound.finish is not None
    assert exact.finish <= quick.finish
    if exact.lower_bound.optimal:
        assert quick.lower_bound.finish <= exact.finish


@st.composite
def pausing_programs(draw: st.DrawFn) -> Catalog:
    """3-6 courses: fixed courses with a listed run or a yearly session, heavy for the pace,
    and self-paced courses linked to few of them, so that the best plan often pauses a
    self-paced course (or changes its pace) where a fixed course starts or ends."""
    count = draw(st.integers(4, 6))
    courses = []
    for i in range(count):
        prerequisites = [f"C{j}" for j in range(i) if draw(st.integers(0, 5)) == 0]
        extra: dict[str, Any] = {}
        if draw(st.booleans()):
            extra["pacing"] = "instructor"
            if draw(st.booleans()):
                extra["runs"] = [START + timedelta(days=draw(st.sampled_from([7, 30, 75])))]
            else:
                extra["session_starts"] = [draw(st.sampled_from(["02-01", "04-01", "09-01"]))]
        courses.append(
            course(
                f"C{i}",
                weeks=draw(st.integers(2, 9)),
                hours=draw(st.integers(3, 10)),
                prereqs=prerequisites,
                **extra,
            )
        )
    return catalog(program("p", *courses))


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    cat=pausing_programs(),
    hours_per_week=st.sampled_from([8.0, 12.0]),
    max_parallel=st.integers(2, 3),
)
def test_a_plans_bound_is_never_above_the_proven_optimum_with_pauses(
    cat: Catalog, hours_per_week: float, max_parallel: int
) -> None:
    """The bound a plan reports after a short search (the list schedule's, or the exact
    search's own where it is higher, in either model) against the finish a long search
    proves optimal when courses may pause: neither may claim more than is true."""
    request = property_request(START, hours_per_week, max_parallel, None)
    short = plan_programs(cat, request.model_copy(update={"solver_seconds": 0.2}), what_ifs=False)
    long = plan_programs(cat, request.model_copy(update={"solver_seconds": 20}), what_ifs=False)
    assert short.lower_bound.finish is not None
    assert long.finish is not None
    if long.lower_bound.optimal:
        assert short.lower_bound.finish <= long.finish
        assert short.finish is not None
        assert long.finish <= short.finish
