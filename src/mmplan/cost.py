"""Cost: verified-certificate prices summed exactly, ranges and unknowns kept honest."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from mmplan.models import Course, Frozen, PriceRange

ZERO = PriceRange(lo=Decimal(0), hi=Decimal(0))


class PriceTotal(Frozen):
    """The sum of known prices, and the ids of courses whose price is unknown."""

    known: PriceRange = ZERO
    unknown: tuple[str, ...] = ()


def price_total(courses: Iterable[tuple[str, Course]]) -> PriceTotal:
    """Sum the prices of `(course id, course)` pairs; a course counted once per id."""
    known = ZERO
    unknown: list[str] = []
    seen: set[str] = set()
    for course_id, course in courses:
        if course_id in seen:
            continue
        seen.add(course_id)
        if course.price_usd is None:
            unknown.append(course_id)
        else:
            known = known + course.price_usd
    return PriceTotal(known=known, unknown=tuple(unknown))
