"""Enums and defaults that the domain and the command line share.

Standard library only: the CLI imports this at start-up, before any command runs.
"""

from __future__ import annotations

from datetime import date, timedelta
from enum import StrEnum

DEFAULT_HOURS_PER_WEEK = 8.0  # the pace of plans and of the weeks estimates
DEFAULT_MAX_PARALLEL = 2  # courses in progress at once
# The exact search's budget for a whole command (the plan, its what-if paces, a --finish-by
# search), in CP-SAT's deterministic seconds (its own count of work: about
# a second of a laptop's time each, and the same plan on any machine under any load).
DEFAULT_SOLVER_SECONDS = 1.0
MAX_SOLVER_SECONDS = 600.0


def next_monday(today: date) -> date:
    """The default start of study: the first Monday after `today`."""
    return today + timedelta(days=7 - today.weekday())


class Effort(StrEnum):
    """Which end of a published hours-per-week range the planner counts."""

    LOW = "low"
    MID = "mid"
    HIGH = "high"


class SortKey(StrEnum):
    """Columns `mmplan list` can sort by."""

    ID = "id"
    TITLE = "title"
    INSTITUTION = "institution"
    FIELD = "field"
    COURSES = "courses"
    HOURS = "hours"
    PRICE = "price"
    WEEKS = "weeks"
    CREDIT = "credit"  # the number of credit pathways
