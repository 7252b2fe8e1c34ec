"""Pydantic hooks of the catalog's fields: limits, numbers not written as text, yes/no
values and `MM-DD` days (see `mmplan.catalog.model`)."""

from __future__ import annotations

import re
from datetime import date
from typing import TYPE_CHECKING, Annotated, Any

if TYPE_CHECKING:
    from pydantic import GetCoreSchemaHandler
    from pydantic_core import CoreSchema


class Limits:
    """Limits pydantic checks on a field: `pydantic.Field`'s (`gt`, `pattern`, `min_length`...).

    A plain class rather than pydantic's `Field` or annotated-types, which would import
    pydantic (or 10 ms of annotated-types) with every catalog; the `Field` is made only
    when pydantic builds its validator.
    """

    __slots__ = ("limits",)

    def __init__(self, **limits: Any) -> None:
        self.limits = limits

    def __get_pydantic_core_schema__(
        self, source: Any, handler: GetCoreSchemaHandler
    ) -> CoreSchema:
        from pydantic import Field

        return handler(Annotated[source, Field(**self.limits)])


class Unquoted:
    """A number field refuses a number written as text (`"8"`) or a boolean (`yes`).

    pydantic's lax mode would read `"8"` as 8 for a float but not for a range, and `yes`
    as 1: one rule for every number of the catalog, with a message saying what to write.
    Placed last in `Annotated`, after the field's `Limits`.
    """

    __slots__ = ()

    def __get_pydantic_core_schema__(
        self, source: Any, handler: GetCoreSchemaHandler
    ) -> CoreSchema:
        from pydantic_core import core_schema

        return core_schema.no_info_before_validator_function(refuse_text, handler(source))


def refuse_text(value: Any) -> Any:
    if isinstance(value, bool):
        raise ValueError(f"expected a number, got {str(value).lower()}")
    if not isinstance(value, str):
        return value
    if _DIGITS.fullmatch(value):  # an integer too long for YAML to convert
        raise ValueError(f"{_quoted(value)} has too many digits to be a number")
    if _EXPONENT.fullmatch(value):  # YAML 1.1 wants a point and a signed exponent
        mantissa, _, exponent = value.lower().partition("e")
        mantissa += "" if "." in mantissa else ".0"
        exponent = exponent if exponent[0] in "+-" else "+" + exponent
        raise ValueError(
            f"{_quoted(value)} is text to YAML; write the number as {mantissa}e{exponent}"
        )
    try:
        float(value)
    except ValueError:
        raise ValueError(f"expected a number, got {_quoted(value)}") from None
    raise ValueError(f"{_quoted(value)} is a number written as text; write it unquoted")


_EXPONENT = re.compile(r"[-+]?[0-9][0-9_]*(?:\.[0-9_]*)?[eE][-+]?[0-9]+")
_DIGITS = re.compile(r"[-+]?[0-9_]{20,}")


def _quoted(value: str) -> str:
    from mmplan.core.errors import shown

    return shown(value)


class TrueOrFalse:
    """A yes/no field takes only YAML's `true` or `false`, not `1` or `"yes"`."""

    __slots__ = ()

    def __get_pydantic_core_schema__(
        self, source: Any, handler: GetCoreSchemaHandler
    ) -> CoreSchema:
        from pydantic_core import core_schema

        return core_schema.no_info_before_validator_function(_true_or_false, handler(source))


def _true_or_false(value: Any) -> Any:
    if isinstance(value, bool):
        return value
    shown_value = _quoted(value) if isinstance(value, str) else f"{value!r:.40}"
    raise ValueError(f"expected true or false, got {shown_value}")


_MONTH_DAY = re.compile(r"^(\d\d)-(\d\d)$")


def _month_day(value: Any) -> Any:
    """A session start `MM-DD`: a day every year has, so 02-29 is refused."""
    if not isinstance(value, str):
        raise ValueError(f"expected a month and day written MM-DD, got {value!r:.40}")
    found = _MONTH_DAY.match(value)
    if found is None:
        raise ValueError(f"expected a month and day written MM-DD, like '09-01', got {value!r:.40}")
    month, day = int(found[1]), int(found[2])
    if (month, day) == (2, 29):
        raise ValueError(
            "'02-29' is not a start every year has; write '02-28' or '03-01' "
            "(or list the leap-year date under runs)"
        )
    try:
        date(2001, month, day)  # any common year: is this a real day of the year?
    except ValueError:
        raise ValueError(f"'{value}' is not a real month and day") from None
    return value


class MonthDayCheck:
    """Pydantic validation of an `MM-DD` string (see `_month_day`)."""

    __slots__ = ()

    def __get_pydantic_core_schema__(
        self, source: Any, handler: GetCoreSchemaHandler
    ) -> CoreSchema:
        from pydantic_core import core_schema

        return core_schema.no_info_before_validator_function(_month_day, handler(source))


class OrWord:
    """A field that takes one word (`same`, `unlimited`) or a value of `kind`, with one
    message naming both when it gets neither (pydantic's would name each alternative)."""

    __slots__ = ("expected", "kind", "word")

    def __init__(self, word: str, kind: Any, expected: str) -> None:
        self.word, self.kind, self.expected = word, kind, expected

    def __get_pydantic_core_schema__(
        self, source: Any, handler: GetCoreSchemaHandler
    ) -> CoreSchema:
        from pydantic_core import core_schema

        return core_schema.union_schema(
            [core_schema.literal_schema([self.word]), handler.generate_schema(self.kind)],
            custom_error_type="word_or_value",
            custom_error_message=f"expected {self.expected}",
        )
