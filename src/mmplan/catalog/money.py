"""Money: certificate prices as exact `Decimal` ranges, summed with unknowns kept apart.

Shared by the planner and the cost report, so neither stage imports the other.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Annotated

from pydantic import PlainSerializer

from mmplan.catalog.model import Course, PriceRange, money_json
from mmplan.core.base import Frozen

ZERO = PriceRange(lo=Decimal(0), hi=Decimal(0))

# A known amount of money; in JSON a number, or a [lo, hi] pair for a range.
Money = Annotated[PriceRange, PlainSerializer(money_json, when_used="json")]
# An amount that may be unknown (null in JSON): never counted as zero.
MaybeMoney = Annotated[PriceRange | None, PlainSerializer(money_json, when_used="json")]


class PriceTotal(Frozen):
    """The sum of known prices, and the ids of courses whose price is unknown."""

    known: PriceRange = ZERO
    unknown: tuple[str, ...] = ()


def price_total(courses: Iterable[tuple[str, Course]]) -> PriceTotal:
    """Sum the prices of `(course id, course)` pairs; a course counted once per id."""
    known = ZERO
    unknown: list[str] = []
    seen: set[str] = set()
    for identifier, course in courses:
        if identifier in seen:
            continue
        seen.add(identifier)
        if course.price_usd is None:
            unknown.append(identifier)
        else:
            known = known + course.price_usd
    return PriceTotal(known=known, unknown=tuple(unknown))


def sum_known(prices: Iterable[PriceRange | None]) -> PriceRange:
    """The sum of the prices that are known (the unknown ones are reported apart)."""
    total = ZERO
    for price in prices:
        if price is not None:
            total = total + price
    return total
