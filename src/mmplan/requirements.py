"""What a learner must take: required courses, one track, and the chosen electives.

A course is required unless it is named in an elective group or a track. Without explicit
choices, the track and the electives with the fewest total hours are chosen (ties: catalog
order), and the selection says so. Courses the learner takes anyway (`already_taken`: through
another planned program, or passed or under way) cost no extra hours in that choice.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass

from mmplan.errors import UnknownIdError, UsageError
from mmplan.lookup import did_you_mean
from mmplan.models import Effort, Program, Track


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


def course_hours(program: Program, code: str, effort: Effort) -> float:
    """Workload of one course in hours: published weeks x rate at this effort."""
    course = program.course(code)
    return course.weeks * course.hours_per_week.at(effort)


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

    def extra_hours(code: str) -> float:
        return 0.0 if code in taken_anyway else course_hours(program, code, effort)

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


def _track_why(track: Track, taken_anyway: frozenset[str]) -> str:
    """Why an automatic track was chosen: fewest hours, counting courses taken anyway as none."""
    shared = [code for code in track.courses if code in taken_anyway]
    if not shared:
        return "fewest hours"
    return f"fewest extra hours: {', '.join(shared)} already in your plan"


def _choose_track(
    program: Program, wanted: str | None, extra_hours: Callable[[str], float]
) -> Track | None:
    if not program.tracks:
        if wanted is not None:
            raise UsageError(f"{program.id} has no tracks, so --track '{wanted}' does not apply")
        return None
    if wanted is not None:
        for candidate in program.tracks:
            if candidate.name.casefold() == wanted.casefold():
                return candidate
        names = [t.name for t in program.tracks]
        raise UnknownIdError(
            f"{program.id} has no track '{wanted}'{did_you_mean(wanted, names)}; "
            f"tracks: {', '.join(names)}"
        )

    def total_hours(track: Track) -> float:
        return sum(extra_hours(code) for code in track.courses)

    return min(program.tracks, key=total_hours)  # min keeps the first of equal tracks


def _check_picks(program: Program, picks: tuple[str, ...]) -> None:
    electives = [code for group in program.electives for code in group.from_]
    for pick in picks:
        if pick not in electives:
            raise UnknownIdError(
                f"{program.id}: '{pick}' is not an elective{did_you_mean(pick, electives)}"
                + (f"; electives: {', '.join(electives)}" if electives else "")
            )
