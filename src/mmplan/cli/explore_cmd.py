"""`mmplan list`, `mmplan show` and `mmplan compare`: explore the catalog before planning."""

from enum import Enum
from typing import TYPE_CHECKING, Annotated

import typer

from mmplan.cli.app import (
    DocumentFormat,
    TableFormat,
    active_catalog,
    active_loaded,
    app,
    catalog_sources,
    data_source_renderables,
    emit,
    json_with_sources,
    print_warning,
    show_data_source,
    today,
)
from mmplan.cli.options import (
    DocumentFormatOption,
    EffortOption,
    HoursPerWeekOption,
    Number,
    StatusOption,
    TableFormatOption,
    program_argument,
)
from mmplan.cli.output import rendered, say, stdout_console, terminal_look, write_plain
from mmplan.core.defaults import DEFAULT_HOURS_PER_WEEK, Effort, SortKey, next_monday
from mmplan.core.limits import MAX_FILTER_PRICE, MAX_FILTER_WEEKS

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence
    from datetime import date

    from rich.console import RenderableType

    from mmplan.api import Listing, LoadedCatalog
    from mmplan.render.tabular import TableView


def _emit_view(
    output_format: TableFormat,
    view: "Callable[[], TableView]",
    json: "Callable[[], str]",
    *,
    stack: bool = True,
    keep: "Callable[[str], str]" = str,
    below: "Callable[[], Sequence[RenderableType]]" = tuple,
) -> None:
    """A listing in any table format: fitted to the terminal with what goes `below` it, or
    as CSV or Markdown; `keep` sees the text on its way out (the answer cache)."""
    from mmplan.render.explore import fit_table
    from mmplan.render.tabular import to_csv, to_markdown

    def terminal() -> str:
        return rendered(fit_table(view(), stdout_console().width, stack=stack), *below())

    emit(
        output_format,
        text={
            TableFormat.TABLE: lambda: keep(terminal()),
            TableFormat.JSON: lambda: keep(json()),
            TableFormat.CSV: lambda: keep(to_csv(view())),
            TableFormat.MARKDOWN: lambda: keep(to_markdown(view())),
        },
    )


@app.command("list")
def list_command(
    ctx: typer.Context,
    hours_per_week: HoursPerWeekOption = DEFAULT_HOURS_PER_WEEK,
    field: Annotated[
        str | None,
        typer.Option("--field", metavar="TEXT", help="Field contains this text (any case)."),
    ] = None,
    institution: Annotated[
        str | None,
        typer.Option(
            "--institution", metavar="TEXT", help="Institution contains this text (any case)."
        ),
    ] = None,
    max_price: Annotated[
        float | None,
        typer.Option(
            "--max-price",
            metavar="USD",
            click_type=Number(0, MAX_FILTER_PRICE),
            help="Whole price at most this (a range's top); those whose price is not wholly "
            "known are left out and named below the table.",
        ),
    ] = None,
    max_weeks: Annotated[
        float | None,
        typer.Option(
            "--max-weeks",
            metavar="WEEKS",
            click_type=Number(0, MAX_FILTER_WEEKS),
            help="Estimated weeks at --hours-per-week at most this.",
        ),
    ] = None,
    credit_at: Annotated[
        str | None,
        typer.Option(
            "--credit-at",
            metavar="INSTITUTION",
            help="Has a credit pathway at an institution containing this text.",
        ),
    ] = None,
    search: Annotated[
        str | None,
        typer.Option(
            "--search",
            metavar="WORDS",
            help="Every word appears in the program's title, id, or its course titles or codes.",
        ),
    ] = None,
    status: StatusOption = None,
    sort: Annotated[
        SortKey | None,
        typer.Option(
            "--sort",
            metavar="COLUMN",
            help="Sort by id, title, institution, field, courses, hours, price, weeks or "
            "credit (default: catalog order).",
        ),
    ] = None,
    reverse: Annotated[bool, typer.Option("--reverse", help="Sort in descending order.")] = False,
    effort: EffortOption = Effort.MID,
    output_format: TableFormatOption = TableFormat.TABLE,
) -> None:
    """List programs: courses, hours, price, weeks at your pace, credit pathways.

    Hours and price count the default path (required courses, the fewest-hours track and
    electives, prerequisites from other programs). Weeks is an estimate marked ~: your
    hours at your pace (an instructor-paced course keeps its published weeks), or the
    longest prerequisite chain if that is longer; run `mmplan plan` for dated plans.
    Prices: ~ estimated, + some course prices unknown, – a range.

    Example: mmplan list --field data --max-weeks 60 --sort price
    """
    start = next_monday(today())
    request = _listing_request(ctx, output_format, start)
    if _replayed(ctx, request):  # the same text for the same request
        return
    from mmplan.api.explore import list_programs

    loaded = active_loaded(ctx)
    listing = list_programs(
        loaded.catalog,
        hours_per_week=hours_per_week,
        effort=effort,
        field=field,
        institution=institution,
        max_price=max_price,
        max_weeks=max_weeks,
        credit_at=credit_at,
        search=search,
        statuses=[choice.value for choice in status or ()],
        sort=sort,
        reverse=reverse,
        start=start,
    )
    _write_listing(output_format, listing, loaded, request)


def _write_listing(
    output_format: TableFormat,
    listing: "Listing",
    loaded: "LoadedCatalog",
    request: "dict[str, object]",
) -> None:
    """The listing in the format asked for, its text kept for `request`."""
    from mmplan.render.explore import listing_view, no_match_text

    if not listing.programs and output_format is TableFormat.TABLE:
        say(no_match_text(listing))
        return
    program_ids = [p.id for p in listing.programs]
    _emit_view(
        output_format,
        lambda: listing_view(listing),
        lambda: _json(listing, loaded),
        keep=lambda text: _kept(request, text, loaded),
        below=lambda: data_source_renderables(loaded, program_ids),
    )


def _listing_request(
    ctx: typer.Context, output_format: TableFormat, start: "date"
) -> "dict[str, object]":
    """What a listing is kept for: every option of the command line (click's parameters, so
    an option added later counts too), the day the weeks count from, and for the
    terminal's table the terminal's look (width, colours, encoding)."""
    request = {name: _plain(value) for name, value in ctx.params.items()}
    if output_format is TableFormat.TABLE:
        request["terminal"] = terminal_look()
    return {**request, "start": start.isoformat()}


def _plain(value: object) -> object:
    """An option as the answer's key holds it: enums by value, dates as text, lists as tuples."""
    if isinstance(value, list):
        return tuple(value)
    if isinstance(value, Enum):
        return value.value
    return value if isinstance(value, str | int | float | bool | None) else str(value)


def _replayed(ctx: typer.Context, request: "dict[str, object]") -> bool:
    """Write the answer kept for `request` over the catalog files as they are, warnings
    first, as the command first wrote it; False when there is none."""
    from mmplan.api.answers import answer_key, read_catalog_digest, recall_answer

    digest = read_catalog_digest(catalog_sources(ctx))
    answer = recall_answer(answer_key(digest, "list", request))
    if answer is None:
        return False
    for warning in answer.warnings:
        print_warning(warning)
    write_plain(answer.text, terminal="terminal" in request)
    return True


def _kept(request: "dict[str, object]", text: str, loaded: "LoadedCatalog") -> str:
    """`text`, the answer just worked out from `loaded`, kept for `request` with the
    catalog's warnings."""
    from mmplan.api.answers import Answer, answer_key, remember_answer

    key = answer_key(loaded.digest, "list", request)
    remember_answer(key, Answer(text=text, warnings=loaded.warnings))
    return text


def _json(listing: "Listing", loaded: "LoadedCatalog") -> str:
    """The listing's JSON, naming the overlay's facts of the programs listed."""
    from mmplan.render.explore import to_json

    return json_with_sources(to_json(listing), loaded, [p.id for p in listing.programs])


@app.command("show")
def show_command(
    ctx: typer.Context,
    program: Annotated[str, program_argument("Program id (any case; a unique prefix is enough).")],
    hours_per_week: HoursPerWeekOption = DEFAULT_HOURS_PER_WEEK,
    effort: EffortOption = Effort.MID,
    output_format: DocumentFormatOption = DocumentFormat.TABLE,
) -> None:
    """Show a program: facts, courses, prerequisite tree, electives, credit pathways, sources.

    Figures marked ~ are estimates, not published facts.

    Example: mmplan show mitx-scm
    """
    from mmplan.api.explore import show_program
    from mmplan.render.explore import show_renderables, to_json

    loaded = active_loaded(ctx)
    details = show_program(
        loaded.catalog,
        program,
        hours_per_week=hours_per_week,
        effort=effort,
        start=next_monday(today()),
    )
    emit(
        output_format,
        table=lambda: show_renderables(details, stdout_console().width),
        text={
            DocumentFormat.JSON: lambda: json_with_sources(
                to_json(details), loaded, [details.summary.id]
            )
        },
    )
    if output_format is DocumentFormat.TABLE:
        show_data_source(loaded, [details.summary.id])


@app.command("compare")
def compare_command(
    ctx: typer.Context,
    programs: Annotated[list[str], program_argument("Two or more program ids.", repeated=True)],
    hours_per_week: HoursPerWeekOption = DEFAULT_HOURS_PER_WEEK,
    effort: EffortOption = Effort.MID,
    output_format: TableFormatOption = TableFormat.TABLE,
) -> None:
    """Compare programs side by side: courses, hours, weeks, price, credit, shared courses.

    Example: mmplan compare mitx-sds mitx-dedp --hours-per-week 10
    """
    from mmplan.api.explore import compare
    from mmplan.render.explore import comparison_view, to_json

    comparison = compare(
        active_catalog(ctx),
        programs,
        hours_per_week=hours_per_week,
        effort=effort,
        start=next_monday(today()),
    )
    _emit_view(
        output_format,
        lambda: comparison_view(comparison),
        lambda: to_json(comparison),
        stack=False,
    )
