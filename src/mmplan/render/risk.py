"""`plan --risk` for people: the odds lines (terminal and page) and the page's S-curve."""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING

from mmplan.render.formatting import day, number, price, wrap_keeping_units

if TYPE_CHECKING:
    from rich.console import Console, ConsoleOptions, RenderableType

    from mmplan.schedule import Plan
    from mmplan.schedule.model import Risk

# S-curve geometry, in SVG user units.
CURVE_LEFT = 60  # room for the percent labels
CURVE_WIDTH = 820
CURVE_RIGHT = 20  # room right of the curve
CURVE_PLOT = 190  # from 0% to 100%
CURVE_BOTTOM = 34  # room for the month axis
LABEL_ROW = 16  # one row of the marks' labels, above the curve
CHAR_WIDTH = 7.5  # about one character of a 12px label (generous: labels must never meet)
LABEL_GAP = 8  # the least room between two labels
HANGING = 2  # a wrapped odds line continues this far in


def percent(share: float) -> str:
    """`33%`; `<1%` and `>99%` rather than a 0% or 100% that is not quite so."""
    if 0 < share < 0.005:
        return "<1%"
    if 0.995 <= share < 1:
        return ">99%"
    return f"{share * 100:.0f}%"


def _by(share: int, when: date | None) -> str:
    return f"{share}% by {day(when)}" if when else f"{share}% never (within the attempts allowed)"


def _code(plan: Plan, course_id: str) -> str:
    codes = {c.id: c.code for c in plan.courses}
    shared = [c for c in plan.courses if c.code == codes.get(course_id)]
    return course_id if len(shared) > 1 else codes.get(course_id, course_id)


def _saved(days: int | None) -> str:
    """What the course costs the 80% date, in words: what passing it at the first attempt
    (at its published hours: docs/planning.md) would change."""
    if days is None:
        return "even a first-time pass would leave the 80% date out of reach"
    if days <= 0:
        return "a first-time pass would not bring the 80% date sooner"
    return f"a first-time pass would bring the 80% date {days} day{'s' if days != 1 else ''} sooner"


def _cost(plan: Plan, risk: Risk) -> str:
    unknown = sum(1 for c in plan.courses if c.status != "completed" and c.price_usd is None)
    estimated = plan.cost_usd.estimated
    p50, p90 = price(risk.cost_p50, estimated=estimated), price(risk.cost_p90, estimated=estimated)
    text = f"{p50} at 50%, {p90} at 90%, retakes included"
    return text + (f" (+ {unknown} unknown)" if unknown else "")


def _not_finished(risk: Risk) -> tuple[str, str]:
    """The share that never finishes; when passes expire too, how many of each cause."""
    lost = percent(risk.not_finished)
    if risk.expired <= 0:
        return "Not finished within the attempts allowed", lost
    label = "Not finished within the attempts and years allowed"
    too_old = "with a pass too old to count by the credential's date"
    ran_out = round(risk.not_finished - risk.expired, 4)
    if ran_out <= 0:
        return label, f"{lost}, all {too_old}"
    return label, f"{lost} ({percent(ran_out)} out of attempts, {percent(risk.expired)} {too_old})"


def risk_lines(plan: Plan) -> tuple[tuple[str, str], ...]:
    """The odds as (label, text) lines: the dates, what may not finish, what puts the date at
    risk, the cost, and what is assumed."""
    risk = plan.risk
    if risk is None:
        return ()
    odds = (
        f"{_by(50, risk.p50)}, {_by(80, risk.p80)}, {_by(90, risk.p90)}; "
        f"the plan's date has {percent(risk.p_plan_date)}"
    )
    if risk.p_finish_by is not None:
        odds += f", --finish-by's date {percent(risk.p_finish_by)}"
    lines = [("Odds", odds)]
    if risk.not_finished > 0:
        lines.append(_not_finished(risk))
    if risk.drivers:
        named = "; ".join(
            f"{_code(plan, d.course)} (delays the finish in {percent(d.criticality)} of "
            f"samples; {_saved(d.days_saved_if_certain)})"
            for d in risk.drivers
        )
        lines.append(("At risk", named))
    lines.append(("Cost odds", _cost(plan, risk)))
    assumed = risk.assumptions
    lines.append(
        (
            "Assuming",
            f"each attempt passes with probability {number(assumed.pass_rate)} "
            "(--pass-rate: no source publishes it), hours vary by a factor of sigma "
            f"{number(assumed.effort_spread)} ({number(assumed.effort_correlation)} of it shared), "
            f"{percent(assumed.missed_weeks)} of weeks are lost; {risk.samples:,} samples, "
            f"seed {risk.seed}",
        )
    )
    return tuple(lines)


class RiskSummary:
    """The odds lines on the terminal: `Label: text`, wrapped lines indented under it."""

    def __init__(self, plan: Plan) -> None:
        self.plan = plan

    def __rich_console__(
        self, console: Console, options: ConsoleOptions
    ) -> Iterator[RenderableType]:
        from rich.text import Text

        width = options.max_width
        for label, text in risk_lines(self.plan):
            wrapped = wrap_keeping_units(f"{label}: {text}", width - HANGING).split("\n")
            line = Text(label + ":", style="bold")
            line.append(wrapped[0][len(label) + 1 :])
            for rest in wrapped[1:]:
                line.append("\n" + " " * HANGING + rest)
            yield line


@dataclass(frozen=True)
class Mark:
    """A date marked on the S-curve: a vertical line from under its label down to the axis,
    and the label, in its row of the band above the curve, on the side of the line where
    it collides with no other label or line."""

    x: float
    label: str
    kind: str  # css class: plan, p50, p90
    label_x: float
    label_y: float
    anchor: str  # text-anchor: start (right of the line) or end (left of it)


@dataclass(frozen=True)
class Curve:
    """The S-curve: the share of samples finished by each date, with marks and axes."""

    width: float
    height: float
    path: str
    marks: tuple[Mark, ...]
    ticks: tuple[tuple[float, str], ...]  # (x, label; "" for a grid line alone)
    levels: tuple[tuple[float, str], ...]  # (y, percent label)
    left: float
    right: float
    base_y: float
    top_y: float  # the curve's 100% line


def _ticks(first: date, last: date, x_of: Callable[[date], float]) -> tuple[tuple[float, str], ...]:
    """A grid line at each quarter's first day between `first` and `last`, labelled `Apr 2027`
    where a quarter is wide enough for that, else only each year (`2027`, every year or
    every few), so no two labels meet."""
    quarters = []
    month = date(first.year, first.month, 1)
    while month <= last:
        if month >= first and month.month in (1, 4, 7, 10):
            quarters.append(month)
        month = (month + timedelta(days=32)).replace(day=1)
    quarter_width = x_of(date(2001, 4, 1)) - x_of(date(2001, 1, 1))
    quarterly = quarter_width >= LABEL_GAP + len("Apr 2027") * CHAR_WIDTH
    every = math.ceil((LABEL_GAP + 4 * CHAR_WIDTH) / max(4 * quarter_width, 1))  # years
    shown = "%b %Y" if quarterly else "%Y"
    ticks = []
    for when in quarters:
        labelled = quarterly or (when.month == 1 and when.year % every == 0)
        x = round(x_of(when), 1)
        label = when.strftime(shown) if labelled else ""
        if x + 3 + len(label) * CHAR_WIDTH > CURVE_LEFT + CURVE_WIDTH + CURVE_RIGHT:
            label = ""  # it would run off the chart
        ticks.append((x, label))
    return tuple(ticks)


def _span(x: float, label: str, anchor: str) -> tuple[float, float]:
    width = len(label) * CHAR_WIDTH
    return (x + 4, x + 4 + width) if anchor == "start" else (x - 4 - width, x - 4)


Place = tuple[int, str, tuple[float, float]]  # a label's row, anchor and span


def _apart(x: float, place: Place, other_x: float, other: Place) -> bool:
    """Whether two marks' labels keep apart: in one row, their texts; and each text from
    the other's line, which runs from its own label's row down."""
    row, _, (low, high) = place
    other_row, _, (a, b) = other
    if row == other_row and not (high + LABEL_GAP <= a or low >= b + LABEL_GAP):
        return False
    if other_row <= row and low - 2 <= other_x <= high + 2:
        return False
    return not (row <= other_row and a - 2 <= x <= b + 2)


def place_marks(wanted: list[tuple[float, str, str]], right: float) -> tuple[Mark, ...]:
    """Each (x, label, kind) with its label in a row of the band and on a side of its line
    where it stays on the chart and meets no other label or line: the fewest rows that
    allow it, found by trying every way (three marks: at most 216)."""
    options = []
    for x, label, _ in wanted:
        spans = [
            (row, anchor, _span(x, label, anchor))
            for row in range(len(wanted))
            for anchor in ("start", "end")
        ]
        options.append([p for p in spans if p[2][0] >= 0 and p[2][1] <= right] or spans[:1])
    pairs = list(itertools.combinations(range(len(wanted)), 2))
    fits = (
        choice
        for choice in itertools.product(*options)
        if all(_apart(wanted[i][0], choice[i], wanted[k][0], choice[k]) for i, k in pairs)
    )
    # The first way with the fewest rows; a chart far too narrow for any: a row each.
    best = min(fits, key=lambda choice: max(p[0] for p in choice), default=None)
    if best is None:
        best = tuple((row, "start", (0.0, 0.0)) for row in range(len(wanted)))
    marks = []
    for (x, label, kind), (row, anchor, _) in zip(wanted, best, strict=True):
        label_x = x + 4 if anchor == "start" else x - 4
        marks.append(Mark(x, label, kind, label_x, LABEL_ROW * (row + 1) - 2, anchor))
    return tuple(marks)


def risk_curve(plan: Plan) -> Curve | None:
    """The S-curve of the page: a step line of the share finished by each date, the plan's
    date, P50 and P90 marked, their labels in a band above it."""
    risk = plan.risk
    if risk is None or not risk.curve or plan.finish is None:
        return None
    first = min(plan.start, plan.finish)
    last = max(risk.curve[-1][0], plan.finish) + timedelta(days=14)
    span = max((last - first).days, 1)
    right = CURVE_LEFT + CURVE_WIDTH

    def x_of(when: date) -> float:
        return CURVE_LEFT + (when - first).days * CURVE_WIDTH / span

    wanted = [(round(x_of(plan.finish), 1), f"plan {day(plan.finish)}", "plan")]
    for when, label, kind in ((risk.p50, "50%", "p50"), (risk.p90, "90%", "p90")):
        if when is not None:
            wanted.append((round(x_of(when), 1), f"{label} {day(when)}", kind))
    marks = place_marks(wanted, right + CURVE_RIGHT)
    top = max(m.label_y for m in marks) + LABEL_ROW
    base = top + CURVE_PLOT

    def y_of(share: float) -> float:
        return round(base - share * (base - top), 1)

    steps = [f"M{CURVE_LEFT},{base}"]
    steps += [f"H{round(x_of(when), 1)}V{y_of(share)}" for when, share in risk.curve]
    steps.append(f"H{right}")
    return Curve(
        width=right + CURVE_RIGHT,
        height=base + CURVE_BOTTOM,
        path="".join(steps),
        marks=marks,
        ticks=_ticks(first, last, x_of),
        levels=tuple((y_of(s), f"{s * 100:.0f}%") for s in (0, 0.5, 0.8, 0.9, 1.0)),
        left=CURVE_LEFT,
        right=right,
        base_y=base,
        top_y=top,
    )


def risk_drivers(plan: Plan) -> tuple[tuple[str, str, str], ...]:
    """The page's drivers table: (course, how often it delays the finish, days saved)."""
    if plan.risk is None:
        return ()
    return tuple(
        (
            _code(plan, d.course),
            percent(d.criticality),
            "—" if d.days_saved_if_certain is None else f"{d.days_saved_if_certain:,}",
        )
        for d in plan.risk.drivers
    )
