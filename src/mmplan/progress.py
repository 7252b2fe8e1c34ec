"""The learner's progress: what they completed and started, and the file that keeps it.

Two halves. The model (`Progress` and the functions that change it) is pure: it takes
models and returns new ones. The store (`ProgressStore`) is the one place that reads and
writes the progress file, a small schema-versioned YAML document in the user data
directory (`MMPLAN_HOME` overrides it):

- every write is atomic: a temporary file in the same directory, flushed and fsynced,
  then `os.replace`d over the old one, so a reader or a crash sees the old file or the new
  one, never half of either;
- every read-modify-write holds a lock file (`filelock`), so concurrent `mmplan progress`
  processes never drop each other's records;
- a file that cannot be read (bad YAML, wrong shape, unknown schema version) is never
  overwritten: the command fails naming the file and what is wrong.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager, suppress
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Literal, Self, TypeVar

import yaml
from pydantic import Field, ValidationError, model_validator

import mmplan.limits as limits
from mmplan.errors import Problem, ProgressError, UnknownIdError, UsageError, shown
from mmplan.limits import MAX_PROGRESS_FILE_BYTES, parse_iso_date
from mmplan.lookup import did_you_mean, find_course, find_program
from mmplan.models import Catalog, CourseCode, Slug, course_id, split_course_id
from mmplan.records import Frozen

if TYPE_CHECKING:
    pass

PROGRESS_SCHEMA_VERSION = 1
PROGRESS_FILE_NAME = "progress.yaml"
HOME_ENV = "MMPLAN_HOME"
LOCK_TIMEOUT_SECONDS = 60.0
# Limits that catch typos rather than describe learners: edX opened in 2012, and no course
# of any catalog takes 2,000 hours (a full-time year).
EARLIEST_DATE = date(2012, 1, 1)
MAX_HOURS_SPENT = 2000.0

_HEADER = (
    "# mmplan progress: the courses you completed and started.\n"
    "# Change it with `mmplan progress add|start|remove|import`; if you edit it by hand,\n"
    "# `mmplan progress show` tells you whether it is still valid.\n"
)


class Certificate(StrEnum):
    """How a course was taken: only a verified certificate counts toward the credential."""

    VERIFIED = "verified"
    AUDIT = "audit"


# A date of a record: a real date (not a number or text YAML might turn into one), within
# the dates every command takes (mmplan.limits).
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


class Change(Frozen):
    """What a change did, for the command to say: ids added, replaced and removed."""

    added: tuple[str, ...] = ()
    updated: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()
    unchanged: tuple[str, ...] = ()


def record_completed(
    progress: Progress, records: Iterable[CompletedCourse]
) -> tuple[Progress, Change]:
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
    return _sorted(result), Change(
        added=tuple(added), updated=tuple(updated), unchanged=tuple(unchanged)
    )


def record_started(progress: Progress, record: StartedCourse) -> tuple[Progress, Change]:
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
        return result, Change(unchanged=(record.id,))
    if old is None:
        return result, Change(added=(record.id,))
    return result, Change(updated=(record.id,))


def remove_courses(progress: Progress, ids: Iterable[str]) -> tuple[Progress, Change]:
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
    return result, Change(removed=wanted)


def merge_progress(current: Progress, incoming: Progress) -> tuple[Progress, Change]:
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
    return _sorted(result), Change(
        added=tuple(added), updated=tuple(updated), unchanged=tuple(unchanged)
    )


def replace_progress(current: Progress, incoming: Progress) -> tuple[Progress, Change]:
    """Import by replacing: the file's records become the whole progress."""
    current_records = {r.id: r for r in (*current.completed, *current.in_progress)}
    incoming_records = {r.id: r for r in (*incoming.completed, *incoming.in_progress)}
    change = Change(
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
    if text.casefold() == "today":
        return today
    try:
        value = parse_iso_date(text)  # check_day keeps it within mmplan.limits' range
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


# ----- The file format ----------------------------------------------------------------------


def dump_progress(progress: Progress) -> str:
    """The YAML text of the progress file: a header comment, then the records."""
    document: dict[str, Any] = {"schema_version": progress.schema_version}
    document["completed"] = [
        _plain(r.model_dump(mode="python", exclude_none=True)) for r in progress.completed
    ]
    document["in_progress"] = [_plain(r.model_dump(mode="python")) for r in progress.in_progress]
    return _HEADER + yaml.dump(document, Dumper=_PlainDumper, sort_keys=False, allow_unicode=True)


class _PlainDumper(yaml.SafeDumper):
    """Safe YAML without anchors: two records on one date both spell the date out."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


def _plain(record: dict[str, Any]) -> dict[str, Any]:
    """Whole numbers without `.0` and enums as their text, so the file reads naturally."""
    out: dict[str, Any] = {}
    for key, value in record.items():
        if isinstance(value, StrEnum):
            value = value.value
        elif isinstance(value, float) and value.is_integer():
            value = int(value)
        out[key] = value
    return out


def parse_progress(data: bytes, source: str) -> Progress:
    """A progress document from the bytes of a file; ProgressError naming `source`, the line
    and column, and the first thing wrong.

    Read by the catalog's YAML reader (`yaml_nodes.load_yaml`), with its guards: UTF-8 text
    without control characters, no alias bombs, no nesting past its depth limit, and no key
    written twice (YAML would silently keep only the last, dropping records).
    """
    from mmplan.yaml_nodes import YamlProblem, load_yaml

    try:
        document = load_yaml(data)
    except YamlProblem as problem:
        located = _located(source, problem.line, problem.column, problem.message)
        raise ProgressError(located) from None
    for twice in document.duplicate_keys:
        raise ProgressError(
            _located(
                source,
                twice.line,
                twice.column,
                f"duplicate key {shown(twice.key)} (first at line {twice.first_line}); "
                "YAML would silently keep only the last; nothing was changed",
            )
        )
    value = document.value
    if value is None:
        raise ProgressError(
            f"{source}: the file is empty; it should start with 'schema_version: 1'"
        )
    if not isinstance(value, dict):
        raise ProgressError(
            f"{source}: expected a mapping with schema_version, completed and in_progress, "
            f"found {type(value).__name__}"
        )
    version = value.get("schema_version")
    if version != PROGRESS_SCHEMA_VERSION:
        if version is None:
            raise ProgressError(f"{source}: schema_version is missing (this mmplan reads 1)")
        raise ProgressError(
            f"{source}: schema_version {version if type(version) is int else shown(str(version))} "
            "is not supported (this mmplan "
            f"reads {PROGRESS_SCHEMA_VERSION}); upgrade mmplan to read it"
        )
    try:
        return Progress.model_validate(value)
    except ValidationError as error:
        raise ProgressError(_schema_problem(error, data, source)) from None


def _located(source: str, line: int, column: int, message: str) -> str:
    return str(Problem(source, line, column, "", message))


def _schema_problem(error: ValidationError, data: bytes, source: str) -> str:
    """The first schema error, located in the text, with what was found."""
    from mmplan.yaml_nodes import NodeTree, find_key_node

    first = error.errors(include_url=False)[0]
    loc = tuple(first["loc"])
    extra = first["type"] == "extra_forbidden"  # point at the unknown key, not its value
    tree = NodeTree(data)
    steps = tree.walk(loc[:-1] if extra else loc)
    node = steps[-1].node if steps else tree.root
    if extra and node is not None:
        node = find_key_node(node, str(loc[-1])) or node
    line, column = (0, 0)
    if node is not None:
        line, column = node.start_mark.line + 1, node.start_mark.column + 1
    path = "".join(f"[{part}]" if isinstance(part, int) else f".{part}" for part in loc)
    message = str(first["msg"]).removeprefix("Value error, ")
    found = first.get("input")
    if not extra and isinstance(found, str):
        message += f" (got {shown(found)})"
    elif not extra and isinstance(found, int | float | date):
        message += f" (got {found})"
    more = error.error_count() - 1
    if more:
        message += f" (and {more} more problem{'s' if more > 1 else ''})"
    return str(Problem(source, line, column, path.removeprefix("."), message))


# ----- The store ----------------------------------------------------------------------------


def read_progress_file(path: Path, *, missing_ok: bool = False) -> Progress:
    """A progress or import file: a regular file of at most MAX_PROGRESS_FILE_BYTES, parsed
    by `parse_progress`; empty progress for a missing file when `missing_ok`."""
    from mmplan.files import FileProblem, read_regular_file

    try:
        data = read_regular_file(path, MAX_PROGRESS_FILE_BYTES, "progress")
    except FileProblem as problem:
        if problem.missing and missing_ok:
            return Progress()
        raise ProgressError(f"{path}: {problem}; nothing was changed") from None
    return parse_progress(data, str(path))


def progress_directory(environ: Mapping[str, str] | None = None) -> Path:
    """`MMPLAN_HOME` when set, else the platform's user data directory for mmplan."""
    environ = os.environ if environ is None else environ
    home = environ.get(HOME_ENV)
    if home:
        return Path(home).expanduser()
    from platformdirs import user_data_dir

    return Path(user_data_dir("mmplan"))


class ProgressStore:
    """The progress file: atomic writes, a lock around each change, never clobbers."""

    def __init__(self, path: Path, shown_as: str | None = None) -> None:
        self.path = path
        self.shown_as = shown_as or str(path)  # how messages name the file
        self.lock_path = path.with_name(path.name + ".lock")

    @classmethod
    def default(cls) -> ProgressStore:
        """The file in the user data directory, or in `MMPLAN_HOME` (named so in messages)."""
        shown_as = f"${HOME_ENV}/{PROGRESS_FILE_NAME}" if os.environ.get(HOME_ENV) else None
        return cls(progress_directory() / PROGRESS_FILE_NAME, shown_as)

    def load(self) -> Progress:
        """The recorded progress; empty when there is no file yet."""
        return read_progress_file(self.path, missing_ok=True)

    def change(self, apply: Callable[[Progress], tuple[Progress, Change]]) -> Change:
        """Read, apply, and write back under the lock; nothing is written if `apply` raises."""
        with self._locked():
            current = self.load()
            updated, change = apply(current)
            if updated != current:
                self._write(dump_progress(updated))
            return change

    @contextmanager
    def _locked(self) -> Iterator[None]:
        from filelock import FileLock, Timeout

        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise ProgressError(
                f"{self.path.parent}: cannot create the directory: {error.strerror or error}"
            ) from None
        lock = FileLock(self.lock_path, timeout=LOCK_TIMEOUT_SECONDS)
        try:
            lock.acquire()
        except Timeout:
            raise ProgressError(
                f"{self.path}: another mmplan has held the lock for {LOCK_TIMEOUT_SECONDS:g} s; "
                "nothing was changed, try again"
            ) from None
        except OSError as error:
            raise ProgressError(
                f"{self.lock_path}: cannot lock: {error.strerror or error}; nothing was changed"
            ) from None
        try:
            yield
        finally:
            lock.release()

    def _write(self, text: str) -> None:
        """Replace the file atomically and durably (`files.write_atomically`).

        A symlinked progress file (a dotfile manager's) is written through the link: the
        file it points to is replaced, and the link stays.
        """
        from mmplan.files import FileProblem, resolved_target, write_atomically

        try:
            target = resolved_target(self.path)
        except FileProblem as problem:
            raise ProgressError(f"{self.path}: {problem}; the file is unchanged") from None
        self._remove_orphans(target)
        try:
            write_atomically(target, text.encode("utf-8"), durable=True)
        except OSError as error:
            raise ProgressError(
                f"{self.path}: cannot write: {error.strerror or error}; the file is unchanged"
            ) from None

    @staticmethod
    def _remove_orphans(target: Path) -> None:
        """Temporary files left by a writer that was killed; safe to delete under the lock."""
        for orphan in target.parent.glob(f".{target.name}.*.tmp"):
            with suppress(OSError):
                orphan.unlink()
