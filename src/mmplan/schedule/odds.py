"""The odds `plan --risk` reports, from the samples `risk` draws: the dates by which 50%, 80%
and 90% of them finish, the chance of the plan's own date (and of --finish-by's), the share
that runs out of attempts, what they pay, and the courses that put the finish at risk."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from mmplan.catalog.model import Course, PriceRange, Program
from mmplan.schedule.contents import CourseEntry
from mmplan.schedule.model import (
    Driver,
    PlanRequest,
    PlanWarning,
    Risk,
    RiskOptions,
    WarningKind,
)
from mmplan.schedule.problem import CENTI, Problem, Schedule, capacity_of
from mmplan.schedule.risk import (
    AttemptRules,
    Luck,
    Outcome,
    Sampler,
    Window,
    criticality,
    fresh_jobs,
    percentile,
    run_certain,
    run_samples,
)

DRIVERS = 3  # the courses named as putting the finish at risk
CANDIDATES = 5  # of the courses most often on the critical chain, how many are weighed
SAVED_AT = 0.8  # "days saved if certain" compares the dates by which this share finishes
# Each driver's "days saved" reruns this many of the samples with the course made certain,
# on the same draws (so the difference is the course's alone, not noise).
SAVED_SAMPLES = 1_000
SHARE_DIGITS = 4  # shares (0 to 1) are given to four places: 0.0001 is one sample in 10,000


def _cents(price: PriceRange | None) -> tuple[int, int] | None:
    if price is None:
        return None
    return int(price.lo * 100), int(price.hi * 100)


def attempt_rules(program: Program, course: Course) -> AttemptRules:
    """A course's attempts, by the catalog's rule (the course's, else its program's): what
    it leaves unsaid is no limit, a retake at the next session (a self-paced course: after
    `SELF_PACED_RETAKE_WAIT` days) and a retake fee of the course's price again."""
    price = _cents(course.price_usd)
    rule = program.attempts_of(course)
    if rule is None:
        return AttemptRules(limit=None, wait=None, fee=price, retake_fee=price)
    fee = rule.retake_fee_usd
    return AttemptRules(
        limit=rule.limit if isinstance(rule.limit, int) else None,
        wait=rule.retake_wait if isinstance(rule.retake_wait, int) else None,
        fee=price,
        retake_fee=_cents(fee) if isinstance(fee, PriceRange) else price,
        per_payment=rule.per_payment,
    )


@dataclass(frozen=True)
class RiskInputs:
    """What the samples need of each job's course, index-aligned with the jobs: its attempt
    rules and whole work (a retake starts from nothing); and the credentials whose passes
    count for some years only."""

    rules: list[AttemptRules]
    workloads: list[float]
    windows: tuple[Window, ...]


def _share(count: int, total: int) -> float:
    return round(count / total, SHARE_DIGITS)


def _day(start: date, offset: int | None) -> date | None:
    return None if offset is None else start + timedelta(days=offset)


def _money(cents: Sequence[tuple[int, int]], share: float) -> PriceRange:
    lo = percentile([c[0] for c in cents], share) or 0
    hi = percentile([c[1] for c in cents], share) or 0
    return PriceRange(lo=Decimal(lo) / 100, hi=Decimal(hi) / 100)


def _curve(start: date, finishes: Sequence[int | None]) -> tuple[tuple[date, float], ...]:
    """(day, share finished by then) at each day the share rises."""
    done = sorted(f for f in finishes if f is not None)
    points: list[tuple[date, float]] = []
    for rank, day in enumerate(done, start=1):
        if rank == len(done) or done[rank] != day:
            points.append((start + timedelta(days=day), _share(rank, len(finishes))))
    return tuple(points)


def _drivers(
    sampler: Sampler, outcomes: Sequence[Outcome], problem: Problem, options: RiskOptions
) -> tuple[Driver, ...]:
    """The courses that put the finish most at risk: of the five most often on the chain
    that sets a sample's finish (ties: the longer course, then plan order), the three whose
    certainty brings the 80% date soonest (then the most often on that chain)."""
    n = len(problem.jobs)
    counts = criticality(outcomes, n)
    spans = sampler.first_days
    ranked = sorted((j for j in range(n) if counts[j]), key=lambda j: (-counts[j], -spans[j], j))
    some = min(SAVED_SAMPLES, len(outcomes))
    base = percentile([o.finish for o in outcomes[:some]], SAVED_AT)
    found = []
    for j in ranked[:CANDIDATES]:
        certain = run_certain(sampler, outcomes[:some], options.seed, j)
        when = percentile([o.finish for o in certain], SAVED_AT)
        saved = None if base is None or when is None else base - when
        found.append((j, saved))
    found.sort(key=lambda pair: (pair[1] is None, -(pair[1] or 0), -counts[pair[0]], pair[0]))
    return tuple(
        Driver(
            course=problem.jobs[j].id,
            criticality=_share(counts[j], len(outcomes)),
            days_saved_if_certain=saved,
        )
        for j, saved in found[:DRIVERS]
    )


def risk_inputs(request: PlanRequest, todo: Sequence[CourseEntry]) -> RiskInputs:
    """The samples' inputs for the jobs of `todo` (see `RiskInputs`)."""
    windows: dict[str, tuple[int, list[int]]] = {}  # program id -> (years, its jobs)
    for j, entry in enumerate(todo):
        for program_id in entry.counts_for or (entry.program.id,):
            program = entry.program if program_id == entry.program.id else None
            years = program.valid_years if program else _years(todo, program_id)
            if years is not None:
                windows.setdefault(program_id, (years, []))[1].append(j)
    return RiskInputs(
        rules=[attempt_rules(e.program, e.course) for e in todo],
        workloads=[7 * e.course.weeks * e.rate(request) * CENTI for e in todo],
        windows=tuple(
            Window(tuple(jobs), years, request.start) for years, jobs in windows.values()
        ),
    )


def _years(todo: Sequence[CourseEntry], program_id: str) -> int | None:
    """The valid years of a planned program (None: its passes always count)."""
    for entry in todo:
        if entry.program.id == program_id:
            return entry.program.valid_years
    return None


def plan_risk(
    request: PlanRequest, todo: Sequence[CourseEntry], problem: Problem, schedule: Schedule
) -> Risk | None:
    """The finish's odds for the plan `schedule`, when the request asks for them."""
    if request.risk is None or not problem.jobs:
        return None
    inputs = risk_inputs(request, todo)
    capacity = capacity_of(request.hours_per_week)
    return assess_risk(problem, schedule, capacity, inputs, request.start, request.risk)


def risk_warnings(request: PlanRequest, problem: Problem) -> list[PlanWarning]:
    """Why `--risk` gave no odds, when it gave none: nothing is left to plan."""
    if request.risk is None or problem.jobs:
        return []
    message = "no odds (--risk): nothing is left to plan, every course is completed"
    return [PlanWarning(kind=WarningKind.NO_ODDS, message=message)]


def sampler_for(
    problem: Problem,
    schedule: Schedule,
    capacity: int,
    inputs: RiskInputs,
    options: RiskOptions,
) -> Sampler:
    """The sampler of the plan `schedule` (see `assess_risk`)."""
    assumed = options.assumptions
    luck = Luck(
        pass_rate=assumed.pass_rate,
        spread=assumed.effort_spread,
        correlation=assumed.effort_correlation,
        missed_weeks=assumed.missed_weeks,
    )
    fresh = fresh_jobs(problem, inputs.workloads)
    return Sampler(problem, fresh, schedule, capacity, inputs.rules, luck, inputs.windows)


def assess_risk(
    problem: Problem,
    schedule: Schedule,
    capacity: int,
    inputs: RiskInputs,
    start: date,
    options: RiskOptions,
) -> Risk:
    """The finish's odds for the plan `schedule` of `problem`, starting on `start`."""
    assumed = options.assumptions
    sampler = sampler_for(problem, schedule, capacity, inputs, options)
    outcomes = run_samples(sampler, options.samples, options.seed)
    finishes = [o.finish for o in outcomes]
    total = len(finishes)

    def by(day: int) -> float:
        return _share(sum(1 for f in finishes if f is not None and f <= day), total)

    paid = [o.paid for o in outcomes]
    return Risk(
        samples=options.samples,
        seed=options.seed,
        assumptions=assumed,
        p50=_day(start, percentile(finishes, 0.5)),
        p80=_day(start, percentile(finishes, 0.8)),
        p90=_day(start, percentile(finishes, 0.9)),
        p_plan_date=by(schedule.finish),
        p_finish_by=None if options.finish_by is None else by((options.finish_by - start).days),
        not_finished=_share(sum(1 for f in finishes if f is None), total),
        expired=_share(sum(1 for o in outcomes if o.expired), total),
        cost_p50=_money(paid, 0.5),
        cost_p90=_money(paid, 0.9),
        drivers=_drivers(sampler, outcomes, problem, options),
        curve=_curve(start, finishes),
    )
