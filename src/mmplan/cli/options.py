"""Arguments and options several commands share, each declared once as a typed alias.

A command names the alias as its parameter's type and gives the default, so every command
that takes `--track` or a program id spells, completes, checks and documents it the same
way. Where commands mean something different by the same flag (a single track or a
repeatable one, another range or help text), each meaning keeps its own declaration.
"""

from enum import StrEnum
from typing import Annotated, Any

import typer

from mmplan.cli.app import DocumentFormat, TableFormat
from mmplan.cli.completion import complete_course_code, complete_program_id


def choice_metavar(choices: type[StrEnum]) -> str:
    """`[a|b|c]`: the values an enum option accepts, as its help shows them."""
    return f"[{'|'.join(choices)}]"


class EffortLevel(StrEnum):
    """Mirror of mmplan.models.Effort, so the CLI modules stay light to import."""

    LOW = "low"
    MID = "mid"
    HIGH = "high"


HOURS = "HOURS"  # the metavar of every --hours-per-week


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

# The pace behind the weeks estimates of `list`, `show` and `compare`.
HoursPerWeekOption = Annotated[
    float,
    typer.Option(
        "--hours-per-week",
        "-H",
        metavar=HOURS,
        min=0.5,
        max=168,
        help="Your study pace in hours per week, for the weeks estimate.",
    ),
]
EffortOption = Annotated[
    EffortLevel,
    typer.Option(
        "--effort",
        metavar=choice_metavar(EffortLevel),
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
