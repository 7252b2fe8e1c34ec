"""The catalog's data model: frozen dataclasses, validated by pydantic at the edge.

A catalog file is YAML (see docs/catalog.md); `mmplan.catalog.load` validates it into a
`Catalog` with pydantic (`validate_catalog`), and everything downstream takes these classes,
never raw dicts. They are standard-library dataclasses, not pydantic models, so that a
catalog read back from the cache needs no pydantic at all: `mmplan list` starts without
loading pydantic's model machinery (benchmarks/README.md). Constructing one directly does
not validate it; only data from outside (catalog files) goes through `validate_catalog`.

Field limits are written as `Limits(...)` in `Annotated` types: pydantic applies them as
it applies `pydantic.Field`'s when it validates, and nothing else reads them. Every hook
into pydantic here builds a schema through its public API (a handler, `pydantic_core.
core_schema` functions); none edits the dictionaries pydantic-core's schemas are.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from enum import StrEnum
from typing import TYPE_CHECKING, Annotated, Any, ClassVar, Literal

from mmplan.catalog.as_of import AsOf as AsOf  # re-exported: its home was here
from mmplan.catalog.as_of import Period
from mmplan.catalog.field_checks import (
    Limits as Limits,  # re-exported: catalog.overlay builds its fields with it
)
from mmplan.catalog.field_checks import (
    MonthDayCheck,
    OrWord,
    TrueOrFalse,
    Unquoted,
    refuse_text,
)
from mmplan.core.defaults import Effort
from mmplan.core.limits import EARLIEST_DATE, LATEST_DATE, MAX_HOURS_PER_WEEK

if TYPE_CHECKING:
    from pydantic import GetCoreSchemaHandler
    from pydantic_core import CoreSchema

SCHEMA_VERSION: Literal[2] = 2  # what the bundled catalog is written in; version 1 files still load
SUPPORTED_SCHEMA_VERSIONS = (1, 2)
MAX_WEEKS = 520
MAX_PRICE_USD = Decimal(1_000_000)
# A course's smallest workload: 0.1 week (under a day) at 0.1 h/week. A published course
# is far more; the floor keeps every ratio of hours well away from zero.
MIN_COURSE_WEEKS = 0.1
MIN_COURSE_HOURS_PER_WEEK = 0.1


UNQUOTED = Unquoted()


Flag = Annotated[bool, TrueOrFalse()]
Day = Annotated[date, Limits(ge=EARLIEST_DATE, le=LATEST_DATE)]
Slug = Annotated[str, Limits(pattern=r"^[a-z0-9]+(?:-[a-z0-9]+)*$", max_length=100)]
CourseCode = Annotated[str, Limits(pattern=r"^[A-Za-z0-9][A-Za-z0-9._+-]*$", max_length=100)]
Text = Annotated[str, Limits(min_length=1, max_length=10_000)]
EstimatedField = Literal[
    "title",
    "weeks",
    "hours_per_week",
    "price_usd",
    "pacing",
    "session_starts",
    "prerequisites",
    "recommended",
    "after_all",
    "window_days",
]
CourseReference = Annotated[str, Limits(min_length=1, max_length=200)]  # CODE or program-id/CODE
Hours = Annotated[
    float,
    Limits(ge=MIN_COURSE_HOURS_PER_WEEK, le=MAX_HOURS_PER_WEEK, allow_inf_nan=False),
    UNQUOTED,
]
Dollars = Annotated[Decimal, Limits(ge=0, le=MAX_PRICE_USD, allow_inf_nan=False), UNQUOTED]
NonEmpty = Limits(min_length=1)


class _Strict:
    """Base of the catalog classes: pydantic rejects keys that are not fields."""

    __pydantic_config__: ClassVar[dict[str, Any]] = {"extra": "forbid"}


def _yaml_key(field: str) -> str:
    """The YAML key of a field: its name, without the `_` that avoids a Python keyword."""
    return field.removesuffix("_")


class Kind(StrEnum):
    COURSE = "course"
    EXAM = "exam"
    CAPSTONE = "capstone"


class Pacing(StrEnum):
    SELF = "self"
    INSTRUCTOR = "instructor"


class ProgramStatus(StrEnum):
    """Whether a learner can still enrol: `moved` programs run on another platform."""

    ACTIVE = "active"
    RETIRED = "retired"
    MOVED = "moved"
    UNKNOWN = "unknown"  # may no longer be offered: still planned, always said so


class Pricing(StrEnum):
    """How a program's course prices are set."""

    LIST = "list"  # one verified-certificate price per course, the same for everyone
    INCOME_BASED = "income-based"  # set from the learner's income, within a published range


MonthDay = Annotated[str, MonthDayCheck()]


def session_start_in(month_day: str, year: int) -> date:
    """The day a yearly session start (`MM-DD`) falls on in `year`."""
    month, day = month_day.split("-")
    return date(year, int(month), int(day))


def _number_or_pair(value: Any) -> Any:
    """The catalog writes a range as `8` or `[8, 12]`; a mapping or a range passes as is."""
    if isinstance(value, dict | _Range):
        return value
    if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        return {"lo": value, "hi": value}
    if isinstance(value, list | tuple) and len(value) == 2:
        return {"lo": value[0], "hi": value[1]}
    if isinstance(value, str | bool):
        return refuse_text(value)
    raise ValueError(f"expected a number or a [lo, hi] pair, got {value!r:.40}")


class _Range(_Strict):
    """Base of the range fields: `lo <= hi`, read from a number or a pair."""

    lo: Any
    hi: Any

    def __post_init__(self) -> None:
        if self.lo > self.hi:
            raise ValueError(f"range [{self.lo:g}, {self.hi:g}] has lo > hi")

    @property
    def is_range(self) -> bool:
        return bool(self.lo != self.hi)


class _NumberOrPair:
    """A range field reads `8` or `[8, 12]` as well as a mapping (see `_number_or_pair`).

    On the field, not on the range class: pydantic may reuse a class's schema by reference.
    """

    __slots__ = ()

    def __get_pydantic_core_schema__(
        self, source: Any, handler: GetCoreSchemaHandler
    ) -> CoreSchema:
        from pydantic_core import core_schema

        return core_schema.no_info_before_validator_function(_number_or_pair, handler(source))


NUMBER_OR_PAIR = _NumberOrPair()


# Not slotted: an instance's __dict__ is what pickle restores in one step (mmplan.catalog.cache).
@dataclass(frozen=True, kw_only=True)
class HoursRange(_Range):
    """Published weekly effort: one figure or a [lo, hi] range, in hours."""

    lo: Hours
    hi: Hours

    def at(self, effort: Effort) -> float:
        """The rate the planner counts at this effort level."""
        if effort is Effort.LOW:
            return self.lo
        if effort is Effort.HIGH:
            return self.hi
        return (self.lo + self.hi) / 2


@dataclass(frozen=True, kw_only=True)
class PriceRange(_Range):
    """A price in US dollars: exact, or a published [lo, hi] range."""

    lo: Dollars
    hi: Dollars

    def __add__(self, other: PriceRange) -> PriceRange:
        # A sum is not catalog input: it may exceed the per-price ceiling, and that is fine.
        return PriceRange(lo=self.lo + other.lo, hi=self.hi + other.hi)


WeeklyHours = Annotated[HoursRange, NUMBER_OR_PAIR]
Price = Annotated[PriceRange, NUMBER_OR_PAIR]
DeadlineDays = Annotated[int, Limits(ge=0, le=366), UNQUOTED]
WaitDays = Annotated[int, Limits(ge=0, le=3660), UNQUOTED]
AttemptCount = Annotated[int, Limits(ge=1, le=100), UNQUOTED]


@dataclass(frozen=True, kw_only=True)
class UpgradeDeadline(_Strict):
    """When a verified certificate must be paid: days after a course starts, before it
    starts, or before it ends (exactly one)."""

    days_after_start: DeadlineDays | None = None
    days_before_start: DeadlineDays | None = None
    days_before_end: DeadlineDays | None = None
    estimated: Flag = False  # the rule is an estimate, not a published fact

    def __post_init__(self) -> None:
        given = (self.days_after_start, self.days_before_start, self.days_before_end)
        if sum(days is not None for days in given) != 1:
            raise ValueError(
                "give exactly one of days_after_start, days_before_start and days_before_end"
            )

    def due(self, start: date, end: date) -> date:
        """The last day to pay for a course run from `start` to `end`."""
        if self.days_after_start is not None:
            return start + timedelta(days=self.days_after_start)
        if self.days_before_start is not None:
            return start - timedelta(days=self.days_before_start)
        return max(start, end - timedelta(days=self.days_before_end or 0))

    def __str__(self) -> str:
        if self.days_after_start is not None:
            return f"{_days(self.days_after_start)} after the course starts"
        if self.days_before_start is not None:
            return f"{_days(self.days_before_start)} before the course starts"
        return f"{_days(self.days_before_end or 0)} before the course ends"


def _days(count: int) -> str:
    return f"{count} day" + ("" if count == 1 else "s")


@dataclass(frozen=True, kw_only=True)
class Attempts(_Strict):
    """What one payment for a course buys, and what a retake asks; None: not known."""

    per_payment: AttemptCount  # attempts one payment buys
    limit: (
        Annotated[
            int | Literal["unlimited"], OrWord("unlimited", AttemptCount, "unlimited or 1 to 100")
        ]
        | None
    ) = None  # attempts in all
    retake_fee_usd: (
        Annotated[
            PriceRange | Literal["same"],
            OrWord("same", Price, "same (the course price again), a price or [lo, hi]"),
        ]
        | None
    ) = None
    retake_wait: (
        Annotated[
            int | Literal["next_session"],
            OrWord("next_session", WaitDays, "next_session or a number of days, 0 to 3660"),
        ]
        | None
    ) = None  # after a failed attempt: the next session, or this many days
    estimated: Flag = False  # these rules are estimates, not published facts

    def __post_init__(self) -> None:
        if isinstance(self.limit, int) and self.limit < self.per_payment:
            raise ValueError(
                f"limit {self.limit} is less than the {self.per_payment} attempts one payment buys"
            )


@dataclass(frozen=True, kw_only=True)
class Course(_Strict):
    """One course, exam or capstone of a program."""

    code: CourseCode
    title: Text
    weeks: Annotated[
        float, Limits(ge=MIN_COURSE_WEEKS, le=MAX_WEEKS, allow_inf_nan=False), UNQUOTED
    ]
    hours_per_week: WeeklyHours
    price_usd: Price | None = None
    kind: Kind = Kind.COURSE
    # Required in a version-2 file (the loader checks); a version-1 file may leave it to self.
    pacing: Pacing = Pacing.SELF
    runs: tuple[Day, ...] = ()  # exact start dates of known runs
    session_starts: tuple[MonthDay, ...] = ()  # `MM-DD`: a session starts then every year
    prerequisites: tuple[CourseReference, ...] = ()
    # Courses the institution recommends taking first: soft, never required for the credential.
    recommended: tuple[CourseReference, ...] = ()
    # Starts only after every other course taken for the credential (capstones, final exams).
    after_all: Flag = False
    # An exam window: each session start (runs, session_starts) opens one for this many days.
    window_days: Annotated[int, Limits(ge=1, le=366), UNQUOTED] | None = None
    # The course of this program that this exam assesses: taken when, and only when, it is.
    assesses: CourseCode | None = None
    upgrade_deadline: UpgradeDeadline | None = None  # overrides the program's and platform's
    attempts: Attempts | None = None  # overrides the program's
    external_prerequisites: tuple[Text, ...] = ()
    estimated: tuple[EstimatedField, ...] = ()
    url: Text | None = None
    notes: Text | None = None

    @property
    def mid_hours(self) -> float:
        """Total workload at mid effort: weeks x mean hours per week."""
        return self.weeks * self.hours_per_week.at(Effort.MID)

    @property
    def fixed_schedule(self) -> bool:
        """Runs on a fixed schedule: instructor-paced, or on listed session dates."""
        return self.pacing is Pacing.INSTRUCTOR or bool(self.runs or self.session_starts)

    def next_session(self, ready: date) -> date | None:
        """The first day on or after `ready` that a session starts (a listed run, or a yearly
        session start after the last listed run); None when the course lists no such date."""
        starts = [run for run in self.runs if run >= ready]
        after = max(self.runs, default=None)
        begin = ready if after is None else max(ready, after + timedelta(days=1))
        for month_day in self.session_starts:
            this_year = session_start_in(month_day, begin.year)
            starts.append(
                this_year if this_year >= begin else session_start_in(month_day, begin.year + 1)
            )
        return min(starts, default=None)

    def is_estimated(self, field: str) -> bool:
        return field in self.estimated


@dataclass(frozen=True, kw_only=True)
class ElectiveGroup(_Strict):
    """Choose `choose` courses from `from_` (written `from:` in YAML)."""

    # pydantic reads `from_` as `from` (and names it so in errors) through the config's
    # alias generator: public configuration, no edit of pydantic-core's schema.
    __pydantic_config__: ClassVar[dict[str, Any]] = {
        **_Strict.__pydantic_config__,
        "alias_generator": _yaml_key,
    }

    choose: Annotated[int, Limits(ge=1, le=1000), UNQUOTED]
    from_: Annotated[tuple[CourseCode, ...], NonEmpty]


@dataclass(frozen=True, kw_only=True)
class Track(_Strict):
    """A named set of courses; the learner follows exactly one track."""

    name: Text
    courses: Annotated[tuple[CourseCode, ...], NonEmpty]


@dataclass(frozen=True, kw_only=True)
class CreditPathway(_Strict):
    """A degree that accepts the credential for credit, on admission."""

    institution: Text
    degree: Text
    credit: Text
    url: Text | None = None


@dataclass(frozen=True, kw_only=True)
class Program(_Strict):
    """A MicroMasters program: its courses, structure, price and credit pathways."""

    id: Slug
    title: Text
    institution: Text
    field: Text
    url: Text | None = None
    price_usd: Price | None = None
    price_as_of: Period | None = None  # when `price_usd` was published, as its source says
    pricing: Pricing = Pricing.LIST
    pricing_url: Text | None = None  # where to ask for one's own income-based price
    aid_terms: Text | None = None  # when and how its financial assistance is applied for
    aid_url: Text | None = None  # where those terms are published
    published_duration: Text | None = None
    as_of: AsOf | None = None
    status: ProgramStatus = ProgramStatus.ACTIVE
    status_note: Text | None = None  # what happened and when; required unless active
    platform: Text = "edX"  # where a learner enrols and pays
    upgrade_deadline: UpgradeDeadline | None = None  # its courses', unless a course says
    attempts: Attempts | None = None  # its courses', unless a course says
    valid_years: Annotated[int, Limits(ge=1, le=50), UNQUOTED] | None = None  # a pass counts
    notes: Text | None = None
    courses: Annotated[tuple[Course, ...], NonEmpty]
    electives: tuple[ElectiveGroup, ...] = ()
    tracks: tuple[Track, ...] = ()
    credit_pathways: tuple[CreditPathway, ...] = ()
    sources: Annotated[tuple[Text, ...], NonEmpty]

    @property
    def status_text(self) -> str:
        """The status in words: `active`, or its note, led by the status unless it says it."""
        if self.status_note is None:
            return self.status.value
        if self.status_note.startswith(self.status.value):
            return self.status_note
        return f"{self.status.value}: {self.status_note}"

    def attempts_of(self, course: Course) -> Attempts | None:
        """The attempts rule of one of its courses: the course's own, else the program's."""
        return course.attempts or self.attempts

    def course(self, code: str) -> Course:
        """The course with this code; KeyError when there is none."""
        return self._by_code[code]

    @functools.cached_property
    def _by_code(self) -> dict[str, Course]:
        """Each code's (first) course: `course` was a scan, once per course of a plan."""
        index: dict[str, Course] = {}
        for course in self.courses:
            index.setdefault(course.code, course)
        return index

    @property
    def optional_codes(self) -> frozenset[str]:
        """Codes that are not required individually (in an elective group or a track, or an
        exam taken with the course it `assesses`)."""
        codes = {code for group in self.electives for code in group.from_}
        codes.update(code for track in self.tracks for code in track.courses)
        codes.update(c.code for c in self.courses if c.assesses is not None)
        return frozenset(codes)

    @property
    def required_codes(self) -> tuple[str, ...]:
        """Codes every learner must pass, in catalog order."""
        optional = self.optional_codes
        return tuple(c.code for c in self.courses if c.code not in optional)


@dataclass(frozen=True, kw_only=True)
class Platform(_Strict):
    """Where learners enrol, and when its rules say a verified certificate must be paid."""

    name: Text
    upgrade_deadline: UpgradeDeadline | None = None
    # The older spelling of `upgrade_deadline: {days_after_start: N}` (not both).
    upgrade_deadline_days: Annotated[int, Limits(ge=0, le=366)] | None = None
    rule: Text
    sources: Annotated[tuple[Text, ...], NonEmpty]

    def __post_init__(self) -> None:
        if self.upgrade_deadline is not None and self.upgrade_deadline_days is not None:
            raise ValueError("give upgrade_deadline or upgrade_deadline_days, not both")

    @property
    def deadline(self) -> UpgradeDeadline | None:
        """The platform's payment rule, however the file spells it; None when it has none."""
        if self.upgrade_deadline_days is not None:
            return UpgradeDeadline(days_after_start=self.upgrade_deadline_days)
        return self.upgrade_deadline


@dataclass(frozen=True, kw_only=True)
class Catalog(_Strict):
    """A whole catalog: every program of every active catalog file, merged."""

    schema_version: Literal[1, 2]
    as_of: AsOf
    platforms: tuple[Platform, ...] = ()
    programs: tuple[Program, ...] = ()

    def program(self, program_id: str) -> Program:
        """The program with exactly this id; KeyError when there is none."""
        for program in self.programs:
            if program.id == program_id:
                return program
        raise KeyError(program_id)

    def platform(self, name: str) -> Platform | None:
        """The rules of the platform of this name, if the catalog has them."""
        for platform in self.platforms:
            if platform.name.casefold() == name.casefold():
                return platform
        return None


@dataclass(frozen=True, kw_only=True)
class Refreshed:
    """A program whose runs and prices come from a platform's API, through the catalog
    overlay (`mmplan catalog refresh`): from where, and when."""

    program_id: str
    platform: str  # "MITx Online"
    source: str  # the address the program's facts were read from
    retrieved: date
    new: bool = False  # the program comes from the API alone: no curated entry
    listed: bool = True  # False: the API did not list it, so only its status (unknown) is new

    @property
    def text(self) -> str:
        """`runs and prices from MITx Online, retrieved 2026-12-07`, or for a program the API
        did not list, `status unknown: not listed by MITx Online on 2026-12-07`."""
        if not self.listed:
            return f"status unknown: not listed by {self.platform} on {self.retrieved.isoformat()}"
        what = "from" if self.new else "runs and prices from"
        return f"{what} {self.platform}, retrieved {self.retrieved.isoformat()}"


@dataclass(frozen=True, kw_only=True)
class LoadedCatalog:
    """A catalog and what loading it noted, beside it: facts no catalog file holds.

    `mmplan.catalog.load` returns one for a file and for the merged active catalog, and the
    cache keeps one per file (without warnings, which name the file).
    """

    catalog: Catalog
    # Courses of a version-1 file that leave `pacing` to its default, as program-id/CODE.
    pacing_defaulted: tuple[str, ...] = ()
    # The warnings loading gave, one line each, naming the file.
    warnings: tuple[str, ...] = ()
    # The programs the catalog overlay refreshed, in catalog order.
    refreshed: tuple[Refreshed, ...] = ()
    # The active catalog's files as loaded: `sources.catalog_digest` of the bytes read
    # (empty for one file, and in the cache); what kept answers are keyed by.
    digest: str = ""

    def refreshed_program(self, program_id: str) -> Refreshed | None:
        """Where the overlay's facts of this program come from; None when it has none."""
        return next((r for r in self.refreshed if r.program_id == program_id), None)


def validate_catalog(data: Any) -> Catalog:
    """A `Catalog` from plain data (a parsed catalog file); pydantic's ValidationError if not."""
    return _validator(Catalog).validate_python(data)  # type: ignore[no-any-return]


def validate_program(data: Any) -> Program:
    """One `Program` from plain data; pydantic's ValidationError if not."""
    return _validator(Program).validate_python(data)  # type: ignore[no-any-return]


@functools.cache
def _validator(cls: type) -> Any:
    """pydantic's validator of `cls`, built on first use (pydantic is imported only then)."""
    from pydantic import TypeAdapter

    return TypeAdapter(cls)


def dollars_json(amount: Decimal) -> int | float:
    """An amount for JSON: whole dollars as an integer, cents as a float."""
    return int(amount) if amount == amount.to_integral_value() else float(amount)


MoneyJson = int | float | list[int | float] | None


def money_json(value: PriceRange | None) -> MoneyJson:
    """A price for JSON: a number, a `[lo, hi]` pair for a range, or null when unknown."""
    if value is None:
        return None
    if not value.is_range:
        return dollars_json(value.lo)
    return [dollars_json(value.lo), dollars_json(value.hi)]


def course_id(program_id: str, code: str) -> str:
    """The catalog-wide id of a course: `program-id/CODE`."""
    return f"{program_id}/{code}"


def split_course_id(reference: str, default_program: str) -> tuple[str, str]:
    """Split `program/CODE` (or a bare `CODE` of `default_program`) into its parts."""
    program_id, sep, code = reference.partition("/")
    if not sep:
        return default_program, reference
    return program_id, code
