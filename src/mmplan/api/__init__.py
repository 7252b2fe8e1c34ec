"""The Python API: load a catalog, then plan, cost and check a credential, as the commands do.

This is the one place the stages are wired together: each command of `mmplan.cli` parses
its options, makes one call here and renders what it returns. Each call resolves its
inputs once, here: the programs typed and the --track/--pick choices (`ProgramChoices`),
and one `CatalogIndex`, handed to every stage it calls. Each function is what one
command does, without its option parsing and output: the result is the model the command
prints (`model_dump(mode="json")` is its `--format json`). Progress is never read behind
your back: pass a `Progress` (`load_progress()` reads the one the `mmplan progress`
commands keep), or nothing to start from scratch. Errors are `MmplanError`s with a
one-line message, as the command would print it; the warnings a catalog gives are
`CatalogWarning`s, issued with Python's `warnings` module.

The stages are imported inside the functions: the command line imports this package on
every run, and `list` must not pay for the planner (tests/test_startup.py).
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

from mmplan.core.defaults import DEFAULT_MAX_PARALLEL, DEFAULT_SOLVER_SECONDS, Effort

if TYPE_CHECKING:  # the types of the answers, named here for the command line's annotations
    from pathlib import Path

    from mmplan.catalog.enrolment import Enrolment as Enrolment
    from mmplan.catalog.index import CatalogIndex as CatalogIndex
    from mmplan.catalog.load import CatalogCheck as CatalogCheck
    from mmplan.catalog.load import CatalogSources as CatalogSources
    from mmplan.catalog.model import Catalog as Catalog
    from mmplan.catalog.model import LoadedCatalog as LoadedCatalog
    from mmplan.catalog.model import Program as Program
    from mmplan.progress.model import Progress as Progress
    from mmplan.reports.cost import CostReport as CostReport
    from mmplan.reports.cost import MonthCost as MonthCost
    from mmplan.reports.eligibility import Status as Status
    from mmplan.reports.listing import Listing as Listing
    from mmplan.schedule import Plan as Plan
    from mmplan.schedule.model import RiskOptions as RiskOptions
    from mmplan.selection import ProgramChoices as ProgramChoices

Breaks = Iterable[tuple[date, date]]  # (first, last) days with no study


def load_catalog(
    *files: str | os.PathLike[str],
    bundled: bool = True,
    overlay: bool | str | os.PathLike[str] = False,
) -> Catalog:
    """The bundled catalog (unless `bundled` is False) with these catalog files on top.

    `overlay`: True applies the overlay `mmplan catalog refresh` wrote in the data
    directory (`MMPLAN_HOME`), when there is one; a path applies that overlay file, which
    must exist. Each warning loading gives (the command line's `Warning:` lines) is issued
    as a `CatalogWarning`.
    """
    import warnings
    from pathlib import Path

    from mmplan.catalog.load import CatalogSources
    from mmplan.core.errors import CatalogWarning

    sources = CatalogSources(
        extra=tuple(Path(f) for f in files),
        include_bundled=bundled,
        overlay=_overlay_file(overlay),
    )
    loaded = open_catalog(sources)
    for message in loaded.warnings:
        warnings.warn(message, CatalogWarning, stacklevel=2)
    return loaded.catalog


def _overlay_file(overlay: bool | str | os.PathLike[str]) -> Path | None:
    """The overlay file `load_catalog` applies: none, the data directory's, or the one named."""
    from pathlib import Path

    if overlay is False:
        return None
    if overlay is True:
        from mmplan.catalog.overlay import overlay_path
        from mmplan.core.files import data_directory

        return overlay_path(data_directory())
    path = Path(overlay)
    if not path.is_file():
        from mmplan.core.errors import CatalogError, CatalogProblem

        raise CatalogError([CatalogProblem(str(path), 0, 0, "", "catalog overlay: no such file")])
    return path


def open_catalog(sources: CatalogSources) -> LoadedCatalog:
    """The merged, validated catalog of `sources`, with its warnings beside it (the command
    line prints them; `load_catalog` issues them as `CatalogWarning`s)."""
    from mmplan.catalog.load import load_active_catalog

    return load_active_catalog(sources)


def check_catalogs(paths: Sequence[Path], context: Sequence[Path] = ()) -> CatalogCheck:
    """What `mmplan validate` finds: every problem of the catalog files `paths`, layered over
    the `context` files (so references into them resolve), and the warnings of `paths`."""
    from mmplan.catalog.load import check_catalogs as check

    return check(paths, context)


def load_progress(file: str | os.PathLike[str] | None = None) -> Progress:
    """The recorded progress: `file`, or the store `mmplan progress` keeps (`MMPLAN_HOME`)."""
    from pathlib import Path

    from mmplan.progress.store import ProgressStore

    store = ProgressStore.default() if file is None else ProgressStore(Path(file))
    return store.load()


def plan(
    catalog: Catalog,
    programs: str | Sequence[str],
    *,
    hours_per_week: float | None = None,
    start: date | None = None,
    effort: Effort | str = Effort.MID,
    max_parallel: int = DEFAULT_MAX_PARALLEL,
    tracks: Iterable[str] = (),
    picks: Iterable[str] = (),
    done: Iterable[str] = (),
    breaks: Breaks = (),
    finish_by: date | None = None,
    progress: Progress | None = None,
    calibrate: bool = True,
    follow_recommended: bool = True,
    solver_seconds: float = DEFAULT_SOLVER_SECONDS,
    what_ifs: bool = True,
    risk: RiskOptions | None = None,
    today: date | None = None,
) -> Plan:
    """A dated study plan, as `mmplan plan` makes it.

    `programs`: ids (a unique prefix is enough). `hours_per_week`: by default 8. `start`:
    the first study day, by default the Monday after `today` (the clock's day unless
    given). `breaks`: (first, last) days with no study. `finish_by`: plan at the fewest
    hours a week (0.5 h steps) that finish by then; with `hours_per_week` given too,
    whether that pace makes the date (an error if not). `solver_seconds`: the exact pass's
    wall-clock cap for the whole answer, what-if paces included, within which half as many
    deterministic seconds normally end the search, as for `--solver-seconds` (0: the list
    schedule only). `what_ifs`: False leaves out the finish at other paces (`Plan.what_if`
    empty), which is most of a plan's time. `risk`: also give the finish's odds (`plan
    --risk`; `risk_options`).
    """
    from mmplan.catalog.index import CatalogIndex
    from mmplan.selection import resolve_choices

    index = CatalogIndex(catalog)  # the command's one index, for every stage
    tracks, picks = tuple(tracks), tuple(picks)
    found = index.find_programs(_ids(programs), open_only=True)
    chosen = resolve_choices(found, tracks, picks)  # refuses a bad choice as every command does
    return _plan(
        index,
        chosen,
        hours_per_week=hours_per_week,
        start=start,
        effort=Effort(effort),
        max_parallel=max_parallel,
        tracks=tracks,
        picks=picks,
        done=done,
        breaks=breaks,
        finish_by=finish_by,
        progress=progress,
        calibrate=calibrate,
        follow_recommended=follow_recommended,
        solver_seconds=solver_seconds,
        what_ifs=what_ifs,
        risk=risk,
        today=today,
    )


def _plan(
    index: CatalogIndex,
    chosen: ProgramChoices,
    *,
    hours_per_week: float | None,
    start: date | None,
    effort: Effort = Effort.MID,
    max_parallel: int = DEFAULT_MAX_PARALLEL,
    tracks: tuple[str, ...],
    picks: tuple[str, ...],
    done: Iterable[str] = (),
    breaks: Breaks,
    finish_by: date | None = None,
    progress: Progress | None,
    calibrate: bool = True,
    follow_recommended: bool,
    solver_seconds: float = DEFAULT_SOLVER_SECONDS,
    what_ifs: bool,
    risk: RiskOptions | None = None,
    today: date | None,
) -> Plan:
    """`plan` for programs and choices the command resolved already (`cost --by-month` has)."""
    from mmplan.api.request import plan_inputs
    from mmplan.core.defaults import DEFAULT_HOURS_PER_WEEK, next_monday
    from mmplan.schedule import Break, plan_finishing_by, plan_programs

    request, chosen = plan_inputs(
        index,
        chosen,
        hours_per_week=DEFAULT_HOURS_PER_WEEK if hours_per_week is None else hours_per_week,
        start=start or next_monday(today or date.today()),
        effort=effort,
        max_parallel=max_parallel,
        tracks=tracks,
        picks=picks,
        done=done,
        breaks=[Break(start=first, end=last) for first, last in breaks],
        follow_recommended=follow_recommended,
        progress=progress,
        calibrate=calibrate,
        solver_seconds=solver_seconds,
        risk=None if risk is None else risk.model_copy(update={"finish_by": finish_by}),
    )
    if finish_by is not None:
        pace_given = hours_per_week is not None
        return plan_finishing_by(
            index, request, finish_by, pace_given=pace_given, what_ifs=what_ifs, chosen=chosen
        )
    return plan_programs(index, request, what_ifs=what_ifs, chosen=chosen)


def risk_options(
    *,
    pass_rate: float,
    effort_spread: float,
    effort_correlation: float,
    missed_weeks: float,
    samples: int,
    seed: int,
) -> RiskOptions:
    """What `plan --risk` asks for: how many learners to simulate, from which seed, under
    which assumptions (docs/planning.md gives their sources)."""
    from mmplan.schedule.model import RiskAssumptions, RiskOptions

    assumptions = RiskAssumptions(
        pass_rate=pass_rate,
        effort_spread=effort_spread,
        effort_correlation=effort_correlation,
        missed_weeks=missed_weeks,
    )
    return RiskOptions(samples=samples, seed=seed, assumptions=assumptions)


def where_to_enrol(catalog: Catalog, plan: Plan) -> dict[str, Enrolment]:
    """Where to enrol in each course of `plan`: its platform and page, by course id."""
    from mmplan.catalog.enrolment import where_to_enrol as enrolment

    return enrolment(catalog, (c.id for c in plan.planned))


def moved_programs(catalog: Catalog, plan: Plan) -> list[Program]:
    """The programs of `plan` that moved to another platform: enrol there."""
    from mmplan.catalog.model import ProgramStatus

    found = [catalog.program(p.id) for p in plan.programs]
    return [program for program in found if program.status is ProgramStatus.MOVED]


def plan_cost(catalog: Catalog, plan: Plan, *, aid_percent: Decimal | float = 0) -> CostReport:
    """What `plan` costs, through the cost report's rules (`reports.cost`): its courses as
    the plan prices them (the completed ones paid), `aid_percent` of financial aid taken off
    where it applies, as `cost --aid` takes it, and what is left to pay month by month,
    dated as `cost --by-month` dates it. `plan --aid` and the plan's HTML page show it."""
    from mmplan.reports.cost import CourseCost, planned_cost

    courses = [
        CourseCost(
            id=course.id,
            title=course.title,
            price_usd=course.price_usd,
            status="paid" if course.status == "completed" else "due",
            estimated="price_usd" in course.estimated,
            reason=course.reason,
        )
        for course in plan.courses
    ]
    return planned_cost(
        catalog,
        [catalog.program(p.id) for p in plan.programs],
        courses,
        aid_percent=Decimal(str(aid_percent)),
        starts=plan.start_dates(),
        ends=plan.end_dates(),
        hours_per_week=plan.hours_per_week,
        plan_start=plan.start,
        plan_breaks=[(b.start, b.end) for b in plan.breaks],
    )


def cost_by_month(catalog: Catalog, plan: Plan) -> tuple[MonthCost, ...]:
    """What is left to pay for `plan`, month by month, dated as `cost --by-month` dates it:
    each certificate in the month its payment rule wants it paid (no financial aid)."""
    return plan_cost(catalog, plan).by_month or ()


def cost(
    catalog: Catalog,
    programs: str | Sequence[str],
    *,
    aid_percent: Decimal | float = 0,
    tracks: Iterable[str] = (),
    picks: Iterable[str] = (),
    progress: Progress | None = None,
    by_month: bool = False,
    hours_per_week: float | None = None,
    start: date | None = None,
    breaks: Breaks = (),
    follow_recommended: bool = True,
    today: date | None = None,
) -> CostReport:
    """What the verified certificates cost, paid and due, as `mmplan cost` reports it.

    A retired program is refused, as the command refuses it: nobody can pay for it now.
    With `by_month`, the money due is dated by the plan `plan` makes with the same
    `hours_per_week`, `start`, `breaks` and `follow_recommended` (which are only for it).
    """
    from mmplan.catalog.index import CatalogIndex
    from mmplan.progress.model import Progress
    from mmplan.reports.cost import cost_report
    from mmplan.selection import resolve_choices

    breaks = list(breaks)
    _check_for_by_month(
        by_month,
        hours_per_week=hours_per_week,
        start=start,
        breaks=breaks,
        follow_recommended=follow_recommended,
    )
    index = CatalogIndex(catalog)  # the command's one index, for the report and its plan
    found = index.find_programs(_ids(programs), open_only=True)
    progress = progress or Progress()
    tracks, picks = tuple(tracks), tuple(picks)
    chosen = resolve_choices(found, tracks, picks)
    dating = None
    if by_month:
        dating = _plan(
            index,
            chosen,
            hours_per_week=hours_per_week,
            start=start,
            breaks=breaks,
            tracks=tracks,
            picks=picks,
            follow_recommended=follow_recommended,
            progress=progress,
            what_ifs=False,  # only its dates are used
            today=today,
        )
    return cost_report(
        index,
        chosen.programs,
        choices=chosen.choices,
        passed=progress.passed_ids,
        started=progress.started_ids,
        aid_percent=Decimal(str(aid_percent)),
        hours_per_week=dating.hours_per_week if dating is not None else None,
        starts=dating.start_dates() if dating is not None else None,
        ends=dating.end_dates() if dating is not None else None,
        plan_start=dating.start if dating is not None else None,
        plan_breaks=[(b.start, b.end) for b in dating.breaks] if dating is not None else (),
    )


def _check_for_by_month(
    by_month: bool,
    *,
    hours_per_week: float | None,
    start: date | None,
    breaks: list[tuple[date, date]],
    follow_recommended: bool,
) -> None:
    """Refuse the plan's options without `by_month`: they would change nothing."""
    from mmplan.core.errors import UsageError

    if by_month:
        return
    for given, option in (
        (hours_per_week is not None, "--hours-per-week"),
        (start is not None, "--start"),
        (bool(breaks), "--break"),
        (not follow_recommended, "--ignore-recommended"),
    ):
        if given:
            raise UsageError(f"{option} is for the plan behind --by-month; add --by-month")


def status(
    catalog: Catalog,
    program: str,
    *,
    track: str | None = None,
    picks: Iterable[str] = (),
    progress: Progress | None = None,
) -> Status:
    """Where the learner stands on one program's credential, as `mmplan status` says."""
    from mmplan.catalog.lookup import find_program
    from mmplan.progress.model import Progress
    from mmplan.reports.eligibility import program_status

    progress = progress or Progress()
    return program_status(
        catalog,
        find_program(catalog, program),
        passed=progress.passed_ids,
        started=progress.started_ids,
        audited=progress.audited_ids,
        track=track,
        picks=picks,
    )


def _ids(programs: str | Sequence[str]) -> list[str]:
    return [programs] if isinstance(programs, str) else list(programs)
