"""Formatting of money, hours and dates for people (machine formats use raw values)."""

from __future__ import annotations

import re
import textwrap
from collections import Counter
from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

from mmplan.catalog.model import HoursRange, PriceRange

if TYPE_CHECKING:
    from rich.text import Text

ESTIMATED = "~"  # prefix of a figure that is an estimate, not a published fact
DASH = "–"  # joins the two ends of a range
NBSP = "\u00a0"
# The space between a figure and its unit: `10.5 h/week`, `~670 h in all`, `92.4 weeks`.
_FIGURE_AND_UNIT = re.compile(r"(?<=\d) (?=h/week\b|h\b|weeks?\b|days?\b|months?\b)")


def usd(amount: Decimal) -> str:
    """`$1,350`, or `$1,350.50` when there are cents."""
    if amount == amount.to_integral_value():
        return f"${amount:,.0f}"
    return f"${amount:,.2f}"


def price(value: PriceRange | None, *, estimated: bool = False) -> str:
    """`$150`, `$100–$1,000`, or `unknown`; `~` marks an estimate."""
    if value is None:
        return "unknown"
    text = usd(value.lo) if not value.is_range else f"{usd(value.lo)}{DASH}{usd(value.hi)}"
    return ESTIMATED + text if estimated else text


def money_total(
    known: PriceRange | None, unknown: int, *, any_known: bool, estimated: bool = False
) -> str:
    """A sum of prices that never passes an unknown price off as $0: `$1,350`, `~$891`,
    `$600 + 3 unknown`, or `unknown (3 courses)` when no price in it is known."""
    if unknown and (known is None or not any_known):
        return f"unknown ({unknown} course{'' if unknown == 1 else 's'})"
    text = price(known, estimated=estimated)
    return f"{text} + {unknown} unknown" if unknown else text


def hours(value: float, *, estimated: bool = False) -> str:
    """Hours of work, whole or to one decimal: `130`, `97.5`, `1,401`; `~` marks an
    estimate."""
    return (ESTIMATED if estimated else "") + f"{value:,.1f}".removesuffix(".0")


def number(value: float) -> str:
    """A figure without a useless `.0`, thousands separated as prices are: `8`, `8.5`,
    `12.25`, `1,401`."""
    return f"{value:,.2f}".rstrip("0").rstrip(".")


def hours_range(value: HoursRange, *, estimated: bool = False) -> str:
    """`8`, `8–12`; `~` marks an estimate."""
    text = number(value.lo) if not value.is_range else f"{number(value.lo)}{DASH}{number(value.hi)}"
    return ESTIMATED + text if estimated else text


def figure(value: float, *, estimated: bool = False) -> str:
    """A number, marked `~` when it is an estimate."""
    return (ESTIMATED if estimated else "") + number(value)


def period(text: str) -> str:
    """A date as precise as its source, as a reader writes it: `2021-09-30`, or an ISO
    interval `2016/2018` (published in those years) as `2016–2018`."""
    return text.replace("/", DASH)


def day(value: date | None) -> str:
    """ISO date, or an em dash when there is none."""
    return value.isoformat() if value else "—"


def moved_line(program_id: str, platform: str, status_text: str) -> str:
    """Where a program that moved is taken now: `mitx-dedp runs on MITx Online (moved ...)`."""
    return f"{program_id} runs on {platform} ({status_text})"


def unknown_status_line(program_id: str, status_text: str) -> str:
    """What every output says of a program of status `unknown`."""
    note = status_text.removeprefix("unknown: ")
    return f"{program_id} may no longer be offered (status unknown: {note})"


def wrap_keeping_units(text: str, width: int) -> str:
    """`text` wrapped to `width` columns at spaces, never between a figure and its unit
    (`10.5` / `h/week`) nor inside a date; lines joined by newlines, for the terminal only.
    (Rich breaks at any Unicode space, a no-break one too, so the text is wrapped here.)"""
    joined = _FIGURE_AND_UNIT.sub(NBSP, text)
    lines = textwrap.wrap(joined, max(width, 1), break_on_hyphens=False) or [""]
    return "\n".join(lines).replace(NBSP, " ")


def fit_labels(labels: Sequence[str], width: int) -> list[str]:
    """Each label cut to `width` characters, a cut one ending in `…`, and still told apart:
    where two cut labels would read the same (`lei-improvemen` twice, for two slug course
    ids), each keeps the end that differs (`lei-im…ndations`, `lei-im…practice`)."""
    width = max(width, 1)

    def cut(label: str, tail: int) -> str:
        if len(label) <= width:
            return label
        if tail == 0 or width < 3:
            return label[: width - 1] + "…"
        head = width - 1 - tail
        return label[:head] + "…" + label[len(label) - tail :]

    fitted = [cut(label, 0) for label in labels]
    for tail in range(max((width - 1) // 2, 1), width - 1):
        seen = Counter(fitted)
        if all(
            seen[text] == 1 or label == text for label, text in zip(labels, fitted, strict=True)
        ):
            break
        fitted = [
            cut(label, tail) if seen[text] > 1 and label != text else text
            for label, text in zip(labels, fitted, strict=True)
        ]
    return fitted


def url_text(url: str, column: int, width: int) -> Text:
    """A page address on a line of its own, whole: under the text column when it fits
    there, else indented by 2, else from the left edge; an address wider than the line is
    not cut (the terminal wraps it, and copying it gives the whole address)."""
    from rich.text import Text

    indent = next((i for i in (column, 2) if i + len(url) <= width), 0)
    return Text(" " * indent + url, no_wrap=True, overflow="ignore")
