"""`mmplan show` and `mmplan compare`: one program in detail, and programs side by side.

Both build on `mmplan.reports.listing`'s summaries, so their figures match `mmplan list`'s. Their
results are pydantic models, serialized to JSON by pydantic.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from typing import Annotated, Literal

from pydantic import PlainSerializer, field_serializer

from mmplan.catalog.figures import Price, course_hours, course_price, hours_are_estimated
from mmplan.catalog.graph import prerequisite_ids, same_course_ids
from mmplan.catalog.model import (
    AsOf,
    Attempts,
    Catalog,
    CreditPathway,
    EstimatedField,
    HoursRange,
    Kind,
    MoneyJson,
    Pacing,
    PriceRange,
    Program,
    Track,
    course_id,
    money_json,
)
from mmplan.catalog.payments import deadline_rule
from mmplan.core.base import Frozen
from mmplan.core.defaults import DEFAULT_HOURS_PER_WEEK, Effort
from mmplan.core.errors import UsageError
from mmplan.reports.eligibility import ExternalPrerequisite
from mmplan.reports.listing import (
    CourseIndex,
    ProgramSummary,
    hours_json,
    summarize_program,
    summary_json,
)

CREDIT_CAVEAT = (
    "Credit counts only if you are admitted to the degree; admission is never guaranteed, "
    "and credit is usually granted by the offering university only."
)
# A summary inside a pydantic result: serialized to JSON as `mmplan list` writes it.
Summary = Annotated[ProgramSummary, PlainSerializer(summary_json, when_used="json")]


# --- mmplan show -------------------------------------------------------------------------


class CourseFacts(Frozen):
    """One course of a program as published, with its role in the program."""

    id: str
    code: str
    title: str
    kind: Kind
    pacing: Pacing
    weeks: float
    hours_per_week: HoursRange
    price_usd: PriceRange | None
    estimated: tuple[str, ...]
    role: str  # "required", "elective", "track: NAME"
    taken_by_default: bool  # in the fewest-hours selection that `list` counts
    prerequisites: tuple[str, ...]
    recommended: tuple[str, ...]  # taken first when planned too (soft), `program/CODE` ids
    external_prerequisites: tuple[str, ...]
    runs: tuple[date, ...]
    session_starts: tuple[str, ...]  # `MM-DD`: a session starts then every year
    after_all: bool  # starts after every other course taken for the credential
    window_days: int | None  # an exam window: each start opens one, this many days long
    assesses: str | None  # the course this exam is taken with (its code)
    attempts: AttemptFacts | None  # None: the catalog does not say
    payment: PaymentFacts | None  # None: no rule; paid at the start
    url: str | None

    @field_serializer("price_usd")
    def _price_json(self, value: PriceRange | None) -> MoneyJson:
        return money_json(value)

    @field_serializer("hours_per_week")
    def _hours_json(self, value: HoursRange) -> float | list[float]:
        return hours_json(value)


class AttemptFacts(Frozen):
    """What one payment for a course buys and what a retake asks; None: not known."""

    per_payment: int
    limit: int | Literal["unlimited"] | None
    retake_fee_usd: PriceRange | None  # the fee of one retake ("same": the course price)
    retake_fee_same_as_price: bool
    retake_wait: int | Literal["next_session"] | None  # days, or the next session
    estimated: bool  # the catalog marks these rules as estimates

    @field_serializer("retake_fee_usd")
    def _price_json(self, value: PriceRange | None) -> MoneyJson:
        return money_json(value)


class PaymentFacts(Frozen):
    """A course's payment deadline rule: days after its start or before its end."""

    days_after_start: int | None
    days_before_start: int | None
    days_before_end: int | None
    set_by: str  # `course`, `program` or `platform NAME`
    estimated: bool
    text: str  # the rule in words


class TreeLine(Frozen):
    """One line of the prerequisite tree, in pre-order: a course and what it needs below it."""

    depth: int
    id: str
    title: str
    repeated: bool  # already drawn above with its prerequisites
    outside: bool  # a course of another program
    recommended: bool = False  # recommended first by the course above (soft), not needed
    after_all: bool = False  # starts after every other course of the program


class ElectiveFacts(Frozen):
    choose: int
    courses: tuple[str, ...]


class ProgramDetails(Frozen):
    """Everything `mmplan show` tells about one program."""

    summary: Summary
    effort: Effort  # which end of the hours ranges the summary counts
    url: str | None
    published_duration: str | None
    published_price_usd: PriceRange | None
    as_of: AsOf
    status_text: str  # `active`, or what happened to a program that retired or moved
    valid_years: int | None  # how long a passed course counts toward the credential
    notes: str | None
    courses: tuple[CourseFacts, ...]
    prerequisite_tree: tuple[TreeLine, ...]
    outside_prerequisites: tuple[str, ...]
    electives: tuple[ElectiveFacts, ...]
    tracks: tuple[Track, ...]
    external_prerequisites: tuple[ExternalPrerequisite, ...]
    credit_pathways: tuple[CreditPathway, ...]
    credit_caveat: str
    sources: tuple[str, ...]

    @field_serializer("published_price_usd")
    def _price_json(self, value: PriceRange | None) -> MoneyJson:
        return money_json(value)


def _roles(program: Program) -> dict[str, str]:
    roles = dict.fromkeys(program.required_codes, "required")
    for group in program.electives:
        for code in group.from_:
            roles.setdefault(code, f"elective: {group.choose} of {len(group.from_)}")
    for track in program.tracks:
        for code in track.courses:
            if code not in roles:
                roles[code] = f"track: {track.name}"
            elif roles[code].startswith("track: "):
                roles[code] += f", {track.name}"
    for course in program.courses:
        if course.assesses is not None:
            roles.setdefault(course.code, f"exam of {course.assesses}")
    return roles


def prerequisite_tree(program: Program, index: CourseIndex) -> tuple[TreeLine, ...]:
    """The courses no other course needs, each above what it needs first (then what is
    recommended first, marked), drawn once each."""
    ids = [course_id(program.id, c.code) for c in program.courses]
    needed = {
        p
        for ref in ids
        for p in (*index.prerequisites.get(ref, ()), *index.recommended.get(ref, ()))
    }
    roots = [ref for ref in ids if ref not in needed]
    lines: list[TreeLine] = []
    drawn: set[str] = set()
    # Roots first, then anything a cycle would have hidden (validation rejects cycles).
    for root in [*roots, *ids]:
        if root in drawn:
            continue
        stack: list[tuple[str, int, bool]] = [(root, 0, False)]
        while stack:
            ref, depth, soft = stack.pop()
            outside = not ref.startswith(program.id + "/")
            course = index.courses.get(ref)
            title = course.title if course is not None else "(not in the catalog)"
            repeated = ref in drawn
            lines.append(
                TreeLine(
                    depth=depth,
                    id=ref,
                    title=title,
                    repeated=repeated,
                    outside=outside,
                    recommended=soft,
                    after_all=course is not None and course.after_all and not outside,
                )
            )
            if repeated or course is None:
                continue
            drawn.add(ref)
            children = [(child, False) for child in index.prerequisites.get(ref, ())]
            children += [(child, True) for child in index.recommended.get(ref, ())]
            stack.extend((child, depth + 1, soft) for child, soft in reversed(children))
    return tuple(lines)


def program_details(
    catalog: Catalog,
    program: Program,
    *,
    hours_per_week: float = DEFAULT_HOURS_PER_WEEK,
    effort: Effort = Effort.MID,
    start: date | None = None,
) -> ProgramDetails:
    """The facts, courses, structure and credit pathways of `program` (weeks studying from
    `start`)."""
    index = CourseIndex(catalog)
    summary = summarize_program(
        program, index, hours_per_week=hours_per_week, effort=effort, start=start
    )
    roles = _roles(program)
    taken = set(summary.course_ids)
    prices = {
        c.code: course_price(course_id(program.id, c.code), index.courses.__getitem__, index.same)
        for c in program.courses
    }
    courses = tuple(
        CourseFacts(
            id=course_id(program.id, c.code),
            code=c.code,
            title=c.title,
            kind=c.kind,
            pacing=c.pacing,
            weeks=c.weeks,
            hours_per_week=c.hours_per_week,
            price_usd=prices[c.code].amount,
            estimated=_with_price_mark(c.estimated, prices[c.code]),
            role=roles[c.code],
            taken_by_default=course_id(program.id, c.code) in taken,
            prerequisites=prerequisite_ids(program, c.prerequisites),
            recommended=prerequisite_ids(program, c.recommended),
            external_prerequisites=c.external_prerequisites,
            runs=c.runs,
            session_starts=c.session_starts,
            after_all=c.after_all,
            window_days=c.window_days,
            assesses=c.assesses,
            attempts=_attempt_facts(program.attempts_of(c), prices[c.code].amount),
            payment=_payment_facts(catalog, course_id(program.id, c.code)),
            url=c.url,
        )
        for c in program.courses
    )
    return ProgramDetails(
        summary=summary,
        effort=effort,
        url=program.url,
        published_duration=program.published_duration,
        published_price_usd=program.price_usd,
        as_of=program.as_of or catalog.as_of,
        status_text=program.status_text,
        valid_years=program.valid_years,
        notes=program.notes,
        courses=courses,
        prerequisite_tree=prerequisite_tree(program, index),
        outside_prerequisites=tuple(
            ref for ref in summary.course_ids if not ref.startswith(program.id + "/")
        ),
        electives=tuple(ElectiveFacts(choose=g.choose, courses=g.from_) for g in program.electives),
        tracks=program.tracks,
        external_prerequisites=tuple(
            ExternalPrerequisite(course=course_id(program.id, c.code), requirement=text)
            for c in program.courses
            for text in c.external_prerequisites
        ),
        credit_pathways=program.credit_pathways,
        credit_caveat=CREDIT_CAVEAT,
        sources=program.sources,
    )


def _attempt_facts(attempts: Attempts | None, price: PriceRange | None) -> AttemptFacts | None:
    if attempts is None:
        return None
    same = attempts.retake_fee_usd == "same"
    fee = price if same else attempts.retake_fee_usd
    return AttemptFacts(
        per_payment=attempts.per_payment,
        limit=attempts.limit,
        retake_fee_usd=fee if isinstance(fee, PriceRange) else None,
        retake_fee_same_as_price=same,
        retake_wait=attempts.retake_wait,
        estimated=attempts.estimated,
    )


def _payment_facts(catalog: Catalog, identifier: str) -> PaymentFacts | None:
    rule = deadline_rule(catalog, identifier)
    if rule is None:
        return None
    return PaymentFacts(
        days_after_start=rule.deadline.days_after_start,
        days_before_start=rule.deadline.days_before_start,
        days_before_end=rule.deadline.days_before_end,
        set_by=rule.set_by,
        estimated=rule.deadline.estimated,
        text=str(rule.deadline),
    )


def _with_price_mark(
    estimated: tuple[EstimatedField, ...], price: Price
) -> tuple[EstimatedField, ...]:
    """A course's estimated fields, `price_usd` among them exactly when its price is one."""
    kept = tuple(f for f in estimated if f != "price_usd")
    return (*kept, "price_usd") if price.estimated else kept


# --- mmplan compare ----------------------------------------------------------------------


class ComparedProgram(Frozen):
    summary: Summary
    credit_pathways: tuple[CreditPathway, ...]


class SharedCourse(Frozen):
    """A course taken in more than one of the compared programs (same id or same code)."""

    code: str
    title: str
    ids: tuple[str, ...]
    programs: tuple[str, ...]


class Comparison(Frozen):
    """Programs side by side, what they share, and what taking them all together means."""

    hours_per_week: float
    effort: Effort
    programs: tuple[ComparedProgram, ...]
    shared_courses: tuple[SharedCourse, ...]
    combined_courses: int  # shared courses counted once
    combined_hours: float
    combined_hours_estimated: bool  # some of those hours rest on estimated figures
    credit_caveat: str


def _shared_groups(
    summaries: tuple[ProgramSummary, ...], same: Mapping[str, tuple[str, ...]]
) -> list[list[tuple[str, str]]]:
    """Groups of (program id, course id) that are one course: same id, or same code."""
    groups: dict[str, list[tuple[str, str]]] = {}
    for summary in summaries:
        for ref in summary.course_ids:
            key = same.get(ref, (ref,))[0]
            members = groups.setdefault(key, [])
            if (summary.id, ref) not in members:
                members.append((summary.id, ref))
    return list(groups.values())


def compare_programs(
    catalog: Catalog,
    programs: Iterable[Program],
    *,
    hours_per_week: float = DEFAULT_HOURS_PER_WEEK,
    effort: Effort = Effort.MID,
    start: date | None = None,
) -> Comparison:
    """Two or more different programs side by side (weeks studying from `start`)."""
    chosen = list({p.id: p for p in programs}.values())
    if len(chosen) < 2:
        raise UsageError("compare needs at least two different programs")
    index = CourseIndex(catalog)
    summaries = tuple(
        summarize_program(p, index, hours_per_week=hours_per_week, effort=effort, start=start)
        for p in chosen
    )
    groups = _shared_groups(summaries, same_course_ids(catalog))
    shared = tuple(
        SharedCourse(
            code=index.courses[members[0][1]].code,
            title=index.courses[members[0][1]].title,
            ids=tuple(dict.fromkeys(ref for _, ref in members)),
            programs=tuple(dict.fromkeys(program_id for program_id, _ in members)),
        )
        for members in groups
        if len({program_id for program_id, _ in members}) > 1
    )
    combined = [index.courses[members[0][1]] for members in groups]
    return Comparison(
        hours_per_week=hours_per_week,
        effort=effort,
        programs=tuple(
            ComparedProgram(summary=s, credit_pathways=p.credit_pathways)
            for s, p in zip(summaries, chosen, strict=True)
        ),
        shared_courses=shared,
        combined_courses=len(groups),
        combined_hours=round(sum(course_hours(course, effort) for course in combined), 2),
        combined_hours_estimated=any(hours_are_estimated(course) for course in combined),
        credit_caveat=CREDIT_CAVEAT,
    )
