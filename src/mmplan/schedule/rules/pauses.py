"""Pauses: a self-paced course may stop, or change its weekly hours, once, where a fixed
course starts or ends; it keeps its course slot while paused, and its two segments together
do all its work.

- Check: none; only the exact pass pauses a course, and only to finish earlier.
- List schedule: never pauses a course (a break only moves its end later).
- Lower bound: needs nothing: pausing changes neither the work nor the course-days a plan
  holds, and the bound's arguments count only those.
- Exact model: `add_pausing`, the second model of `exact` (tried when a self-paced course
  has a fixed course it neither needs nor is needed by: the only ones whose start or end
  can fall inside its span); `least_pace`, a dominance rule for a course that runs whole.
- Verify: `verify._Verifier.pauses` (only at a fixed course's edge; the segments do the
  work: `verify._Verifier.hours`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import mmplan.schedule.cpsat as cpsat
    from mmplan.schedule.rules.hours import Load


@dataclass(frozen=True)
class Pausing:
    """A course's pause variables: whether it pauses, its two segments as (first day, study
    days, allocation), and the work it does in all."""

    paused: cpsat.IntVar
    pieces: list[tuple[cpsat.IntVar, cpsat.IntVar, cpsat.IntVar]]
    used: cpsat.IntVar


def least_pace(
    model: cpsat.CpModel,
    pace: tuple[cpsat.IntVar, cpsat.IntVar, cpsat.IntVar],
    work: int,
    unless: cpsat.IntVar | None = None,
) -> None:
    """Redundant, a dominance rule: a self-paced course that runs whole (unless it pauses)
    takes the fewest study days its allocation needs and the least allocation those days
    need: `(allocation - 1) x days < work` and `allocation x (days - 1) < work`. Any plan can
    be brought to that form (lowering an allocation, or ending a course earlier, frees
    hours and keeps every rule), so no plan's finish is lost, and the many paces that do the
    same work in the same days collapse into one."""
    allocation, days, done = pace  # done == allocation x days
    if work < 1:  # nothing left to do: any pace will do
        return
    for smaller in (days, allocation):
        limit = model.add(done - smaller <= work - 1)
        if unless is not None:
            limit.only_enforce_if(unless.Not())


# A self-paced course's variables: start, end, allocation, study days, and their product.
Whole = tuple["cpsat.IntVar", "cpsat.IntVar", "cpsat.IntVar", "cpsat.IntVar", "cpsat.IntVar"]


def add_pausing(
    model: cpsat.CpModel,
    j: int,
    whole: Whole,
    *,
    work: int,
    shortest: int,
    capacity: int,
    horizon: int,
    boundaries: Sequence[tuple[cpsat.IntVar, cpsat.IntVar]],
    load: Load,
    holds: list[cpsat.IntervalVar],
) -> Pausing:
    """Self-paced course `j` either runs whole (`whole`) or in two segments that meet the
    fixed courses' starts and ends (`boundaries`); what it loads goes into `load` and
    `holds` either way."""
    start, end, rate, length, done = whole
    paused = model.new_bool_var(f"p{j}")
    model.add(done >= work).only_enforce_if(paused.Not())
    model.add(rate == capacity).only_enforce_if(paused)  # unused: pinned
    model.add(length == shortest).only_enforce_if(paused)
    stop = model.new_int_var(0, horizon + 1, f"f{j}")
    interval = model.new_optional_interval_var(start, length, stop, paused.Not(), f"i{j}")
    model.add(end == stop - 1).only_enforce_if(paused.Not())
    load.intervals.append(interval)
    load.demands.append(rate)
    first = model.new_int_var(1, horizon, f"d{j}a")
    second = model.new_int_var(1, horizon, f"d{j}b")
    resume = model.new_int_var(1, horizon, f"r{j}")
    rates = [model.new_int_var(1, capacity, f"a{j}{k}") for k in "ab"]
    parts = [model.new_int_var(0, capacity * (horizon + 1), f"w{j}{k}") for k in "ab"]
    model.add_multiplication_equality(parts[0], [rates[0], first])
    model.add_multiplication_equality(parts[1], [rates[1], second])
    model.add(parts[0] + parts[1] >= work).only_enforce_if(paused)
    model.add(resume >= start + first).only_enforce_if(paused)
    model.add(end == resume + second - 1).only_enforce_if(paused)
    for unused in (first, second, resume):
        model.add(unused == 1).only_enforce_if(paused.Not())
    for each in rates:
        model.add(each == capacity).only_enforce_if(paused.Not())
    for k, (begin, size) in enumerate(((start, first), (resume, second))):
        piece_stop = model.new_int_var(0, 2 * horizon + 2, f"f{j}{k}")
        piece = model.new_optional_interval_var(begin, size, piece_stop, paused, f"i{j}{k}")
        load.intervals.append(piece)
        load.demands.append(rates[k])
    # Paused or not, the course holds its slot from its start to its end: one interval that
    # is always present (two optional ones, one per mode, propagate less).
    span = model.new_int_var(shortest, horizon + 1, f"h{j}")
    holds.append(model.new_interval_var(start, span, end + 1, f"h{j}"))
    # The pause (or change of pace) begins and ends where a fixed course starts or ends.
    for k, day in enumerate((start + first, resume)):
        meets = []
        for i, (fixed_start, fixed_end) in enumerate(boundaries):
            for side, edge in (("s", fixed_start), ("e", fixed_end + 1)):
                literal = model.new_bool_var(f"m{j}{k}{i}{side}")
                model.add(day == edge).only_enforce_if(literal)
                meets.append(literal)
        model.add_bool_or(meets).only_enforce_if(paused)
    used = model.new_int_var(work, capacity * (horizon + 1), f"u{j}")
    model.add(used == done).only_enforce_if(paused.Not())
    model.add(used == sum(parts)).only_enforce_if(paused)
    return Pausing(paused, [(start, first, rates[0]), (resume, second, rates[1])], used)
