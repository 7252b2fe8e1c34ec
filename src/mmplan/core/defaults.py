"""Enums and defaults that the domain and the command line share.

Standard library only: the CLI imports this at start-up, before any command runs.
"""

from __future__ import annotations

from datetime import date, timedelta
from enum import StrEnum

DEFAULT_HOURS_PER_WEEK = 8.0  # the pace of plans and of the weeks estimates
DEFAULT_MAX_PARALLEL = 2  # courses in progress at once
# The exact search's wall-clock cap for a whole command (the plan, its what-if paces, a
# --finish-by search), in seconds; within it, a deterministic budget derived from it
# (schedule/search.py) normally stops the search first, so plans are the same on any machine.
DEFAULT_SOLVER_SECONDS = 1.0
MAX_SOLVER_SECONDS = 60.0  # a minute: more than any bundled plan needs to be proven

# `plan --risk` (docs/planning.md, "How sure is that date?", gives each default's source).
DEFAULT_PASS_RATE = 0.8  # the chance one attempt of a course or exam passes: an assumption
DEFAULT_EFFORT_SPREAD = 0.25  # sigma of the lognormal factor on each course's hours
DEFAULT_EFFORT_CORRELATION = 0.5  # the share of that factor's variance common to every course
DEFAULT_MISSED_WEEKS = 0.04  # the chance a week is lost to illness, work or family
DEFAULT_RISK_SAMPLES = 10_000
DEFAULT_RISK_SEED = 2026
MIN_PASS_RATE = 0.05  # below this a sample would retake each course dozens of times
MAX_EFFORT_SPREAD = 2.0
MAX_MISSED_WEEKS = 0.5
MIN_RISK_SAMPLES = 100
MAX_RISK_SAMPLES = 1_000_000


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
