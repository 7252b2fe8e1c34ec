"""The plan request: the command line's choices and the learner's recorded progress, merged.

`plan_inputs` is the one place a `PlanRequest` is built, for `plan` and for the plan behind
`cost --by-month`, from the programs and choices the API resolved once for the command
(`selection.ProgramChoices`): it resolves --done, merges the recorded progress (the
tracks and electives it shows under way join the choices), and validates the request once.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any, NamedTuple

from mmplan.catalog.index import CatalogIndex
from mmplan.catalog.lookup import find_course, find_program, find_programs
from mmplan.catalog.model import Catalog, Program, course_id
from mmplan.core.defaults import (
    DEFAULT_HOURS_PER_WEEK,
    DEFAULT_MAX_PARALLEL,
    DEFAULT_SOLVER_SECONDS,
    Effort,
)
from mmplan.progress.model import Progress, pace_ratio
from mmplan.schedule import Break, InProgress, PlanRequest
from mmplan.schedule.model import RiskOptions
from mmplan.selection import (
    ProgramChoices,
    Selection,
    add_choices,
    select_with_progress,
    with_same_courses,
)


class PlanInputs(NamedTuple):
    """What the planner is given for one command, each made once: the request, and the
    programs and choices it names, resolved (so the planner reads neither again)."""

    request: PlanRequest
    chosen: ProgramChoices


def plan_inputs(
    index: CatalogIndex,
    chosen: ProgramChoices,
    *,
    start: date,
    hours_per_week: float = DEFAULT_HOURS_PER_WEEK,
    effort: Effort = Effort.MID,
    max_parallel: int = DEFAULT_MAX_PARALLEL,
    tracks: Iterable[str] = (),
    picks: Iterable[str] = (),
    done: Iterable[str] = (),
    breaks: Iterable[Break] = (),
    follow_recommended: bool = True,
    progress: Progress | None = None,
    calibrate: bool = True,
    solver_seconds: float = DEFAULT_SOLVER_SECONDS,
    risk: RiskOptions | None = None,
) -> PlanInputs:
    """The request for planning `chosen` (the programs looked up, their `tracks` and `picks`
    read and checked, once, by the API), with its choices.

    `done`: courses passed, as `CODE` of the first program or `PROGRAM/CODE`. `progress`:
    the learner's records, merged in (and their pace, unless `calibrate` is off). The
    request is built and validated once, with the progress in it.
    """
    catalog, programs = index.catalog, list(chosen.programs)
    first = programs[0].id if programs else ""
    completed = [_resolve_done(catalog, first, reference) for reference in done]
    fields: dict[str, Any] = {
        "program_ids": chosen.ids,
        "hours_per_week": hours_per_week,
        "start": start,
        "effort": effort,
        "max_parallel": max_parallel,
        "tracks": tuple(tracks),
        "picks": tuple(picks),
        "completed": tuple(dict.fromkeys(completed)),
        "breaks": tuple(breaks),
        "follow_recommended": follow_recommended,
        "solver_seconds": solver_seconds,
        "risk": risk,
    }
    if progress is not None:
        update, under_way = _progress_fields(fields, programs, progress, index, calibrate=calibrate)
        fields.update(update)
        chosen = ProgramChoices(chosen.programs, add_choices(programs, chosen.choices, *under_way))
    return PlanInputs(PlanRequest.model_validate(fields), chosen)


def _resolve_done(catalog: Catalog, first_program: str, reference: str) -> str:
    """`CODE` (of the first program) or `PROGRAM/CODE` -> a course id, with did-you-mean."""
    program_part, sep, code = reference.rpartition("/")
    program = find_program(catalog, program_part if sep else first_program)
    return course_id(program.id, find_course(program, code).code)


# The planner refuses a workload scale above this; a larger ratio is a typo in --hours-spent,
# and so is a ratio below its inverse (a course done in a tenth of its published hours).
MAX_WORKLOAD_SCALE = 10.0


def with_progress(
    request: PlanRequest, progress: Progress, catalog: Catalog, *, calibrate: bool = True
) -> PlanRequest:
    """The plan request with the recorded progress merged in (`plan_inputs` with a
    `progress` does this as it builds the request)."""
    programs = find_programs(catalog, request.program_ids)
    index = CatalogIndex(catalog)
    update, _ = _progress_fields(dict(request), programs, progress, index, calibrate=calibrate)
    return request.model_copy(update=update)


def _progress_fields(
    fields: Mapping[str, Any],
    programs: list[Program],
    progress: Progress,
    index: CatalogIndex,
    *,
    calibrate: bool,
) -> tuple[dict[str, Any], tuple[list[str], list[str]]]:
    """What the recorded progress changes in a request's `fields`, and the tracks and picks
    it adds to the typed ones (the choices it shows under way).

    Passed (verified) courses join `completed` (with the same course under other programs'
    ids); started ones continue with what is left; without explicit --track/--pick, the
    tracks and electives already under way are kept; and, unless `calibrate` is off, the
    workloads are scaled by the learner's own pace. Records the catalog lacks are skipped.
    """
    catalog = index.catalog
    known = [course_id(p.id, c.code) for p in catalog.programs for c in p.courses]
    known_ids = set(known)
    passed = with_same_courses(catalog, progress.passed_ids, index.same_courses)
    completed = [*fields["completed"], *(i for i in known if i in passed)]
    done = set(completed)
    started = [
        InProgress(course_id=r.id, started=r.started_on, percent_done=r.percent_done)
        for r in progress.in_progress
        if r.id in known_ids and r.id not in done
    ]
    tracks, picks = list(fields["tracks"]), list(fields["picks"])
    if not fields["tracks"]:
        under_way = passed | progress.started_ids
        chosen = {p.id: select_with_progress(p, passed, progress.started_ids) for p in programs}
        tracks = _tracks_under_way(programs, chosen, under_way)
        picked = {pick.rpartition("/")[2].casefold() for pick in fields["picks"]}
        for program in programs:
            for group in program.electives:
                if any(code.casefold() in picked for code in group.from_):
                    continue  # the learner chose in this group; their picks stand
                picks.extend(
                    course_id(program.id, code)
                    for code in group.from_
                    if code in chosen[program.id].codes
                    and course_id(program.id, code) in under_way
                    and code not in program.required_codes
                )
    typed_picks = set(fields["picks"])
    added = (
        tracks[len(fields["tracks"]) :],
        [pick for pick in dict.fromkeys(picks) if pick not in typed_picks],
    )
    return {
        "completed": tuple(dict.fromkeys(completed)),
        "in_progress": (*fields.get("in_progress", ()), *started),
        "tracks": tuple(tracks),
        "picks": tuple(dict.fromkeys(picks)),
        "institution_scales": institution_paces(progress, catalog) if calibrate else {},
    }, added


def institution_paces(progress: Progress, catalog: Catalog) -> dict[str, float]:
    """The learner's pace at each institution where they recorded hours on a completed
    course (capped at what the planner accepts): a course follows the pace measured on
    comparable courses, those of its own institution, or its published hours."""
    recorded = dict.fromkeys(
        catalog.program(r.program).institution
        for r in progress.completed
        if r.hours_spent is not None and r.program in {p.id for p in catalog.programs}
    )
    paces = {institution: pace_ratio(progress, catalog, institution) for institution in recorded}
    return {
        institution: min(max(pace.ratio, 1 / MAX_WORKLOAD_SCALE), MAX_WORKLOAD_SCALE)
        for institution, pace in paces.items()
        if pace is not None
    }


def _tracks_under_way(
    programs: list[Program], chosen: dict[str, Selection], under_way: frozenset[str]
) -> list[str]:
    """Names of the tracks the learner has begun; none if a name would be ambiguous."""
    names: list[str] = []
    for program in programs:
        track = chosen[program.id].track
        if track is None:
            continue
        codes = next(t.courses for t in program.tracks if t.name == track)
        if any(course_id(program.id, code) in under_way for code in codes):
            names.append(track)
    folded = {name.casefold() for name in names}
    for program in programs:
        if sum(1 for t in program.tracks if t.name.casefold() in folded) > 1:
            return []  # two begun tracks share a name with one program's tracks: let it be
    return list(dict.fromkeys(names))
