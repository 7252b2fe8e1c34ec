"""Weekly rates rounded up to quarter hours where the learner's hours allow it."""

from __future__ import annotations

from datetime import date

from factories import catalog, course, program
from mmplan.schedule import PlanRequest, plan_programs
from mmplan.schedule.problem import Job, Policy, Problem, Schedule
from mmplan.schedule.rates import quarter_hour_rates
from mmplan.schedule.rules.breaks import Calendar

MONDAY = date(2027, 1, 4)


def job(name: str, *, self_paced: bool = True, rate: int = 0) -> Job:
    return Job(
        id=name,
        self_paced=self_paced,
        work=0.0,
        rate=rate,
        days=10,
        runs=(),
        has_dates=False,
        prerequisites=(),
        dependants=(),
    )


def schedule(
    spans: list[tuple[int, int, int]],
    segments: dict[int, tuple[tuple[int, int, int], ...]] | None = None,
) -> Schedule:
    """A schedule of (first day, last day, allocation) per job."""
    return Schedule(
        start=[first for first, _, _ in spans],
        end=[last for _, last, _ in spans],
        alloc=[alloc for _, _, alloc in spans],
        notes=[],
        ready=[0] * len(spans),
        finish=max(last for _, last, _ in spans),
        policy=Policy(runs_first=False, lanes=1, lazy=False),
        segments=segments or {},
    )


def problem(*jobs: Job) -> Problem:
    return Problem(list(jobs), Calendar(()), max_parallel=3, last_day=10_000)


def test_a_rate_just_under_a_quarter_hour_is_rounded_up_on_the_same_days() -> None:
    before = schedule([(0, 29, 394), (30, 39, 250)])
    after = quarter_hour_rates(problem(job("A"), job("B")), before, capacity=400)
    assert after.alloc == [400, 250]
    assert (after.start, after.end, after.finish) == (before.start, before.end, before.finish)


def test_rounding_that_would_exceed_the_hours_is_refused() -> None:
    # 3.30 + 1.65 = 4.95 h of 5: either course rounded up would need 5.15 or 5.05.
    before = schedule([(0, 16, 330), (0, 16, 165)])
    assert quarter_hour_rates(problem(job("A"), job("B")), before, capacity=500) is before


def test_courses_are_rounded_in_order_of_start_while_the_hours_last() -> None:
    # B starts first and takes 4.80 -> 5.00; A, beside it from day 5, would then exceed 8.20.
    before = schedule([(5, 20, 310), (0, 20, 480), (21, 30, 190)])
    after = quarter_hour_rates(problem(job("A"), job("B"), job("C")), before, capacity=820)
    assert after.alloc == [310, 500, 200]


def test_fixed_courses_keep_their_rate_and_count_against_the_hours() -> None:
    before = schedule([(0, 9, 333), (0, 19, 460)])
    fixed = job("F", self_paced=False, rate=333)
    after = quarter_hour_rates(problem(fixed, job("A")), before, capacity=800)
    assert after.alloc == [333, 460]  # 3.33 + 4.75 would be 8.08 on days 0-9
    alone = schedule([(0, 9, 333), (10, 19, 460)])
    assert quarter_hour_rates(problem(fixed, job("A")), alone, capacity=800).alloc == [333, 475]


def test_each_segment_of_a_paused_course_is_rounded_on_its_own() -> None:
    # A pauses during F; after it, A and B share the hours to the last hundredth.
    pieces = ((0, 9, 333), (20, 29, 390))
    before = schedule([(0, 29, 390), (10, 19, 400), (20, 29, 10)], {0: pieces})
    jobs = problem(job("A"), job("F", self_paced=False, rate=400), job("B"))
    after = quarter_hour_rates(jobs, before, capacity=400)
    assert after.segments == {0: ((0, 9, 350), (20, 29, 390))}
    assert after.alloc == [390, 400, 10]  # a paused course's rate is its larger segment's


# 27 h of A at 4 h/week takes 48 days; the exact plan trims A to 3.94 h/week on them.
QUARTERS = catalog(
    program(
        "p",
        course("A", weeks=3, hours=9),
        course("B", weeks=5, hours=1, prereqs=["A"]),
        course("C", weeks=5, hours=3),
    )
)
# A (8 h) and B (4 h) side by side at 5 h/week for 17 days: 3.30 and 1.65 h/week, full.
SHARED = catalog(program("p", course("A", weeks=2, hours=4), course("B", weeks=1, hours=4)))


def test_a_plan_shows_whole_quarter_hours_where_the_hours_allow_and_keeps_its_work() -> None:
    plan = plan_programs(
        QUARTERS, PlanRequest(program_ids=("p",), hours_per_week=4.0, start=MONDAY)
    )
    rates = {c.code: c.hours_per_week for c in plan.courses}
    assert plan.solver.used == "exact"
    assert rates == {"A": 4.0, "B": 1.0, "C": 3.0}
    assert {c.code: c.hours for c in plan.courses} == {"A": 27, "B": 5, "C": 15}


def test_a_plan_keeps_exact_rates_where_the_courses_fill_the_hours() -> None:
    plan = plan_programs(SHARED, PlanRequest(program_ids=("p",), hours_per_week=5.0, start=MONDAY))
    assert {c.code: c.hours_per_week for c in plan.courses} == {"A": 3.3, "B": 1.65}
    assert plan.peak_hours_per_week <= 5.0
