"""`mmplan plan`: a dated study plan for one or more programs.

`mmplan.api.plan` makes the plan: the options, then the learner's recorded progress
(completed and in-progress courses, personal pace); `--done` adds to it.
"""

from datetime import date
from enum import StrEnum
from typing import TYPE_CHECKING, Annotated

import typer

from mmplan.cli.app import (
    active_loaded,
    app,
    emit,
    json_with_sources,
    print_warning,
    show_data_source,
    today,
)
from mmplan.cli.completion import complete_course_code
from mmplan.cli.options import (
    AidOption,
    BreaksOption,
    Day,
    IgnoreRecommendedOption,
    Number,
    PicksOption,
    StartOption,
    TracksOption,
    as_breaks,
    choice_metavar,
    hours_per_week_option,
    program_argument,
)
from mmplan.cli.output import show
from mmplan.core.defaults import (
    DEFAULT_EFFORT_CORRELATION,
    DEFAULT_EFFORT_SPREAD,
    DEFAULT_MAX_PARALLEL,
    DEFAULT_MISSED_WEEKS,
    DEFAULT_PASS_RATE,
    DEFAULT_RISK_SAMPLES,
    DEFAULT_RISK_SEED,
    DEFAULT_SOLVER_SECONDS,
    MAX_EFFORT_SPREAD,
    MAX_MISSED_WEEKS,
    MAX_RISK_SAMPLES,
    MAX_SOLVER_SECONDS,
    MIN_PASS_RATE,
    MIN_RISK_SAMPLES,
    Effort,
)
from mmplan.core.limits import MAX_PARALLEL

if TYPE_CHECKING:
    from collections.abc import Sequence

    from mmplan.api import CostReport, Enrolment, LoadedCatalog, Plan, Program


class PlanFormat(StrEnum):
    TABLE = "table"
    JSON = "json"
    CSV = "csv"
    MARKDOWN = "markdown"
    ICS = "ics"
    HTML = "html"


_IgnoreProgress = Annotated[
    bool, typer.Option("--ignore-progress", help="Plan from scratch, ignoring your progress.")
]
_NoCalibrate = Annotated[
    bool,
    typer.Option(
        "--no-calibrate", help="Use published hours, not your own pace from your progress."
    ),
]
_Verbose = Annotated[
    bool,
    typer.Option("--verbose", "-v", help="Print every warning, not one line per kind of warning."),
]

_MaxParallel = Annotated[
    int,
    typer.Option(
        "--max-parallel",
        metavar="N",
        click_type=Number(1, MAX_PARALLEL, whole=True),
        help=f"At most this many courses at once, 1 to {MAX_PARALLEL}.",
    ),
]
_SolverSeconds = Annotated[
    float,
    typer.Option(
        "--solver-seconds",
        metavar="SECONDS",
        click_type=Number(0, MAX_SOLVER_SECONDS),
        help="Wall-clock cap, in seconds, of the exact search that shortens and proves plans, "
        "for the whole command (loading the solver and building its models included; "
        "--finish-by, the plan, then the other paces). Within it the search stops after a "
        "deterministic amount of work (half a solver second per second given; 15% of that "
        "for several programs planned together), so the same plan comes on any machine; "
        "only if the cap stops it first (a slow or busy machine) may the plan differ, and a "
        "warning says so. 0 keeps the quick plan.",
    ),
]


_Done = Annotated[
    list[str] | None,
    typer.Option(
        "--done",
        metavar="CODE",
        help="Course already passed: CODE of the first program or PROGRAM/CODE (repeatable).",
        autocompletion=complete_course_code,
    ),
]
_FinishBy = Annotated[
    date | None,
    typer.Option(
        "--finish-by",
        metavar="DATE",
        click_type=Day(),
        help=(
            "Find the fewest hours/week (0.5 h steps) that finish by this date, YYYY-MM-DD "
            "(a fixed course needing more is named, with its dates); with --hours-per-week, "
            "check whether that pace makes it."
        ),
    ),
]
_Risk = Annotated[
    bool,
    typer.Option(
        "--risk",
        help="Also give the finish's odds: the dates by which 50%, 80% and 90% of "
        "simulated learners finish, with retakes, overruns and lost weeks (docs/planning.md).",
    ),
]
_PassRate = Annotated[
    float,
    typer.Option(
        "--pass-rate",
        metavar="P",
        click_type=Number(MIN_PASS_RATE, 1),
        help="With --risk: the chance one attempt of a course or exam passes (an assumption: "
        "no source publishes it).",
    ),
]
_EffortSpread = Annotated[
    float,
    typer.Option(
        "--effort-spread",
        metavar="SIGMA",
        click_type=Number(0, MAX_EFFORT_SPREAD),
        help="With --risk: sigma of the lognormal factor on each course's hours (0: as published).",
    ),
]
_EffortCorrelation = Annotated[
    float,
    typer.Option(
        "--effort-correlation",
        metavar="R",
        click_type=Number(0, 1),
        help="With --risk: how much of that factor every course of yours shares.",
    ),
]
_MissedWeeks = Annotated[
    float,
    typer.Option(
        "--missed-weeks",
        metavar="P",
        click_type=Number(0, MAX_MISSED_WEEKS),
        help="With --risk: the chance each week is lost to illness, work or family.",
    ),
]
_Samples = Annotated[
    int,
    typer.Option(
        "--samples",
        metavar="N",
        click_type=Number(MIN_RISK_SAMPLES, MAX_RISK_SAMPLES, whole=True),
        help="With --risk: how many learners to simulate.",
    ),
]
_Seed = Annotated[
    int,
    typer.Option(
        "--seed",
        metavar="N",
        click_type=Number(0, 2**32 - 1, whole=True),
        help="With --risk: the random seed (the same seed gives the same odds).",
    ),
]


@app.command()
def plan(
    ctx: typer.Context,
    programs: Annotated[
        list[str], program_argument("Program ids (a unique prefix is enough).", repeated=True)
    ],
    hours_per_week: Annotated[
        float | None, hours_per_week_option("Hours you can study each week")
    ] = None,
    start: StartOption = None,
    effort: Annotated[
        Effort,
        typer.Option(
            metavar=choice_metavar(Effort),
            help="Which end of each course's published hours/week range counts.",
        ),
    ] = Effort.MID,
    max_parallel: _MaxParallel = DEFAULT_MAX_PARALLEL,
    track: TracksOption = None,
    pick: PicksOption = None,
    done: _Done = None,
    breaks: BreaksOption = None,
    finish_by: _FinishBy = None,
    aid: AidOption = 0,
    output_format: Annotated[
        PlanFormat,
        typer.Option("--format", metavar=choice_metavar(PlanFormat), help="Output format."),
    ] = PlanFormat.TABLE,
    ignore_progress: _IgnoreProgress = False,
    no_calibrate: _NoCalibrate = False,
    ignore_recommended: IgnoreRecommendedOption = False,
    verbose: _Verbose = False,
    solver_seconds: _SolverSeconds = DEFAULT_SOLVER_SECONDS,
    risk: _Risk = False,
    pass_rate: _PassRate = DEFAULT_PASS_RATE,
    effort_spread: _EffortSpread = DEFAULT_EFFORT_SPREAD,
    effort_correlation: _EffortCorrelation = DEFAULT_EFFORT_CORRELATION,
    missed_weeks: _MissedWeeks = DEFAULT_MISSED_WEEKS,
    samples: _Samples = DEFAULT_RISK_SAMPLES,
    seed: _Seed = DEFAULT_RISK_SEED,
) -> None:
    """Plan when to take each course, and when you finish.

    Courses are dated in prerequisite order (and the recommended order, when the course
    recommended first is in the plan) at your weekly hours. The first lines answer: the
    finish, the cost, the hours a week it needs, the credential and the next course; then
    the table, a timeline and what other paces would give. --format html writes a page
    with a Gantt chart, the weekly load and the cost by month. --risk adds the odds of
    the finish date, with what puts it at risk. --aid gives what is due after financial
    aid (in the table, JSON and HTML), as `mmplan cost --aid` does.

    Example: mmplan plan mitx-scm --hours-per-week 8 --start 2027-01-04
    """
    import mmplan.api as api

    _check_risk(ctx, risk, output_format)
    _check_aid(aid, output_format)
    loaded = active_loaded(ctx)
    catalog = loaded.catalog
    result = api.plan(
        catalog,
        programs,
        hours_per_week=hours_per_week,
        start=start,
        effort=effort,
        max_parallel=max_parallel,
        tracks=track or (),
        picks=pick or (),
        done=done or (),
        breaks=as_breaks(breaks),
        finish_by=finish_by,
        progress=None if ignore_progress else api.load_progress(),
        calibrate=not no_calibrate,
        follow_recommended=not ignore_recommended,
        solver_seconds=solver_seconds,
        # Only the table and JSON show the finish at other paces: the other formats skip them.
        what_ifs=output_format in (PlanFormat.TABLE, PlanFormat.JSON),
        risk=api.risk_options(
            pass_rate=pass_rate,
            effort_spread=effort_spread,
            effort_correlation=effort_correlation,
            missed_weeks=missed_weeks,
            samples=samples,
            seed=seed,
        )
        if risk
        else None,
        today=today(),
    )
    _render(result, output_format, loaded, aid=aid, verbose=verbose)
    if output_format is PlanFormat.TABLE:
        _show_moved(api.moved_programs(catalog, result))
        show_data_source(loaded, [p.id for p in result.programs])


_RISK_FORMATS = (PlanFormat.TABLE, PlanFormat.JSON, PlanFormat.HTML)  # those that show odds
_RISK_OPTIONS = ("pass_rate", "effort_spread", "effort_correlation", "missed_weeks", "samples")


def _check_risk(ctx: typer.Context, risk: bool, output_format: PlanFormat) -> None:
    """--risk's own options need --risk, and --risk a format that shows the odds."""
    from typer._click.core import ParameterSource

    from mmplan.core.errors import UsageError

    if risk and output_format not in _RISK_FORMATS:
        shown = ", ".join(f.value for f in _RISK_FORMATS)
        raise UsageError(f"--risk: --format {output_format.value} has no odds; use {shown}")
    if not risk:
        for name in (*_RISK_OPTIONS, "seed"):
            if ctx.get_parameter_source(name) is ParameterSource.COMMANDLINE:
                option = "--" + name.replace("_", "-")
                raise UsageError(f"{option} works with --risk: add --risk")


_AID_FORMATS = (PlanFormat.TABLE, PlanFormat.JSON, PlanFormat.HTML)


def _check_aid(aid: float, output_format: PlanFormat) -> None:
    """--aid needs a format that shows it."""
    from mmplan.core.errors import UsageError

    if aid and output_format not in _AID_FORMATS:
        shown = ", ".join(f.value for f in _AID_FORMATS)
        raise UsageError(
            f"--aid: --format {output_format.value} does not show it; use {shown} "
            "(or mmplan cost --aid for the courses after aid)"
        )


def _show_moved(programs: "Sequence[Program]") -> None:
    """A line for each planned program that moved to another platform: enrol there."""
    from rich.text import Text

    from mmplan.render.formatting import moved_line

    for program in programs:
        show(Text(moved_line(program.id, program.platform, program.status_text)))


def _render(
    result: "Plan",
    output_format: PlanFormat,
    loaded: "LoadedCatalog",
    *,
    aid: float,
    verbose: bool,
) -> None:
    import mmplan.api as api
    from mmplan.render import plan as render
    from mmplan.render.calendar import plan_ics
    from mmplan.render.tabular import to_csv, to_markdown
    from mmplan.render.warnings import warning_lines

    def enrolment() -> "dict[str, Enrolment]":
        return api.where_to_enrol(loaded.catalog, result)

    def cost() -> "CostReport":
        return api.plan_cost(loaded.catalog, result, aid_percent=aid)

    def html() -> str:
        from mmplan.render.html import plan_html

        return plan_html(result, enrolment(), cost())

    program_ids = [p.id for p in result.programs]
    emit(
        output_format,
        table=lambda: render.plan_renderables(result, enrolment(), cost() if aid else None),
        text={
            PlanFormat.JSON: lambda: json_with_sources(
                render.plan_json(result, cost() if aid else None), loaded, program_ids
            ),
            PlanFormat.CSV: lambda: to_csv(render.plan_table(result)),
            PlanFormat.MARKDOWN: lambda: to_markdown(render.plan_table(result)),
            PlanFormat.HTML: html,
            PlanFormat.ICS: lambda: plan_ics(result),
        },
    )
    for line in warning_lines(result.warnings, [p.id for p in result.programs], verbose=verbose):
        print_warning(line)
