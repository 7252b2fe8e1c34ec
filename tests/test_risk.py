"""`plan --risk`: known answers, determinism, stability, and paths that keep the plan's rules."""

from __future__ import annotations

import dataclasses
import itertools
from collections import Counter
from collections.abc import Sequence
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from factories import catalog, course, program
from mmplan.catalog.model import Catalog, PriceRange
from mmplan.render.risk import percent, risk_lines
from mmplan.schedule import Break, Plan, PlanRequest, plan_programs
from mmplan.schedule.model import (
    Driver,
    Risk,
    RiskAssumptions,
    RiskOptions,
    Segment,
    WarningKind,
)
from mmplan.schedule.paths import Stability, p90_stability, risk_sampler
from mmplan.schedule.problem import CENTI, Job, capacity_of
from mmplan.schedule.risk import (
    SELF_PACED_RETAKE_WAIT,
    Attempt,
    percentile,
    run_certain,
    run_samples,
    years_back,
)
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


# Tests marked `untraced` below draw thousands of samples through code that the traced tests
# here run too, so coverage pauses for them (tests/conftest.py): line tracing makes sampling
# three times slower. Each mark was checked to lose no arc of the suite's coverage: small
# example tests (p90_stability's, the expired passes' path by path and their text) cover
# what only the statistics reached before.


@pytest.mark.untraced
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


@pytest.mark.untraced
def test_the_same_seed_gives_the_same_odds_and_another_seed_others() -> None:
    cat, request = bundled("ubcx-software-development")
    first = odds(cat, request, samples=2_000)
    assert odds(cat, request, samples=2_000) == first
    assert odds(cat, request, samples=2_000, seed=7) != first


@pytest.mark.parametrize(
    ("program_id", "session_bound"),
    [
        pytest.param("mitx-sds", True, marks=pytest.mark.untraced),
        pytest.param("umgc-cloud-computing", True, marks=pytest.mark.untraced),
        pytest.param("berkeleyx-marketing-analytics", False, marks=pytest.mark.untraced),
    ],
)
def test_doubling_the_samples_moves_p90_by_a_day_or_a_session(
    program_id: str, session_bound: bool
) -> None:
    """At the default samples and seed (benchmarks/risk.py checks every bundled program)."""
    cat, request = bundled(program_id, risk=RiskOptions())
    sampler, _ = risk_sampler(cat, request)
    defaults = RiskOptions()
    moved = p90_stability(sampler, defaults.samples, defaults.seed)
    assert moved.session_bound == session_bound
    assert moved.stable, moved
    # The first half of the doubled samples are the default run's own.
    first = [o.finish for o in run_samples(sampler, defaults.samples, defaults.seed)]
    assert percentile(first, 0.9) == moved.p90


def test_p90_stability_compares_the_first_half_of_the_doubled_samples_with_the_whole() -> None:
    """A small, session-bound example of what the bundled programs' test above checks."""
    cat = one_session_course({"per_payment": 1})
    assumptions = RiskAssumptions(pass_rate=0.6)
    request = PlanRequest(
        program_ids=("p",), start=START, risk=RiskOptions(assumptions=assumptions)
    )
    sampler, _ = risk_sampler(cat, request)
    moved = p90_stability(sampler, 150, seed=5)
    finishes = [o.finish for o in run_samples(sampler, 300, seed=5)]
    assert moved.p90 == percentile(finishes[:150], 0.9)
    assert moved.p90_doubled == percentile(finishes, 0.9)
    assert moved.p90 is not None
    assert moved.p90_doubled is not None
    assert moved.days == abs(moved.p90 - moved.p90_doubled)
    days = sorted({f for f in finishes if f is not None})
    assert moved.steps == abs(days.index(moved.p90) - days.index(moved.p90_doubled))
    assert moved.session_bound  # every finish is a session's end: a handful of days
    assert moved.stable == (moved.steps <= 1)


def test_p90_stability_of_a_p90_never_reached_is_none_and_stable_only_if_both_agree() -> None:
    """One attempt at a 60% pass: 90% never finish, at any number of samples."""
    cat = one_session_course({"per_payment": 1, "limit": 1})
    assumptions = RiskAssumptions(pass_rate=0.6)
    request = PlanRequest(
        program_ids=("p",), start=START, risk=RiskOptions(assumptions=assumptions)
    )
    sampler, _ = risk_sampler(cat, request)
    moved = p90_stability(sampler, 50, seed=5)
    assert (moved.p90, moved.p90_doubled, moved.days, moved.steps) == (None, None, None, None)
    assert moved.stable
    assert not dataclasses.replace(moved, p90_doubled=300).stable


@pytest.mark.parametrize(
    ("days", "steps", "session_bound", "stable"),
    [(1, 5, False, True), (2, 1, False, False), (30, 1, True, True), (30, 2, True, False)],
)
def test_p90_is_stable_within_a_day_or_one_session(
    days: int, steps: int, session_bound: bool, stable: bool
) -> None:
    moved = Stability(100, 100 + days, days, steps, session_bound)
    assert moved.stable == stable


@pytest.mark.parametrize(
    "program_id", [pytest.param("mitx-finance", marks=pytest.mark.untraced), "pennx-robotics"]
)
def test_a_certain_course_reruns_only_the_samples_it_changes(program_id: str) -> None:
    cat, request = bundled(program_id, risk=RiskOptions())
    sampler, problem = risk_sampler(cat, request)
    outcomes = run_samples(sampler, 300, seed=4)
    for j in range(len(problem.jobs)):
        every = run_samples(sampler, 300, seed=4, certain=j)
        assert run_certain(sampler, outcomes, 4, j) == every, j


@pytest.mark.untraced
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
    # DS.CFx allows two attempts: some samples never finish.
    assert risk.not_finished == pytest.approx(0.2**2, abs=0.015)
    assert risk.expired == 0
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
        "expired",
        "cost_p50",
        "cost_p90",
        "drivers",
    ]


# --------------------------------------------------------------------------- sampled paths


@st.composite
def programs(draw: st.DrawFn) -> Catalog:
    """1-6 courses, some instructor-paced with sessions, random prerequisites, some with
    attempt rules (a limit, a wait, attempts per payment)."""
    courses = []
    for i in range(draw(st.integers(1, 6))):
        prereqs = [f"C{j}" for j in range(i) if draw(st.integers(0, 2)) == 0]
        extra: dict[str, Any] = {}
        if draw(st.integers(0, 2)) == 0:
            extra["pacing"] = "instructor"
            extra["session_starts"] = draw(
                st.sampled_from([["01-10"], ["02-01", "09-01"], ["03-01", "06-01", "10-01"]])
            )
        if draw(st.integers(0, 2)) == 0:
            extra["attempts"] = {
                "per_payment": draw(st.integers(1, 2)),
                "limit": draw(st.sampled_from([2, 3, "unlimited"])),
                "retake_wait": draw(st.sampled_from([0, 45, "next_session"])),
            }
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
        made = Counter(a.job for a in attempts)
        for attempt in attempts:
            job = jobs[attempt.job]
            # After every prerequisite is passed, and after its own last attempt.
            for p in job.prerequisites:
                assert p in passed, (attempt, p)
                assert passed[p] < attempt.start, (attempt, p)
            previous = last_end.get(attempt.job)
            rules = sampler.rules[attempt.job]
            if previous is not None:  # a retake: after the wait, within the limit
                assert attempt.start > previous + rules.wait_for(job.self_paced)
            assert rules.limit is None or made[attempt.job] <= rules.limit
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
        else:  # a course used every attempt it allows, and failed them all
            assert any(
                sampler.rules[j].limit == count and j not in passed for j, count in made.items()
            )
        # Each course pays one fee per `per_payment` attempts.
        fees = [sampler.rules[j].paid(count) for j, count in made.items()]
        assert outcome.paid == (sum(f[0] for f in fees), sum(f[1] for f in fees))
        # The learner's hours and course slots hold on every day something starts.
        for day in {a.start for a in attempts}:
            running = [a for a in attempts if a.start <= day <= a.end]
            assert len(running) <= max_parallel, (day, running)
            assert sum(a.alloc for a in running) <= capacity, (day, running)


# --------------------------------------------------------------------------- attempts


SESSIONS = ["01-15", "07-15"]


def one_session_course(attempts: dict[str, Any], **extra: Any) -> Catalog:
    """One instructor-paced course, 10 weeks, sessions twice a year, $100, these attempts."""
    made = course("C", weeks=10, pacing="instructor", session_starts=SESSIONS, attempts=attempts)
    return catalog(program("p", made, **extra))


@pytest.mark.untraced
@pytest.mark.parametrize("limit", [1, 2, 3])
def test_a_limit_of_k_attempts_leaves_1_minus_p_to_the_k_unfinished(limit: int) -> None:
    rule = {"per_payment": 1, "limit": limit, "retake_fee_usd": "same"}
    request = PlanRequest(program_ids=("p",), start=START)
    pass_rate = 0.6
    risk = odds(
        one_session_course(rule),
        request,
        samples=20_000,
        assumptions=RiskAssumptions(pass_rate=pass_rate),
    )
    assert risk.not_finished == pytest.approx((1 - pass_rate) ** limit, abs=0.01)
    assert risk.expired == 0
    ends = [date(2027 + k // 2, 1 + 6 * (k % 2), 15) + timedelta(days=69) for k in range(limit)]
    for k, end in enumerate(ends, start=1):
        assert share_by(risk, end) == pytest.approx(1 - (1 - pass_rate) ** k, abs=0.015)
    # Never a sample after the last attempt allowed.
    assert max(day for day, _ in risk.curve) == ends[-1]
    # P90 is not reached within one attempt (60%) or two (84%): never, unless a third is allowed.
    assert risk.p90 == (ends[2] if limit == 3 else None)
    # Each attempt pays the price again: $100 at the median, $300 at 90% with three attempts.
    assert risk.cost_p50 == PriceRange(lo=Decimal(100), hi=Decimal(100))
    assert risk.cost_p90.lo == 100 * min(limit, 3)


def test_the_text_names_the_share_that_runs_out_of_attempts() -> None:
    rule = {"per_payment": 1, "limit": 2, "retake_fee_usd": "same"}
    assumptions = RiskAssumptions(pass_rate=0.6)  # 84% pass within two attempts
    options = RiskOptions(samples=2_000, assumptions=assumptions)
    request = PlanRequest(program_ids=("p",), start=START, risk=options)
    plan = plan_programs(one_session_course(rule), request)
    assert plan.risk is not None
    lines = dict(risk_lines(plan))
    assert lines["Not finished within the attempts allowed"] == percent(plan.risk.not_finished)
    assert "90% never (within the attempts allowed)" in lines["Odds"]


@pytest.mark.untraced
def test_one_payment_buys_per_payment_attempts_and_a_retake_pays_its_own_fee() -> None:
    rule = {"per_payment": 2, "retake_fee_usd": 50}  # no limit: attempts 3-4 pay $50, 5-6 $50
    cat = one_session_course(rule)
    assumptions = RiskAssumptions(pass_rate=0.5)
    request = PlanRequest(
        program_ids=("p",), start=START, risk=RiskOptions(assumptions=assumptions)
    )
    sampler, _ = risk_sampler(cat, request)
    counts = set()
    for index in range(300):
        outcome, attempts = sampler.trace(index, seed=11)
        made = len(attempts)
        counts.add(made)
        assert outcome.paid == ((100 + 50 * ((made - 1) // 2)) * 100,) * 2, made
    assert {1, 2, 3, 4} <= counts
    risk = odds(cat, request, samples=20_000, assumptions=assumptions)
    # Two attempts pass 75% of the time ($100), four 94% ($150).
    assert (risk.cost_p50.lo, risk.cost_p90.lo) == (100, 150)


@pytest.mark.parametrize("pacing", ["instructor", "self"])
def test_a_retake_waits_the_catalogs_days_then_takes_the_next_session(pacing: str) -> None:
    quarterly = ["01-15", "04-15", "07-15", "10-15"]
    rule = {"per_payment": 1, "retake_wait": 100}
    sessions = {"session_starts": quarterly} if pacing == "instructor" else {}
    made = course("C", weeks=4, hours=3, pacing=pacing, attempts=rule, **sessions)
    assumptions = RiskAssumptions(pass_rate=0.5, missed_weeks=0.0)
    options = RiskOptions(assumptions=assumptions)
    request = PlanRequest(program_ids=("p",), start=START, risk=options)
    sampler, problem = risk_sampler(catalog(program("p", made)), request)
    runs = problem.jobs[0].runs
    retakes = 0
    for index in range(100):
        _, attempts = sampler.trace(index, seed=1)
        for failed, retake in itertools.pairwise(attempts):
            retakes += 1
            assert failed.failed
            assert retake.start > failed.end + 100, retake
            if runs:  # the first session after the wait, not a later one
                assert retake.start == min(r for r in runs if r > failed.end + 100)
            else:  # a self-paced course starts as soon as the wait is over
                assert retake.start == failed.end + 101
    assert retakes > 50


def test_other_courses_fill_a_self_paced_retakes_wait() -> None:
    """A and B, one at a time: when the first fails, the other starts the next day (the
    learner knows the retake must wait), and the retake comes after its wait."""
    cat = catalog(program("p", course("A", weeks=6), course("B", weeks=6)))
    assumptions = RiskAssumptions(pass_rate=0.5, effort_spread=0.0, missed_weeks=0.0)
    options = RiskOptions(assumptions=assumptions)
    request = PlanRequest(program_ids=("p",), start=START, max_parallel=1, risk=options)
    sampler, _ = risk_sampler(cat, request)
    checked = 0
    for index in range(100):
        _, attempts = sampler.trace(index, seed=2)
        first = attempts[0]
        if not first.failed:
            continue
        checked += 1
        other = attempts[1]
        assert other.job != first.job
        assert other.start == first.end + 1
        retake = next(a for a in attempts[1:] if a.job == first.job)
        assert retake.start > first.end + SELF_PACED_RETAKE_WAIT
    assert checked > 30


@pytest.mark.parametrize(
    "years",
    [
        pytest.param(1, marks=pytest.mark.untraced),
        pytest.param(2, marks=pytest.mark.untraced),
        pytest.param(3, marks=pytest.mark.untraced),
    ],
)
def test_a_pass_older_than_valid_years_when_the_credential_is_earned_is_lost(years: int) -> None:
    """A then B, each in a yearly session: B passes a year after A (to the day: that counts),
    and each failure of B adds a year; A's pass is lost once B fails `years` times."""
    yearly = {"weeks": 4, "pacing": "instructor", "session_starts": ["01-10"]}
    first, second = course("A", **yearly), course("B", prereqs=["A"], **yearly)
    cat = catalog(program("p", first, second, valid_years=years))
    options = RiskOptions(samples=20_000, assumptions=RiskAssumptions(pass_rate=0.6))
    plan = plan_programs(cat, PlanRequest(program_ids=("p",), start=START, risk=options))
    risk = plan.risk
    assert risk is not None
    assert risk.expired == pytest.approx(0.4**years, abs=0.01)
    assert risk.not_finished == risk.expired
    lost = dict(risk_lines(plan))["Not finished within the attempts and years allowed"]
    too_old = "with a pass too old to count by the credential's date"
    assert lost == f"{percent(risk.expired)}, all {too_old}"


def yearly_pair(valid_years: int, **attempts: Any) -> Catalog:
    """A then B, each in a yearly session (B needs A), passes valid for `valid_years`."""
    yearly = {"weeks": 4, "pacing": "instructor", "session_starts": ["01-10"]}
    rule = {"attempts": attempts} if attempts else {}
    second = course("B", prereqs=["A"], **rule, **yearly)
    return catalog(program("p", course("A", **yearly), second, valid_years=valid_years))


@pytest.mark.parametrize("years", [1, 2])
def test_a_path_loses_a_pass_once_b_fails_valid_years_times(years: int) -> None:
    """The path by path reading of the statistics above: a sample ends without a finish,
    expired, exactly when B failed `years` times before it passed."""
    assumptions = RiskAssumptions(pass_rate=0.6)
    request = PlanRequest(
        program_ids=("p",), start=START, risk=RiskOptions(assumptions=assumptions)
    )
    sampler, problem = risk_sampler(yearly_pair(years), request)
    b = next(j for j, job in enumerate(problem.jobs) if job.id == "p/B")
    seen = set()
    for index in range(60):
        outcome, attempts = sampler.trace(index, seed=8)
        failures_of_b = sum(1 for a in attempts if a.job == b and a.failed)
        lost = failures_of_b >= years
        seen.add(lost)
        assert outcome.expired == lost, (index, attempts)
        assert (outcome.finish is None) == lost
    assert seen == {True, False}


def test_the_text_splits_the_unfinished_by_cause_as_the_samples_fall() -> None:
    """A small run of the catalog below: the text adds up the samples' own causes."""
    options = RiskOptions(samples=300, assumptions=RiskAssumptions(pass_rate=0.6))
    request = PlanRequest(program_ids=("p",), start=START, risk=options)
    plan = plan_programs(yearly_pair(1, per_payment=1, limit=2), request)
    risk = plan.risk
    assert risk is not None
    ran_out = round(risk.not_finished - risk.expired, 4)
    assert ran_out > 0
    assert risk.expired > 0
    too_old = "with a pass too old to count by the credential's date"
    assert dict(risk_lines(plan))["Not finished within the attempts and years allowed"] == (
        f"{percent(risk.not_finished)} ({percent(ran_out)} out of attempts,"
        f" {percent(risk.expired)} {too_old})"
    )
    # Without a limit on B, every sample that does not finish has lost a pass.
    plan = plan_programs(yearly_pair(1), request)
    assert plan.risk is not None
    assert plan.risk.expired == plan.risk.not_finished > 0
    lost = dict(risk_lines(plan))["Not finished within the attempts and years allowed"]
    assert lost == f"{percent(plan.risk.expired)}, all {too_old}"


@pytest.mark.untraced
def test_the_text_gives_each_cause_of_not_finishing() -> None:
    """As above, valid for one year, and B allows two attempts: B fails twice (16%: out of
    attempts) or once (24%: A's pass is lost)."""
    yearly = {"weeks": 4, "pacing": "instructor", "session_starts": ["01-10"]}
    second = course("B", prereqs=["A"], attempts={"per_payment": 1, "limit": 2}, **yearly)
    cat = catalog(program("p", course("A", **yearly), second, valid_years=1))
    options = RiskOptions(samples=20_000, assumptions=RiskAssumptions(pass_rate=0.6))
    plan = plan_programs(cat, PlanRequest(program_ids=("p",), start=START, risk=options))
    risk = plan.risk
    assert risk is not None
    assert risk.not_finished == pytest.approx(0.4, abs=0.01)
    assert risk.expired == pytest.approx(0.24, abs=0.01)
    lost = dict(risk_lines(plan))["Not finished within the attempts and years allowed"]
    assert (
        lost
        == "40% (16% out of attempts, 24% with a pass too old to count by the credential's date)"
    )


def test_a_sample_past_the_weeks_drawn_ahead_draws_the_rest_from_its_own_stream() -> None:
    """Missed weeks are drawn ahead up to three years past the plan's finish; a sample that
    takes longer (here: many retakes) draws the later ones as it gets there, from a stream of
    its own: traced again, after the others and in another order, it takes the same path."""
    made = course("C", weeks=8, hours=4, attempts={"per_payment": 1, "limit": "unlimited"})
    assumptions = RiskAssumptions(pass_rate=0.2, missed_weeks=0.2)
    request = PlanRequest(
        program_ids=("p",), start=START, risk=RiskOptions(assumptions=assumptions)
    )
    sampler, _ = risk_sampler(catalog(program("p", made)), request)
    paths = [sampler.trace(index, seed=3) for index in range(200)]
    past = [o for o, _ in paths if o.finish is not None and o.finish >= 7 * sampler.horizon]
    assert len(past) >= 3  # samples that outran the weeks drawn ahead
    again = [sampler.trace(index, seed=3) for index in reversed(range(200))]
    assert again[::-1] == paths


def test_years_back_keeps_the_day_and_month() -> None:
    start = date(2027, 1, 4)

    def back(when: date, years: int) -> date:
        return start + timedelta(days=years_back(start, (when - start).days, years))

    assert back(date(2032, 1, 10), 5) == date(2027, 1, 10)
    assert back(date(2032, 2, 29), 1) == date(2031, 2, 28)
    assert back(date(2032, 2, 29), 4) == date(2028, 2, 29)


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
        if outcome.finish is None:  # a course out of its attempts: no plan to verify
            assert any(sampler.rules[a.job].limit is not None for a in attempts)
            continue
        made = path_plan(plan, problem.jobs, attempts)
        assert verify_plan(cat, request, made) == [], index


def test_each_driver_says_what_a_first_time_pass_would_change() -> None:
    """The At-risk line in words a learner reads: what passing the course at the first
    attempt, at its published hours, would do to the 80% date."""
    request = PlanRequest(program_ids=("p",), start=START, risk=RiskOptions(samples=200))
    plan = plan_programs(one_session_course({"per_payment": 1}), request)
    assert plan.risk is not None
    drivers = tuple(
        Driver(course="p/C", criticality=0.5, days_saved_if_certain=days)
        for days in (30, 1, 0, None)
    )
    plan = plan.model_copy(update={"risk": plan.risk.model_copy(update={"drivers": drivers})})
    said = dict(risk_lines(plan))["At risk"].split("; C ")
    half = "(delays the finish in 50% of samples;"
    assert said == [
        f"C {half} a first-time pass would bring the 80% date 30 days sooner)",
        f"{half} a first-time pass would bring the 80% date 1 day sooner)",
        f"{half} a first-time pass would not bring the 80% date sooner)",
        f"{half} even a first-time pass would leave the 80% date out of reach)",
    ]


def test_risk_with_nothing_left_to_plan_says_there_are_no_odds() -> None:
    options = RiskOptions(samples=200)
    done = PlanRequest(program_ids=("p",), start=START, completed=("p/C",), risk=options)
    plan = plan_programs(one_session_course({"per_payment": 1}), done)
    assert plan.risk is None
    assert [w.kind for w in plan.warnings] == [WarningKind.NO_ODDS]
    asked_not = plan_programs(
        one_session_course({"per_payment": 1}), done.model_copy(update={"risk": None})
    )
    assert asked_not.warnings == ()
