"""`mmplan cost PROGRAM...`: what the certificates cost, paid and due, with financial aid."""

from typing import Annotated

import typer

from mmplan.cli.app import (
    TableFormat,
    active_catalog,
    app,
    emit,
    json_text,
    today,
)
from mmplan.cli.options import (
    AidOption,
    BreaksOption,
    IgnoreProgressOption,
    IgnoreRecommendedOption,
    PicksOption,
    ProgramsArgument,
    StartOption,
    TableFormatOption,
    TracksOption,
    as_breaks,
    hours_per_week_option,
)
from mmplan.cli.output import stdout_console


@app.command()
def cost(
    ctx: typer.Context,
    programs: ProgramsArgument,
    aid: AidOption = 0,
    track: TracksOption = None,
    pick: PicksOption = None,
    by_month: Annotated[
        bool,
        typer.Option(
            "--by-month",
            help="When the money is due, month by month: each certificate in the month it "
            "must be paid (its payment rule's upgrade deadline, else its course's start) in the "
            "plan (see --hours-per-week, --start, --break).",
        ),
    ] = False,
    hours_per_week: Annotated[
        float | None, hours_per_week_option("Your weekly study hours, for --by-month")
    ] = None,
    start: StartOption = None,
    breaks: BreaksOption = None,
    ignore_progress: IgnoreProgressOption = False,
    ignore_recommended: IgnoreRecommendedOption = False,
    output_format: TableFormatOption = TableFormat.TABLE,
) -> None:
    """What the verified certificates cost: per course, paid, due, and the total.

    With --by-month, the money due is dated by the plan `mmplan plan PROGRAM...` makes with
    the same --hours-per-week, --start and --break.
    With --format csv and --by-month, the CSV is the month table.

    Example: mmplan cost mitx-scm --aid 50
    """
    import mmplan.api as api
    from mmplan.render.cost import cost_markdown_summary, cost_table, cost_view, month_table
    from mmplan.render.tabular import to_csv, to_markdown

    report = api.cost(
        active_catalog(ctx),
        programs,
        aid_percent=aid,
        tracks=track or (),
        picks=pick or (),
        progress=None if ignore_progress else api.load_progress(),
        by_month=by_month,
        hours_per_week=hours_per_week,
        start=start,
        breaks=as_breaks(breaks),
        follow_recommended=not ignore_recommended,
        today=today(),
    )
    months = "\n" + to_markdown(month_table(report)) if by_month else ""
    emit(
        output_format,
        table=lambda: cost_view(report, stdout_console().width),
        text={
            TableFormat.JSON: lambda: json_text(report),
            TableFormat.CSV: lambda: to_csv(
                month_table(report) if by_month else cost_table(report)
            ),
            TableFormat.MARKDOWN: lambda: (
                to_markdown(cost_table(report)) + months + "\n" + cost_markdown_summary(report)
            ),
        },
    )
