"""`plan --risk` for people: the odds lines (terminal and page) and the page's S-curve."""

from __future__ import annotations

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
CURVE_HEIGHT = 240
CURVE_TOP = 16
CURVE_BOTTOM = 34  # room for the month axis
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
    if days is None:
        return "certain, the 80% date is still out of reach"
    if days <= 0:
        return "certain, the 80% date comes no sooner"
    return f"certain, the 80% date comes {days} day{'s' if days != 1 else ''} sooner"


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
    return label, f"{lost}: {percent(ran_out)} out of attempts, {percent(risk.expired)} {too_old}"


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
    """A date marked on the S-curve: a vertical line and its label."""

    x: float
    label: str
    kind: str  # css class: plan, p50, p90


@dataclass(frozen=True)
class Curve:
    """The S-curve: the share of samples finished by each date, with marks and axes."""

    width: float
    height: float
    path: str
    marks: tuple[Mark, ...]
    ticks: tuple[tuple[float, str], ...]  # (x, month label)
    levels: tuple[tuple[float, str], ...]  # (y, percent label)
    left: float
    right: float
    base_y: float


def _months(
    first: date, last: date, x_of: Callable[[date], float]
) -> tuple[tuple[float, str], ...]:
    """A tick at each quarter's first day between `first` and `last`."""
    ticks = []
    month = date(first.year, first.month, 1)
    while month <= last:
        if month >= first and month.month in (1, 4, 7, 10):
            ticks.append((round(x_of(month), 1), month.strftime("%b %Y")))
        month = (month + timedelta(days=32)).replace(day=1)
    return tuple(ticks)


def risk_curve(plan: Plan) -> Curve | None:
    """The S-curve of the page: a step line of the share finished by each date, the plan's
    date, P50 and P90 marked."""
    risk = plan.risk
    if risk is None or not risk.curve or plan.finish is None:
        return None
    first = min(plan.start, plan.finish)
    last = max(risk.curve[-1][0], plan.finish) + timedelta(days=14)
    span = max((last - first).days, 1)
    right = CURVE_LEFT + CURVE_WIDTH
    base = CURVE_HEIGHT - CURVE_BOTTOM

    def x_of(when: date) -> float:
        return CURVE_LEFT + (when - first).days * CURVE_WIDTH / span

    def y_of(share: float) -> float:
        return round(base - share * (base - CURVE_TOP), 1)

    steps = [f"M{CURVE_LEFT},{base}"]
    steps += [f"H{round(x_of(when), 1)}V{y_of(share)}" for when, share in risk.curve]
    steps.append(f"H{right}")
    marks = [Mark(round(x_of(plan.finish), 1), f"plan {day(plan.finish)}", "plan")]
    for when, label, kind in ((risk.p50, "50%", "p50"), (risk.p90, "90%", "p90")):
        if when is not None:
            marks.append(Mark(round(x_of(when), 1), f"{label} {day(when)}", kind))
    return Curve(
        width=right + 20,
        height=CURVE_HEIGHT,
        path="".join(steps),
        marks=tuple(marks),
        ticks=_months(first, last, x_of),
        levels=tuple((y_of(s), f"{s * 100:.0f}%") for s in (0, 0.5, 0.8, 0.9, 1.0)),
        left=CURVE_LEFT,
        right=right,
        base_y=base,
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
