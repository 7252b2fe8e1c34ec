"""The learner's progress: what they completed and started, as pure models.

`Progress` and the functions that change it take models and return new ones; the checks
against the catalog, the personal pace and the report for `progress show` are here too.
The file that keeps it is `mmplan.progress.store`.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from enum import StrEnum
from typing import TYPE_CHECKING, Annotated, Any, Literal, Self, TypeVar

from pydantic import Field, ValidationError, model_validator

import mmplan.core.limits as limits
from mmplan.catalog.lookup import did_you_mean, find_course, find_program
from mmplan.catalog.model import Catalog, CourseCode, Slug, course_id, split_course_id
from mmplan.core.base import Frozen
from mmplan.core.errors import ProgressError, UnknownIdError, UsageError, shown
from mmplan.core.limits import parse_iso_date

if TYPE_CHECKING:
    pass

PROGRESS_SCHEMA_VERSION = 1
# Limits that catch typos rather than describe learners: edX opened in 2012, and no course
# of any catalog takes 2,000 hours (a full-time year).
EARLIEST_DATE = date(2012, 1, 1)
MAX_HOURS_SPENT = 2000.0


class Certificate(StrEnum):
    """How a course was taken: only a verified certificate counts toward the credential."""

    VERIFIED = "verified"
    AUDIT = "audit"


# A date of a record: a real date (not a number or text YAML might turn into one), within
# the dates every command takes (mmplan.core.limits).
Day = Annotated[date, Field(strict=True, ge=limits.EARLIEST_DATE, le=limits.LATEST_DATE)]
Grade = Annotated[float, Field(ge=0, le=1, allow_inf_nan=False)]
HoursSpent = Annotated[float, Field(gt=0, le=MAX_HOURS_SPENT, allow_inf_nan=False)]
Percent = Annotated[float, Field(ge=0, lt=100, allow_inf_nan=False)]


class _Record(Frozen):
    """What every record names: one course of one program."""

    program: Slug
    code: CourseCode

    @property
    def id(self) -> str:
        return course_id(self.program, self.code)


class CompletedCourse(_Record):
    """A course the learner finished."""

    completed_on: Day
    certificate: Certificate = Certificate.VERIFIED
    grade: Grade | None = None
    hours_spent: HoursSpent | None = None

    @property
    def counts(self) -> bool:
        """Whether it counts toward the credential (and as a met prerequisite)."""
        return self.certificate is Certificate.VERIFIED


class StartedCourse(_Record):
    """A course the learner is taking now."""

    started_on: Day
    percent_done: Percent = 0.0


class Progress(Frozen):
    """Everything recorded: each course at most once, completed or started."""

    schema_version: Literal[1] = 1
    completed: tuple[CompletedCourse, ...] = ()
    in_progress: tuple[StartedCourse, ...] = ()

    @model_validator(mode="after")
    def _each_course_once(self) -> Self:
        seen: set[str] = set()
        for record in (*self.completed, *self.in_progress):
            if record.id in seen:
                raise ValueError(f"{record.id} is recorded more than once")
            seen.add(record.id)
        return self

    @property
    def passed_ids(self) -> frozenset[str]:
        """Ids of the courses passed with a verified certificate."""
        return frozenset(r.id for r in self.completed if r.counts)

    @property
    def started_ids(self) -> frozenset[str]:
        return frozenset(r.id for r in self.in_progress)

    @property
    def audited_ids(self) -> frozenset[str]:
        """Ids of the courses completed in audit mode (they do not count)."""
        return frozenset(r.id for r in self.completed if not r.counts)

    def completed_record(self, course: str) -> CompletedCourse | None:
        return next((r for r in self.completed if r.id == course), None)

    def started_record(self, course: str) -> StartedCourse | None:
        return next((r for r in self.in_progress if r.id == course), None)


def _sorted(progress: Progress) -> Progress:
    """Records in a stable order (program, then date, then code), whatever the history."""
    return Progress(
        completed=tuple(
            sorted(progress.completed, key=lambda r: (r.program, r.completed_on, r.code))
        ),
        in_progress=tuple(
            sorted(progress.in_progress, key=lambda r: (r.program, r.started_on, r.code))
        ),
    )


# ----- Changes: pure functions from one Progress to the next ---------------------------------


class ProgressChange(Frozen):
    """What a change did, for the command to say: ids added, replaced and removed."""

    added: tuple[str, ...] = ()
    updated: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()
    unchanged: tuple[str, ...] = ()


def record_completed(
    progress: Progress, records: Iterable[CompletedCourse]
) -> tuple[Progress, ProgressChange]:
    """Record finished courses; one already recorded (done or started) is replaced."""
    records = tuple(records)
    new_ids = {r.id for r in records}
    kept = [r for r in progress.completed if r.id not in new_ids]
    added: list[str] = []
    updated: list[str] = []
    unchanged: list[str] = []
    for record in records:
        old = progress.completed_record(record.id)
        if old == record:
            unchanged.append(record.id)
        elif old is None and progress.started_record(record.id) is None:
            added.append(record.id)
        else:
            updated.append(record.id)
    result = Progress(
        completed=(*kept, *records),
        in_progress=tuple(r for r in progress.in_progress if r.id not in new_ids),
    )
    return _sorted(result), ProgressChange(
        added=tuple(added), updated=tuple(updated), unchanged=tuple(unchanged)
    )


def record_started(progress: Progress, record: StartedCourse) -> tuple[Progress, ProgressChange]:
    """Record a course in progress; a course already completed is refused."""
    done = progress.completed_record(record.id)
    if done is not None:
        raise UsageError(
            f"{record.id} is already recorded as completed ({done.certificate.value}, "
            f"{done.completed_on}); run `mmplan progress remove {record.program} {record.code}` "
            "first to take it again"
        )
    old = progress.started_record(record.id)
    others = tuple(r for r in progress.in_progress if r.id != record.id)
    result = _sorted(Progress(completed=progress.completed, in_progress=(*others, record)))
    if old == record:
        return result, ProgressChange(unchanged=(record.id,))
    if old is None:
        return result, ProgressChange(added=(record.id,))
    return result, ProgressChange(updated=(record.id,))


def remove_courses(progress: Progress, ids: Iterable[str]) -> tuple[Progress, ProgressChange]:
    """Forget courses; each must be recorded (did-you-mean among the recorded ones)."""
    recorded = [r.id for r in (*progress.completed, *progress.in_progress)]
    wanted = tuple(dict.fromkeys(ids))
    for course in wanted:
        if course not in recorded:
            raise UnknownIdError(
                f"{course} is not in your progress{did_you_mean(course, recorded)}"
                + ("" if recorded else "; nothing is recorded yet")
            )
    result = Progress(
        completed=tuple(r for r in progress.completed if r.id not in wanted),
        in_progress=tuple(r for r in progress.in_progress if r.id not in wanted),
    )
    return result, ProgressChange(removed=wanted)


def merge_progress(current: Progress, incoming: Progress) -> tuple[Progress, ProgressChange]:
    """Import by merging: every incoming record replaces the record of the same course."""
    incoming_ids = {r.id for r in (*incoming.completed, *incoming.in_progress)}
    current_records = {r.id: r for r in (*current.completed, *current.in_progress)}
    added: list[str] = []
    updated: list[str] = []
    unchanged: list[str] = []
    for record in (*incoming.completed, *incoming.in_progress):
        old = current_records.get(record.id)
        if old is None:
            added.append(record.id)
        elif old == record:
            unchanged.append(record.id)
        else:
            updated.append(record.id)
    result = Progress(
        completed=(
            *(r for r in current.completed if r.id not in incoming_ids),
            *incoming.completed,
        ),
        in_progress=(
            *(r for r in current.in_progress if r.id not in incoming_ids),
            *incoming.in_progress,
        ),
    )
    return _sorted(result), ProgressChange(
        added=tuple(added), updated=tuple(updated), unchanged=tuple(unchanged)
    )


def replace_progress(current: Progress, incoming: Progress) -> tuple[Progress, ProgressChange]:
    """Import by replacing: the file's records become the whole progress."""
    current_records = {r.id: r for r in (*current.completed, *current.in_progress)}
    incoming_records = {r.id: r for r in (*incoming.completed, *incoming.in_progress)}
    change = ProgressChange(
        added=tuple(i for i in incoming_records if i not in current_records),
        updated=tuple(
            i
            for i, r in incoming_records.items()
            if i in current_records and current_records[i] != r
        ),
        unchanged=tuple(i for i, r in incoming_records.items() if current_records.get(i) == r),
        removed=tuple(i for i in current_records if i not in incoming_records),
    )
    return _sorted(incoming), change


RecordT = TypeVar("RecordT", CompletedCourse, StartedCourse)


def new_record(kind: type[RecordT], **values: Any) -> RecordT:
    """A record from command-line values; an out-of-range value is a usage error."""
    try:
        return kind(**values)
    except ValidationError as error:
        first = error.errors()[0]
        field = ".".join(str(part) for part in first["loc"])
        raise UsageError(f"{field.replace('_', '-')} {first['input']!r}: {first['msg']}") from None


# ----- Checks against the catalog and the calendar -------------------------------------------


def resolve_courses(catalog: Catalog, program_typed: str, codes: Iterable[str]) -> tuple[str, ...]:
    """Course ids for what the user typed: `CODE` of the program, or `program/CODE`."""
    program = find_program(catalog, program_typed)
    ids: list[str] = []
    for typed in codes:
        program_part, code_part = split_course_id(typed, program.id)
        owner = program if program_part == program.id else find_program(catalog, program_part)
        ids.append(course_id(owner.id, find_course(owner, code_part).code))
    return tuple(dict.fromkeys(ids))


def resolve_recorded(
    catalog: Catalog, progress: Progress, program_typed: str, codes: Iterable[str]
) -> tuple[str, ...]:
    """Course ids to remove: resolved in the catalog, or, for a course that has left the
    catalog, matched (case-insensitively) against what is recorded."""
    recorded = {r.id.casefold(): r.id for r in (*progress.completed, *progress.in_progress)}
    ids: list[str] = []
    for typed in codes:
        try:
            ids.extend(resolve_courses(catalog, program_typed, [typed]))
        except UnknownIdError:
            literal = course_id(*split_course_id(typed, program_typed)).casefold()
            if literal not in recorded:
                raise
            ids.append(recorded[literal])
    return tuple(dict.fromkeys(ids))


def check_day(value: date, *, today: date, what: str) -> date:
    """Refuse a date in the future or before edX existed: both are typos."""
    if value > today:
        raise UsageError(f"{what} {value} is in the future (today is {today})")
    if value < EARLIEST_DATE:
        raise UsageError(f"{what} {value} is before edX courses existed ({EARLIEST_DATE})")
    return value


def parse_day(text: str, *, today: date, what: str) -> date:
    """An ISO date typed by the user (`2026-05-01`, or `today`), checked by `check_day`."""
    if text.casefold() == "today":  # typed or the default: the same floor
        return check_day(today, today=today, what=f"{what} today,")
    try:
        value = parse_iso_date(text)  # check_day keeps it within mmplan.core.limits' range
    except ValueError as error:
        raise UsageError(f"{what} {shown(text)} {error}") from None
    return check_day(value, today=today, what=what)


def check_against_catalog(
    progress: Progress, catalog: Catalog, *, today: date, source: str
) -> None:
    """Every record names a catalog course and a plausible date (used before an import)."""
    dated: list[tuple[_Record, date]] = [(r, r.completed_on) for r in progress.completed]
    dated.extend((r, r.started_on) for r in progress.in_progress)
    for record, day in dated:
        where = f"{source}: {record.id}"
        try:
            program = catalog.program(record.program)
        except KeyError:
            ids = [p.id for p in catalog.programs]
            raise UnknownIdError(
                f"{where}: unknown program {shown(record.program)}"
                f"{did_you_mean(record.program, ids)}"
            ) from None
        codes = [c.code for c in program.courses]
        if record.code not in codes:
            raise UnknownIdError(
                f"{where}: unknown course in {program.id} {shown(record.code)}"
                f"{did_you_mean(record.code, codes)}"
            )
        try:
            check_day(day, today=today, what=f"{where}: date")
        except UsageError as error:  # bad data in a file, not a bad command line
            raise ProgressError(str(error)) from None


# ----- Personal pace ------------------------------------------------------------------------


class Pace(Frozen):
    """The learner's own pace: real hours over published mid-effort hours."""

    ratio: float
    courses: int
    hours_spent: float
    published_hours: float


def pace_ratio(progress: Progress, catalog: Catalog, institution: str | None = None) -> Pace | None:
    """Sum of real hours / sum of published mid-effort hours, over completed courses with
    hours recorded and still in the catalog (of `institution` only, when given); None when
    there are none."""
    spent = 0.0
    published = 0.0
    count = 0
    for record in progress.completed:
        if record.hours_spent is None:
            continue
        try:
            program = catalog.program(record.program)
            course = program.course(record.code)
        except KeyError:
            continue
        if institution is not None and program.institution != institution:
            continue
        spent += record.hours_spent
        published += course.mid_hours
        count += 1
    if count == 0:
        return None
    return Pace(
        ratio=spent / published, courses=count, hours_spent=spent, published_hours=published
    )


# ----- A report for `progress show` ---------------------------------------------------------


class CompletedRow(Frozen):
    """A completed course as shown: the record plus catalog facts (None when not in it)."""

    id: str
    program: str
    code: str
    title: str | None
    completed_on: Day
    certificate: Certificate
    counts: bool
    grade: float | None
    hours_spent: float | None
    published_hours: float | None


class StartedRow(Frozen):
    """A course in progress as shown, with its published workload."""

    id: str
    program: str
    code: str
    title: str | None
    started_on: Day
    percent_done: float
    published_hours: float | None


class ProgressReport(Frozen):
    """What `progress show` prints: the records of one program or all, and the pace."""

    program: str | None
    completed: tuple[CompletedRow, ...]
    in_progress: tuple[StartedRow, ...]
    pace: Pace | None
    not_in_catalog: tuple[str, ...]


def progress_report(
    progress: Progress, catalog: Catalog, program: str | None = None
) -> ProgressReport:
    """The records (of `program` only, when given) with titles and workloads from the catalog."""

    def facts(program_id: str, code: str) -> tuple[str | None, float | None]:
        try:
            course = catalog.program(program_id).course(code)
        except KeyError:
            return None, None
        return course.title, course.mid_hours

    completed: list[CompletedRow] = []
    started: list[StartedRow] = []
    missing: list[str] = []
    for done in progress.completed:
        if program is not None and done.program != program:
            continue
        title, hours = facts(done.program, done.code)
        if title is None:
            missing.append(done.id)
        completed.append(
            CompletedRow(
                id=done.id,
                program=done.program,
                code=done.code,
                title=title,
                completed_on=done.completed_on,
                certificate=done.certificate,
                counts=done.counts,
                grade=done.grade,
                hours_spent=done.hours_spent,
                published_hours=hours,
            )
        )
    for taking in progress.in_progress:
        if program is not None and taking.program != program:
            continue
        title, hours = facts(taking.program, taking.code)
        if title is None:
            missing.append(taking.id)
        started.append(
            StartedRow(
                id=taking.id,
                program=taking.program,
                code=taking.code,
                title=title,
                started_on=taking.started_on,
                percent_done=taking.percent_done,
                published_hours=hours,
            )
        )
    return ProgressReport(
        program=program,
        completed=tuple(completed),
        in_progress=tuple(started),
        pace=pace_ratio(progress, catalog),
        not_in_catalog=tuple(missing),
    )
