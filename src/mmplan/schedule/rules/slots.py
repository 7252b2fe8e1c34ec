"""Course slots: at most `max_parallel` courses are in progress on any day (a course paused by
a break, or by the exact pass, keeps its place).

- Check: `check`, `--max-parallel` is 1 to `MAX_PARALLEL`. Fixed runs never take more slots
  than there are (a course whose every listed run would is planned after the last:
  `rules.sessions`).
- List schedule: the profile counts courses too (`hours.Profile`: a course starts only
  where fewer than `max_parallel` run), and `lane_counts`, the courses a policy of
  `simulation` aims to run side by side, never exceed the slots.
- Lower bound: each course holds a slot for at least its fastest study days, in
  `max_parallel` slots (`bounds._study_bound`, and around each course).
- Exact model: `constrain` (a cumulative of ones) and `fits_before_finish`.
- Verify: `verify._Verifier.budget_and_slots`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from mmplan.core.errors import UsageError
from mmplan.core.limits import MAX_PARALLEL
from mmplan.schedule.model import PlanRequest

if TYPE_CHECKING:
    import mmplan.schedule.cpsat as cpsat


def check(request: PlanRequest) -> None:
    """At least one course at a time."""
    if not 1 <= request.max_parallel <= MAX_PARALLEL:
        raise UsageError(
            f"--max-parallel must be at least 1 and at most {MAX_PARALLEL}, "
            f"got {request.max_parallel}"
        )


def lane_counts(max_parallel: int) -> list[int]:
    """How many courses the list schedule's policies aim to run side by side: one, two and
    every slot (none above `max_parallel`)."""
    return sorted({1, min(2, max_parallel), max_parallel})


def constrain(model: cpsat.CpModel, holds: Sequence[cpsat.IntervalVar], slots: int) -> None:
    """At most `slots` of the intervals that hold a course slot overlap on any day."""
    model.add_cumulative(holds, [1] * len(holds), slots)


def fits_before_finish(
    model: cpsat.CpModel,
    spans: Sequence[cpsat.LinearExprT],
    slots: int,
    finish: cpsat.IntVar,
) -> None:
    """Redundant, for the search's bound: the course-days fit in the slots before the finish."""
    model.add(sum(spans) <= slots * (finish + 1))
