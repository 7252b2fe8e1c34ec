"""Prerequisites: a course starts after every course it needs has ended (and, when the plan
follows them, after the courses recommended first that the plan holds).

- Check: a cycle, once each shared course is planned once, is refused (`contents.plan_contents`); a
  cycle through the recommended order drops that order, warned.
- List schedule: a course is released when its last prerequisite is placed, ready the day
  after that one ends (`simulation.Simulation.commit`); priorities come from the chains
  (`bounds.latest_starts`, `bounds.tails`).
- Lower bound: the longest chain at full pace (`bounds.earliest_ends`), and what each course
  needs fits before it and what needs it after it (`bounds._around_each_course`, from
  `before_and_after`).
- Exact model: `constrain` (precedences) and `add_chain_energy`.
- Verify: `verify._Verifier.prerequisites`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from mmplan.schedule.problem import Job

if TYPE_CHECKING:
    import mmplan.schedule.cpsat as cpsat

# A course's (start, end) variables in the exact model.
Span = tuple["cpsat.IntVar", "cpsat.IntVar"]


def before_and_after(jobs: list[Job]) -> tuple[list[set[int]], list[set[int]]]:
    """For each course, the courses it needs, directly or not, and those that need it
    (prerequisites come before their dependants in `jobs`)."""
    before: list[set[int]] = []
    for job in jobs:
        before.append(set().union(*({p, *before[p]} for p in job.prerequisites)))
    after: list[set[int]] = [set() for _ in jobs]
    for j in range(len(jobs) - 1, -1, -1):
        after[j] = set().union(*({d, *after[d]} for d in jobs[j].dependants))
    return before, after


def constrain(model: cpsat.CpModel, jobs: Sequence[Job], spans: Sequence[Span]) -> None:
    """Each course starts after its prerequisites end."""
    for j, job in enumerate(jobs):
        for p in job.prerequisites:
            model.add(spans[j][0] >= spans[p][1] + 1)


def add_chain_energy(
    model: cpsat.CpModel,
    jobs: Sequence[Job],
    spans: Sequence[Span],
    finish: cpsat.IntVar,
    limits: tuple[int, int],
    energy: dict[int, cpsat.LinearExprT],
    least: dict[int, tuple[int, int]],
) -> None:
    """Redundant, for the search's bound: what must end before a course starts fits before
    it, and what must start after it ends fits after it (its work at the learner's hours and
    its course-days in the slots, `limits`). That is everything a course needs first and
    everything that needs it; for a fixed course also any other course, through a literal
    saying whether it falls wholly before (or after) it. `least` gives each course's least
    (work, study days)."""
    capacity, slots = limits
    before, after = before_and_after(list(jobs))
    days_of = [end - start + 1 for start, end in spans]
    for j, (start, end) in enumerate(spans):
        sides = []
        for side, linked in (("b", before[j]), ("a", after[j])):
            work = [energy[i] for i in sorted(linked)]
            days = [days_of[i] for i in sorted(linked)]
            if not jobs[j].self_paced:
                for k, (other_start, other_end) in enumerate(spans):
                    if k == j or k in before[j] or k in after[j]:
                        continue
                    wholly = model.new_bool_var(f"{side}{j}_{k}")
                    if side == "b":
                        model.add(other_end <= start - 1).only_enforce_if(wholly)
                        model.add(other_end >= start).only_enforce_if(wholly.Not())
                    else:
                        model.add(other_start >= end + 1).only_enforce_if(wholly)
                        model.add(other_start <= end).only_enforce_if(wholly.Not())
                    work.append(least[k][0] * wholly)
                    days.append(least[k][1] * wholly)
            sides.append((work, days))
        (work_before, days_before), (work_after, days_after) = sides
        if len(work_before) > 1:
            model.add(capacity * start >= sum(work_before))
            model.add(slots * start >= sum(days_before))
        if len(work_after) > 1:
            model.add(capacity * (finish - end) >= sum(work_after))
            model.add(slots * (finish - end) >= sum(days_after))
