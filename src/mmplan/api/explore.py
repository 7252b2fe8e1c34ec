"""Exploring the catalog before planning: `list`, `show` and `compare`, as the commands ask.

Like the rest of the API, the stages are imported inside the functions: `list` is the
command run most, and it loads neither pydantic nor YAML (tests/test_startup.py).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING

from mmplan.core.defaults import DEFAULT_HOURS_PER_WEEK, Effort, SortKey

if TYPE_CHECKING:
    from mmplan.catalog.model import Catalog
    from mmplan.reports.explore import Comparison, ProgramDetails
    from mmplan.reports.listing import Listing


def list_programs(
    catalog: Catalog,
    *,
    hours_per_week: float = DEFAULT_HOURS_PER_WEEK,
    effort: Effort = Effort.MID,
    field: str | None = None,
    institution: str | None = None,
    max_price: float | None = None,
    max_weeks: float | None = None,
    credit_at: str | None = None,
    search: str | None = None,
    statuses: Sequence[str] = (),
    sort: SortKey | None = None,
    reverse: bool = False,
    start: date | None = None,
) -> Listing:
    """The programs `mmplan list` shows: filtered, sorted, with weeks from `start`.

    `statuses`: only programs of these statuses (`ProgramStatus` values; none: every one).
    """
    from decimal import Decimal

    from mmplan.reports.listing import ProgramFilter
    from mmplan.reports.listing import list_programs as listing

    wanted = ProgramFilter(
        field=field,
        institution=institution,
        max_price=Decimal(str(max_price)) if max_price is not None else None,
        max_weeks=max_weeks,
        credit_at=credit_at,
        search=search,
        statuses=tuple(statuses),
    )
    return listing(
        catalog,
        hours_per_week=hours_per_week,
        effort=effort,
        wanted=wanted,
        sort=sort,
        reverse=reverse,
        start=start,
    )


def show_program(
    catalog: Catalog,
    program: str,
    *,
    hours_per_week: float = DEFAULT_HOURS_PER_WEEK,
    effort: Effort = Effort.MID,
    start: date | None = None,
) -> ProgramDetails:
    """One program in detail, as `mmplan show` gives it (a unique prefix is enough)."""
    from mmplan.catalog.lookup import find_program
    from mmplan.reports.explore import program_details

    return program_details(
        catalog,
        find_program(catalog, program),
        hours_per_week=hours_per_week,
        effort=effort,
        start=start,
    )


def compare(
    catalog: Catalog,
    programs: Sequence[str],
    *,
    hours_per_week: float = DEFAULT_HOURS_PER_WEEK,
    effort: Effort = Effort.MID,
    start: date | None = None,
) -> Comparison:
    """Programs side by side, as `mmplan compare` gives them (two different ones at least)."""
    from mmplan.catalog.lookup import find_programs
    from mmplan.reports.explore import compare_programs

    return compare_programs(
        catalog,
        find_programs(catalog, programs),
        hours_per_week=hours_per_week,
        effort=effort,
        start=start,
    )
