"""`mmplan cost PROGRAM...`: what the certificates cost, paid and due, with financial aid."""

from __future__ import annotations

from typing import Annotated

import typer

from mmplan.cli.app import TableFormat, active_catalog, app, show, write_plain
from mmplan.cli.completion import complete_program_id


@app.command()
def cost(
    ctx: typer.Context,
    programs: Annotated[
        list[str],
        typer.Argument(help="Program ids.", show_default=False, autocompletion=complete_program_id),
    ],
    aid: Annotated[
        float,
        typer.Option(
            "--aid",
            metavar="PERCENT",
            min=0,
            max=90,
            help="Financial assistance on what is due, in percent (edX grants up to 90).",
        ),
    ] = 0,
    ignore_progress: Annotated[
        bool, typer.Option("--ignore-progress", help="Start from scratch: ignore your progress.")
    ] = False,
    output_format: Annotated[
        TableFormat, typer.Option("--format", help="Output format.")
    ] = TableFormat.TABLE,
) -> None:
    """What the verified certificates cost: per course, paid, due, and the total.

    Example: mmplan cost mitx-scm --aid 50
    """
    import json
    from decimal import Decimal

    from mmplan.cost import cost_report
    from mmplan.lookup import find_program
    from mmplan.progress import Progress, ProgressStore
    from mmplan.render.cost import cost_markdown_summary, cost_table, cost_view
    from mmplan.render.tabular import to_csv, to_markdown

    catalog = active_catalog(ctx)
    found = list(dict.fromkeys(find_program(catalog, typed) for typed in programs))
    progress = Progress() if ignore_progress else ProgressStore.default().load()
    report = cost_report(
        catalog,
        found,
        passed=progress.passed_ids,
        started=progress.started_ids,
        aid_percent=Decimal(str(aid)),
    )
    if output_format is TableFormat.JSON:
        write_plain(json.dumps(report.model_dump(mode="json"), indent=2))
    elif output_format is TableFormat.CSV:
        write_plain(to_csv(cost_table(report)))
    elif output_format is TableFormat.MARKDOWN:
        write_plain(to_markdown(cost_table(report)) + "\n" + cost_markdown_summary(report))
    else:
        show(*cost_view(report))
