"""Selection: which courses a learner takes to earn each program's credential.

A course is required unless it is named in an elective group or a track, or is an exam that
`assesses` another course: that exam is taken when, and only when, its course is. Without explicit
choices, the track and the electives with the fewest total hours are chosen (ties: catalog
order), and the selection says so. Courses the learner takes anyway (`already_taken`: through
another planned program, or passed or under way) cost no extra hours in that choice.
`select_courses` chooses from the program and the learner's choices alone;
`select_with_progress` also keeps what the learner passed or started, and `select_programs`
does that for programs taken together. `parse_choices` reads and checks the command line's
--track and --pick for several programs at once.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass

from mmplan.catalog.figures import course_hours
from mmplan.catalog.graph import same_course_ids
from mmplan.catalog.lookup import did_you_mean
from mmplan.catalog.model import Catalog, Program, Track, course_id
from mmplan.core.defaults import Effort
from mmplan.core.errors import UnknownIdError, UsageError, shown


@dataclass(frozen=True)
class SelectedCourse:
    """A course the learner takes, and why."""

    code: str
    reason: str  # "required", "track: NAME", "elective: choose K of N"


@dataclass(frozen=True, kw_only=True)
class Selection:
    """The courses of one program that together earn its credential."""

    program_id: str
    track: str | None = None
    courses: tuple[SelectedCourse, ...]
    chosen_for_you: tuple[str, ...] = ()  # what was picked automatically, for the user to see

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(c.code for c in self.courses)


def select_courses(
    program: Program,
    *,
    track: str | None = None,
    picks: Iterable[str] = (),
    effort: Effort = Effort.MID,
    already_taken: Collection[str] = (),
) -> Selection:
    """The courses to take in `program`, honouring a chosen track and picked electives.

    `already_taken`: codes of `program` the learner takes anyway; an automatic choice counts
    them as no extra hours (explicit --track and --pick still win).
    """
    picks = tuple(picks)
    taken_anyway = frozenset(already_taken)

    def extra_hours(code: str) -> float:  # with the exams that assess it
        if code in taken_anyway:
            return 0.0
        exams = [c.code for c in program.courses if c.assesses == code and c.code != code]
        return sum(course_hours(program.course(c), effort) for c in (code, *exams))

    reasons: dict[str, str] = dict.fromkeys(program.required_codes, "required")
    chosen_for_you: list[str] = []

    chosen_track = _choose_track(program, track, extra_hours)
    if chosen_track is not None:
        for code in chosen_track.courses:
            reasons.setdefault(code, f"track: {chosen_track.name}")
        if track is None and len(program.tracks) > 1:
            chosen_for_you.append(
                f"track '{chosen_track.name}' ({_track_why(chosen_track, taken_anyway)})"
            )

    _check_picks(program, picks)
    for group in program.electives:
        reason = f"elective: choose {group.choose} of {len(group.from_)}"
        taken = [code for code in group.from_ if code in reasons]
        picked = [code for code in group.from_ if code in picks and code not in reasons]
        if len(picked) + len(taken) > group.choose and picked:
            raise UsageError(
                f"{program.id}: picked {len(picked) + len(taken)} of "
                f"[{', '.join(group.from_)}], which allows only {group.choose}"
            )
        for code in picked:
            reasons[code] = reason
        remaining = group.choose - len(picked) - len(taken)
        if remaining > 0:
            candidates = [code for code in group.from_ if code not in reasons]
            candidates.sort(key=extra_hours)  # stable: ties keep catalog order
            for code in candidates[:remaining]:
                reasons[code] = reason
                why = "already in your plan" if code in taken_anyway else "fewest hours"
                chosen_for_you.append(f"elective {code} ({why})")

    _add_exams(program, reasons)
    # Keep catalog order, so plans and listings are stable.
    courses = tuple(
        SelectedCourse(c.code, reasons[c.code]) for c in program.courses if c.code in reasons
    )
    return Selection(
        program_id=program.id,
        track=chosen_track.name if chosen_track else None,
        courses=courses,
        chosen_for_you=tuple(chosen_for_you),
    )


def _add_exams(program: Program, reasons: dict[str, str]) -> None:
    """Each exam that `assesses` a chosen course is chosen with it (an exam of an exam too)."""
    added = True
    while added:
        added = False
        for course in program.courses:
            if course.assesses in reasons and course.code not in reasons:
                reasons[course.code] = f"exam of {course.assesses}"
                added = True


def _track_why(track: Track, taken_anyway: frozenset[str]) -> str:
    """Why an automatic track was chosen: fewest hours, counting courses taken anyway as none."""
    shared = [code for code in track.courses if code in taken_anyway]
    if not shared:
        return "fewest hours"
    return f"fewest extra hours: {', '.join(shared)} already in your plan"


def _choose_track(
    program: Program, wanted: str | None, extra_hours: Callable[[str], float]
) -> Track | None:
    if wanted is not None:
        for candidate in program.tracks:
            if candidate.name.casefold() == wanted.casefold():
                return candidate
        raise _no_such_track([program], wanted)
    if not program.tracks:
        return None

    def total_hours(track: Track) -> float:
        return sum(extra_hours(code) for code in track.courses)

    return min(program.tracks, key=total_hours)  # min keeps the first of equal tracks


def _check_picks(program: Program, picks: tuple[str, ...]) -> None:
    electives = [code for group in program.electives for code in group.from_]
    for pick in picks:
        if pick in electives:
            continue
        if not electives:
            raise UnknownIdError(f"--pick {shown(pick)}: {program.id} has no electives")
        raise UnknownIdError(
            f"--pick {shown(pick)} is no elective of {program.id}{did_you_mean(pick, electives)}; "
            f"electives: {', '.join(electives)}"
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


def select_with_progress(
    program: Program,
    passed: Iterable[str],
    started: Iterable[str] = (),
    *,
    track: str | None = None,
    picks: Iterable[str] = (),
    already_taken: Collection[str] = (),
    effort: Effort = Effort.MID,
) -> Selection:
    """The courses that earn the credential, honouring choices and what is passed or started.

    The track is the named one, else (once a track course is passed) the closest to done,
    else the fewest hours. An elective group the learner picked from keeps their picks; in
    the others passed courses come first, then started ones, then the fewest hours.
    `already_taken`: codes of `program` taken anyway through another program; they count as
    no hours still to do.
    """
    passed_ids = frozenset(passed)
    started_ids = frozenset(started)
    user_picks = tuple(picks)
    track_name = track
    if track is None and any(
        course_id(program.id, code) in passed_ids for t in program.tracks for code in t.courses
    ):
        track_name = _closest_track_name(program, passed_ids, frozenset(already_taken))
    # Validates the named track and the picks (did-you-mean), and gives the track's courses.
    chosen = select_courses(
        program, track=track_name, picks=user_picks, effort=effort, already_taken=already_taken
    )
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
        program,
        track=track_name,
        picks=(*user_picks, *extra),
        effort=effort,
        already_taken=already_taken,
    )


def select_programs(
    programs: Sequence[Program],
    choices: Mapping[str, Choice],
    *,
    counted_as: Callable[[str], str],
    passed: Collection[str] = frozenset(),
    started: Collection[str] = frozenset(),
    taken_anyway: Iterable[str] = (),
    effort: Effort = Effort.MID,
) -> dict[str, Selection]:
    """Each program's selection (`select_with_progress`), for programs taken together.

    A course the learner takes anyway costs no extra hours when a track or elective is
    chosen for them: `taken_anyway` (ids), then what any program takes for certain (its
    required courses, --track and --pick), then, in program order, what each one chose.
    `counted_as` maps a course id to the id its course is counted under (a code several
    programs list is one course).
    """
    taken = {counted_as(identifier) for identifier in taken_anyway}

    def one(program: Program, code: str) -> str:
        return counted_as(course_id(program.id, code))

    for program in programs:
        choice = choices[program.id]
        fixed = [*program.required_codes, *choice.picks]
        fixed.extend(c for t in program.tracks if t.name == choice.track for c in t.courses)
        taken.update(one(program, code) for code in fixed)
    selections: dict[str, Selection] = {}
    for program in programs:
        choice = choices[program.id]
        selection = select_with_progress(
            program,
            passed,
            started,
            track=choice.track,
            picks=choice.picks,
            effort=effort,
            already_taken=[c.code for c in program.courses if one(program, c.code) in taken],
        )
        taken.update(one(program, code) for code in selection.codes)
        selections[program.id] = selection
    return selections


@dataclass(frozen=True)
class Choice:
    """What the learner chose for one program on the command line."""

    track: str | None = None
    picks: tuple[str, ...] = ()


def parse_choices(
    programs: Sequence[Program], tracks: Iterable[str] = (), picks: Iterable[str] = ()
) -> dict[str, Choice]:
    """Per program id, the learner's --track and --pick choices, each checked.

    Each track name applies to every program with a track of that name (case-insensitive);
    a pick is `program/CODE`, or a `CODE` for the first program that offers it as an
    elective. Every command reads choices here, so a bad one is refused in the same words
    everywhere: a name or pick that fits no program, with a suggestion.
    """
    by_id = {p.id: p for p in programs}
    wanted = tuple(tracks)
    for name in wanted:
        if not any(name.casefold() == t.name.casefold() for p in programs for t in p.tracks):
            raise _no_such_track(programs, name)
    chosen: dict[str, Choice] = {}
    for program in programs:
        names = [t.name for t in program.tracks if t.name.casefold() in map(str.casefold, wanted)]
        if len(names) > 1:
            raise UsageError(f"{program.id}: follow one track, not {', '.join(names)}")
        chosen[program.id] = Choice(track=names[0] if names else None)
    for pick in picks:
        program_part, _, code = pick.rpartition("/")
        if program_part:
            owner = next((p for p in programs if p.id.casefold() == program_part.casefold()), None)
            if owner is None:
                raise UnknownIdError(
                    f"--pick {shown(pick)} names a program not asked for"
                    f"{did_you_mean(program_part, by_id)}; asked for: {', '.join(by_id)}"
                )
        else:
            offering = [p for p in programs if any(code in g.from_ for g in p.electives)]
            owner = offering[0] if offering else programs[0]
        _check_picks(owner, (code,))
        before = chosen[owner.id]
        chosen[owner.id] = Choice(track=before.track, picks=(*before.picks, code))
    return chosen


def add_choices(
    programs: Sequence[Program],
    choices: Mapping[str, Choice],
    tracks: Iterable[str] = (),
    picks: Iterable[str] = (),
) -> dict[str, Choice]:
    """`choices` (with no track chosen) and these tracks and picks, which come from the
    catalog, not from what was typed (the tracks and electives a learner's progress shows
    under way), so they are not checked again: what `parse_choices` gives for the typed
    choices followed by these. A track name applies to every program with a track of that
    name; a pick is `program/CODE`."""
    wanted = {name.casefold() for name in tracks}
    added = dict(choices)
    for program in programs:
        names = [t.name for t in program.tracks if t.name.casefold() in wanted]
        if names:
            added[program.id] = Choice(track=names[0], picks=added[program.id].picks)
    for pick in picks:
        owner, _, code = pick.rpartition("/")
        before = added[owner]
        added[owner] = Choice(track=before.track, picks=(*before.picks, code))
    return added


@dataclass(frozen=True)
class ProgramChoices:
    """The programs a command was given, looked up, and the learner's choices for each, read
    and checked: resolved once per command (`resolve_choices`) and handed to every stage."""

    programs: tuple[Program, ...]
    choices: Mapping[str, Choice]  # by program id

    @property
    def ids(self) -> tuple[str, ...]:
        return tuple(p.id for p in self.programs)


def resolve_choices(
    programs: Sequence[Program], tracks: Iterable[str] = (), picks: Iterable[str] = ()
) -> ProgramChoices:
    """The programs (already looked up) with their --track and --pick (`parse_choices`)."""
    found = tuple(programs)
    return ProgramChoices(found, parse_choices(found, tracks, picks) if found else {})


def _no_such_track(programs: Sequence[Program], name: str) -> UnknownIdError:
    """The one refusal of a --track that names no track of `programs`."""
    ids = ", ".join(p.id for p in programs)
    offered = list(dict.fromkeys(t.name for p in programs for t in p.tracks))
    if not offered:
        have = "has" if len(programs) == 1 else "have"
        return UnknownIdError(f"--track {shown(name)}: {ids} {have} no tracks")
    return UnknownIdError(
        f"--track {shown(name)} is no track of {ids}{did_you_mean(name, offered)}; "
        f"tracks: {', '.join(offered)}"
    )


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
        return sum(course_hours(program.course(c), Effort.MID) for c in left), len(left)

    return min(program.tracks, key=remaining).name  # min keeps the first of equal tracks


def courses_taken(
    program: Program,
    prerequisites: Mapping[str, tuple[str, ...]],
    known: Collection[str],
    effort: Effort,
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(course ids taken by default, what was chosen for the learner).

    The selection of `program`, then whatever those courses need first, transitively
    (prerequisites in other programs included), as the planner does. `prerequisites` maps a
    course id to the ids it needs; only `known` ids count.
    """
    if program.electives or program.tracks:
        selection = select_courses(program, effort=effort)
        codes, chosen = selection.codes, selection.chosen_for_you
    else:  # every course is required: the selection is the whole program, nothing chosen
        codes, chosen = tuple(c.code for c in program.courses), ()
    prefix = program.id + "/"
    taken = [prefix + code for code in codes]
    seen = set(taken)
    for ref in taken:  # grows while it runs: each course added is visited in turn
        for prerequisite in prerequisites.get(ref, ()):
            if prerequisite not in seen and prerequisite in known:
                seen.add(prerequisite)
                taken.append(prerequisite)
    return tuple(taken), chosen
