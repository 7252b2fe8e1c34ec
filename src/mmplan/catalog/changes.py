"""What a catalog overlay changes, and how old each program's data is.

Pure: `catalog_changes` compares the catalog before and after an overlay (new and dropped
runs, price, pacing, payment rule, status, platform, electives and tracks; new and missing
programs: an overlay keeps a course's curated yearly sessions, so they never change) for
`mmplan catalog diff` and `refresh --dry-run`; `data_ages` says where each program's facts
come from and how old they are, for `mmplan catalog status`.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import date

from mmplan.catalog.model import Catalog, Course, PriceRange, Program, Refreshed


@dataclass(frozen=True)
class CatalogChange:
    """One difference: in a program (or one of its courses), from `before` to `after`."""

    program: str
    course: str | None
    what: str  # new program, missing, new runs, runs dropped, price, pacing, upgrade deadline...
    before: str = ""
    after: str = ""

    def __str__(self) -> str:
        where = self.program if self.course is None else f"{self.program}/{self.course}"
        if self.before and self.after:
            return f"{where}: {self.what} {self.before} -> {self.after}"
        return f"{where}: {self.what} {self.after or self.before}".rstrip()


def catalog_changes(
    before: Catalog, after: Catalog, expected: Collection[str], refreshed: Collection[str]
) -> tuple[CatalogChange, ...]:
    """Every change from `before` to `after`; `expected` programs missing from `refreshed`
    are reported as no longer listed by the API."""
    changes: list[CatalogChange] = []
    old = {program.id: program for program in before.programs}
    for program in after.programs:
        previous = old.get(program.id)
        if previous is None:
            title = f"{program.title!r} ({program.platform})"
            changes.append(CatalogChange(program.id, None, "new program", after=title))
        else:
            changes.extend(_program_changes(previous, program))
    for program_id in expected:
        if program_id not in refreshed:
            changes.append(
                CatalogChange(program_id, None, "missing", after="the API no longer lists it")
            )
    return tuple(changes)


def _program_changes(before: Program, after: Program) -> list[CatalogChange]:
    changes = [
        CatalogChange(after.id, None, name, old, new)
        for name, old, new in (
            ("status", before.status.value, after.status.value),
            ("platform", before.platform, after.platform),
            ("electives", _groups(before), _groups(after)),
            ("tracks", _tracks(before), _tracks(after)),
        )
        if old != new
    ]
    old_courses = {course.code: course for course in before.courses}
    for course in after.courses:
        if course.code in old_courses:
            changes.extend(_course_changes(after.id, old_courses[course.code], course))
    return changes


def _groups(program: Program) -> str:
    return "; ".join(f"{g.choose} of {', '.join(g.from_)}" for g in program.electives) or "none"


def _tracks(program: Program) -> str:
    return "; ".join(f"{t.name}: {', '.join(t.courses)}" for t in program.tracks) or "none"


def _course_changes(program_id: str, before: Course, after: Course) -> list[CatalogChange]:
    changes: list[CatalogChange] = []
    added = sorted(set(after.runs) - set(before.runs))
    dropped = sorted(set(before.runs) - set(after.runs))
    if added:
        changes.append(CatalogChange(program_id, after.code, "new runs", after=_days(added)))
    if dropped:
        changes.append(CatalogChange(program_id, after.code, "runs dropped", before=_days(dropped)))
    for name, old, new in (
        ("price", price_text(before.price_usd), price_text(after.price_usd)),
        ("pacing", before.pacing.value, after.pacing.value),
        ("upgrade deadline", _deadline(before), _deadline(after)),
    ):
        if old != new:
            changes.append(CatalogChange(program_id, after.code, name, old, new))
    return changes


def _deadline(course: Course) -> str:
    """`28 days after the course starts` (`~` when estimated), or `none`: the course's own
    payment rule."""
    deadline = course.upgrade_deadline
    if deadline is None:
        return "none"
    return ("~" if deadline.estimated else "") + str(deadline)


def _days(days: Sequence[date]) -> str:
    return ", ".join(day.isoformat() for day in days)


def price_text(price: PriceRange | None) -> str:
    """`$1,000`, `$100–$1,000`, or `unknown`."""
    if price is None:
        return "unknown"
    low = f"${price.lo:,.2f}".removesuffix(".00")
    high = f"${price.hi:,.2f}".removesuffix(".00")
    return low if not price.is_range else f"{low}–{high}"


@dataclass(frozen=True)
class DataAge:
    """Where one program's facts come from, and how old they are."""

    program: str
    source: str  # "MITx Online, retrieved 2026-12-07" or "curated catalog"
    as_of: str  # the date its newest facts were true
    age_days: int | None  # None when the catalog gives no date


def data_ages(catalog: Catalog, refreshed: Sequence[Refreshed], today: date) -> tuple[DataAge, ...]:
    """Each program's data source and age, in catalog order."""
    by_id = {r.program_id: r for r in refreshed}
    ages = []
    for program in catalog.programs:
        fresh = by_id.get(program.id)
        if fresh is not None and fresh.listed:
            curated = (
                ""
                if fresh.new or program.as_of is None
                else f"; curated facts as of {program.as_of}"
            )
            source = fresh.text + curated
            ages.append(
                DataAge(
                    program.id, source, fresh.retrieved.isoformat(), (today - fresh.retrieved).days
                )
            )
            continue
        # Curated facts; a program a refresh did not find has its status from that refresh.
        source = "curated catalog" + (f"; {fresh.text}" if fresh is not None else "")
        if program.as_of is None:
            ages.append(DataAge(program.id, source, "not given", None))
            continue
        first = date(program.as_of.year, program.as_of.month or 1, program.as_of.day or 1)
        ages.append(DataAge(program.id, source, str(program.as_of), (today - first).days))
    return tuple(ages)
