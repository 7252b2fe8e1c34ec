"""After all: a course marked `after_all` starts only after every other course of its
program's credential ends.

Those are the other courses of the program the plan holds (the required courses, the chosen
electives and track, and any other course of the program the learner takes anyway), each
under whichever program's id it is planned; not the program's other `after_all` courses (a
prerequisite between them still orders them). With several programs, each program's
`after_all` courses wait for its own courses only.

- Check: a course of the program that needs the `after_all` course would make a cycle; the
  catalog check names it (`catalog/rule_checks.py`), and `choose` refuses the plan.
- List schedule: `waits` becomes part of what the course needs first (`contents.CourseEntry.after`,
  then `planner._build_problem`), kept as prerequisites are.
- Lower bound: the same edges, in the prerequisite chain and around each course.
- Exact model: the same edges, as precedences.
- Verify: `verify._Verifier.after_all`.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence

from mmplan.catalog.model import Program, course_id


def waits(
    programs: Sequence[Program], planned_as: Mapping[str, str], planned: Collection[str]
) -> dict[str, tuple[str, ...]]:
    """Each planned course marked `after_all` -> the other planned courses of its program it
    waits for. `planned_as` maps a shared course's ids to the one it is planned under."""
    found: dict[str, list[str]] = {}
    for program in programs:
        held = []  # (planned id, marked after_all), for the courses of the program planned
        for course in program.courses:
            own = course_id(program.id, course.code)
            cid = planned_as.get(own, own)
            if cid in planned:
                held.append((cid, course.after_all))
        last = {cid for cid, after_all in held if after_all}
        others = [cid for cid, _ in held if cid not in last]
        for cid in last:
            found.setdefault(cid, []).extend(others)
    return {cid: tuple(dict.fromkeys(ids)) for cid, ids in found.items()}
