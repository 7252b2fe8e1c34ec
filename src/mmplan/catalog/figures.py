"""One source per figure: a course's hours and price, and whether each is an estimate.

`list`, `show`, `compare`, `plan`, `cost` and `status` all read a course's figures here, so
they give the same figure for the same course:

- Hours: published weeks x hours per week at the chosen effort; an estimate when either
  published figure is.
- Price: the course's own verified-certificate price. A course code that several programs
  list names one course (edX codes are unique), so when this program gives no price, the
  first price another program gives for the same code (in catalog order) is its price,
  with that program's estimate mark. Otherwise the price is unknown (None): never zero.
- A published program price's date: its own `price_as_of`, else the program's facts' date.

Standard library and the catalog classes only: `list` reads these for every course.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from mmplan.catalog.model import AsOf, Course, PriceRange, Program
from mmplan.core.defaults import Effort

HOURS_FIELDS = frozenset({"weeks", "hours_per_week"})


@dataclass(frozen=True)
class Price:
    """A course's price (None: unknown) and whether it is an estimate."""

    amount: PriceRange | None
    estimated: bool


def course_hours(course: Course, effort: Effort = Effort.MID) -> float:
    """The course's workload in hours: published weeks x hours per week at `effort`."""
    return course.weeks * course.hours_per_week.at(effort)


def hours_are_estimated(course: Course) -> bool:
    """Whether the course's hours rest on an estimated weeks or hours-per-week figure."""
    return not HOURS_FIELDS.isdisjoint(course.estimated)


def course_price(
    identifier: str,
    course_of: Callable[[str], Course],
    same: Mapping[str, tuple[str, ...]],
) -> Price:
    """The price of the course `identifier` (`program/CODE`), by the rule above.

    `course_of` finds a course by id; `same` is `graph.same_course_ids` of the catalog.
    """
    source = course_of(priced_by(identifier, course_of, same))
    if source.price_usd is None:
        return Price(None, course_of(identifier).is_estimated("price_usd"))
    return Price(source.price_usd, source.is_estimated("price_usd"))


def priced_by(
    identifier: str,
    course_of: Callable[[str], Course],
    same: Mapping[str, tuple[str, ...]],
) -> str:
    """The id whose price is the course `identifier`'s, by the rule above: its own, else the
    first of the same course with a price (itself when none has one)."""
    if course_of(identifier).price_usd is not None:
        return identifier
    for other in same.get(identifier, ()):
        if course_of(other).price_usd is not None:
            return other
    return identifier


def published_price_as_of(program: Program, facts_as_of: AsOf) -> str:
    """When a program's published price was published, as precise as its source says: its
    own `price_as_of` (`2016/2018`, an undated copy of those years), else the date of the
    program's facts (`facts_as_of` when it has none)."""
    return str(program.price_as_of or program.as_of or facts_as_of)
