"""Exploring the catalog: program summaries, filters, sorting, details and comparison.

A summary counts the courses a learner actually takes: `requirements.select_courses` with its
fewest-hours default for tracks and electives, plus prerequisites in other programs (the
planner adds those too), so hours and prices here match what `mmplan plan` plans.

Weeks at a pace are an estimate, cheap enough for thousands of programs:
`max(workload at H hours a week, longest prerequisite chain at full pace)`. A self-paced
course takes `hours / H` weeks of the learner's time; an instructor-paced course runs its
published weeks at its published rate, taking `min(rate, H) / H` of each of those weeks.
The estimate ignores run dates and the limit on parallel courses, so a real plan can take
longer; `plan` gives the dated answer. Every function here is linear in the catalog's size.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import Literal

from pydantic import field_serializer

from mmplan.errors import UsageError
from mmplan.graph import prerequisite_ids, same_course_ids
from mmplan.models import (
    Catalog,
    Course,
    CreditPathway,
    Effort,
    Frozen,
    HoursRange,
    Kind,
    Pacing,
    PriceRange,
    Program,
    Track,
    course_id,
)
from mmplan.requirements import select_courses

DEFAULT_HOURS_PER_WEEK = 8.0
CREDIT_CAVEAT = (
    "Credit counts only if you are admitted to the degree; admission is never guaranteed, "
    "and credit is usually granted by the offering university only."
)

PriceBasis = Literal["published", "courses", "unknown"]
Money = int | float | list[int | float] | None


def money_json(value: PriceRange | None) -> Money:
    """A price for JSON: a number, a `[lo, hi]` pair, or null when unknown."""
    if value is None:
        return None
    lo, hi = _number(value.lo), _number(value.hi)
    return lo if lo == hi else [lo, hi]


def _number(amount: Decimal) -> int | float:
    return int(amount) if amount == amount.to_integral_value() else float(amount)


def hours_json(value: HoursRange) -> float | list[float]:
    """Hours per week for JSON: a number or a `[lo, hi]` pair."""
    return value.lo if value.lo == value.hi else [value.lo, value.hi]


class ProgramSummary(Frozen):
    """One program at a glance, for the courses a learner would take by default."""

    id: str
    title: str
    institution: str
    field: str
    courses: int
    course_ids: tuple[str, ...]  # the courses counted, in catalog order
    chosen_for_you: tuple[str, ...]  # tracks and electives picked by fewest hours
    total_hours: float
    hours_estimated: bool  # some weeks or hours per week counted are estimates
    hours_per_week: float  # the pace the weeks figure is for
    weeks_estimate: float
    price_usd: PriceRange | None
    price_basis: PriceBasis
    price_unknown: tuple[str, ...]  # course ids whose price is unknown (when summed)
    price_estimated: bool
    credit_pathways: int
    credit_institutions: tuple[str, ...]

    @field_serializer("price_usd")
    def _price_json(self, value: PriceRange | None) -> Money:
        return money_json(value)

    @property
    def price_complete(self) -> bool:
        """True when the whole price is known (no course price missing)."""
        return self.price_usd is not None and not self.price_unknown


class SortKey(StrEnum):
    """Columns `mmplan list` can sort by."""

    ID = "id"
    TITLE = "title"
    INSTITUTION = "institution"
    FIELD = "field"
    COURSES = "courses"
    HOURS = "hours"
    PRICE = "price"
    WEEKS = "weeks"
    CREDIT = "credit"  # the number of credit pathways


class ProgramFilter(Frozen):
    """What `mmplan list` keeps; text filters are case-insensitive substrings."""

    field: str | None = None
    institution: str | None = None
    max_price: Decimal | None = None
    max_weeks: float | None = None
    credit_at: str | None = None
    search: str | None = None


class Listing(Frozen):
    """The programs that passed the filters, sorted."""

    hours_per_week: float
    effort: Effort
    sort: SortKey | None  # None: catalog order
    reverse: bool
    programs: tuple[ProgramSummary, ...]


class _CourseIndex:
    """Courses and their qualified prerequisites by id across the catalog, built once (linear)."""

    def __init__(self, catalog: Catalog) -> None:
        self.courses: dict[str, Course] = {}
        self.programs: dict[str, Program] = {}
        self._prerequisites: dict[str, tuple[str, ...]] = {}
        self._recommended: dict[str, tuple[str, ...]] = {}
        for program in catalog.programs:
            self.programs[program.id] = program
            prefix = program.id + "/"
            for course in program.courses:
                ref = prefix + course.code
                self.courses[ref] = course
                if course.prerequisites:
                    # graph.prerequisite_ids, inlined: this runs for every course of the catalog.
                    self._prerequisites[ref] = tuple(
                        p if "/" in p else prefix + p for p in course.prerequisites
                    )
                if course.recommended:
                    self._recommended[ref] = tuple(
                        p if "/" in p else prefix + p for p in course.recommended
                    )

    def prerequisites(self, course_ref: str) -> tuple[str, ...]:
        """The `program/CODE` ids a course needs first."""
        return self._prerequisites.get(course_ref, ())

    def recommended(self, course_ref: str) -> tuple[str, ...]:
        """The `program/CODE` ids recommended before a course (soft: never needed)."""
        return self._recommended.get(course_ref, ())


def courses_taken(
    program: Program, index: _CourseIndex, effort: Effort
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(course ids taken by default, what was chosen for the learner).

    The selection of `program`, then whatever those courses need first, transitively
    (prerequisites in other programs included), as the planner does.
    """
    if program.electives or program.tracks:
        selection = select_courses(program, effort=effort)
        codes, chosen = selection.codes, selection.chosen_for_you
    else:  # every course is required: the selection is the whole program, nothing chosen
        codes, chosen = tuple(c.code for c in program.courses), ()
    taken = [course_id(program.id, code) for code in codes]
    seen = set(taken)
    cursor = 0
    while cursor < len(taken):
        for prerequisite in index.prerequisites(taken[cursor]):
            if prerequisite not in seen and prerequisite in index.courses:
                seen.add(prerequisite)
                taken.append(prerequisite)
        cursor += 1
    return tuple(taken), chosen


def weeks_estimate(hours: Mapping[str, float], index: _CourseIndex, hours_per_week: float) -> float:
    """`max(workload at your pace, longest prerequisite chain at full pace)`, in weeks.

    `hours` maps each course taken to its workload. The workload in weeks counts a
    self-paced course as `hours / H`, and an instructor-paced one as its published weeks
    times the share of your week it takes (`min(rate, H) / H`): it cannot go faster or
    slower, and a rate above your pace leaves room for nothing else (as in `plan`).
    """
    courses = index.courses

    def fastest(ref: str) -> float:
        course = courses[ref]
        return course.weeks if course.pacing is Pacing.INSTRUCTOR else hours[ref] / hours_per_week

    # Longest chain ending at each course. Catalogs mostly list a course after what it
    # needs, so one pass in order settles most courses; the rest wait for a depth-first
    # walk (iterative: deep chains must not recurse). Chains are positive, so 0.0 is a
    # neutral start for the longest of the prerequisites' chains.
    chain: dict[str, float] = {}
    waiting: list[str] = []
    for ref in hours:
        before = 0.0
        for prerequisite in index.prerequisites(ref):
            if prerequisite in hours:
                if prerequisite not in chain:
                    waiting.append(ref)
                    break
                before = max(before, chain[prerequisite])
        else:
            chain[ref] = before + fastest(ref)
    on_path: set[str] = set()
    for root in waiting:
        stack: list[tuple[str, bool]] = [(root, False)]
        while stack:
            ref, expanded = stack.pop()
            if ref in chain:
                continue
            prerequisites = [p for p in index.prerequisites(ref) if p in hours]
            if expanded or not prerequisites:
                on_path.discard(ref)
                chain[ref] = max((chain.get(p, 0.0) for p in prerequisites), default=0.0)
                chain[ref] += fastest(ref)
                continue
            on_path.add(ref)
            stack.append((ref, True))
            # A cycle cannot pass validation; skipping back edges keeps this total anyway.
            stack.extend((p, False) for p in prerequisites if p not in chain and p not in on_path)
    longest = max(chain.values(), default=0.0)
    load = 0.0
    for ref, workload in hours.items():
        course = courses[ref]
        if course.pacing is Pacing.INSTRUCTOR:
            rate = workload / course.weeks
            load += course.weeks * min(rate, hours_per_week) / hours_per_week
        else:
            load += workload / hours_per_week
    return max(load, longest)


def _sum_prices(
    courses: Iterable[tuple[str, Course]],
) -> tuple[Decimal, Decimal, tuple[str, ...]]:
    """(low total, high total, ids of unknown prices); cost.price_total's rule, on plain
    Decimals: a listing sums thousands of programs, and validated range additions dominated."""
    lo = hi = Decimal(0)
    unknown: list[str] = []
    for ref, course in courses:
        if course.price_usd is None:
            unknown.append(ref)
        else:
            lo += course.price_usd.lo
            hi += course.price_usd.hi
    return lo, hi, tuple(unknown)


def summarize_program(
    program: Program,
    index: _CourseIndex,
    *,
    hours_per_week: float = DEFAULT_HOURS_PER_WEEK,
    effort: Effort = Effort.MID,
) -> ProgramSummary:
    """The summary of one program at a pace."""
    _check_pace(hours_per_week)
    ids, chosen = courses_taken(program, index, effort)
    courses = [index.courses[ref] for ref in ids]
    pairs = list(zip(ids, courses, strict=True))
    hours = {ref: c.weeks * c.hours_per_week.at(effort) for ref, c in pairs}
    price: PriceRange | None
    if program.price_usd is not None:
        # The published price covers the program's own courses; outside prerequisites add to it.
        prefix = program.id + "/"
        extra = [(ref, index.courses[ref]) for ref in ids if not ref.startswith(prefix)]
        lo, hi, unknown = _sum_prices(extra)
        price = PriceRange.model_construct(
            lo=program.price_usd.lo + lo, hi=program.price_usd.hi + hi
        )
        basis: PriceBasis = "published"
        price_estimated = any(course.is_estimated("price_usd") for _, course in extra)
    else:
        lo, hi, unknown = _sum_prices(pairs)
        price = PriceRange.model_construct(lo=lo, hi=hi) if len(unknown) < len(ids) else None
        basis = "courses" if price is not None else "unknown"
        price_estimated = any(
            c.is_estimated("price_usd") and c.price_usd is not None for c in courses
        )
    # Every value below is built from validated models: skip validating them again.
    return ProgramSummary.model_construct(
        id=program.id,
        title=program.title,
        institution=program.institution,
        field=program.field,
        courses=len(ids),
        course_ids=ids,
        chosen_for_you=chosen,
        total_hours=round(sum(hours.values()), 2),
        hours_estimated=any(
            c.is_estimated("weeks") or c.is_estimated("hours_per_week") for c in courses
        ),
        hours_per_week=hours_per_week,
        weeks_estimate=round(weeks_estimate(hours, index, hours_per_week), 1),
        price_usd=price,
        price_basis=basis,
        price_unknown=unknown,
        price_estimated=price_estimated,
        credit_pathways=len(program.credit_pathways),
        credit_institutions=tuple(dict.fromkeys(p.institution for p in program.credit_pathways)),
    )


def _check_pace(hours_per_week: float) -> None:
    if not 0 < hours_per_week <= 168 or math.isnan(hours_per_week):
        raise UsageError(
            f"--hours-per-week must be more than 0 and at most 168, not {hours_per_week:g}"
        )


def _contains(haystack: str, needle: str | None) -> bool:
    return needle is None or needle.casefold() in haystack.casefold()


def _matches_text(program: Program, wanted: ProgramFilter) -> bool:
    """The filters that need only the program's own text (cheap, applied first)."""
    if not (
        _contains(program.field, wanted.field)
        and _contains(program.institution, wanted.institution)
    ):
        return False
    if wanted.credit_at is not None and not any(
        _contains(p.institution, wanted.credit_at) for p in program.credit_pathways
    ):
        return False
    if wanted.search:
        text = " ".join(
            [program.id, program.title, *(f"{c.code} {c.title}" for c in program.courses)]
        ).casefold()
        return all(word in text for word in wanted.search.casefold().split())
    return True


def _matches_figures(summary: ProgramSummary, wanted: ProgramFilter) -> bool:
    """Price and weeks filters; a price not wholly known never passes `max_price`."""
    if wanted.max_price is not None:
        if summary.price_usd is None or summary.price_unknown:
            return False
        if summary.price_usd.hi > wanted.max_price:
            return False
    return wanted.max_weeks is None or summary.weeks_estimate <= wanted.max_weeks


def _sort_value(summary: ProgramSummary, key: SortKey) -> str | float | Decimal | None:
    match key:
        case SortKey.ID:
            return summary.id
        case SortKey.TITLE:
            return summary.title.casefold()
        case SortKey.INSTITUTION:
            return summary.institution.casefold()
        case SortKey.FIELD:
            return summary.field.casefold()
        case SortKey.COURSES:
            return summary.courses
        case SortKey.HOURS:
            return summary.total_hours
        case SortKey.PRICE:
            return summary.price_usd.lo if summary.price_usd is not None else None
        case SortKey.WEEKS:
            return summary.weeks_estimate
        case SortKey.CREDIT:
            return summary.credit_pathways


def sort_summaries(
    summaries: Iterable[ProgramSummary], key: SortKey, *, reverse: bool = False
) -> tuple[ProgramSummary, ...]:
    """Sorted by `key`; ties keep catalog order and unknown values go last either way."""
    items = list(summaries)
    known = [s for s in items if _sort_value(s, key) is not None]
    missing = [s for s in items if _sort_value(s, key) is None]
    # Python's sort is stable, and reverse=True keeps ties in their original order too.
    known.sort(key=lambda s: _sort_value(s, key), reverse=reverse)  # type: ignore[arg-type, return-value]
    return (*known, *missing)


def list_programs(
    catalog: Catalog,
    *,
    hours_per_week: float = DEFAULT_HOURS_PER_WEEK,
    effort: Effort = Effort.MID,
    wanted: ProgramFilter | None = None,
    sort: SortKey | None = None,
    reverse: bool = False,
) -> Listing:
    """Every program that passes `wanted`, summarized at a pace, sorted (default: catalog order)."""
    _check_pace(hours_per_week)
    wanted = wanted or ProgramFilter.model_construct()
    index = _CourseIndex(catalog)
    summaries = (
        summarize_program(program, index, hours_per_week=hours_per_week, effort=effort)
        for program in catalog.programs
        if _matches_text(program, wanted)
    )
    kept = [s for s in summaries if _matches_figures(s, wanted)]
    # Built from validated parts: validating them again would build Listing's validator,
    # which a table never needs (~10 ms of every `mmplan list`).
    return Listing.model_construct(
        hours_per_week=hours_per_week,
        effort=effort,
        sort=sort,
        reverse=reverse,
        programs=sort_summaries(kept, sort, reverse=reverse) if sort is not None else tuple(kept),
    )


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
    url: str | None

    @field_serializer("price_usd")
    def _price_json(self, value: PriceRange | None) -> Money:
        return money_json(value)

    @field_serializer("hours_per_week")
    def _hours_json(self, value: HoursRange) -> float | list[float]:
        return hours_json(value)


class TreeLine(Frozen):
    """One line of the prerequisite tree, in pre-order: a course and what it needs below it."""

    depth: int
    id: str
    title: str
    repeated: bool  # already drawn above with its prerequisites
    outside: bool  # a course of another program
    recommended: bool = False  # recommended first by the course above (soft), not needed


class ElectiveFacts(Frozen):
    choose: int
    courses: tuple[str, ...]


class ExternalPrerequisite(Frozen):
    course: str
    advice: str


class ProgramDetails(Frozen):
    """Everything `mmplan show` tells about one program."""

    summary: ProgramSummary
    effort: Effort  # which end of the hours ranges the summary counts
    url: str | None
    published_duration: str | None
    published_price_usd: PriceRange | None
    as_of: date
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
    def _price_json(self, value: PriceRange | None) -> Money:
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
    return roles


def prerequisite_tree(program: Program, index: _CourseIndex) -> tuple[TreeLine, ...]:
    """The courses no other course needs, each above what it needs first (then what is
    recommended first, marked), drawn once each."""
    ids = [course_id(program.id, c.code) for c in program.courses]
    needed = {p for ref in ids for p in (*index.prerequisites(ref), *index.recommended(ref))}
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
                )
            )
            if repeated or course is None:
                continue
            drawn.add(ref)
            children = [(child, False) for child in index.prerequisites(ref)]
            children += [(child, True) for child in index.recommended(ref)]
            stack.extend((child, depth + 1, soft) for child, soft in reversed(children))
    return tuple(lines)


def program_details(
    catalog: Catalog,
    program: Program,
    *,
    hours_per_week: float = DEFAULT_HOURS_PER_WEEK,
    effort: Effort = Effort.MID,
) -> ProgramDetails:
    """The facts, courses, structure and credit pathways of `program`."""
    index = _CourseIndex(catalog)
    summary = summarize_program(program, index, hours_per_week=hours_per_week, effort=effort)
    roles = _roles(program)
    taken = set(summary.course_ids)
    courses = tuple(
        CourseFacts(
            id=course_id(program.id, c.code),
            code=c.code,
            title=c.title,
            kind=c.kind,
            pacing=c.pacing,
            weeks=c.weeks,
            hours_per_week=c.hours_per_week,
            price_usd=c.price_usd,
            estimated=c.estimated,
            role=roles[c.code],
            taken_by_default=course_id(program.id, c.code) in taken,
            prerequisites=prerequisite_ids(program, c.prerequisites),
            recommended=prerequisite_ids(program, c.recommended),
            external_prerequisites=c.external_prerequisites,
            runs=c.runs,
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
        notes=program.notes,
        courses=courses,
        prerequisite_tree=prerequisite_tree(program, index),
        outside_prerequisites=tuple(
            ref for ref in summary.course_ids if not ref.startswith(program.id + "/")
        ),
        electives=tuple(ElectiveFacts(choose=g.choose, courses=g.from_) for g in program.electives),
        tracks=program.tracks,
        external_prerequisites=tuple(
            ExternalPrerequisite(course=c.code, advice=advice)
            for c in program.courses
            for advice in c.external_prerequisites
        ),
        credit_pathways=program.credit_pathways,
        credit_caveat=CREDIT_CAVEAT,
        sources=program.sources,
    )


# --- mmplan compare ----------------------------------------------------------------------


class ComparedProgram(Frozen):
    summary: ProgramSummary
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
) -> Comparison:
    """Two or more different programs side by side."""
    chosen = list({p.id: p for p in programs}.values())
    if len(chosen) < 2:
        raise UsageError("compare needs at least two different programs")
    index = _CourseIndex(catalog)
    summaries = tuple(
        summarize_program(p, index, hours_per_week=hours_per_week, effort=effort) for p in chosen
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
    combined_hours = sum(
        index.courses[members[0][1]].weeks * index.courses[members[0][1]].hours_per_week.at(effort)
        for members in groups
    )
    return Comparison(
        hours_per_week=hours_per_week,
        effort=effort,
        programs=tuple(
            ComparedProgram(summary=s, credit_pathways=p.credit_pathways)
            for s, p in zip(summaries, chosen, strict=True)
        ),
        shared_courses=shared,
        combined_courses=len(groups),
        combined_hours=round(combined_hours, 2),
        credit_caveat=CREDIT_CAVEAT,
    )
