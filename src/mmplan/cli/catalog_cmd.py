"""`mmplan catalog ...`: fetch today's runs and prices (refresh), and see what they change."""

from pathlib import Path
from typing import Annotated

import typer

from mmplan.cli.app import (
    CommandGroup,
    DocumentFormat,
    app,
    catalog_sources,
    emit,
    print_note,
    stdout_console,
    today,
)
from mmplan.cli.options import DocumentFormatOption
from mmplan.cli.output import say

catalog_app = typer.Typer(
    cls=CommandGroup,
    name="catalog",
    help="Keep the catalog current: fetch runs and prices from MITx Online, see their age.",
    no_args_is_help=True,
    rich_markup_mode=None,
)
app.add_typer(catalog_app)


@catalog_app.command("refresh")
def refresh(
    ctx: typer.Context,
    from_file: Annotated[
        Path | None,
        typer.Option(
            "--from-file",
            metavar="DUMP.json",
            help="Read a saved dump (programs and courses) instead of the network.",
            dir_okay=False,
        ),
    ] = None,
    base_url: Annotated[
        str, typer.Option("--base-url", metavar="URL", help="The MITx Online site to ask.")
    ] = "https://mitxonline.mit.edu",
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Print what would change; write nothing.")
    ] = False,
    timeout: Annotated[
        float,
        typer.Option("--timeout", metavar="SECONDS", min=1, max=300, help="Per request."),
    ] = 20.0,
    output_format: DocumentFormatOption = DocumentFormat.TABLE,
) -> None:
    """Fetch programs, runs and prices from MITx Online's public API into the overlay.

    The overlay lives in your data directory, beside your progress; the bundled catalog is
    never edited, curated facts stay, and the previous overlay is kept. Any failure leaves
    the overlay as it was.

    Example: mmplan catalog refresh --dry-run --from-file mitxonline-dump.json
    """
    from mmplan.api.catalog import refresh as refresh_overlay
    from mmplan.core.errors import escaped
    from mmplan.render.catalog import change_renderables, refresh_json, refresh_summary

    report = refresh_overlay(
        catalog_sources(ctx),
        today=today(),
        base_url=base_url,
        from_file=from_file,
        dry_run=dry_run,
        timeout=timeout,
    )
    for note in report.notes:
        print_note(note)
    emit(
        output_format,
        table=lambda: change_renderables(report.changes),
        text={DocumentFormat.JSON: lambda: refresh_json(report)},
    )
    if output_format is DocumentFormat.TABLE:
        say(escaped(refresh_summary(report)))


@catalog_app.command("diff")
def diff(ctx: typer.Context, output_format: DocumentFormatOption = DocumentFormat.TABLE) -> None:
    """Say what the overlay changes: new runs, prices, pacing, status, new and missing programs.

    Example: mmplan catalog diff
    """
    from mmplan.api.catalog import changes as overlay_changes
    from mmplan.render.catalog import change_renderables, changes_json

    changes = overlay_changes(catalog_sources(ctx))
    emit(
        output_format,
        table=lambda: change_renderables(changes),
        text={DocumentFormat.JSON: lambda: changes_json(changes)},
    )


@catalog_app.command("status")
def status(ctx: typer.Context, output_format: DocumentFormatOption = DocumentFormat.TABLE) -> None:
    """Give each program's data source and age, and the overlay in use.

    Example: mmplan catalog status
    """
    from mmplan.api.catalog import status as catalog_status
    from mmplan.render.catalog import catalog_status_json, catalog_status_view
    from mmplan.render.explore import fit_table

    result = catalog_status(catalog_sources(ctx), today())
    emit(
        output_format,
        table=lambda: [fit_table(catalog_status_view(result), stdout_console().width)],
        text={DocumentFormat.JSON: lambda: catalog_status_json(result)},
    )
