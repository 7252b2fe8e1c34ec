"""`mmplan plan`: a dated study plan for one or more programs.

The request is built by `request.plan_request`: the options, then the learner's recorded
progress (completed and in-progress courses, personal pace); `--done` adds to it.
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
    DEFAULT_HOURS_PER_WEEK,
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

    from mmplan.catalog.enrolment import Enrolment
    from mmplan.catalog.model import Catalog, LoadedCatalog
    from mmplan.schedule import Plan
    from mmplan.schedule.model import RiskOptions


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
        help="Budget of the exact search that shortens and proves plans, for the whole "
        "command (the plan first, then the other paces and --finish-by share what is left), "
        "in the solver's deterministic seconds (about a second each; the same plan on any "
        "machine); 0 keeps the quick plan.",
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
            "Find the fewest hours/week (0.5 h steps) that finish by this date, YYYY-MM-DD, "
            "within budget; with --hours-per-week, check whether that pace makes it."
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
        min=MIN_RISK_SAMPLES,
        max=MAX_RISK_SAMPLES,
        help="With --risk: how many learners to simulate.",
    ),
]
_Seed = Annotated[
    int,
    typer.Option(
        "--seed",
        metavar="N",
        min=0,
        max=2**32 - 1,
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
    the finish date, with what puts it at risk.

    Example: mmplan plan mitx-scm --hours-per-week 8 --start 2027-01-04
    """
    from mmplan.api.request import plan_request
    from mmplan.progress.store import ProgressStore
    from mmplan.schedule import plan_finishing_by, plan_programs

    loaded = active_loaded(ctx)
    catalog = loaded.catalog
    request = plan_request(
        catalog,
        programs,
        hours_per_week=DEFAULT_HOURS_PER_WEEK if hours_per_week is None else hours_per_week,
        start=start or _default_start(),
        effort=effort,
        max_parallel=max_parallel,
        tracks=track or (),
        picks=pick or (),
        done=done or (),
        breaks=as_breaks(breaks),
        follow_recommended=not ignore_recommended,
        progress=None if ignore_progress else ProgressStore.default().load(),
        calibrate=not no_calibrate,
        solver_seconds=solver_seconds,
    )
    # Only the table and JSON show the finish at other paces: the other formats skip them.
    what_ifs = output_format in (PlanFormat.TABLE, PlanFormat.JSON)
    if risk and output_format in (PlanFormat.TABLE, PlanFormat.JSON, PlanFormat.HTML):
        odds = _odds(pass_rate, effort_spread, effort_correlation, missed_weeks, samples, seed)
        request = request.model_copy(
            update={"risk": odds.model_copy(update={"finish_by": finish_by})}
        )
    result = (
        plan_programs(catalog, request, what_ifs=what_ifs)
        if finish_by is None
        else plan_finishing_by(
            catalog, request, finish_by, pace_given=hours_per_week is not None, what_ifs=what_ifs
        )
    )
    _render(result, output_format, loaded, verbose=verbose)
    if output_format is PlanFormat.TABLE:
        _show_moved(catalog, [p.id for p in result.programs])
        show_data_source(loaded, [p.id for p in result.programs])


def _odds(
    pass_rate: float,
    effort_spread: float,
    effort_correlation: float,
    missed_weeks: float,
    samples: int,
    seed: int,
) -> "RiskOptions":
    """What `--risk` asks for (only the formats that show the odds compute them)."""
    from mmplan.schedule.model import RiskAssumptions, RiskOptions

    assumptions = RiskAssumptions(
        pass_rate=pass_rate,
        effort_spread=effort_spread,
        effort_correlation=effort_correlation,
        missed_weeks=missed_weeks,
    )
    return RiskOptions(samples=samples, seed=seed, assumptions=assumptions)


def _default_start() -> date:
    from mmplan.schedule import next_monday

    return next_monday(today())


def _show_moved(catalog: "Catalog", program_ids: "Sequence[str]") -> None:
    """A line for each planned program that moved to another platform: enrol there."""
    from rich.text import Text

    from mmplan.catalog.model import ProgramStatus
    from mmplan.render.formatting import moved_line

    for program_id in program_ids:
        program = catalog.program(program_id)
        if program.status is ProgramStatus.MOVED:
            show(Text(moved_line(program.id, program.platform, program.status_text)))


def _render(
    result: "Plan", output_format: PlanFormat, loaded: "LoadedCatalog", *, verbose: bool
) -> None:
    from mmplan.catalog.enrolment import where_to_enrol
    from mmplan.render import plan as render
    from mmplan.render.tabular import to_csv, to_markdown
    from mmplan.render.warnings import warning_lines

    def enrolment() -> "dict[str, Enrolment]":
        return where_to_enrol(loaded.catalog, (c.id for c in result.planned))

    def html() -> str:
        from mmplan.render.html import plan_html

        return plan_html(result, enrolment())

    program_ids = [p.id for p in result.programs]
    emit(
        output_format,
        table=lambda: render.plan_renderables(result, enrolment()),
        text={
            "json": lambda: json_with_sources(render.plan_json(result), loaded, program_ids),
            "csv": lambda: to_csv(render.plan_table(result)),
            "markdown": lambda: to_markdown(render.plan_table(result)),
            "html": html,
            "ics": lambda: render.plan_ics(result),
        },
    )
    for line in warning_lines(result.warnings, [p.id for p in result.programs], verbose=verbose):
        print_warning(line)
