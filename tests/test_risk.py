"""`plan --risk`: known answers, determinism, stability, and paths that keep the plan's rules."""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import date, timedelta
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from factories import catalog, course, program
from mmplan.catalog.model import Catalog
from mmplan.schedule import Break, Plan, PlanRequest, plan_programs
from mmplan.schedule.model import Risk, RiskAssumptions, RiskOptions, Segment
from mmplan.schedule.paths import risk_sampler
from mmplan.schedule.problem import CENTI, Job, capacity_of
from mmplan.schedule.risk import SELF_PACED_RETAKE_WAIT, Attempt, percentile, run_samples
from mmplan.schedule.verify import verify_plan

START = date(2027, 1, 4)
CERTAIN = RiskAssumptions(pass_rate=1.0, effort_spread=0.0, missed_weeks=0.0)


def odds(cat: Catalog, request: PlanRequest, **options: Any) -> Risk:
    plan = plan_programs(cat, request.model_copy(update={"risk": RiskOptions(**options)}))
    assert plan.risk is not None
    return plan.risk


def share_by(risk: Risk, when: date) -> float:
    """The share of samples finished by `when`, read off the S-curve."""
    return max((share for day, share in risk.curve if day <= when), default=0.0)


def test_a_single_session_course_finishes_by_its_kth_session_with_1_minus_q_to_the_k() -> None:
    sessions = ["01-15", "07-15"]
    cat = catalog(program("p", course("C", weeks=10, pacing="instructor", session_starts=sessions)))
    request = PlanRequest(program_ids=("p",), start=START)
    pass_rate = 0.6
    risk = odds(
        cat,
        request,
        samples=20_000,
        assumptions=RiskAssumptions(pass_rate=pass_rate),
    )
    ends = [date(2027 + k // 2, 1 + 6 * (k % 2), 15) + timedelta(days=69) for k in range(6)]
    for k, end in enumerate(ends, start=1):
        expected = 1 - (1 - pass_rate) ** k
        assert share_by(risk, end) == pytest.approx(expected, abs=0.015), k
        # Nobody finishes between sessions.
        before = share_by(risk, ends[k - 2]) if k > 1 else 0.0
        assert share_by(risk, end - timedelta(days=1)) == before
    assert risk.p50 == ends[0]
    assert risk.p80 == ends[1]  # 1 - 0.4^2 = 0.84
    assert risk.p90 == ends[2]  # 1 - 0.4^3 = 0.936


def bundled(program_id: str, **extra: Any) -> tuple[Catalog, PlanRequest]:
    from mmplan.api import load_catalog

    return load_catalog(), PlanRequest(program_ids=(program_id,), start=START, **extra)


@pytest.mark.parametrize(
    "program_id", ["mitx-sds", "michiganx-ux-research-design", "mitx-finance", "mitx-pom"]
)
def test_with_no_luck_at_all_every_percentile_is_the_plans_finish(program_id: str) -> None:
    cat, request = bundled(program_id)
    plan = plan_programs(
        cat, request.model_copy(update={"risk": RiskOptions(samples=200, assumptions=CERTAIN)})
    )
    risk = plan.risk
    assert risk is not None
    assert risk.p50 == risk.p80 == risk.p90 == plan.finish
    assert (risk.p_plan_date, risk.not_finished) == (1.0, 0.0)
    assert risk.cost_p50 == risk.cost_p90 == plan.cost_usd.due


def test_with_no_luck_a_plan_with_breaks_and_courses_under_way_keeps_its_finish() -> None:
    from mmplan.schedule import InProgress

    cat, request = bundled(
        "mitx-finance",
        breaks=(Break(start=date(2027, 7, 1), end=date(2027, 8, 15)),),
        in_progress=(InProgress(course_id="mitx-finance/15.415.1x", started=date(2026, 12, 1)),),
        max_parallel=3,
    )
    plan = plan_programs(
        cat, request.model_copy(update={"risk": RiskOptions(samples=100, assumptions=CERTAIN)})
    )
    assert plan.risk is not None
    assert plan.risk.p50 == plan.risk.p90 == plan.finish


def test_the_same_seed_gives_the_same_odds_and_another_seed_others() -> None:
    cat, request = bundled("ubcx-software-development")
    first = odds(cat, request, samples=2_000)
    assert odds(cat, request, samples=2_000) == first
    assert odds(cat, request, samples=2_000, seed=7) != first


@pytest.mark.parametrize(
    ("program_id", "tolerance"),
    [("michiganx-ux-research-design", 1), ("mitx-scm", None)],  # None: one session
)
def test_doubling_the_samples_moves_p90_by_a_day_or_a_session(
    program_id: str, tolerance: int | None
) -> None:
    cat, request = bundled(program_id, risk=RiskOptions())
    sampler, _ = risk_sampler(cat, request)
    seed = RiskOptions().seed
    finishes = {n: [o.finish for o in run_samples(sampler, n, seed)] for n in (10_000, 20_000)}
    half, whole = percentile(finishes[10_000], 0.9), percentile(finishes[20_000], 0.9)
    assert half is not None
    assert whole is not None
    if tolerance is not None:
        assert abs(half - whole) <= tolerance
    else:  # the finish falls on a session's end: at most the next one away
        ends = sorted({f for f in finishes[20_000] + finishes[10_000] if f is not None})
        assert abs(ends.index(half) - ends.index(whole)) <= 1


def test_the_odds_name_the_retakes_cost_and_the_drivers() -> None:
    cat, request = bundled("mitx-sds")
    plan = plan_programs(cat, request.model_copy(update={"risk": RiskOptions(samples=2_000)}))
    risk = plan.risk
    assert risk is not None
    assert plan.finish is not None
    assert risk.p50 is not None
    assert risk.p90 is not None
    assert plan.finish <= risk.p50 <= risk.p90
    assert 0 < risk.p_plan_date < 1
    assert risk.cost_p90.lo > plan.cost_usd.due.lo  # some samples pay for retakes
    assert 1 <= len(risk.drivers) <= 3
    assert all(0 < d.criticality <= 1 for d in risk.drivers)
    dumped = risk.model_dump(mode="json")
    assert list(dumped) == [
        "samples",
        "seed",
        "assumptions",
        "p50",
        "p80",
        "p90",
        "p_plan_date",
        "p_finish_by",
        "not_finished",
        "cost_p50",
        "cost_p90",
        "drivers",
    ]


# --------------------------------------------------------------------------- sampled paths


@st.composite
def programs(draw: st.DrawFn) -> Catalog:
    """1-6 courses, some instructor-paced with sessions, random prerequisites."""
    courses = []
    for i in range(draw(st.integers(1, 6))):
        prereqs = [f"C{j}" for j in range(i) if draw(st.integers(0, 2)) == 0]
        extra: dict[str, Any] = {}
        if draw(st.integers(0, 2)) == 0:
            extra["pacing"] = "instructor"
            extra["session_starts"] = draw(
                st.sampled_from([["01-10"], ["02-01", "09-01"], ["03-01", "06-01", "10-01"]])
            )
        weeks = draw(st.integers(2, 12))
        courses.append(
            course(f"C{i}", weeks=weeks, hours=draw(st.integers(2, 8)), prereqs=prereqs, **extra)
        )
    return catalog(program("p", *courses))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    cat=programs(),
    hours_per_week=st.sampled_from([5.0, 8.0, 12.0]),
    max_parallel=st.integers(1, 3),
    pass_rate=st.sampled_from([0.3, 0.7]),
    seed=st.integers(0, 1000),
)
def test_every_sampled_path_keeps_the_plans_rules(
    cat: Catalog, hours_per_week: float, max_parallel: int, pass_rate: float, seed: int
) -> None:
    assumptions = RiskAssumptions(pass_rate=pass_rate, missed_weeks=0.1)
    request = PlanRequest(
        program_ids=("p",),
        start=START,
        hours_per_week=hours_per_week,
        max_parallel=max_parallel,
        solver_seconds=0,
        risk=RiskOptions(assumptions=assumptions),
    )
    sampler, problem = risk_sampler(cat, request)
    capacity = capacity_of(hours_per_week)
    jobs = problem.jobs
    # The plan itself keeps the rules (no overloads to forgive): only then must the paths.
    if any(job.rate > capacity for job in jobs if not job.self_paced):
        return
    for index in range(30):
        outcome, attempts = sampler.trace(index, seed)
        passed: dict[int, int] = {}
        last_end: dict[int, int] = {}
        for attempt in attempts:
            job = jobs[attempt.job]
            # After every prerequisite is passed, and after its own last attempt.
            for p in job.prerequisites:
                assert p in passed, (attempt, p)
                assert passed[p] < attempt.start, (attempt, p)
            previous = last_end.get(attempt.job)
            if previous is not None:
                assert attempt.start > previous
                if job.self_paced:
                    assert attempt.start > previous + SELF_PACED_RETAKE_WAIT
            # A fixed course starts on one of its sessions and keeps its length.
            if not job.self_paced:
                assert attempt.end - attempt.start + 1 == job.days
                if job.runs and attempt.start <= job.runs[-1]:
                    assert attempt.start in job.runs
            if not attempt.failed:
                passed[attempt.job] = attempt.end
            last_end[attempt.job] = attempt.end
        if outcome.finish is not None:
            assert set(passed) == set(range(len(jobs)))
            assert outcome.finish == max(passed.values())
        # The learner's hours and course slots hold on every day something starts.
        for day in {a.start for a in attempts}:
            running = [a for a in attempts if a.start <= day <= a.end]
            assert len(running) <= max_parallel, (day, running)
            assert sum(a.alloc for a in running) <= capacity, (day, running)


def test_a_course_out_of_attempts_leaves_the_sample_unfinished() -> None:
    from mmplan.schedule.risk import AttemptRules

    sessions = ["01-15", "07-15"]
    cat = catalog(program("p", course("C", weeks=10, pacing="instructor", session_starts=sessions)))
    request = PlanRequest(program_ids=("p",), start=START, risk=RiskOptions())
    sampler, _ = risk_sampler(cat, request)
    sampler.rules = [AttemptRules(limit=2, wait=0, fee=(10_000, 10_000))]
    outcomes = run_samples(sampler, 5_000, seed=3)
    unfinished = sum(o.finish is None for o in outcomes) / len(outcomes)
    assert unfinished == pytest.approx(0.2**2, abs=0.01)
    # Each attempt is paid: one or two payments, never a third.
    assert {o.paid for o in outcomes} == {(10_000, 10_000), (20_000, 20_000)}
    assert math.isclose(
        sum(o.paid[0] == 20_000 for o in outcomes) / len(outcomes), 0.2, abs_tol=0.02
    )


def path_plan(plan: Plan, jobs: Sequence[Job], attempts: Sequence[Attempt]) -> Plan:
    """The plan a sampled path makes: each course at its passing attempt."""
    passing = {a.job: a for a in attempts if not a.failed}
    index = {job.id: j for j, job in enumerate(jobs)}
    courses = []
    for planned in plan.courses:
        j = index.get(planned.id)
        if j is None:
            courses.append(planned)
            continue
        made = passing[j]
        first, last = plan.start + timedelta(made.start), plan.start + timedelta(made.end)
        rate = made.alloc / CENTI
        segment = Segment(start=first, end=last, hours_per_week=rate)
        courses.append(
            planned.model_copy(
                update={"start": first, "end": last, "hours_per_week": rate, "segments": (segment,)}
            )
        )
    changes: dict[int, int] = {}
    for made in passing.values():
        changes[made.start] = changes.get(made.start, 0) + made.alloc
        changes[made.end + 1] = changes.get(made.end + 1, 0) - made.alloc
    load = peak = 0
    for day in sorted(changes):
        load += changes[day]
        peak = max(peak, load)
    finish = max(c.end for c in courses if c.end is not None)
    bound = plan.lower_bound.finish
    assert bound is not None
    gap = {"gap_days": (finish - bound).days, "optimal": finish <= bound}
    return plan.model_copy(
        update={
            "courses": tuple(courses),
            "finish": finish,
            "lower_bound": plan.lower_bound.model_copy(update=gap),
            "peak_hours_per_week": peak / CENTI,
            "within_budget": peak <= capacity_of(plan.hours_per_week),
        }
    )


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    cat=programs(),
    hours_per_week=st.sampled_from([5.0, 8.0, 12.0]),
    max_parallel=st.integers(1, 3),
    break_at=st.none() | st.integers(20, 300),
    seed=st.integers(0, 1000),
)
def test_every_sampled_path_passes_the_plan_verifier(
    cat: Catalog, hours_per_week: float, max_parallel: int, break_at: int | None, seed: int
) -> None:
    """With the published hours and no week lost (so the catalog's workload is the truth),
    the passing attempts of every path make a plan the independent verifier accepts."""
    breaks: tuple[Break, ...] = ()
    if break_at is not None:
        first = START + timedelta(days=break_at)
        breaks = (Break(start=first, end=first + timedelta(days=20)),)
    assumptions = RiskAssumptions(pass_rate=0.6, effort_spread=0.0, missed_weeks=0.0)
    request = PlanRequest(
        program_ids=("p",),
        start=START,
        hours_per_week=hours_per_week,
        max_parallel=max_parallel,
        breaks=breaks,
        solver_seconds=0,
        risk=RiskOptions(assumptions=assumptions),
    )
    plan = plan_programs(cat, request.model_copy(update={"risk": None}))
    sampler, problem = risk_sampler(cat, request)
    for index in range(20):
        outcome, attempts = sampler.trace(index, seed)
        assert outcome.finish is not None
        made = path_plan(plan, problem.jobs, attempts)
        assert verify_plan(cat, request, made) == [], index
