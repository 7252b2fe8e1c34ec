"""Eligibility: where a learner stands on a program's credential, given their progress.

The credential is earned when every required course, exam and capstone is passed with a
verified certificate, the elective groups are satisfied and one track is complete. A track
counts as done when any of them is fully passed; otherwise the track closest to done
(fewest remaining hours at mid effort, then catalog order) is the one reported, unless the
learner names one. Audited courses never count, neither toward the credential nor as a met
prerequisite (the planner plans them again, with a verified certificate).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence

from mmplan.errors import UnknownIdError, UsageError
from mmplan.graph import build_graph, prerequisite_ids, same_course_ids
from mmplan.lookup import did_you_mean
from mmplan.models import Catalog, CreditPathway, Effort, Program, Track, course_id
from mmplan.records import Frozen
from mmplan.requirements import Selection, course_hours, select_courses

CREDIT_CAVEATS = (
    "The credential counts toward these degrees only if you are admitted to the degree "
    "program; admission is never guaranteed.",
    "Credit is usually granted by the offering university only; elsewhere it is decided "
    "case by case, if at all.",
)


def with_same_courses(
    catalog: Catalog, ids: Iterable[str], same: Mapping[str, tuple[str, ...]] | None = None
) -> frozenset[str]:
    """`ids` plus every course of another program with the same code (case-insensitive):
    edX course codes name one course, so passing it in one program passes it in all.

    `same`: the catalog's `same_course_ids`, when the caller has built it already.
    """
    wanted = frozenset(ids)
    if same is None:
        same = same_course_ids(catalog)
    return wanted.union(*(same.get(identifier, ()) for identifier in wanted))


def choose_courses(
    program: Program,
    passed: Iterable[str],
    started: Iterable[str] = (),
    *,
    track: str | None = None,
    picks: Iterable[str] = (),
    already_taken: Collection[str] = (),
) -> Selection:
    """The courses that earn the credential, honouring choices and what is passed or started.

    The track is the named one, else a fully passed one, else the closest to done. An
    elective group the learner picked from keeps their picks; in the others passed courses
    come first, then started ones, then the fewest hours. `already_taken`: codes of
    `program` taken anyway through another program; they count as no hours still to do.
    """
    passed_ids = frozenset(passed)
    started_ids = frozenset(started)
    user_picks = tuple(picks)
    track_name = (
        track
        if track is not None
        else _closest_track_name(program, passed_ids, frozenset(already_taken))
    )
    # Validates the named track and the picks (did-you-mean), and gives the track's courses.
    chosen = select_courses(program, track=track_name, picks=user_picks)
    assigned = set(program.required_codes) | set(user_picks)
    if chosen.track is not None:
        assigned.update(program_track(program, chosen.track).courses)

    def rank(code: str) -> int:
        identifier = course_id(program.id, code)
        return 0 if identifier in passed_ids else 1 if identifier in started_ids else 2

    extra: list[str] = []
    for group in program.electives:
        if any(code in user_picks for code in group.from_):
            continue
        room = group.choose - sum(1 for code in group.from_ if code in assigned)
        under_way = [code for code in group.from_ if code not in assigned and rank(code) < 2]
        under_way.sort(key=rank)  # stable: catalog order within passed, then started
        for code in under_way[: max(room, 0)]:
            extra.append(code)
            assigned.add(code)
    return select_courses(
        program, track=chosen.track, picks=(*user_picks, *extra), already_taken=already_taken
    )


def split_choices(
    programs: Sequence[Program], tracks: Iterable[str] = (), picks: Iterable[str] = ()
) -> dict[str, tuple[str | None, tuple[str, ...]]]:
    """Per program id, its track and elective picks from command-line choices.

    Each track name applies to every program with a track of that name (case-insensitive);
    a pick is `program/CODE`, or a `CODE` for the first program that offers it as an
    elective. A name or pick that fits no program is refused with a suggestion.
    """
    by_id = {p.id: p for p in programs}
    wanted = tuple(tracks)
    chosen: dict[str, tuple[str | None, tuple[str, ...]]] = {}
    for program in programs:
        names = [t.name for t in program.tracks if t.name.casefold() in map(str.casefold, wanted)]
        if len(names) > 1:
            raise UsageError(f"{program.id}: follow one track, not {', '.join(names)}")
        chosen[program.id] = (names[0] if names else None, ())
    for name in wanted:
        if not any(name.casefold() == t.name.casefold() for p in programs for t in p.tracks):
            offered = [t.name for p in programs for t in p.tracks]
            raise UnknownIdError(
                f"--track '{name}' is no track of {', '.join(by_id)}{did_you_mean(name, offered)}"
            )
    for pick in picks:
        program_part, _, code = pick.rpartition("/")
        if program_part:
            owner = next((p for p in programs if p.id.casefold() == program_part.casefold()), None)
            if owner is None:
                raise UnknownIdError(
                    f"--pick '{pick}' names a program not asked for"
                    f"{did_you_mean(program_part, by_id)}"
                )
        else:
            offering = [p for p in programs if any(code in g.from_ for g in p.electives)]
            owner = offering[0] if offering else programs[0]  # refused there, with a hint
        track, picked = chosen[owner.id]
        chosen[owner.id] = (track, (*picked, code))
    return chosen


def program_track(program: Program, name: str) -> Track:
    """The track of `program` called `name` (as `select_courses` spelled it)."""
    return next(t for t in program.tracks if t.name == name)


def _closest_track_name(
    program: Program, passed: frozenset[str], taken_anyway: frozenset[str] = frozenset()
) -> str | None:
    if not program.tracks:
        return None

    def remaining(track: Track) -> tuple[float, int]:
        left = [
            c
            for c in track.courses
            if course_id(program.id, c) not in passed and c not in taken_anyway
        ]
        return sum(course_hours(program, c, Effort.MID) for c in left), len(left)

    return min(program.tracks, key=remaining).name  # min keeps the first of equal tracks


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
    """Something outside the catalog a course expects (to check yourself)."""

    course: str
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
    selection = choose_courses(program, passed_ids, started_ids, track=track, picks=picks)
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
