"""Breaks: no study on the learner's breaks. A self-paced course spanning one pauses (its end
moves later by the break's days); a fixed course runs clear of every break unless each of
its listed runs overlaps one.

- Check: `check`, a break ends on or after its start; a course whose every run
  overlaps a break takes one anyway, warned (`BentRule.RUN_IN_BREAK`).
- List schedule: the study calendar (`calendar.Calendar`: `study_day`, `advance`,
  `overlapping_break_end`), and `sessions.run_choice` keeps runs clear of breaks.
- Lower bound: work and course-days fill study days only; `may_span_a_break` tells which
  fixed courses can take none of the learner's days during a break (`bounds.lower_bound`).
- Exact model: time is counted in study days (`study_days.StudyDays`), and a fixed course
  starts only where its span stays between breaks (`sessions.fixed_starts`).
- Verify: `verify._Verifier.breaks`.
"""

from __future__ import annotations

from mmplan.core.errors import UsageError
from mmplan.schedule.model import PlanRequest
from mmplan.schedule.problem import Job, Problem


def check(request: PlanRequest) -> None:
    """Every break ends on or after the day it starts."""
    for pause in request.breaks:
        if pause.start > pause.end:
            raise UsageError(f"--break {pause.start}:{pause.end} ends before it starts")


def may_span_a_break(problem: Problem, job: Job) -> bool:
    """Whether a fixed course can run through a break in a plan: when it is under way, or
    when one of its listed runs overlaps a break (the planner takes such a run only when
    every run it may take does)."""
    if job.fixed is not None:
        return True
    calendar = problem.calendar
    return any(
        calendar.overlapping_break_end(day, day + job.days - 1) is not None for day in job.runs
    )
