"""The hours budget: on every day the weekly allocations of the courses in progress add up to
at most the learner's hours (a course paused by a break still holds its allocation).

- Check: `check`, the pace's range (`core/limits.py`); a fixed course whose rate alone is above the
  pace runs alone, and runs that collide on every listed date are taken anyway, both warned
  (`BentRule.OVER_PACE`, `BentRule.COLLISION`).
- List schedule: the capacity profile (`calendar.Profile`: `first_conflict`, `min_free`)
  against which `simulation` places every course.
- Lower bound: all the work fits in the learner's hours on study days (`bounds._study_bound`,
  and around each course: `bounds._around_each_course`).
- Exact model: `constrain` (a cumulative of the allocations) and `fits_before_finish`.
- Verify: `verify._Verifier.budget_and_slots`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from mmplan.core.errors import UsageError
from mmplan.core.limits import pace_problem
from mmplan.schedule.model import PlanRequest

if TYPE_CHECKING:
    from ortools.sat.python import cp_model


def check(request: PlanRequest) -> None:
    """The pace must lie in every command's range."""
    problem = pace_problem(request.hours_per_week)
    if problem is not None:
        raise UsageError(problem)


@dataclass
class Load:
    """What the courses put on the learner's hours, in the exact model: intervals with their
    weekly allocations, and each course's work (hundredth-hour study days, at least)."""

    intervals: list[cp_model.IntervalVar] = field(default_factory=list)
    demands: list[cp_model.LinearExprT] = field(default_factory=list)
    energy: dict[int, cp_model.LinearExprT] = field(default_factory=dict)


def constrain(model: cp_model.CpModel, load: Load, capacity: int) -> None:
    """On every study day the allocations add up to at most `capacity`."""
    model.add_cumulative(load.intervals, load.demands, capacity)


def fits_before_finish(
    model: cp_model.CpModel, load: Load, capacity: int, finish: cp_model.IntVar
) -> None:
    """Redundant, for the search's bound: all the work fits in the hours before the finish."""
    model.add(capacity * (finish + 1) >= sum(load.energy.values()))
