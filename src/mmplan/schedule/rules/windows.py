"""Exam windows: each session start of a course with `window_days` opens a window that stays
open that many days, and the course starts on a day of it that still ends it inside.

- Check: the catalog refuses a window without session dates or shorter than its course
  (`catalog/rule_checks.py`).
- List schedule: every day a window allows is a start day of the job (`start_days`, called
  by `sessions.session_days`), so a course ready inside a window starts at once and one
  ready between windows waits for the next, counted like any session wait.
- Lower bound: the same start days, through the sessions rule.
- Exact model: the same start days, as the domain of the start (`sessions.fixed_starts`).
- Verify: `verify._Verifier.sessions` (a start inside a window).
"""

from __future__ import annotations

from collections.abc import Iterable


def start_days(opened: Iterable[int], window_days: int | None, length: int) -> tuple[int, ...]:
    """The days a course of `length` calendar days may start, sorted: each day a session
    opens, and with a window every later day that still ends the course inside it. Only
    days from the plan's start (0) on."""
    last = 0 if window_days is None else max(window_days - length, 0)
    return tuple(sorted({day + k for day in opened for k in range(last + 1) if day + k >= 0}))
