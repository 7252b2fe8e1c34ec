"""The Python API: load a catalog, then plan, cost and check a credential, as the commands do.

Each function is what one command does, without its option parsing and output: the result
is the model the command prints (`model_dump(mode="json")` is its `--format json`). Progress
is never read behind your back: pass a `Progress` (`load_progress()` reads the one the
`mmplan progress` commands keep), or nothing to start from scratch. Errors are
`MmplanError`s with a one-line message, as the command would print it; the warnings a
catalog gives are `CatalogWarning`s, issued with Python's `warnings` module.
"""

from __future__ import annotations

import os
import warnings
from collections.abc import Iterable, Sequence
from datetime import date
from decimal import Decimal
from pathlib import Path

from mmplan.api.request import plan_request
from mmplan.catalog.load import CatalogSources, load_active_catalog
from mmplan.catalog.lookup import find_open_program, find_program
from mmplan.catalog.model import Catalog
from mmplan.core.defaults import (
    DEFAULT_HOURS_PER_WEEK,
    DEFAULT_MAX_PARALLEL,
    DEFAULT_SOLVER_SECONDS,
    Effort,
)
from mmplan.core.errors import CatalogError, CatalogWarning, Problem
from mmplan.progress.model import Progress
from mmplan.progress.store import ProgressStore
from mmplan.reports.cost import CostReport, cost_report
from mmplan.reports.eligibility import Status, program_status
from mmplan.schedule import Break, Plan, next_monday, plan_finishing_by, plan_programs


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
    sources = CatalogSources(
        extra=tuple(Path(f) for f in files),
        include_bundled=bundled,
        overlay=_overlay_file(overlay),
    )
    loaded = load_active_catalog(sources)
    for message in loaded.warnings:
        warnings.warn(message, CatalogWarning, stacklevel=2)
    return loaded.catalog


def _overlay_file(overlay: bool | str | os.PathLike[str]) -> Path | None:
    """The overlay file `load_catalog` applies: none, the data directory's, or the one named."""
    if overlay is False:
        return None
    if overlay is True:
        from mmplan.catalog.overlay import overlay_path
        from mmplan.core.files import data_directory

        return overlay_path(data_directory())
    path = Path(overlay)
    if not path.is_file():
        problem = Problem(str(path), 0, 0, "", "catalog overlay: no such file")
        raise CatalogError([problem])
    return path


def load_progress(file: str | os.PathLike[str] | None = None) -> Progress:
    """The recorded progress: `file`, or the store `mmplan progress` keeps (`MMPLAN_HOME`)."""
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
    breaks: Iterable[tuple[date, date]] = (),
    finish_by: date | None = None,
    progress: Progress | None = None,
    calibrate: bool = True,
    follow_recommended: bool = True,
    solver_seconds: float = DEFAULT_SOLVER_SECONDS,
) -> Plan:
    """A dated study plan, as `mmplan plan` makes it.

    `programs`: ids (a unique prefix is enough). `hours_per_week`: by default 8. `start`:
    the first study day, by default the next Monday. `breaks`: (first, last) days with no
    study. `finish_by`: plan at the fewest hours a week (0.5 h steps) that finish by then;
    with `hours_per_week` given too, whether that pace makes the date (an error if not).
    `solver_seconds`: the exact pass's wall-clock cap for the whole answer, what-if paces
    included, within which half as many deterministic seconds normally end the search, as
    for `--solver-seconds` (0: the list schedule only).
    """
    request = plan_request(
        catalog,
        _ids(programs),
        hours_per_week=DEFAULT_HOURS_PER_WEEK if hours_per_week is None else hours_per_week,
        start=start or next_monday(date.today()),
        effort=Effort(effort),
        max_parallel=max_parallel,
        tracks=tracks,
        picks=picks,
        done=done,
        breaks=[Break(start=first, end=last) for first, last in breaks],
        follow_recommended=follow_recommended,
        progress=progress,
        calibrate=calibrate,
        solver_seconds=solver_seconds,
    )
    if finish_by is not None:
        pace_given = hours_per_week is not None
        return plan_finishing_by(catalog, request, finish_by, pace_given=pace_given)
    return plan_programs(catalog, request)


def cost(
    catalog: Catalog,
    programs: str | Sequence[str],
    *,
    aid_percent: Decimal | float = 0,
    tracks: Iterable[str] = (),
    picks: Iterable[str] = (),
    progress: Progress | None = None,
) -> CostReport:
    """What the verified certificates cost, paid and due, as `mmplan cost` reports it.

    A retired program is refused, as the command refuses it: nobody can pay for it now.
    """
    found = list(dict.fromkeys(find_open_program(catalog, typed) for typed in _ids(programs)))
    progress = progress or Progress()
    return cost_report(
        catalog,
        found,
        passed=progress.passed_ids,
        started=progress.started_ids,
        aid_percent=Decimal(str(aid_percent)),
        tracks=tuple(tracks),
        picks=tuple(picks),
    )


def status(
    catalog: Catalog,
    program: str,
    *,
    track: str | None = None,
    picks: Iterable[str] = (),
    progress: Progress | None = None,
) -> Status:
    """Where the learner stands on one program's credential, as `mmplan status` says."""
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
