"""Cost: verified-certificate prices summed exactly, ranges and unknowns kept honest."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Annotated, Literal

from pydantic import PlainSerializer

from mmplan.catalog.figures import Price, course_price, priced_by, published_price_as_of
from mmplan.catalog.graph import (
    canonical_course_id,
    topological_order,
    with_prerequisites,
)
from mmplan.catalog.index import CatalogIndex
from mmplan.catalog.model import (
    AsOf,
    Catalog,
    Course,
    PriceRange,
    Pricing,
    Program,
    ProgramStatus,
    course_id,
    dollars_json,
)
from mmplan.catalog.money import MaybeMoney, Money, sum_known
from mmplan.catalog.payments import deadline_rule
from mmplan.core.base import Frozen
from mmplan.core.errors import UsageError
from mmplan.selection import Choice, parse_choices, select_programs, with_same_courses

# ----- The cost report of `mmplan cost` -------------------------------------------------------

# A percentage, no more: edX tells each learner the share its assistance covers, and no
# published ceiling is in the sources the catalog is built from.
MAX_AID_PERCENT = Decimal(100)
CENT = Decimal("0.01")


Percent = Annotated[Decimal, PlainSerializer(dollars_json, when_used="json")]
CourseStatus = Literal["paid", "due"]
AID_PLATFORM = "edX"  # the platform whose financial assistance --aid stands for


class CourseCost(Frozen):
    """One course's verified certificate: its price and whether it is paid."""

    id: str
    title: str
    price_usd: MaybeMoney
    status: CourseStatus
    estimated: bool  # the price is an estimate, not a published fact
    reason: str  # why the course is on the list ("required", "prerequisite of ...")
    due_after_aid_usd: MaybeMoney = None
    same_as: tuple[str, ...] = ()  # the same course (same code) in other programs: not counted
    # What one failed attempt adds: the retake fee, 0 when one payment buys two attempts;
    # None when the catalog does not say.
    retake_usd: MaybeMoney = None


class ProgramCost(Frozen):
    """One program: its published price beside the sum of its course prices."""

    id: str
    title: str
    institution: str
    price_usd: MaybeMoney  # the published whole-program price, when the catalog has one
    courses: tuple[str, ...]  # the courses it needs
    courses_usd: Money  # the sum of their known prices
    unknown: tuple[str, ...]  # its courses with no known price
    courses_estimated: bool  # some price in `courses_usd` is an estimate
    prices_as_of: AsOf  # when its prices were published: they are dated, not current
    published_price_as_of: str  # when `price_usd` was published (`2016/2018`), else the above
    platform: str  # where its certificates are bought
    status: ProgramStatus
    status_text: str  # `active`, or what happened to a program that moved


PaidAt = Literal["upgrade deadline", "course start"]


class Payment(Frozen):
    """When one certificate is due: at its platform's upgrade deadline, else at its start."""

    course: str
    platform: str
    course_start: date
    due_on: date
    due_at: PaidAt  # which rule set `due_on`
    rule: str = ""  # the rule in words, and whose it is


class MonthCost(Frozen):
    """Money due in one month: the certificates whose payment falls in it."""

    month: str  # YYYY-MM, or "unscheduled" for a course the plan does not date
    due_usd: Money
    due_after_aid_usd: Money
    courses: tuple[str, ...]
    unknown: tuple[str, ...]  # of those courses, the ones whose price is unknown
    estimated: bool = False  # some known price in `due_usd` is an estimate
    payments: tuple[Payment, ...] = ()  # of those courses, the dated ones


class AidNote(Frozen):
    """Why --aid was not taken off one program's prices, and where to ask instead."""

    program: str
    platform: str
    income_based: bool  # its prices are set from the learner's income already
    ask_at: str | None  # where to ask for the learner's own (income-based) price
    courses: tuple[str, ...]  # its due courses left at their price


class AidTerms(Frozen):
    """A program's own rules for applying for financial assistance (the catalog's
    `aid_terms`), for a program --aid was taken off."""

    program: str
    terms: str
    url: str | None  # where they are published


class CostReport(Frozen):
    """What the programs cost: paid, due, the total, and what financial aid changes."""

    programs: tuple[ProgramCost, ...]
    courses: tuple[CourseCost, ...]
    paid_usd: Money
    due_usd: Money
    total_usd: Money
    aid_percent: Percent
    due_after_aid_usd: Money
    # Due courses the aid was not taken off: edX's financial assistance is for list prices
    # on edX; income-based prices (DEDP on MITx Online) and other platforms are left as they
    # are, each program's reason in `aid_notes`.
    aid_not_applied: tuple[str, ...] = ()
    aid_notes: tuple[AidNote, ...] = ()
    aid_terms: tuple[AidTerms, ...] = ()  # the rules for applying, where a program has its own
    program_price_usd: MaybeMoney  # sum of published program prices; null if one is missing
    retakes_usd: Money = PriceRange(lo=Decimal(0), hi=Decimal(0))  # one failure of each due
    retakes_unknown: tuple[str, ...] = ()  # due courses whose retake cost is not known
    unknown: tuple[str, ...]  # courses whose price is unknown: never counted as zero
    paid_estimated: bool = False  # some known price in `paid_usd` is an estimate
    due_estimated: bool = False  # some known price in `due_usd` is an estimate
    hours_per_week: float | None = None  # the pace of the plan behind `by_month`
    plan_start: date | None = None  # ...its first day
    plan_breaks: tuple[tuple[date, date], ...] = ()  # ...and its breaks (first, last day)
    by_month: tuple[MonthCost, ...] | None = None  # when the money is due, month by month


def with_aid(price: PriceRange, aid_percent: Decimal) -> PriceRange:
    """A price after financial assistance, rounded to the cent like a checkout would."""
    keep = (Decimal(100) - aid_percent) / Decimal(100)
    return PriceRange(lo=_cents(price.lo * keep), hi=_cents(price.hi * keep))


def _cents(amount: Decimal) -> Decimal:
    rounded = amount.quantize(CENT, rounding=ROUND_HALF_UP)
    return rounded.quantize(Decimal(1)) if rounded == rounded.to_integral_value() else rounded


def cost_report(
    catalog: Catalog | CatalogIndex,
    programs: Sequence[Program],
    *,
    choices: Mapping[str, Choice] | None = None,
    passed: Iterable[str] = (),
    started: Iterable[str] = (),
    aid_percent: Decimal = Decimal(0),
    tracks: Sequence[str] = (),
    picks: Sequence[str] = (),
    hours_per_week: float | None = None,
    starts: Mapping[str, date] | None = None,
    ends: Mapping[str, date] | None = None,
    plan_start: date | None = None,
    plan_breaks: Sequence[tuple[date, date]] = (),
) -> CostReport:
    """The cost of earning every program's credential; a shared course is counted once.

    Each program's courses are those `selection.select_programs` picks (the learner's
    --track and --pick, then passed and started electives first). Prerequisites from
    outside them that are not passed are added as due. Passed (verified) courses are paid;
    everything else is due. A course that two programs list under the same code is one
    course: listed once, under its first id. With `starts` (each course's first day in the
    plan made at `hours_per_week` from `plan_start`, with `plan_breaks`), the money due is
    also split by the month each certificate must be paid (`months_due`: by its payment
    rule, `payment_due`, with its last day from `ends`, else the day its course starts; one
    under way is dated from the plan's first day). `choices`: the `tracks`, `picks` read.
    """
    check_aid(aid_percent)
    index = CatalogIndex.of(catalog)  # the command's, when the API gives it
    catalog, same = index.catalog, index.same_courses
    passed_ids = with_same_courses(catalog, passed, same)
    started_ids = with_same_courses(catalog, started, same) - passed_ids
    reasons: dict[str, str] = {}
    program_costs: list[ProgramCost] = []

    def price_of(identifier: str) -> Price:
        return course_price(identifier, lambda i: _course(catalog, i), same)

    selections = select_programs(
        programs,
        parse_choices(programs, tracks, picks) if choices is None else choices,
        counted_as=lambda identifier: same.get(identifier, (identifier,))[0],  # its first id
        passed=passed_ids,
        started=started_ids,
    )
    for program in programs:
        selection = selections[program.id]
        needed = [(course_id(program.id, c.code), c.reason) for c in selection.courses]
        for identifier, reason in needed:
            reasons.setdefault(identifier, reason)
        prices = {i: price_of(i) for i, _ in needed}
        program_costs.append(_program_cost(catalog, program, prices))
    _add_prerequisites_due(reasons, index.graph, passed_ids)

    courses: list[CourseCost] = []
    for identifier, reason, same_as in _one_row_per_course(reasons, same, programs):
        price = price_of(identifier)
        courses.append(
            CourseCost(
                id=identifier,
                title=_course(catalog, identifier).title,
                price_usd=price.amount,
                # with_same_courses made all ids of a course agree
                status="paid" if identifier in passed_ids else "due",
                estimated=price.estimated,
                reason=reason,
                same_as=same_as,
                retake_usd=retake_cost(catalog, identifier, price.amount),
            )
        )
    return _report(
        index,
        program_costs,
        courses,
        aid_percent,
        dating=None if starts is None else Dating(starts, ends or {}, plan_start, plan_breaks),
        hours_per_week=hours_per_week,
    )


def planned_cost(
    catalog: Catalog | CatalogIndex,
    programs: Sequence[Program],
    courses: Sequence[CourseCost],
    *,
    aid_percent: Decimal = Decimal(0),
    starts: Mapping[str, date],
    ends: Mapping[str, date],
    hours_per_week: float,
    plan_start: date,
    plan_breaks: Sequence[tuple[date, date]] = (),
) -> CostReport:
    """The cost report of a plan's `courses` (priced as the plan prices them, the completed
    ones paid), dated by the plan: what `plan --aid` and the plan's HTML page show, through
    the same aid and month rules as `cost_report`."""
    index = CatalogIndex.of(catalog)  # the command's, when the API gives it
    catalog = index.catalog
    courses = [
        c.model_copy(update={"retake_usd": retake_cost(catalog, c.id, c.price_usd)})
        for c in courses
    ]
    program_costs = []
    for program in programs:
        own = [c for c in courses if c.id.partition("/")[0] == program.id]
        prices = {c.id: Price(c.price_usd, c.estimated) for c in own}
        program_costs.append(_program_cost(catalog, program, prices))
    return _report(
        index,
        program_costs,
        courses,
        aid_percent,
        dating=Dating(starts, ends, plan_start, plan_breaks),
        hours_per_week=hours_per_week,
    )


@dataclass(frozen=True)
class Dating:
    """The plan that dates the payments: each course's first and last day, its start and
    breaks."""

    starts: Mapping[str, date]
    ends: Mapping[str, date]
    plan_start: date | None
    plan_breaks: Sequence[tuple[date, date]]


def _report(
    index: CatalogIndex,
    program_costs: Sequence[ProgramCost],
    courses: Sequence[CourseCost],
    aid_percent: Decimal,
    *,
    dating: Dating | None,
    hours_per_week: float | None,
) -> CostReport:
    """The totals of `courses`, with `aid_percent` taken off where edX's aid applies (the
    one place it is applied: `cost`, `plan --aid` and the HTML page agree), and with
    `dating`, the money due month by month."""
    check_aid(aid_percent)
    catalog = index.catalog
    blocked: dict[str, Program | None] = {c.id: None for c in courses}
    if aid_percent:  # which courses the aid stays off (the same-course map only then)
        blocked = {c.id: _aid_blocked_by(catalog, c.id, index.same_courses) for c in courses}
    aided = [_aided(c, aid_percent if blocked[c.id] is None else Decimal(0)) for c in courses]
    paid_total = sum_known(c.price_usd for c in aided if c.status == "paid")
    due_total = sum_known(c.price_usd for c in aided if c.status == "due")
    published = [p.price_usd for p in program_costs]
    return CostReport(
        hours_per_week=hours_per_week if dating is not None else None,
        plan_start=dating.plan_start if dating is not None else None,
        plan_breaks=tuple(dating.plan_breaks) if dating is not None else (),
        by_month=(
            months_due(catalog, aided, dating.starts, dating.ends) if dating is not None else None
        ),
        programs=tuple(program_costs),
        courses=tuple(aided),
        paid_usd=paid_total,
        due_usd=due_total,
        total_usd=paid_total + due_total,
        aid_percent=aid_percent,
        due_after_aid_usd=sum_known(c.due_after_aid_usd for c in aided if c.status == "due"),
        aid_not_applied=_not_aided(aided, blocked) if aid_percent else (),
        aid_notes=_aid_notes(aided, blocked) if aid_percent else (),
        aid_terms=_aid_terms(catalog, aided, blocked) if aid_percent else (),
        program_price_usd=(None if any(p is None for p in published) else sum_known(published)),
        retakes_usd=sum_known(c.retake_usd for c in aided if c.status == "due"),
        retakes_unknown=tuple(c.id for c in aided if c.status == "due" and c.retake_usd is None),
        unknown=tuple(c.id for c in aided if c.price_usd is None),
        paid_estimated=_estimated(c for c in aided if c.status == "paid"),
        due_estimated=_estimated(c for c in aided if c.status == "due"),
    )


def check_aid(aid_percent: Decimal) -> None:
    """Refuse financial aid outside 0-100 percent, as `--aid` does."""
    if not Decimal(0) <= aid_percent <= MAX_AID_PERCENT:
        raise UsageError(f"--aid {aid_percent}: financial aid is between 0 and 100 percent")


def _aided(course: CourseCost, aid_percent: Decimal) -> CourseCost:
    """`course` with what is due after `aid_percent` of aid (0 where it does not apply);
    nothing for a paid course or an unknown price."""
    if course.status == "paid" or course.price_usd is None:
        return course.model_copy(update={"due_after_aid_usd": None})
    return course.model_copy(update={"due_after_aid_usd": with_aid(course.price_usd, aid_percent)})


def _not_aided(
    courses: Iterable[CourseCost], blocked: Mapping[str, Program | None]
) -> tuple[str, ...]:
    """The due courses that --aid leaves at their price."""
    return tuple(c.id for c in courses if c.status == "due" and blocked[c.id] is not None)


def _aid_notes(
    courses: Iterable[CourseCost], blocked: Mapping[str, Program | None]
) -> tuple[AidNote, ...]:
    """Per program whose terms keep the aid off, the due courses it leaves, and why."""
    by_program: dict[str, list[str]] = {}
    programs: dict[str, Program] = {}
    for course in courses:
        program = blocked[course.id]
        if course.status == "due" and program is not None:
            programs[program.id] = program
            by_program.setdefault(program.id, []).append(course.id)
    notes = []
    for program_id, identifiers in by_program.items():
        program = programs[program_id]
        income_based = program.pricing is Pricing.INCOME_BASED
        notes.append(
            AidNote(
                program=program_id,
                platform=program.platform,
                income_based=income_based,
                ask_at=program.pricing_url or program.url if income_based else None,
                courses=tuple(identifiers),
            )
        )
    return tuple(notes)


def _aid_terms(
    catalog: Catalog, courses: Iterable[CourseCost], blocked: Mapping[str, Program | None]
) -> tuple[AidTerms, ...]:
    """The application rules of each program whose due courses the aid was taken off."""
    aided = dict.fromkeys(
        c.id.partition("/")[0] for c in courses if c.status == "due" and blocked[c.id] is None
    )
    programs = (catalog.program(identifier) for identifier in aided)
    return tuple(
        AidTerms(program=p.id, terms=p.aid_terms, url=p.aid_url)
        for p in programs
        if p.aid_terms is not None
    )


def _aid_blocked_by(
    catalog: Catalog, identifier: str, same: Mapping[str, tuple[str, ...]]
) -> Program | None:
    """The program whose terms keep edX's financial assistance (a share of edX list
    prices) off a course: its own, when not on edX or priced by income; else the program
    whose price it takes (a course two programs list: `figures.priced_by`), when that one
    is; None when the aid applies."""
    lender = priced_by(identifier, lambda i: _course(catalog, i), same)
    for candidate in dict.fromkeys((identifier, lender)):
        program = catalog.program(candidate.partition("/")[0])
        if program.platform != AID_PLATFORM or program.pricing is not Pricing.LIST:
            return program
    return None


def _program_cost(catalog: Catalog, program: Program, prices: Mapping[str, Price]) -> ProgramCost:
    """One program's published price beside what the `prices` of its courses add up to."""
    known = [p for p in prices.values() if p.amount is not None]
    return ProgramCost(
        id=program.id,
        title=program.title,
        institution=program.institution,
        price_usd=program.price_usd,
        courses=tuple(prices),
        courses_usd=sum_known(p.amount for p in known),
        unknown=tuple(i for i, p in prices.items() if p.amount is None),
        courses_estimated=any(p.estimated for p in known),
        prices_as_of=program.as_of or catalog.as_of,
        published_price_as_of=published_price_as_of(program, catalog.as_of),
        platform=program.platform,
        status=program.status,
        status_text=program.status_text,
    )


def _add_prerequisites_due(
    reasons: dict[str, str], graph: Mapping[str, tuple[str, ...]], passed: Collection[str]
) -> None:
    """Add to `reasons` each prerequisite of the chosen courses that is not passed, in
    prerequisite order, saying which courses need it (the first three)."""
    chosen = list(reasons)
    for identifier in topological_order(with_prerequisites(chosen, graph), graph):
        if identifier not in reasons and identifier not in passed and identifier in graph:
            needing = [c for c in chosen if identifier in with_prerequisites(graph[c], graph)]
            reasons[identifier] = "prerequisite of " + ", ".join(needing[:3])


def _estimated(courses: Iterable[CourseCost]) -> bool:
    """Whether a known price among `courses` is an estimate."""
    return any(c.estimated for c in courses if c.price_usd is not None)


def _one_row_per_course(
    reasons: Mapping[str, str], same: Mapping[str, tuple[str, ...]], programs: Sequence[Program]
) -> list[tuple[str, str, tuple[str, ...]]]:
    """(id, reason, other ids) per course: a course several programs list (one code) is one
    row, under the id `plan` uses (its id in the first program asked for), with every
    program's reason for it, as `plan` words them."""
    program_ids = [p.id for p in programs]
    groups: dict[str, list[str]] = {}  # the course's first id in the catalog -> ids here
    for identifier in reasons:
        groups.setdefault(same.get(identifier, (identifier,))[0], []).append(identifier)
    rows = []
    for group in groups.values():
        shown = canonical_course_id(same.get(group[0], group), program_ids)
        if shown not in group:
            shown = group[0]
        why = [reasons[shown]]
        why.extend(f"{reasons[i]} in {i.partition('/')[0]}" for i in group if i != shown)
        rows.append((shown, "; ".join(dict.fromkeys(why)), tuple(i for i in group if i != shown)))
    return rows


def _course(catalog: Catalog, identifier: str) -> Course:
    program_id, _, code = identifier.partition("/")
    return catalog.program(program_id).course(code)


def retake_cost(catalog: Catalog, identifier: str, price: PriceRange | None) -> PriceRange | None:
    """What one failed attempt of a course adds: nothing when one payment buys two attempts,
    else its retake fee (`same`: its price again); None when the catalog does not say."""
    program_id, _, code = identifier.partition("/")
    program = catalog.program(program_id)
    attempts = program.attempts_of(program.course(code))
    if attempts is None:
        return None
    if attempts.per_payment > 1:
        return PriceRange(lo=Decimal(0), hi=Decimal(0))
    fee = price if attempts.retake_fee_usd == "same" else attempts.retake_fee_usd
    return fee if isinstance(fee, PriceRange) else None


def payment_due(catalog: Catalog, identifier: str, course_start: date, course_end: date) -> Payment:
    """The day a course's certificate must be paid: by its payment rule (the course's, its
    program's or its platform's upgrade deadline, `mmplan.catalog.payments`), else the day
    it starts."""
    platform_name = catalog.program(identifier.partition("/")[0]).platform
    rule = deadline_rule(catalog, identifier)
    if rule is None:
        return Payment(
            course=identifier,
            platform=platform_name,
            course_start=course_start,
            due_on=course_start,
            due_at="course start",
            rule=f"when the course starts ({platform_name} gives no deadline here)",
        )
    return Payment(
        course=identifier,
        platform=platform_name,
        course_start=course_start,
        due_on=rule.deadline.due(course_start, course_end),
        due_at="upgrade deadline",
        rule=f"{rule.deadline} ({rule.set_by} rule)",
    )


def months_due(
    catalog: Catalog,
    courses: Sequence[CourseCost],
    starts: Mapping[str, date],
    ends: Mapping[str, date],
) -> tuple[MonthCost, ...]:
    """The due courses grouped by the month their payment falls in (`payment_due`, from
    each course's first and last days in `starts` and `ends`), in date order: the one cost
    by month, which `cost --by-month` and the plan's HTML page both show."""
    groups: dict[str, list[tuple[CourseCost, Payment | None]]] = {}
    for course in courses:
        if course.status != "due":
            continue
        dated = sorted((starts[i], i) for i in (course.id, *course.same_as) if i in starts)
        payment = None
        if dated:
            start, planned_as = dated[0]
            end = ends.get(planned_as, start)
            payment = payment_due(catalog, course.id, start, end)
        month = payment.due_on.strftime("%Y-%m") if payment else "unscheduled"
        groups.setdefault(month, []).append((course, payment))
    # "unscheduled" sorts after every YYYY-MM, so it comes last.
    return tuple(
        MonthCost(
            month=month,
            due_usd=sum_known(c.price_usd for c, _ in group),
            due_after_aid_usd=sum_known(c.due_after_aid_usd for c, _ in group),
            courses=tuple(c.id for c, _ in group),
            unknown=tuple(c.id for c, _ in group if c.price_usd is None),
            estimated=_estimated([c for c, _ in group]),
            payments=tuple(p for _, p in group if p is not None),
        )
        for month, group in sorted(groups.items())
    )
