"""`mmplan list`'s domain: program summaries, filters and sorting.

Plain dataclasses and the standard library only, no pydantic: `list` is the command people
run most, and it starts as fast as the stack allows (benchmarks/README.md). `mmplan.reports.explore`
builds `show` and `compare` on these summaries.

A summary counts the courses a learner actually takes: `selection.select_courses` with its
fewest-hours default for tracks and electives, plus prerequisites in other programs (the
planner adds those too), so hours and prices here match what `mmplan plan` plans.

Weeks at a pace are an estimate, cheap enough for thousands of programs:
`max(workload at H hours a week, longest prerequisite chain at full pace)`. A self-paced
course takes `hours / H` weeks of the learner's time; an instructor-paced course runs its
published weeks at its published rate, taking `min(rate, H) / H` of each of those weeks.
Given the day study starts, a fixed-schedule course with session dates waits in the chain
for its next session; a last course (`after_all`) waits for its next session once the rest
of the workload is done; and fixed-schedule courses as
fast as the learner's pace or faster, which a plan takes alone, follow one another, each in
its next session. The estimate ignores the limit on parallel courses, so a real plan can
take longer; `plan` gives the dated answer. A program *needs* at least the rate of its most
demanding fixed-schedule course: below that no plan stays within the learner's hours. Every
function here is linear in the catalog's size (times the few sessions of a course), except
`one_at_a_time`, which searches the best order of the few courses of one program that a plan
takes alone (at most 2^10 sets).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any, Literal

from mmplan.catalog.figures import (
    course_hours,
    course_price,
    hours_are_estimated,
    published_price_as_of,
)
from mmplan.catalog.graph import same_course_ids, topological_order
from mmplan.catalog.model import (
    Catalog,
    Course,
    HoursRange,
    PriceRange,
    Program,
    ProgramStatus,
    money_json,
)
from mmplan.core.defaults import DEFAULT_HOURS_PER_WEEK, Effort, SortKey
from mmplan.core.errors import UsageError
from mmplan.core.limits import pace_problem
from mmplan.selection import courses_taken

PriceBasis = Literal["published", "courses", "unknown"]


def hours_json(value: HoursRange) -> float | list[float]:
    """Hours per week for JSON: a number or a `[lo, hi]` pair."""
    return value.lo if value.lo == value.hi else [value.lo, value.hi]


@dataclass(frozen=True, kw_only=True)
class ProgramSummary:
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
    # The least pace within budget: the rate of the most demanding fixed-schedule course
    # (None when every course is self-paced, which any pace can take).
    needs_hours_per_week: float | None
    price_usd: PriceRange | None
    price_basis: PriceBasis
    price_unknown: tuple[str, ...]  # course ids whose price is unknown (when summed)
    price_estimated: bool
    # A published program price is dated (often years older than the course prices): the
    # sum of today's course prices, as `plan` and `cost` count it, goes beside it.
    courses_price_usd: PriceRange | None
    courses_price_unknown: tuple[str, ...]
    courses_price_estimated: bool
    prices_as_of: str  # the date of the program's facts, its prices among them (as written)
    published_price_as_of: str  # the published price's own date (`2016/2018`), else the above
    credit_pathways: int | None  # None: the catalog lists none, and no source says there is none
    credit_institutions: tuple[str, ...]
    status: ProgramStatus  # retired programs are listed, but no longer planned
    platform: str  # where a learner enrols

    @property
    def price_complete(self) -> bool:
        """True when the whole price is known (no course price missing)."""
        return self.price_usd is not None and not self.price_unknown


@dataclass(frozen=True, kw_only=True)
class ProgramFilter:
    """What `mmplan list` keeps; text filters are case-insensitive substrings."""

    field: str | None = None
    institution: str | None = None
    max_price: Decimal | None = None
    max_weeks: float | None = None
    credit_at: str | None = None
    search: str | None = None
    statuses: tuple[str, ...] = ()  # keep only these status values (none: every status)


@dataclass(frozen=True, kw_only=True)
class Listing:
    """The programs that passed the filters, sorted."""

    hours_per_week: float
    effort: Effort
    sort: SortKey | None  # None: catalog order
    reverse: bool
    programs: tuple[ProgramSummary, ...]
    # --max-price: the programs left out only because their price is not wholly known (or
    # is a range reaching below the maximum): they may be within it, so the listing says so.
    max_price: Decimal | None = None
    price_unsure: tuple[ProgramSummary, ...] = ()


class CourseIndex:
    """Courses and their qualified prerequisites by id across the catalog, built once (linear).

    `prerequisites` and `recommended` map a `program/CODE` id to the ids it names (absent:
    none); recommended courses are soft, never needed.
    """

    def __init__(self, catalog: Catalog) -> None:
        self.courses: dict[str, Course] = {}
        self.prerequisites: dict[str, tuple[str, ...]] = {}
        self.recommended: dict[str, tuple[str, ...]] = {}
        self.same = same_course_ids(catalog)  # shared codes, for `figures.course_price`
        self.as_of = catalog.as_of
        for program in catalog.programs:
            prefix = program.id + "/"
            for course in program.courses:
                ref = prefix + course.code
                self.courses[ref] = course
                if course.prerequisites:
                    # graph.prerequisite_ids, inlined: this runs for every course of the catalog.
                    self.prerequisites[ref] = tuple(
                        p if "/" in p else prefix + p for p in course.prerequisites
                    )
                if course.recommended:
                    self.recommended[ref] = tuple(
                        p if "/" in p else prefix + p for p in course.recommended
                    )


def longest_chain(
    weeks: Mapping[str, float], prerequisites: Mapping[str, tuple[str, ...]]
) -> float:
    """The longest prerequisite chain among the courses of `weeks`, in weeks.

    `weeks` maps each course taken to its weeks at full pace, `prerequisites` a course to
    the ids it needs (only those in `weeks` count). Catalogs mostly list a course after
    what it needs, so one pass in order settles most chains; the rest wait for a
    depth-first walk (iterative: deep chains must not recurse). Chains are positive, so
    0.0 is a neutral start for the longest of the prerequisites' chains.
    """
    chain: dict[str, float] = {}
    waiting: list[str] = []
    for ref, own_weeks in weeks.items():
        before = 0.0
        for prerequisite in prerequisites.get(ref, ()):
            if prerequisite in weeks:
                if prerequisite not in chain:
                    waiting.append(ref)
                    break
                before = max(before, chain[prerequisite])
        else:
            chain[ref] = before + own_weeks
    on_path: set[str] = set()
    for root in waiting:
        stack: list[tuple[str, bool]] = [(root, False)]
        while stack:
            ref, expanded = stack.pop()
            if ref in chain:
                continue
            needed = [p for p in prerequisites.get(ref, ()) if p in weeks]
            if expanded or not needed:
                on_path.discard(ref)
                chain[ref] = max((chain.get(p, 0.0) for p in needed), default=0.0) + weeks[ref]
                continue
            on_path.add(ref)
            stack.append((ref, True))
            # A cycle cannot pass validation; skipping back edges keeps this total anyway.
            stack.extend((p, False) for p in needed if p not in chain and p not in on_path)
    return max(chain.values(), default=0.0)


def session_chain(full_pace: Mapping[str, float], index: CourseIndex, start: date) -> float:
    """The longest prerequisite chain, in weeks from `start`, when each fixed-schedule course
    with session dates waits for its next session (`full_pace`: each course's own weeks)."""
    ends: dict[str, float] = {}
    for ref in topological_order(full_pace, index.prerequisites):
        ready = max((ends[p] for p in index.prerequisites.get(ref, ()) if p in ends), default=0.0)
        course = index.courses[ref]
        if course.fixed_schedule:
            session = course.next_session(start + timedelta(days=math.ceil(ready * 7)))
            if session is not None:
                ready = (session - start).days / 7
        ends[ref] = ready + full_pace[ref]
    return max(ends.values(), default=0.0)


def _last_session(
    ids: Iterable[str],
    index: CourseIndex,
    load: float,
    hours_per_week: float,
    effort: Effort,
    start: date,
) -> float:
    """Weeks until a last course (`after_all`) ends, when it has session dates: the rest of
    the workload comes first, then it waits for its next session."""
    end = 0.0
    for ref in ids:
        course = index.courses[ref]
        if not (course.after_all and course.fixed_schedule):
            continue
        rate = course_hours(course, effort) / course.weeks
        ready = max(load - course.weeks * min(rate, hours_per_week) / hours_per_week, 0.0)
        session = course.next_session(start + timedelta(days=math.ceil(ready * 7)))
        if session is not None:
            end = max(end, (session - start).days / 7 + course.weeks)
    return end


def one_at_a_time(
    alone: Iterable[str], full_pace: Mapping[str, float], index: CourseIndex, start: date
) -> float:
    """Weeks from `start` until the courses a plan takes alone (fixed-schedule courses whose
    rate is the learner's pace or more) are done one after another, each in its next session,
    in the order that ends soonest.

    Taken one at a time, a set of courses is best ended as early as possible: a later end
    never gives an earlier next session. So the soonest end of each set of courses done
    (closed under prerequisites and recommended courses) follows from the soonest ends of
    the sets one course smaller. A program takes few courses alone; beyond
    `MAX_EXACT_ALONE` of them, the greedy `_one_at_a_time_greedy` answers instead.
    """
    pending = tuple(alone)
    if len(pending) > MAX_EXACT_ALONE:
        return _one_at_a_time_greedy(pending, full_pace, index, start)
    before = {
        ref: frozenset(
            p
            for p in (*index.prerequisites.get(ref, ()), *index.recommended.get(ref, ()))
            if p in pending
        )
        for ref in pending
    }
    soonest_end: dict[frozenset[str], float] = {frozenset(): 0.0}
    for size in range(len(pending)):
        layer = {done: end for done, end in soonest_end.items() if len(done) == size}
        if not layer:  # a cycle among them: validation refuses it
            break
        for done, free in layer.items():
            for ref in pending:
                if ref in done or not before[ref] <= done:
                    continue
                begins = _next_start(ref, free, index, start)
                key = done | {ref}
                end = begins + full_pace[ref]
                if end < soonest_end.get(key, math.inf):
                    soonest_end[key] = end
    return soonest_end.get(frozenset(pending), max(soonest_end.values()))


MAX_EXACT_ALONE = 10
"""The most courses taken alone whose best order `one_at_a_time` searches (2^10 sets)."""


def _next_start(ref: str, ready: float, index: CourseIndex, start: date) -> float:
    """Weeks from `start` until `ref` can begin, ready after `ready` weeks: its next session,
    or at once when it has no session dates."""
    session = index.courses[ref].next_session(start + timedelta(days=math.ceil(ready * 7)))
    return ready if session is None else (session - start).days / 7


def _one_at_a_time_greedy(
    pending_courses: Iterable[str], full_pace: Mapping[str, float], index: CourseIndex, start: date
) -> float:
    """`one_at_a_time` for many courses: of those whose prerequisites and recommended
    courses in the set are done, the course with the soonest session goes next (the longest
    of those starting together), unless one without session dates fits in the wait before
    it (those can start any day, so they fill the gaps)."""
    pending = list(pending_courses)
    done: dict[str, float] = {}
    free = 0.0  # when the last of them ends, in weeks from `start`
    while pending:
        dated: list[tuple[float, str]] = []
        undated: list[tuple[float, str]] = []
        for ref in pending:
            before = (*index.prerequisites.get(ref, ()), *index.recommended.get(ref, ()))
            if any(p in pending for p in before):
                continue
            ready = max([free, *(done[p] for p in before if p in done)])
            session = index.courses[ref].next_session(start + timedelta(days=math.ceil(ready * 7)))
            if session is None:
                undated.append((ready, ref))
            else:
                dated.append(((session - start).days / 7, ref))
        if not dated and not undated:  # a cycle among them: validation refuses it
            break
        # The soonest session first; of those starting together the longest, so that the
        # last one, which sets the end, is short; then catalog order.
        soonest = min(dated, key=lambda d: (d[0], -full_pace[d[1]]), default=None)
        fitting = [u for u in undated if soonest is None or u[0] + full_pace[u[1]] <= soonest[0]]
        begins, ref = fitting[0] if fitting else soonest or undated[0]
        done[ref] = free = begins + full_pace[ref]
        pending.remove(ref)
    return free


def summarize_program(
    program: Program,
    index: CourseIndex,
    *,
    hours_per_week: float = DEFAULT_HOURS_PER_WEEK,
    effort: Effort = Effort.MID,
    start: date | None = None,
) -> ProgramSummary:
    """The summary of one program at a pace, studying from `start` (None: the chain leaves
    session dates out, as no calendar is given).

    One pass over the courses taken (it runs for every program of a listing) gathers the
    hours, the price, and both parts of the weeks estimate (module docstring): the
    workload in weeks at your pace, and each course's weeks at full pace, for the chain.
    """
    refuse_bad_pace(hours_per_week)
    ids, chosen = courses_taken(program, index.prerequisites, index.courses, effort)
    own = program.id + "/"
    published = program.price_usd  # covers the program's own courses; outside ones add to it
    total_hours = 0.0
    full_pace: dict[str, float] = {}  # each course's weeks at full pace, for the chain
    load = 0.0  # the workload in weeks at your pace
    needs: float | None = None  # the highest rate of a fixed-schedule course
    alone: list[str] = []  # fixed-schedule courses at or above the pace: taken alone
    dated = False  # some fixed-schedule course lists session dates
    hours_estimated = price_estimated = False
    lo = hi = Decimal(0)  # plain sums: thousands of range additions would dominate a listing
    unknown: list[str] = []  # ids of the summed courses whose price is unknown
    for ref in ids:
        course = index.courses[ref]
        workload = course_hours(course, effort)
        total_hours += workload
        hours_estimated = hours_estimated or hours_are_estimated(course)
        if published is None or not ref.startswith(own):
            priced = course_price(ref, index.courses.__getitem__, index.same)
            if priced.amount is None:
                unknown.append(ref)
            else:
                lo += priced.amount.lo
                hi += priced.amount.hi
                price_estimated = price_estimated or priced.estimated
        # Self-paced: hours / H weeks, as fast as your pace allows. Fixed schedule: its
        # published weeks, taking min(rate, H) / H of each (a faster rate fills your week).
        if course.fixed_schedule:
            full_pace[ref] = course.weeks
            rate = workload / course.weeks
            load += course.weeks * min(rate, hours_per_week) / hours_per_week
            needs = rate if needs is None else max(needs, rate)
            if rate >= hours_per_week:  # any other course at the same time would exceed H
                alone.append(ref)
            dated = dated or bool(course.runs or course.session_starts)
        else:
            full_pace[ref] = workload / hours_per_week
            load += full_pace[ref]
    if dated and start is not None:
        chain = max(
            session_chain(full_pace, index, start), one_at_a_time(alone, full_pace, index, start)
        )
    else:
        chain = longest_chain(full_pace, index.prerequisites)
    if start is not None:
        chain = max(chain, _last_session(ids, index, load, hours_per_week, effort, start))
    price: PriceRange | None
    basis: PriceBasis
    if published is not None:
        price, basis = PriceRange(lo=published.lo + lo, hi=published.hi + hi), "published"
    elif len(unknown) < len(ids):
        price, basis = PriceRange(lo=lo, hi=hi), "courses"
    else:
        price, basis = None, "unknown"
    return ProgramSummary(
        id=program.id,
        title=program.title,
        institution=program.institution,
        field=program.field,
        courses=len(ids),
        course_ids=ids,
        chosen_for_you=chosen,
        total_hours=round(total_hours, 2),
        hours_estimated=hours_estimated,
        hours_per_week=hours_per_week,
        weeks_estimate=round(max(load, chain), 1),
        needs_hours_per_week=None if needs is None else round(needs, 2),
        price_usd=price,
        price_basis=basis,
        price_unknown=tuple(unknown),
        price_estimated=price_estimated,
        **_courses_price(ids, index),
        prices_as_of=str(program.as_of or index.as_of),
        published_price_as_of=published_price_as_of(program, index.as_of),
        credit_pathways=len(program.credit_pathways) or None,
        credit_institutions=tuple(dict.fromkeys(p.institution for p in program.credit_pathways)),
        status=program.status,
        platform=program.platform,
    )


def _courses_price(ids: Sequence[str], index: CourseIndex) -> dict[str, Any]:
    """The sum of the courses' prices, the fields `courses_price_*` of a summary."""
    lo = hi = Decimal(0)
    unknown: list[str] = []
    estimated = False
    for ref in ids:
        priced = course_price(ref, index.courses.__getitem__, index.same)
        if priced.amount is None:
            unknown.append(ref)
        else:
            lo, hi = lo + priced.amount.lo, hi + priced.amount.hi
            estimated = estimated or priced.estimated
    return {
        "courses_price_usd": PriceRange(lo=lo, hi=hi) if len(unknown) < len(ids) else None,
        "courses_price_unknown": tuple(unknown),
        "courses_price_estimated": estimated,
    }


def refuse_bad_pace(hours_per_week: float) -> None:
    """A UsageError for a pace outside the range every command shares (`core.limits.
    check_pace`, which returns the pace or raises ValueError, says why)."""
    problem = pace_problem(hours_per_week)
    if problem is not None:
        raise UsageError(problem)


def _contains(haystack: str, needle: str | None) -> bool:
    return needle is None or needle.casefold() in haystack.casefold()


def _matches_text(program: Program, wanted: ProgramFilter) -> bool:
    """The filters that need only the program's own text (cheap, applied first)."""
    if wanted.statuses and program.status not in wanted.statuses:
        return False
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
    """Price and weeks filters; only a price wholly known and at most `max_price` (the top of
    a range) passes it."""
    if wanted.max_price is not None:
        if summary.price_usd is None or summary.price_unknown:
            return False
        if summary.price_usd.hi > wanted.max_price:
            return False
    return wanted.max_weeks is None or summary.weeks_estimate <= wanted.max_weeks


def _price_unsure(summary: ProgramSummary, wanted: ProgramFilter) -> bool:
    """Left out by `max_price` only for want of a known price: it may be within it."""
    if wanted.max_price is None or _matches_figures(summary, wanted):
        return False
    if wanted.max_weeks is not None and summary.weeks_estimate > wanted.max_weeks:
        return False
    return summary.price_usd is None or summary.price_usd.lo <= wanted.max_price


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
        case SortKey.PRICE:  # the most it may cost: the top of a range; unknown parts last
            return summary.price_usd.hi if summary.price_complete and summary.price_usd else None
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
    if key is SortKey.PRICE:  # a price with unknown parts: by its known part, wholly unknown last
        missing.sort(key=lambda s: (s.price_usd is None, s.price_usd.hi if s.price_usd else 0))
    return (*known, *missing)


def list_programs(
    catalog: Catalog,
    *,
    hours_per_week: float = DEFAULT_HOURS_PER_WEEK,
    effort: Effort = Effort.MID,
    wanted: ProgramFilter | None = None,
    sort: SortKey | None = None,
    reverse: bool = False,
    start: date | None = None,
) -> Listing:
    """Every program that passes `wanted`, summarized at a pace studying from `start`, sorted
    (default: catalog order)."""
    refuse_bad_pace(hours_per_week)
    wanted = wanted or ProgramFilter()
    index = CourseIndex(catalog)
    summaries = (
        summarize_program(program, index, hours_per_week=hours_per_week, effort=effort, start=start)
        for program in catalog.programs
        if _matches_text(program, wanted)
    )
    every = list(summaries)
    kept = [s for s in every if _matches_figures(s, wanted)]
    return Listing(
        hours_per_week=hours_per_week,
        effort=effort,
        sort=sort,
        reverse=reverse,
        programs=sort_summaries(kept, sort, reverse=reverse) if sort is not None else tuple(kept),
        max_price=wanted.max_price,
        price_unsure=tuple(s for s in every if _price_unsure(s, wanted)),
    )


def summary_json(summary: ProgramSummary) -> dict[str, Any]:
    """A summary as JSON data: its fields, the price as a number or a `[lo, hi]` pair."""
    data = dict(vars(summary))  # the fields, in order (a dataclass keeps them in __dict__)
    data["price_usd"] = money_json(summary.price_usd)
    data["courses_price_usd"] = money_json(summary.courses_price_usd)
    return data


def listing_json(listing: Listing) -> dict[str, Any]:
    """`mmplan list --format json`: the pace, the order, and every summary."""
    return {
        "hours_per_week": listing.hours_per_week,
        "effort": listing.effort,
        "sort": listing.sort,
        "reverse": listing.reverse,
        "programs": [summary_json(s) for s in listing.programs],
        "price_unsure": [s.id for s in listing.price_unsure],
    }
