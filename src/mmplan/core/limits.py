"""The ranges every input must fall in, in one place so that every command and file agrees.

Paces, dates and file sizes outside these are typos or attacks, not learners: refusing them
at the edge keeps the planner's arithmetic (and the terminal) safe. Light on purpose: the
command-line options import it at start-up.
"""

from __future__ import annotations

import math
import re
from datetime import date

# The learner's study pace, for every -H/--hours-per-week. Below half an hour a week no
# program ends within a lifetime; a week has 168 hours.
MIN_HOURS_PER_WEEK = 0.5
MAX_HOURS_PER_WEEK = 168  # also the most a catalog course may ask
PACE_RANGE_TEXT = f"{MIN_HOURS_PER_WEEK:g} to {MAX_HOURS_PER_WEEK:g}"
# The hours a course really took (--hours-spent): no course is done in less than half an
# hour, and 1e-300 would make every later plan take no time at all.
MIN_HOURS_SPENT = 0.5
# The `list` filters --max-price and --max-weeks: past these a filter keeps everything.
MAX_FILTER_PRICE = 10_000_000
MAX_FILTER_WEEKS = 10_000
# --max-parallel: more courses at once than anyone takes, small enough for the solver.
MAX_PARALLEL = 100

# Every date mmplan reads (options, MMPLAN_TODAY, catalog runs, progress records).
EARLIEST_DATE = date(2000, 1, 1)
LATEST_DATE = date(2100, 12, 31)
DATE_RANGE_TEXT = f"{EARLIEST_DATE} to {LATEST_DATE}"

# Ids reach shells (completion), spreadsheets and terminals: a course code is ASCII letters,
# digits and `. _ + -`, starting with a letter or digit; a program id is a slug
# (docs/catalog.md). Nothing a shell, a spreadsheet or a terminal reads as code fits.
# catalog/model.py writes them out too (tests/test_hostile_data.py checks they agree).
SLUG_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
CODE_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._+-]*$"

# Progress and import files hold a few dozen records, a few kilobytes: the cap is generous.
MAX_PROGRESS_FILE_BYTES = 1024 * 1024

_ISO_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def read_date(text: str) -> date:
    """A date written YYYY-MM-DD within the date range; ValueError saying what is wrong."""
    return check_date(parse_iso_date(text))


def parse_iso_date(text: str) -> date:
    """A date written YYYY-MM-DD, in any year; ValueError saying what is wrong.

    Python also reads 20250101 and 2025-W01-1 as dates; those are refused, as they are
    more likely typos than intent.
    """
    if not _ISO_DAY.fullmatch(text):
        raise ValueError("is not a date written YYYY-MM-DD")
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise ValueError("is not a day of the calendar") from None


def check_date(day: date) -> date:
    """`day` itself when within the date range; ValueError naming the range otherwise."""
    if not EARLIEST_DATE <= day <= LATEST_DATE:
        raise ValueError(f"is outside the dates mmplan handles ({DATE_RANGE_TEXT})")
    return day


def check_pace(hours_per_week: float) -> float:
    """`hours_per_week` itself when it is a pace mmplan plans at; ValueError otherwise."""
    if not math.isfinite(hours_per_week):
        raise ValueError("is not a finite number")
    if not MIN_HOURS_PER_WEEK <= hours_per_week <= MAX_HOURS_PER_WEEK:
        raise ValueError(f"is not in the range {PACE_RANGE_TEXT}")
    return hours_per_week


def pace_problem(hours_per_week: float) -> str | None:
    """What is wrong with a pace, as the domain's usage errors say it; None when it is fine."""
    try:
        check_pace(hours_per_week)
    except ValueError as error:
        return f"--hours-per-week {hours_per_week:g} {error}"
    return None
