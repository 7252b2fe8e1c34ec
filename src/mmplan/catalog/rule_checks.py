"""Checks of the program rules a course states: `after_all`, exam windows and `assesses`.

Like `mmplan.catalog.checks`, each returns `CatalogProblem`s at a location shaped like a pydantic
error `loc`; `check_file` runs them on one file.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Sequence

from mmplan.catalog.lookup import did_you_mean
from mmplan.catalog.model import Program, course_id, split_course_id
from mmplan.core.errors import CatalogProblem, Loc, shown


def window_findings(position: int, program: Program) -> list[CatalogProblem]:
    """An exam window needs the session starts that open it; a payment deadline before
    the end falls within the course."""
    findings: list[CatalogProblem] = []
    for index, course in enumerate(program.courses):
        before_end = course.upgrade_deadline and course.upgrade_deadline.days_before_end
        if before_end and before_end >= course.weeks * 7:
            findings.append(
                CatalogProblem.at(
                    ("programs", position, "courses", index, "upgrade_deadline"),
                    f"days_before_end {before_end} is not within {shown(course.code)} "
                    f"({_weeks(course.weeks)}): the deadline would fall before it starts",
                )
            )
        if course.window_days is None:
            continue
        here: Loc = ("programs", position, "courses", index, "window_days")
        if not (course.runs or course.session_starts):
            findings.append(
                CatalogProblem.at(
                    here,
                    f"window_days needs runs or session_starts: each start opens a window, "
                    f"and {shown(course.code)} lists none",
                )
            )
    return findings


def assesses_findings(position: int, program: Program) -> list[CatalogProblem]:
    """An exam `assesses` another course of its program, which it lists as a prerequisite
    (so it comes after it; a chain that loops is a prerequisite cycle), and it is chosen
    with that course, so no elective group or track names it."""
    findings: list[CatalogProblem] = []
    codes = [c.code for c in program.courses]
    chosen = {code for group in program.electives for code in group.from_}
    chosen.update(code for track in program.tracks for code in track.courses)
    for index, course in enumerate(program.courses):
        target = course.assesses
        if target is None:
            continue
        here: Loc = ("programs", position, "courses", index, "assesses")
        if target == course.code:
            problem = f"{shown(course.code)} assesses itself"
        elif target not in codes:
            problem = f"assesses unknown course {shown(target)}" + did_you_mean(target, codes)
        elif target not in course.prerequisites:
            problem = (
                f"{shown(course.code)} assesses {shown(target)}: list {shown(target)} in its "
                "prerequisites too, so it comes after it"
            )
        elif course.code in chosen:
            problem = (
                f"{shown(course.code)} is taken with {shown(target)}, the course it assesses: "
                "leave it out of electives and tracks"
            )
        else:
            continue
        findings.append(CatalogProblem.at(here, problem))
    return findings


def _weeks(weeks: float) -> str:
    return f"{weeks:g} week" + ("" if weeks == 1 else "s")


def after_all_findings(programs: Sequence[Program | None]) -> list[CatalogProblem]:
    """An `after_all` course waits for every other course of its program, so no other
    course of that program may need it, directly or through other courses (recommended
    first counts too): that would be a cycle."""
    needed_by: dict[str, list[str]] = {}  # course id -> the courses naming it, in order
    for program in programs:
        if program is None:
            continue
        for course in program.courses:
            this = course_id(program.id, course.code)
            for reference in (*course.prerequisites, *course.recommended):
                target = course_id(*split_course_id(reference, program.id))
                needed_by.setdefault(target, []).append(this)
    findings: list[CatalogProblem] = []
    for position, program in enumerate(programs):
        if program is None:
            continue
        last = {course_id(program.id, c.code) for c in program.courses if c.after_all}
        for index, course in enumerate(program.courses):
            if not course.after_all:
                continue
            path = _path_to_other(course_id(program.id, course.code), last, needed_by)
            if path is None:
                continue
            own = program.id + "/"
            steps = " -> ".join(step.removeprefix(own) for step in path)
            findings.append(
                CatalogProblem.at(
                    ("programs", position, "courses", index, "after_all"),
                    f"after_all cycle: {shown(course.code)} starts after every other course "
                    f"of {shown(program.id)}, but {shown(path[0].removeprefix(own))} "
                    f"needs it first ({steps})",
                )
            )
    return findings


def _path_to_other(
    target: str, last: set[str], needed_by: dict[str, list[str]]
) -> tuple[str, ...] | None:
    """The shortest chain `X -> ... -> target` of courses each needing the next, where X
    is a course of target's program that is not itself taken last; None when there is none."""
    program_prefix = target.partition("/")[0] + "/"
    came_from: dict[str, str] = {target: target}
    queue = deque([target])
    while queue:
        current = queue.popleft()
        for dependant in needed_by.get(current, ()):
            if dependant in came_from:
                continue
            came_from[dependant] = current
            if dependant.startswith(program_prefix) and dependant not in last:
                path = [dependant]
                while path[-1] != target:
                    path.append(came_from[path[-1]])
                return tuple(path)
            queue.append(dependant)
    return None
