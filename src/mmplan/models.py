"""The catalog's data model: frozen pydantic models validated once at the edge.

A catalog file is YAML (see README, "Catalog format"); `mmplan.catalog` turns it into a
`Catalog`. Everything downstream takes these models and never raw dicts.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import Annotated, Any, Literal, Self

from pydantic import BaseModel, ConfigDict, Field, model_validator

SCHEMA_VERSION = 1
MAX_HOURS_PER_WEEK = 168
MAX_WEEKS = 520
MAX_PRICE_USD = Decimal(1_000_000)

Slug = Annotated[str, Field(pattern=r"^[a-z0-9]+(?:-[a-z0-9]+)*$", max_length=100)]
CourseCode = Annotated[str, Field(pattern=r"^[^\s/]+$", max_length=100)]
Text = Annotated[str, Field(min_length=1, max_length=10_000)]
EstimatedField = Literal[
    "title", "weeks", "hours_per_week", "price_usd", "pacing", "prerequisites", "recommended"
]
CourseReference = Annotated[str, Field(min_length=1, max_length=200)]  # CODE or program-id/CODE


class Frozen(BaseModel):
    """Base for every model: immutable, and unknown keys are errors."""

    # defer_build: a model's validator is built on its first validation, not at import, so
    # a command pays only for the models it validates (a cached catalog validates none).
    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)


class Kind(StrEnum):
    COURSE = "course"
    EXAM = "exam"
    CAPSTONE = "capstone"


class Pacing(StrEnum):
    SELF = "self"
    INSTRUCTOR = "instructor"


class Effort(StrEnum):
    """Which end of a published hours-per-week range the planner counts."""

    LOW = "low"
    MID = "mid"
    HIGH = "high"


class _Range(Frozen):
    """Base of the range fields: the catalog writes `8` or `[8, 12]`."""

    @model_validator(mode="before")
    @classmethod
    def _accept_number_or_pair(cls, value: Any) -> Any:
        if isinstance(value, dict):
            return value  # already in model form (a dumped model, the cache)
        if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
            return {"lo": value, "hi": value}
        if isinstance(value, list | tuple) and len(value) == 2:
            return {"lo": value[0], "hi": value[1]}
        raise ValueError(f"expected a number or a [lo, hi] pair, got {value!r:.40}")


class HoursRange(_Range):
    """Published weekly effort: one figure or a [lo, hi] range, in hours."""

    lo: Annotated[float, Field(gt=0, le=MAX_HOURS_PER_WEEK, allow_inf_nan=False)]
    hi: Annotated[float, Field(gt=0, le=MAX_HOURS_PER_WEEK, allow_inf_nan=False)]

    @model_validator(mode="after")
    def _ordered(self) -> Self:
        if self.lo > self.hi:
            raise ValueError(f"range [{self.lo:g}, {self.hi:g}] has lo > hi")
        return self

    @property
    def is_range(self) -> bool:
        return self.lo != self.hi

    def at(self, effort: Effort) -> float:
        """The rate the planner counts at this effort level."""
        if effort is Effort.LOW:
            return self.lo
        if effort is Effort.HIGH:
            return self.hi
        return (self.lo + self.hi) / 2


class PriceRange(_Range):
    """A price in US dollars: exact, or a published [lo, hi] range."""

    lo: Annotated[Decimal, Field(ge=0, le=MAX_PRICE_USD, allow_inf_nan=False)]
    hi: Annotated[Decimal, Field(ge=0, le=MAX_PRICE_USD, allow_inf_nan=False)]

    @model_validator(mode="after")
    def _ordered(self) -> Self:
        if self.lo > self.hi:
            raise ValueError(f"range [{self.lo}, {self.hi}] has lo > hi")
        return self

    @property
    def is_range(self) -> bool:
        return self.lo != self.hi

    def __add__(self, other: PriceRange) -> PriceRange:
        # A sum is not catalog input: it may exceed the per-price ceiling, so skip validation.
        return PriceRange.model_construct(lo=self.lo + other.lo, hi=self.hi + other.hi)


class Course(Frozen):
    """One course, exam or capstone of a program."""

    code: CourseCode
    title: Text
    weeks: Annotated[float, Field(gt=0, le=MAX_WEEKS, allow_inf_nan=False)]
    hours_per_week: HoursRange
    price_usd: PriceRange | None = None
    kind: Kind = Kind.COURSE
    pacing: Pacing = Pacing.SELF
    runs: tuple[date, ...] = ()
    prerequisites: tuple[CourseReference, ...] = ()
    # Courses the institution recommends taking first: soft, never required for the credential.
    recommended: tuple[CourseReference, ...] = ()
    external_prerequisites: tuple[Text, ...] = ()
    estimated: tuple[EstimatedField, ...] = ()
    url: Text | None = None
    notes: Text | None = None

    @property
    def mid_hours(self) -> float:
        """Total workload at mid effort: weeks x mean hours per week."""
        return self.weeks * self.hours_per_week.at(Effort.MID)

    def is_estimated(self, field: str) -> bool:
        return field in self.estimated


class ElectiveGroup(Frozen):
    """Choose `choose` courses from `from_` (written `from:` in YAML)."""

    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True)

    choose: Annotated[int, Field(ge=1, le=1000)]
    from_: Annotated[tuple[CourseCode, ...], Field(alias="from", min_length=1)]


class Track(Frozen):
    """A named set of courses; the learner follows exactly one track."""

    name: Text
    courses: Annotated[tuple[CourseCode, ...], Field(min_length=1)]


class CreditPathway(Frozen):
    """A degree that accepts the credential for credit, on admission."""

    institution: Text
    degree: Text
    credit: Text
    url: Text | None = None


class Program(Frozen):
    """A MicroMasters program: its courses, structure, price and credit pathways."""

    id: Slug
    title: Text
    institution: Text
    field: Text
    url: Text | None = None
    price_usd: PriceRange | None = None
    published_duration: Text | None = None
    as_of: date | None = None
    notes: Text | None = None
    courses: Annotated[tuple[Course, ...], Field(min_length=1)]
    electives: tuple[ElectiveGroup, ...] = ()
    tracks: tuple[Track, ...] = ()
    credit_pathways: tuple[CreditPathway, ...] = ()
    sources: Annotated[tuple[Text, ...], Field(min_length=1)]

    def course(self, code: str) -> Course:
        """The course with this code; KeyError when there is none."""
        for course in self.courses:
            if course.code == code:
                return course
        raise KeyError(code)

    @property
    def optional_codes(self) -> frozenset[str]:
        """Codes that are not required individually (in an elective group or a track)."""
        codes = {code for group in self.electives for code in group.from_}
        codes.update(code for track in self.tracks for code in track.courses)
        return frozenset(codes)

    @property
    def required_codes(self) -> tuple[str, ...]:
        """Codes every learner must pass, in catalog order."""
        optional = self.optional_codes
        return tuple(c.code for c in self.courses if c.code not in optional)


class Catalog(Frozen):
    """A whole catalog: every program of every active catalog file, merged."""

    schema_version: Literal[1]
    as_of: date
    programs: tuple[Program, ...] = ()

    def program(self, program_id: str) -> Program:
        """The program with exactly this id; KeyError when there is none."""
        for program in self.programs:
            if program.id == program_id:
                return program
        raise KeyError(program_id)


def course_id(program_id: str, code: str) -> str:
    """The catalog-wide id of a course: `program-id/CODE`."""
    return f"{program_id}/{code}"


def split_course_id(reference: str, default_program: str) -> tuple[str, str]:
    """Split `program/CODE` (or a bare `CODE` of `default_program`) into its parts."""
    program_id, sep, code = reference.partition("/")
    if not sep:
        return default_program, reference
    return program_id, code
