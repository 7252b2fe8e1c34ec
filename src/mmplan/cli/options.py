"""Arguments and options several commands share, each declared once as a typed alias.

A command names the alias as its parameter's type and gives the default, so every command
that takes `--track` or a program id spells, completes, checks and documents it the same
way. Where commands mean something different by the same flag (a single track or a
repeatable one, another range or help text), each meaning keeps its own declaration.
"""

import math
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Annotated, Any

import typer
from typer._click.core import Context, Parameter
from typer._click.types import ParamType

from mmplan.cli.app import DocumentFormat, TableFormat
from mmplan.cli.completion import complete_course_code, complete_program_id
from mmplan.core.defaults import DEFAULT_HOURS_PER_WEEK, Effort
from mmplan.core.errors import shown
from mmplan.core.limits import MAX_HOURS_PER_WEEK, MIN_HOURS_PER_WEEK, PACE_RANGE_TEXT, read_date


def choice_metavar(choices: type[StrEnum]) -> str:
    """`[a|b|c]`: the values an enum option accepts, as its help shows them."""
    return f"[{'|'.join(choices)}]"


HOURS = "HOURS"  # the metavar of every --hours-per-week


class Number(ParamType):
    """A finite number within [low, high]: nan, inf and out-of-range values are usage errors.

    click's own float range lets nan through (every comparison with nan is false), and
    with it options that quietly match nothing or crash deep in the arithmetic.
    """

    name = "number"

    def __init__(
        self, low: float | None = None, high: float | None = None, *, whole: bool = False
    ) -> None:
        self.low = low
        self.high = high
        self.whole = whole  # a count: an int, written without a point

    def convert(self, value: Any, param: Parameter | None, ctx: Context | None) -> float:
        try:
            number = int(value) if self.whole else float(value)
        except (TypeError, ValueError):
            kind = "a whole number" if self.whole else "a number"
            self.fail(f"{shown(str(value))} is not {kind}", param, ctx)
        if not math.isfinite(number):
            self.fail(f"{shown(str(value))} is not a finite number", param, ctx)
        if (self.low is not None and number < self.low) or (
            self.high is not None and number > self.high
        ):
            shown_number = str(number) if self.whole and abs(number) < 1e15 else f"{number:g}"
            self.fail(f"{shown_number} is not in the range {self._range()}", param, ctx)
        return number

    def _range(self) -> str:
        if self.high is None:
            return f"{self.low:.10g} or more"
        if self.low is None:
            return f"{self.high:.10g} or less"
        return f"{self.low:.10g} to {self.high:.10g}"


class Day(ParamType):
    """A date written YYYY-MM-DD within mmplan's date range (mmplan.core.limits)."""

    name = "date"

    def convert(self, value: Any, param: Parameter | None, ctx: Context | None) -> date:
        if isinstance(value, date):
            return value
        try:
            return read_date(str(value))
        except ValueError as error:
            self.fail(f"{shown(str(value))} {error}", param, ctx)


@dataclass(frozen=True)
class DateSpan:
    """Two dates typed as START:END, both inclusive (a --break)."""

    start: date
    end: date


class Span(ParamType):
    """START:END, two dates of mmplan's date range, START not after END."""

    name = "span"

    def convert(self, value: Any, param: Parameter | None, ctx: Context | None) -> DateSpan:
        if isinstance(value, DateSpan):
            return value
        text = str(value)
        first, sep, last = text.partition(":")
        if not sep:
            self.fail(f"expected START:END (YYYY-MM-DD:YYYY-MM-DD), got {shown(text)}", param, ctx)
        days = []
        for part in (first, last):
            try:
                days.append(read_date(part))
            except ValueError as error:
                self.fail(f"{shown(part)} {error} (in {shown(text)})", param, ctx)
        span = DateSpan(*days)
        if span.start > span.end:
            self.fail(f"{text} ends before it starts", param, ctx)
        return span


def program_argument(help: str, *, repeated: bool = False) -> Any:
    """A program-id argument with completion, for commands that word its help their own way."""
    return typer.Argument(
        metavar="PROGRAM..." if repeated else "PROGRAM",
        help=help,
        show_default=False,
        autocompletion=complete_program_id,
    )


ProgramArgument = Annotated[str, program_argument("Program id.")]
ProgramsArgument = Annotated[list[str], program_argument("Program ids.", repeated=True)]

# `plan` and `cost` follow several tracks, one per program; `status` checks one program.
TracksOption = Annotated[
    list[str] | None,
    typer.Option("--track", metavar="NAME", help="Track to follow (repeatable, per program)."),
]
TrackOption = Annotated[
    str | None,
    typer.Option(
        "--track", metavar="NAME", help="The track you follow (default: the closest to done)."
    ),
]
PicksOption = Annotated[
    list[str] | None,
    typer.Option(
        "--pick",
        metavar="CODE",
        help="Elective to take: CODE or PROGRAM/CODE (repeatable).",
        autocompletion=complete_course_code,
    ),
]


class ProgramStatusChoice(StrEnum):
    """`list --status`: the values of `mmplan.catalog.model.ProgramStatus` (a test checks),
    without importing the catalog's model when the CLI starts."""

    ACTIVE = "active"
    RETIRED = "retired"
    MOVED = "moved"
    UNKNOWN = "unknown"


StatusOption = Annotated[
    list[ProgramStatusChoice] | None,
    typer.Option(
        "--status",
        metavar="STATUS",
        help="Only programs of this status: active, moved, unknown (may no longer be "
        "offered) or retired; repeat for several (default: every status).",
    ),
]
AidOption = Annotated[
    float,
    typer.Option(
        "--aid",
        metavar="PERCENT",
        click_type=Number(0, 100),
        help="Financial assistance on what is due: the percent of each price your grant "
        "covers, 0 to 100; taken off edX's list prices only, not income-based prices "
        "(docs/cost.md).",
    ),
]
IgnoreProgressOption = Annotated[
    bool, typer.Option("--ignore-progress", help="Start from scratch: ignore your progress.")
]

# Plans follow the recommended order (soft edges in the catalog) unless this is given.
IgnoreRecommendedOption = Annotated[
    bool,
    typer.Option(
        "--ignore-recommended",
        help="Order by prerequisites only, not also by the courses the institution "
        "recommends taking first.",
    ),
]


def as_breaks(spans: list[DateSpan] | None) -> list[tuple[date, date]]:
    """The --break spans as the API takes them: (first, last) days."""
    return [(span.start, span.end) for span in spans or ()]


# Every command's pace takes the same range (mmplan.core.limits); only the help says what for.
PACE = Number(MIN_HOURS_PER_WEEK, MAX_HOURS_PER_WEEK)
PACE_HELP = f"{PACE_RANGE_TEXT} [default: {DEFAULT_HOURS_PER_WEEK:g}]"


def hours_per_week_option(purpose: str) -> Any:
    """-H/--hours-per-week: the study pace, `purpose` saying what it is for in the help."""
    return typer.Option(
        "--hours-per-week",
        "-H",
        metavar=HOURS,
        click_type=PACE,
        help=f"{purpose}, {PACE_HELP}.",
        show_default=False,
    )


# The pace behind the weeks estimates of `list`, `show` and `compare`.
HoursPerWeekOption = Annotated[
    float, hours_per_week_option("Your study pace in hours per week, for the weeks estimate")
]
StartOption = Annotated[
    date | None,
    typer.Option(
        "--start",
        metavar="DATE",
        click_type=Day(),
        help="First study day, YYYY-MM-DD [default: next Monday].",
        show_default=False,
    ),
]
BreaksOption = Annotated[
    list[DateSpan] | None,
    typer.Option(
        "--break",
        metavar="START:END",
        click_type=Span(),
        help="Days with no study, both inclusive, e.g. 2027-12-20:2028-01-02 (repeatable).",
    ),
]
EffortOption = Annotated[
    Effort,
    typer.Option(
        "--effort",
        metavar=choice_metavar(Effort),
        help="Which end of each published hours-per-week range counts (mid = mean).",
    ),
]

TableFormatOption = Annotated[
    TableFormat,
    typer.Option("--format", metavar=choice_metavar(TableFormat), help="Output format."),
]
DocumentFormatOption = Annotated[
    DocumentFormat,
    typer.Option("--format", metavar=choice_metavar(DocumentFormat), help="Output format."),
]
