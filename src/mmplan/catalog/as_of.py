"""When catalog facts were true: a date only as precise as its source."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from mmplan.core.limits import DATE_RANGE_TEXT, EARLIEST_DATE, LATEST_DATE

if TYPE_CHECKING:
    from pydantic import GetCoreSchemaHandler
    from pydantic_core import CoreSchema


@dataclass(frozen=True, order=True)
class AsOf:
    """When facts were true, only as precise as their source: `2020`, `2021-09` or `2021-09-30`.

    Ordered by the first day of the period (`2021` < `2021-01` < `2021-01-01`), as a 0 month
    or day sorts first; printed as written.
    """

    year: int
    month: int = 0  # 0: the source gives only the year
    day: int = 0  # 0: the source gives no day

    def __str__(self) -> str:
        if not self.month:
            return f"{self.year:04d}"
        if not self.day:
            return f"{self.year:04d}-{self.month:02d}"
        return f"{self.year:04d}-{self.month:02d}-{self.day:02d}"

    def isoformat(self) -> str:
        """As written in the catalog (ISO 8601 allows the reduced forms)."""
        return str(self)

    @classmethod
    def parse(cls, value: Any) -> AsOf:
        """From YAML: a date, a year (an integer) or a `YYYY`, `YYYY-MM`, `YYYY-MM-DD` string."""
        if isinstance(value, AsOf):
            return value
        if isinstance(value, date):
            return cls(value.year, value.month, value.day)
        text = str(value) if type(value) is int else value
        if not isinstance(text, str) or not re.fullmatch(r"\d{4}(-\d\d){0,2}", text):
            raise ValueError(
                f"expected a date written YYYY, YYYY-MM or YYYY-MM-DD, got {value!r:.40}"
            )
        parts = [int(part) for part in text.split("-")]
        try:
            first_day = date(parts[0], *[*parts[1:], 1, 1][:2])
        except ValueError:
            raise ValueError(f"'{text}' is not a real date") from None
        if not EARLIEST_DATE.year <= first_day.year <= LATEST_DATE.year:
            raise ValueError(f"{text} is outside the dates mmplan handles ({DATE_RANGE_TEXT})")
        return cls(*parts)

    @classmethod
    def __get_pydantic_core_schema__(cls, source: Any, handler: GetCoreSchemaHandler) -> CoreSchema:
        from pydantic_core import core_schema

        return core_schema.no_info_plain_validator_function(
            cls.parse, serialization=core_schema.plain_serializer_function_ser_schema(str)
        )


@dataclass(frozen=True, order=True)
class Period:
    """When a figure was published, as precise as its source: one `AsOf` (`2021-09`), or the
    span of an undated copy (`2016/2018`, ISO 8601's interval: published in those years)."""

    first: AsOf
    last: AsOf | None = None  # None: a single date

    def __str__(self) -> str:
        return str(self.first) if self.last is None else f"{self.first}/{self.last}"

    def words(self, dash: str = "-") -> str:
        """As a reader writes it: `2021-09`, or `2016-2018` joined by `dash`."""
        return str(self.first) if self.last is None else f"{self.first}{dash}{self.last}"

    @classmethod
    def parse(cls, value: Any) -> Period:
        """From YAML: what `AsOf.parse` reads, or two of them joined by `/`, oldest first."""
        if isinstance(value, Period):
            return value
        if not isinstance(value, str) or "/" not in value:
            return cls(AsOf.parse(value))
        first_text, _, last_text = value.partition("/")
        first, last = AsOf.parse(first_text), AsOf.parse(last_text)
        if last <= first:
            raise ValueError(f"'{value:.40}': the period must end after it starts")
        return cls(first, last)

    @classmethod
    def __get_pydantic_core_schema__(cls, source: Any, handler: GetCoreSchemaHandler) -> CoreSchema:
        from pydantic_core import core_schema

        return core_schema.no_info_plain_validator_function(
            cls.parse, serialization=core_schema.plain_serializer_function_ser_schema(str)
        )
