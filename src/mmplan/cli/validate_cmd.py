"""`mmplan validate`: check catalog files and print every problem."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from mmplan.cli.app import DocumentFormat, app, catalog_sources, write_plain


@app.command()
def validate(
    ctx: typer.Context,
    paths: Annotated[
        list[Path] | None, typer.Argument(help="Catalog files (default: the active catalog).")
    ] = None,
    output_format: Annotated[
        DocumentFormat, typer.Option("--format", help="Output format.")
    ] = DocumentFormat.TABLE,
) -> None:
    """Check catalog files; exit 0 when clean, 1 when there are problems.

    Example: mmplan validate my-programs.yaml
    """
    import json

    from mmplan.catalog import load_catalog_file
    from mmplan.errors import CatalogError, Problem

    files = tuple(paths) if paths else catalog_sources(ctx).paths
    problems: list[Problem] = []
    for path in files:
        try:
            load_catalog_file(path)
        except CatalogError as error:
            problems.extend(error.problems)
    if output_format is DocumentFormat.JSON:
        write_plain(json.dumps([vars(p) for p in problems], indent=2))
    else:
        for problem in problems:
            typer.echo(str(problem))
        summary = f"{len(files)} file(s) checked, {len(problems)} problem(s)"
        typer.echo(summary, err=True)
    raise typer.Exit(1 if problems else 0)
