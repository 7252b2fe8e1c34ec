"""`mmplan validate`: check catalog files and print every problem."""

from pathlib import Path
from typing import Annotated

import typer

from mmplan.cli.app import DocumentFormat, app, catalog_sources, print_warning, write_plain
from mmplan.cli.options import choice_metavar


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
    import json

    from mmplan.catalog import catalog_file_warnings, check_catalog_files
    from mmplan.errors import escaped

    active = catalog_sources(ctx).paths
    checked = tuple(paths) if paths else active
    problems = check_catalog_files(checked, context=active if paths else ())
    for warning in catalog_file_warnings(checked):
        print_warning(warning)
    if output_format is DocumentFormat.JSON:
        write_plain(json.dumps([vars(p) for p in problems], indent=2))
    else:
        for problem in problems:
            typer.echo(escaped(str(problem)))  # a file name may hold control characters too
        files = "file" if len(checked) == 1 else "files"
        found = "problem" if len(problems) == 1 else "problems"
        typer.echo(f"{len(checked)} {files} checked, {len(problems)} {found}", err=True)
    raise typer.Exit(1 if problems else 0)
