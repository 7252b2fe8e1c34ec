"""`mmplan progress ...`: record completed and started courses, show, export and import them."""

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from mmplan.cli.app import (
    CommandGroup,
    DocumentFormat,
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
    from mmplan.progress.model import Change

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
    from mmplan.core.errors import UsageError
    from mmplan.progress.model import (
        Certificate,
        CompletedCourse,
        new_record,
        parse_day,
        record_completed,
        resolve_courses,
    )
    from mmplan.progress.store import ProgressStore

    today = current_day()
    ids = resolve_courses(active_catalog(ctx), program, codes)
    if hours_spent is not None and len(ids) > 1:
        raise UsageError("--hours-spent applies to one course; record each course on its own")
    completed_on = parse_day(day, today=today, what="--date")
    certificate = Certificate.VERIFIED if verified else Certificate.AUDIT
    records = [
        new_record(
            CompletedCourse,
            program=program_id,
            code=code,
            completed_on=completed_on,
            certificate=certificate,
            grade=grade,
            hours_spent=hours_spent,
        )
        for program_id, _, code in (i.partition("/") for i in ids)
    ]
    store = ProgressStore.default()
    _say(store.change(lambda progress: record_completed(progress, records)), store.shown_as)


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
    from mmplan.progress.model import (
        StartedCourse,
        new_record,
        parse_day,
        record_started,
        resolve_courses,
    )
    from mmplan.progress.store import ProgressStore

    (course,) = resolve_courses(active_catalog(ctx), program, [code])
    program_id, _, course_code = course.partition("/")
    record = new_record(
        StartedCourse,
        program=program_id,
        code=course_code,
        started_on=parse_day(day, today=current_day(), what="--date"),
        percent_done=percent,
    )
    store = ProgressStore.default()
    _say(store.change(lambda progress: record_started(progress, record)), store.shown_as)


@progress_app.command("remove")
def remove(ctx: typer.Context, program: ProgramArgument, codes: CodesArgument) -> None:
    """Forget recorded courses (completed or in progress).

    Example: mmplan progress remove mitx-scm CTL.SC0x
    """
    from mmplan.progress.model import remove_courses, resolve_recorded
    from mmplan.progress.store import ProgressStore

    catalog = active_catalog(ctx)
    store = ProgressStore.default()
    change = store.change(
        lambda progress: remove_courses(
            progress, resolve_recorded(catalog, progress, program, codes)
        )
    )
    _say(change, store.shown_as)


@progress_app.command("show")
def show_progress(
    ctx: typer.Context,
    program: Annotated[str | None, program_argument("Only this program.")] = None,
    output_format: DocumentFormatOption = DocumentFormat.TABLE,
) -> None:
    """Show what you completed and started, and your pace against published effort.

    Example: mmplan progress show mitx-scm
    """

    from mmplan.catalog.lookup import find_program
    from mmplan.progress.model import progress_report
    from mmplan.progress.store import ProgressStore
    from mmplan.render.progress import progress_view

    catalog = active_catalog(ctx)
    program_id = find_program(catalog, program).id if program is not None else None
    store = ProgressStore.default()
    report = progress_report(store.load(), catalog, program_id)
    emit(
        output_format,
        table=lambda: progress_view(report, store.shown_as),
        text={"json": lambda: json_text(report)},
    )


@progress_app.command("export")
def export() -> None:
    """Print your progress as YAML, for a backup or another machine.

    Example: mmplan progress export > my-progress.yaml
    """
    from mmplan.progress.store import ProgressStore, dump_progress

    progress = ProgressStore.default().load()
    emit("yaml", text={"yaml": lambda: dump_progress(progress)})


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
    from mmplan.progress.model import check_against_catalog, merge_progress, replace_progress
    from mmplan.progress.store import ProgressStore, read_progress_file

    incoming = read_progress_file(file)
    check_against_catalog(incoming, active_catalog(ctx), today=current_day(), source=str(file))
    apply = replace_progress if replace else merge_progress
    store = ProgressStore.default()
    change = store.change(lambda progress: apply(progress, incoming))
    how = "replacing all your progress" if replace else "merged into your progress"
    _say(change, store.shown_as, head=f"Imported {file}, {how}")


def _say(change: "Change", path: str, head: str = "Progress") -> None:
    """One line on stderr saying what changed and where."""
    from mmplan.core.errors import escaped

    parts = [
        f"{label} {', '.join(ids)}"
        for label, ids in (
            ("added", change.added),
            ("updated", change.updated),
            ("removed", change.removed),
            ("already recorded", change.unchanged),
        )
        if ids
    ]
    summary = "; ".join(parts) if parts else "nothing to change"
    say(escaped(f"{head}: {summary} ({path})"))
