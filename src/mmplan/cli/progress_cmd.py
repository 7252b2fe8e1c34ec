"""`mmplan progress ...`: record completed and started courses, show, export and import them."""

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from mmplan.cli.app import (
    CommandGroup,
    DocumentFormat,
    YamlFormat,
    active_catalog,
    app,
    emit,
    json_text,
)
from mmplan.cli.app import today as current_day
from mmplan.cli.completion import complete_course_code
from mmplan.cli.options import DocumentFormatOption, Number, ProgramArgument, program_argument
from mmplan.cli.output import say
from mmplan.core.limits import MIN_HOURS_SPENT

if TYPE_CHECKING:
    from mmplan.api.progress import Stored

progress_app = typer.Typer(
    cls=CommandGroup,
    name="progress",
    help="Record the courses you completed or started; plan, cost and status use them.",
    no_args_is_help=True,
    rich_markup_mode=None,
)
app.add_typer(progress_app)

CodesArgument = Annotated[
    list[str],
    typer.Argument(
        metavar="CODE...",
        help="Course codes (or program/CODE ids).",
        show_default=False,
        autocompletion=complete_course_code,
    ),
]
DateOption = Annotated[
    str, typer.Option("--date", metavar="DATE", help="YYYY-MM-DD (default: today).")
]


@progress_app.command("add")
def add(
    ctx: typer.Context,
    program: ProgramArgument,
    codes: CodesArgument,
    day: DateOption = "today",
    grade: Annotated[
        float | None,
        typer.Option(
            "--grade", metavar="GRADE", click_type=Number(0, 1), help="Final grade, 0 to 1."
        ),
    ] = None,
    verified: Annotated[
        bool,
        typer.Option(
            "--verified/--audit",
            help="Verified certificate (counts toward the credential) or audit (does not).",
        ),
    ] = True,
    hours_spent: Annotated[
        float | None,
        typer.Option(
            "--hours-spent",
            metavar="HOURS",
            click_type=Number(MIN_HOURS_SPENT, 2000),
            help="Hours the course really took you (calibrates `plan` to your pace).",
        ),
    ] = None,
) -> None:
    """Record completed courses (a verified certificate unless --audit).

    Example: mmplan progress add mitx-scm CTL.SC0x --date 2026-05-01 --grade 0.87
    """
    from mmplan.api.progress import add_completed

    stored = add_completed(
        active_catalog(ctx),
        program,
        codes,
        day=day,
        today=current_day(),
        verified=verified,
        grade=grade,
        hours_spent=hours_spent,
    )
    _say(stored)


@progress_app.command("start")
def start(
    ctx: typer.Context,
    program: ProgramArgument,
    code: Annotated[
        str,
        typer.Argument(
            metavar="CODE",
            help="Course code.",
            show_default=False,
            autocompletion=complete_course_code,
        ),
    ],
    day: DateOption = "today",
    percent: Annotated[
        float,
        typer.Option(
            "--percent",
            metavar="PERCENT",
            click_type=Number(0, 99),
            help="How much is done, 0 to 99.",
        ),
    ] = 0,
) -> None:
    """Record a course you are taking now; `plan` keeps it going with its remaining hours.

    Example: mmplan progress start mitx-scm CTL.SC1x --date 2026-10-05 --percent 40
    """
    from mmplan.api.progress import add_started

    stored = add_started(
        active_catalog(ctx), program, code, day=day, today=current_day(), percent=percent
    )
    _say(stored)


@progress_app.command("remove")
def remove(ctx: typer.Context, program: ProgramArgument, codes: CodesArgument) -> None:
    """Forget recorded courses (completed or in progress).

    Example: mmplan progress remove mitx-scm CTL.SC0x
    """
    from mmplan.api.progress import remove as remove_courses

    _say(remove_courses(active_catalog(ctx), program, codes))


@progress_app.command("show")
def show_progress(
    ctx: typer.Context,
    program: Annotated[str | None, program_argument("Only this program.")] = None,
    output_format: DocumentFormatOption = DocumentFormat.TABLE,
) -> None:
    """Show what you completed and started, and your pace against published effort.

    Example: mmplan progress show mitx-scm
    """

    from mmplan.api.progress import report
    from mmplan.render.progress import progress_view

    result, where = report(active_catalog(ctx), program)
    emit(
        output_format,
        table=lambda: progress_view(result, where),
        text={DocumentFormat.JSON: lambda: json_text(result)},
    )


@progress_app.command("export")
def export() -> None:
    """Print your progress as YAML, for a backup or another machine.

    Example: mmplan progress export > my-progress.yaml
    """
    from mmplan.api.progress import export as exported

    text = exported()
    emit(YamlFormat.YAML, text={YamlFormat.YAML: lambda: text})


@progress_app.command("import")
def import_progress(
    ctx: typer.Context,
    file: Annotated[
        Path,
        typer.Argument(
            metavar="FILE", help="A file written by `progress export`.", show_default=False
        ),
    ],
    replace: Annotated[
        bool,
        typer.Option(
            "--replace/--merge",
            help="Replace all your progress with the file, or merge it in (the file's "
            "record wins for a course in both).",
        ),
    ] = False,
) -> None:
    """Import progress from a YAML file; it is checked in full before anything is written.

    Example: mmplan progress import my-progress.yaml
    """
    from mmplan.api.progress import import_file

    stored = import_file(active_catalog(ctx), file, today=current_day(), replace=replace)
    how = "replacing all your progress" if replace else "merged into your progress"
    _say(stored, head=f"Imported {file}, {how}")


def _say(stored: "Stored", head: str = "Progress") -> None:
    """One line on stderr saying what changed and where."""
    from mmplan.core.errors import escaped
    from mmplan.render.progress import change_line

    say(escaped(change_line(stored.change, stored.where, head)))
