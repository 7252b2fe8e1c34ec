"""Sessions and runs: a fixed-schedule course starts on one of its session starts.

A fixed-schedule course (instructor-paced, or any course with listed `runs` or yearly
`session_starts`) lasts exactly its published weeks at its published rate. Its session dates
are its listed runs, then its yearly starts after the last of them (the runs a platform
lists are the real upcoming ones; the yearly pattern continues past them). With session
dates it starts only on one (or in the window one opens: `rules.windows`), waiting for the
next when it is ready between them; without any, on any day.

Runs never collide: a course whose every listed run it can still make would take more than
the learner's hours or course slots, beside the fixed courses already placed, is planned as
if a new run started after its last listed one, on the first day from then on that fits,
as a course ready after its every listed run is. So the hours and slots hold in every plan
(bar a course heavier than the pace alone), and the lower bound counts every fixed course's
load and slot (`bounds.lower_bound`).

- Check: the catalog's dates (`catalog/model.py`); a course ready after its every listed
  run is planned as if a new one started then, warned (`BentRule.NO_RUN`); one whose every
  run collides, after the last, warned (`BentRule.COLLISION`); the credential waits on
  either's run.
- List schedule: `session_days` gives each job its start days (`Job.runs`); `run_choice`
  picks the candidates when a course is ready (`simulation.Simulation.reserve`, `defer`);
  `simulation.Simulation._past_listed_runs` when every one collides.
- Lower bound: a course's earliest end takes its first candidate (`bounds._earliest_end`),
  and latest starts snap back to a start day (`bounds.latest_starts`).
- Exact model: `fixed_starts` is the domain of a fixed course's start (any day after the
  last run too, for a course the list schedule planned there).
- Verify: `verify._Verifier.sessions` (a course warned either way starts after its last
  listed run); `verify._Verifier.budget_and_slots` excuses no collision.
"""

from __future__ import annotations

from bisect import bisect_left
from datetime import date

from mmplan.catalog.model import Course, session_start_in
from mmplan.schedule.problem import BentRule, Job
from mmplan.schedule.rules.breaks import Calendar
from mmplan.schedule.rules.windows import start_days
from mmplan.schedule.study_days import StudyDays

# Yearly session starts are laid out this many years from the plan's start: more than any
# plan a learner follows (a course ready later than that is planned as if a session began).
SESSION_YEARS = 100


def session_days(course: Course, start: date, length: int) -> tuple[int, ...]:
    """The days (offsets from `start`) the course may start, sorted: its listed runs, then
    each yearly session start after the last of them in every year a plan may reach, each
    with the days its window stays open (`length`: the course's calendar days)."""
    opened = [(run - start).days for run in course.runs]
    after = max(opened, default=None)
    for month_day in course.session_starts:
        for year in range(start.year - 1, start.year + SESSION_YEARS + 1):
            day = (session_start_in(month_day, year) - start).days
            if after is None or day > after:
                opened.append(day)
    return start_days(opened, course.window_days, length)


def run_choice(
    job: Job, ready: int, calendar: Calendar
) -> tuple[list[int] | None, BentRule | None]:
    """Candidate run days for a fixed course ready on `ready`, in preference order.

    None means "any day" (no listed run applies). The note names a fallback that was needed.
    """
    if not job.runs and not job.has_dates:
        return None, None
    upcoming = list(job.runs[bisect_left(job.runs, ready) :])  # the runs are sorted
    if not upcoming:
        return None, BentRule.NO_RUN
    if not calendar.breaks:
        return upcoming, None
    allowed = [d for d in upcoming if calendar.overlapping_break_end(d, d + job.days - 1) is None]
    if allowed:
        return allowed, None
    return upcoming, BentRule.RUN_IN_BREAK


def fixed_starts(job: Job, days: StudyDays, horizon: int, no_run: bool) -> list[tuple[int, int]]:
    """The exact model's allowed study-day starts of fixed course `job`, as inclusive ranges:
    its start days clear of breaks (`no_run`: also any day after the last, as the list
    schedule planned it), or any day whose span stays between breaks when it has no dates.
    `horizon` is the last study day a plan may use."""
    length = job.days
    latest = horizon - length + 1
    lows = [0, *days.resumes]
    highs = [r - 1 for r in days.resumes] + [horizon]
    stretches = [
        (low, min(high - length + 1, latest))
        for low, high in zip(lows, highs, strict=True)
        if min(high - length + 1, latest) >= low
    ]
    if not job.has_dates:
        return stretches
    ranges = []
    for run in job.runs:  # sorted: once past the latest start, all the rest are
        first = days.study(run)
        if first > latest:
            break
        if days.calendar.study_day(run) == run and days.between_breaks(first, length):
            ranges.append((first, first))
    if no_run:  # planned as if a new run started after them
        after = days.study(job.runs[-1] + 1) if job.runs else 0
        ranges.extend((max(low, after), high) for low, high in stretches if high >= after)
    return ranges
