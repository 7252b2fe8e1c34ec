"""`mmplan status PROGRAM`: is the credential earned, what is left, what can start now."""

from typing import Annotated

import typer

from mmplan.cli.app import (
    DocumentFormat,
    active_catalog,
    app,
    emit,
    json_text,
)
from mmplan.cli.completion import complete_course_code
from mmplan.cli.options import (
    DocumentFormatOption,
    IgnoreProgressOption,
    ProgramArgument,
    TrackOption,
)
from mmplan.cli.output import stdout_console


@app.command()
def status(
    ctx: typer.Context,
    program: ProgramArgument,
    track: TrackOption = None,
    pick: Annotated[
        list[str] | None,
        typer.Option(
            "--pick",
            metavar="CODE",
            help="Elective you take (repeatable).",
            autocompletion=complete_course_code,
        ),
    ] = None,
    ignore_progress: IgnoreProgressOption = False,
    output_format: DocumentFormatOption = DocumentFormat.TABLE,
) -> None:
    """Whether you earned the credential, what is missing, what you can start now.

    Example: mmplan status mitx-scm
    """

    from mmplan.catalog.lookup import find_program
    from mmplan.progress.model import Progress
    from mmplan.progress.store import ProgressStore
    from mmplan.render.status import status_view
    from mmplan.reports.eligibility import program_status

    catalog = active_catalog(ctx)
    found = find_program(catalog, program)
    progress = Progress() if ignore_progress else ProgressStore.default().load()
    result = program_status(
        catalog,
        found,
        passed=progress.passed_ids,
        started=progress.started_ids,
        audited=progress.audited_ids,
        track=track,
        picks=pick or (),
    )
    emit(
        output_format,
        table=lambda: status_view(result, found, stdout_console().width),
        text={"json": lambda: json_text(result)},
    )
