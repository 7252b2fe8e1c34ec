"""`mmplan validate`: check catalog files and print every problem."""

from pathlib import Path
from typing import Annotated

import typer

from mmplan.cli.app import DocumentFormat, app, catalog_sources, emit, print_warning
from mmplan.cli.options import choice_metavar
from mmplan.cli.output import say


@app.command()
def validate(
    ctx: typer.Context,
    paths: Annotated[
        list[Path] | None,
        typer.Argument(
            metavar="FILE...",
            help="Catalog files to check, layered over the active catalog so that "
            "prerequisites in other programs resolve (default: check the active catalog).",
            show_default=False,
        ),
    ] = None,
    output_format: Annotated[
        DocumentFormat,
        typer.Option(
            "--format",
            metavar=choice_metavar(DocumentFormat),
            help="table: one FILE:LINE:COL line per problem; json: a list.",
        ),
    ] = DocumentFormat.TABLE,
) -> None:
    """Check catalog files and print every problem; exit 0 when clean, 1 otherwise.

    Each problem is one line, FILE:LINE:COL: PATH: MESSAGE; a summary goes to stderr.

    Example: mmplan validate my-programs.yaml
    """
    from mmplan.api import check_catalogs
    from mmplan.render.validation import problem_lines, problems_json

    active = catalog_sources(ctx).paths
    check = check_catalogs(paths or active, context=active if paths else ())
    for warning in check.warnings:
        print_warning(warning)
    # The terminal view is plain lines too (FILE:LINE:COL: ...), never wrapped by Rich.
    emit(
        output_format,
        text={
            DocumentFormat.TABLE: lambda: problem_lines(check),
            DocumentFormat.JSON: lambda: problems_json(check),
        },
    )
    if output_format is DocumentFormat.TABLE:
        say(check.summary)
    raise typer.Exit(1 if check.problems else 0)
