"""`mmplan cost PROGRAM...`: what the certificates cost, paid and due, with financial aid."""

from typing import TYPE_CHECKING, Annotated

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
    BreaksOption,
    IgnoreProgressOption,
    IgnoreRecommendedOption,
    Number,
    PicksOption,
    ProgramsArgument,
    StartOption,
    TableFormatOption,
    TracksOption,
    as_breaks,
    hours_per_week_option,
)
from mmplan.cli.output import stdout_console
from mmplan.core.defaults import DEFAULT_HOURS_PER_WEEK

if TYPE_CHECKING:
    from datetime import date

    from mmplan.catalog.model import Catalog
    from mmplan.progress.model import Progress
    from mmplan.schedule import Break, Plan


@app.command()
def cost(
    ctx: typer.Context,
    programs: ProgramsArgument,
    aid: Annotated[
        float,
        typer.Option(
            "--aid",
            metavar="PERCENT",
            click_type=Number(0, 90),
            help="Financial assistance on what is due, in percent (edX grants up to 90).",
        ),
    ] = 0,
    track: TracksOption = None,
    pick: PicksOption = None,
    by_month: Annotated[
        bool,
        typer.Option(
            "--by-month",
            help="When the money is due, month by month: each certificate bought when its "
            "course starts in the plan (see --hours-per-week, --start, --break).",
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
    from decimal import Decimal

    from mmplan.catalog.lookup import find_open_program
    from mmplan.core.errors import UsageError
    from mmplan.progress.model import Progress
    from mmplan.progress.store import ProgressStore
    from mmplan.render.cost import cost_markdown_summary, cost_table, cost_view, month_table
    from mmplan.render.tabular import to_csv, to_markdown
    from mmplan.reports.cost import cost_report

    for given, option in (
        (hours_per_week, "--hours-per-week"),
        (start, "--start"),
        (breaks, "--break"),
    ):
        if given is not None and not by_month:
            raise UsageError(f"{option} is for the plan behind --by-month; add --by-month")
    if ignore_recommended and not by_month:
        raise UsageError("--ignore-recommended is for the plan behind --by-month; add --by-month")
    catalog = active_catalog(ctx)
    found = list(dict.fromkeys(find_open_program(catalog, typed) for typed in programs))
    progress = Progress() if ignore_progress else ProgressStore.default().load()
    plan = None
    if by_month:
        plan = _dating_plan(
            catalog,
            [p.id for p in found],
            hours_per_week=DEFAULT_HOURS_PER_WEEK if hours_per_week is None else hours_per_week,
            start=start,
            breaks=as_breaks(breaks),
            tracks=track or [],
            picks=pick or [],
            follow_recommended=not ignore_recommended,
            progress=progress,
        )
    report = cost_report(
        catalog,
        found,
        passed=progress.passed_ids,
        started=progress.started_ids,
        aid_percent=Decimal(str(aid)),
        tracks=tuple(track or ()),
        picks=tuple(pick or ()),
        hours_per_week=plan.hours_per_week if plan is not None else None,
        starts=plan.start_dates() if plan is not None else None,
        ends=plan.end_dates() if plan is not None else None,
        plan_start=plan.start if plan is not None else None,
        plan_breaks=[(b.start, b.end) for b in plan.breaks] if plan is not None else (),
    )
    months = "\n" + to_markdown(month_table(report)) if by_month else ""
    emit(
        output_format,
        table=lambda: cost_view(report, stdout_console().width),
        text={
            "json": lambda: json_text(report),
            "csv": lambda: to_csv(month_table(report) if by_month else cost_table(report)),
            "markdown": lambda: (
                to_markdown(cost_table(report)) + months + "\n" + cost_markdown_summary(report)
            ),
        },
    )


def _dating_plan(
    catalog: "Catalog",
    program_ids: list[str],
    *,
    hours_per_week: float,
    start: "date | None",
    breaks: "list[Break]",
    tracks: list[str],
    picks: list[str],
    follow_recommended: bool,
    progress: "Progress",
) -> "Plan":
    """The plan behind --by-month: what `mmplan plan` makes with the same options."""
    from mmplan.api.request import plan_request
    from mmplan.schedule import next_monday, plan_programs

    request = plan_request(
        catalog,
        program_ids,
        hours_per_week=hours_per_week,
        start=start or next_monday(today()),
        breaks=breaks,
        tracks=tracks,
        picks=picks,
        follow_recommended=follow_recommended,
        progress=progress,
    )
    return plan_programs(catalog, request, what_ifs=False)  # only its dates are used
