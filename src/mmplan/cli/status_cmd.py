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

    import mmplan.api as api
    from mmplan.render.status import status_view

    catalog = active_catalog(ctx)
    result = api.status(
        catalog,
        program,
        track=track,
        picks=pick or (),
        progress=None if ignore_progress else api.load_progress(),
    )
    emit(
        output_format,
        table=lambda: status_view(result, catalog.program(result.program), stdout_console().width),
        text={DocumentFormat.JSON: lambda: json_text(result)},
    )
