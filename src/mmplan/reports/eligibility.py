"""Eligibility: where a learner stands on a program's credential, given their progress.

The credential is earned when every required course, exam and capstone is passed with a
verified certificate, the elective groups are satisfied and one track is complete. A track
counts as done when any of them is fully passed; otherwise the track closest to done
(fewest remaining hours at mid effort, then catalog order) is the one reported, unless the
learner names one. Audited courses never count, neither toward the credential nor as a met
prerequisite (the planner plans them again, with a verified certificate).
"""

from __future__ import annotations

from collections.abc import Iterable

from mmplan.catalog.graph import build_graph, prerequisite_ids, same_course_ids
from mmplan.catalog.model import Catalog, CreditPathway, Program, course_id
from mmplan.core.base import Frozen
from mmplan.selection import parse_choices, program_track, select_with_progress, with_same_courses

CREDIT_CAVEATS = (
    "The credential counts toward these degrees only if you are admitted to the degree "
    "program; admission is never guaranteed.",
    "Credit is usually granted by the offering university only; elsewhere it is decided "
    "case by case, if at all.",
)


class ElectiveStatus(Frozen):
    """One elective group: how many to choose, and which are passed."""

    choose: int
    options: tuple[str, ...]
    passed: tuple[str, ...]
    satisfied: bool


class TrackStatus(Frozen):
    """The track reported: complete, or the closest to done (or the one named)."""

    name: str
    satisfied: bool
    missing: tuple[str, ...]


class ExternalPrerequisite(Frozen):
    """Something outside the catalog a course expects (to check yourself); `status` and
    `show` both report these."""

    course: str  # the course's id
    requirement: str


class Status(Frozen):
    """Where the learner stands on one program's credential."""

    program: str
    earned: bool
    completed: tuple[str, ...]
    missing: tuple[str, ...]
    available_now: tuple[str, ...]
    blocked: dict[str, tuple[str, ...]]
    credit_pathways: tuple[CreditPathway, ...]
    credit_caveats: tuple[str, ...]
    title: str
    needed: tuple[str, ...]
    in_progress: tuple[str, ...]
    audited: tuple[str, ...]
    track: TrackStatus | None
    electives: tuple[ElectiveStatus, ...]
    external_prerequisites: tuple[ExternalPrerequisite, ...]
    # Available courses whose recommended-first courses are not passed: advice, never a block.
    recommended_first: dict[str, tuple[str, ...]]


def program_status(
    catalog: Catalog,
    program: Program,
    *,
    passed: Iterable[str] = (),
    started: Iterable[str] = (),
    audited: Iterable[str] = (),
    track: str | None = None,
    picks: Iterable[str] = (),
) -> Status:
    """The status of `program` for a learner who passed (verified) and started these ids.

    A course passed under another program's id with the same code counts as passed.
    """
    same = same_course_ids(catalog)
    passed_ids = with_same_courses(catalog, passed, same)
    started_ids = with_same_courses(catalog, started, same) - passed_ids
    audited_ids = frozenset(audited)
    choice = parse_choices([program], () if track is None else (track,), picks)[program.id]
    selection = select_with_progress(
        program, passed_ids, started_ids, track=choice.track, picks=choice.picks
    )
    ids = [course_id(program.id, c.code) for c in program.courses]
    selected = {course_id(program.id, code) for code in selection.codes}
    missing = [i for i in ids if i in selected and i not in passed_ids]

    graph = build_graph(catalog)
    available: list[str] = []
    blocked: dict[str, tuple[str, ...]] = {}
    for course in missing:
        if course in started_ids:
            continue
        unmet = tuple(p for p in graph.get(course, ()) if p not in passed_ids)
        if unmet:
            blocked[course] = unmet
        else:
            available.append(course)
    recommended_first: dict[str, tuple[str, ...]] = {}
    own = {course_id(program.id, c.code): c for c in program.courses}
    for course_ref in available:
        recommended = prerequisite_ids(program, own[course_ref].recommended)
        not_passed = tuple(r for r in recommended if r not in passed_ids)
        if not_passed:
            recommended_first[course_ref] = not_passed

    track_status = None
    if selection.track is not None:
        track_ids = [
            course_id(program.id, c) for c in program_track(program, selection.track).courses
        ]
        left = tuple(i for i in ids if i in track_ids and i not in passed_ids)
        track_status = TrackStatus(name=selection.track, satisfied=not left, missing=left)

    electives = []
    for group in program.electives:
        done = tuple(c for c in group.from_ if course_id(program.id, c) in passed_ids)
        electives.append(
            ElectiveStatus(
                choose=group.choose,
                options=group.from_,
                passed=done,
                satisfied=len(done) >= group.choose,
            )
        )

    externals = tuple(
        ExternalPrerequisite(course=course_id(program.id, c.code), requirement=text)
        for c in program.courses
        if course_id(program.id, c.code) in missing
        for text in c.external_prerequisites
    )
    return Status(
        program=program.id,
        title=program.title,
        earned=not missing,
        completed=tuple(i for i in ids if i in passed_ids),
        missing=tuple(missing),
        available_now=tuple(available),
        blocked=blocked,
        credit_pathways=program.credit_pathways,
        credit_caveats=CREDIT_CAVEATS if program.credit_pathways else (),
        needed=tuple(i for i in ids if i in selected),
        in_progress=tuple(i for i in ids if i in started_ids),
        audited=tuple(i for i in ids if i in audited_ids and i not in passed_ids),
        track=track_status,
        electives=tuple(electives),
        external_prerequisites=externals,
        recommended_first=recommended_first,
    )
