"""Rendering a `Plan`: the course table, a timeline, totals, what-ifs, and machine formats."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING, TypeVar

from mmplan.render.formatting import DASH, day, figure, number, price
from mmplan.render.tabular import Column, TableView

if TYPE_CHECKING:
    from rich.console import Console, ConsoleOptions, RenderableType

    from mmplan.schedule import Plan

_Cell = TypeVar("_Cell", str, Column)
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_LABEL_WIDTH = 14
_CHAIN_SHOWN = 4  # courses of a long critical chain shown before eliding the middle


def _labels(plan: Plan) -> dict[str, str]:
    """Each course's label: its code, or its full id when two programs share that code."""
    uses = Counter(course.code for course in plan.courses)
    return {c.id: c.id if uses[c.code] > 1 else c.code for c in plan.courses}


def plan_table(plan: Plan, *, compact: int = 0) -> TableView:
    """The courses in prerequisite order, with a totals footer.

    `compact` drops columns for narrow terminals: 1 drops the title, 2 also the weeks.
    """
    columns = [
        (Column("Course"), 0),
        (Column("Title"), 1),
        (Column("Start"), 0),
        (Column("End"), 0),
        (Column("Weeks", "right"), 2),
        (Column("h/week", "right"), 0),
        (Column("Hours", "right"), 0),
        (Column("Price", "right"), 0),
    ]
    keep = [compact < dropped_at or dropped_at == 0 for _, dropped_at in columns]

    def kept(cells: tuple[_Cell, ...]) -> tuple[_Cell, ...]:
        return tuple(cell for cell, wanted in zip(cells, keep, strict=True) if wanted)

    labels = _labels(plan)
    rows: list[tuple[str, ...]] = []
    for course in plan.courses:
        hours_estimated = bool({"weeks", "hours_per_week"} & set(course.estimated))
        if course.status == "completed":
            when: tuple[str, ...] = ("completed", "", "", "")
        else:
            when = (
                day(course.start),
                day(course.end),
                number(round(course.weeks or 0.0, 1)),
                figure(course.hours_per_week or 0.0),
            )
        cells = (
            labels[course.id],
            course.title,
            *when,
            figure(course.hours, estimated=hours_estimated),
            price(course.price_usd, estimated="price_usd" in course.estimated),
        )
        rows.append(kept(cells))
    footer = (
        "Total",
        "",
        day(plan.start),
        day(plan.finish),
        number(plan.weeks),
        "",
        number(plan.total_hours),
        price(plan.cost_usd.due) + ("+?" if plan.cost_usd.unknown else ""),
    )
    return TableView(
        title=_title(plan),
        columns=kept(tuple(column for column, _ in columns)),
        rows=tuple(rows),
        footer=kept(footer),
    )


def _title(plan: Plan) -> str:
    """The table's title: the pace, or the peak when the plan needs more than that."""
    if plan.within_budget:
        return f"Study plan at {number(plan.hours_per_week)} h/week"
    return (
        f"Study plan needing up to {number(plan.peak_hours_per_week)} h/week "
        f"(your budget: {number(plan.hours_per_week)})"
    )


def budget_line(plan: Plan) -> str | None:
    """When the plan needs more than the learner's hours: the peak, when, and its courses."""
    if plan.within_budget:
        return None
    labels = _labels(plan)
    return (
        f"Over budget: {number(plan.peak_hours_per_week)} h/week from {day(plan.peak_start)} "
        f"to {day(plan.peak_end)} ({', '.join(labels[c] for c in plan.peak_courses)}); "
        f"you have {number(plan.hours_per_week)}."
    )


class PlanTable:
    """The course table, dropping columns to stay readable in narrow terminals."""

    def __init__(self, plan: Plan) -> None:
        self.plan = plan

    def __rich_console__(
        self, console: Console, options: ConsoleOptions
    ) -> Iterator[RenderableType]:
        from rich import box

        from mmplan.render.tabular import to_rich

        width = options.max_width
        compact = 0 if width >= 100 else 1 if width >= 72 else 2
        table = to_rich(plan_table(self.plan, compact=compact))
        for column in table.columns:
            column.no_wrap = str(column.header) != "Title"
        if compact == 2:
            table.box = box.SIMPLE
            table.show_edge = False
            table.padding = (0, 0)
        yield table


def _chain_text(plan: Plan, chain: tuple[str, ...]) -> str:
    labels = _labels(plan)
    codes = [labels.get(cid, cid) for cid in chain]
    if len(codes) > _CHAIN_SHOWN:
        codes = [*codes[: _CHAIN_SHOWN - 2], f"… {len(codes) - _CHAIN_SHOWN + 1} more", codes[-1]]
    return " → ".join(codes)


def what_if_table(plan: Plan) -> TableView:
    """The finish at the asked pace and a few others, with the courses that set it."""
    rows = [
        (
            number(plan.hours_per_week) + " (plan)",
            day(plan.finish),
            number(plan.weeks),
            "",
            _chain_text(plan, plan.critical_chain),
        )
    ]
    for row in plan.what_if:
        change = ""
        if row.finish and plan.finish:
            delta = (row.finish - plan.finish).days
            change = f"{delta:+d} days" if delta else "same"
        rows.append(
            (
                number(row.hours_per_week),
                day(row.finish),
                number(row.weeks),
                change,
                _chain_text(plan, row.critical_chain),
            )
        )
    return TableView(
        title="What if",
        columns=(
            Column("h/week", "right"),
            Column("Finish"),
            Column("Weeks", "right"),
            Column("Change", "right"),
            Column("Set by"),
        ),
        rows=tuple(rows),
    )


def totals_lines(plan: Plan) -> tuple[str, ...]:
    """Finish, hours, cost, quality and eligibility, one line each."""
    if plan.finish is None:
        return (
            "Nothing left to plan: every course is completed.",
            f"Cost: {price(plan.cost_usd.paid)} paid.",
        )
    cost = plan.cost_usd
    unknown = f"; unknown price: {', '.join(cost.unknown)}" if cost.unknown else ""
    bound = plan.lower_bound
    pace = f"{number(plan.hours_per_week)} h/week"
    if not plan.within_budget:
        pace = f"up to {number(plan.peak_hours_per_week)} h/week, over your {pace}"
    quality = (
        "optimal (no plan under these rules finishes earlier)"
        if bound.optimal
        else f"{bound.gap_days} day{'s' if bound.gap_days != 1 else ''} after the lower bound "
        f"{day(bound.finish)}"
    )
    if plan.eligibility.missing:
        credential = (
            f"credential blocked: no announced run for {', '.join(plan.eligibility.missing)} "
            "(check edX for new runs)"
        )
    else:
        earned_on = day(plan.eligibility.earned_on)
        credential = f"credential earned on {earned_on} if every course is passed"
    return (
        f"Finish: {day(plan.finish)} ({number(plan.weeks)} weeks from {day(plan.start)})",
        f"Hours: {number(plan.total_hours)} h at {pace} "
        f"(effort {plan.effort.value}, at most {plan.max_parallel} courses at once)",
        f"Cost: {price(cost.due)} due, {price(cost.paid)} paid{unknown}",
        f"Quality: {quality}",
        credential[0].upper() + credential[1:],
    )


class PlanTimeline:
    """A Gantt-style bar per course across the months; fits any width from about 40 columns."""

    def __init__(self, plan: Plan) -> None:
        self.plan = plan

    def __rich_console__(
        self, console: Console, options: ConsoleOptions
    ) -> Iterator[RenderableType]:
        from rich.text import Text

        plan = self.plan
        courses = plan.planned
        if not courses or plan.finish is None:
            return
        every_label = _labels(plan)
        labels = [every_label[c.id] for c in courses]
        labels_shown = [*labels, "breaks"] if plan.breaks else labels
        label_width = min(
            max(len(label) for label in labels_shown), _LABEL_WIDTH, options.max_width // 4
        )
        width = max(options.max_width - label_width - 1, 10)
        first = min(c.start for c in courses if c.start)
        span = (plan.finish - first).days + 1

        def column(when: date) -> int:
            return min((when - first).days * width // span, width - 1)

        yield Text(" " * (label_width + 1) + self._axis(first, span, width, column))
        for label, course in zip(labels, courses, strict=True):
            assert course.start is not None
            assert course.end is not None
            lo = column(course.start)
            hi = max(lo + 1, -(-((course.end - first).days + 1) * width // span))
            line = Text(label[:label_width].ljust(label_width) + " " + " " * lo)
            line.append("█" * (hi - lo), style="bold" if course.critical else "")
            yield line
        paused = [" "] * width  # breaks, so a bar that stretches over one is explained
        for pause in plan.breaks:
            if pause.end < first or pause.start > plan.finish:
                continue
            lo = column(max(pause.start, first))
            hi = max(lo + 1, -(-((min(pause.end, plan.finish) - first).days + 1) * width // span))
            paused[lo:hi] = "░" * (hi - lo)
        if plan.breaks and "░" in paused:
            yield Text("breaks"[:label_width].ljust(label_width) + " " + "".join(paused).rstrip())

    @staticmethod
    def _axis(first: date, span: int, width: int, column: Callable[[date], int]) -> str:
        """Month names over the bars; each January and the first month carry the year."""
        marks: list[tuple[int, int, str]] = []  # (rank: lower is placed first, position, text)
        month = date(first.year, first.month, 1)
        while (month - first).days < span:
            position = column(month) if month >= first else 0
            if month.month == 1:
                marks.append((0, position, str(month.year)))
            elif not marks:
                marks.append((1, position, f"{_MONTHS[month.month - 1]} {month.year}"))
            else:
                marks.append((2, position, _MONTHS[month.month - 1]))
            month = date(month.year + month.month // 12, month.month % 12 + 1, 1)
        axis = [" "] * width
        taken = [False] * (width + 1)
        for _, position, text in sorted(marks):
            room = range(max(position - 1, 0), min(position + len(text) + 1, width))
            if position + len(text) > width or any(taken[i] for i in room):
                continue
            axis[position : position + len(text)] = text
            for i in range(position, position + len(text)):
                taken[i] = True
        return "".join(axis).rstrip()


def plan_renderables(plan: Plan) -> list[RenderableType]:
    """Everything the table format shows on stdout, in order."""
    from rich.text import Text

    from mmplan.render.tabular import to_rich

    over = budget_line(plan)
    parts: list[RenderableType] = [Text(over, style="bold")] if over else []
    parts.append(PlanTable(plan))
    if plan.planned:
        parts.append(Text("Timeline", style="bold"))
        parts.append(PlanTimeline(plan))
    parts.append(Text("\n".join(totals_lines(plan))))
    if plan.what_if:
        parts.append(to_rich(what_if_table(plan)))
    return parts


def plan_json(plan: Plan) -> str:
    """The documented JSON document."""
    return json.dumps(plan.model_dump(mode="json"), indent=2, ensure_ascii=False) + "\n"


def plan_ics(plan: Plan) -> str:
    """An iCalendar file: one all-day event per dated course, with a stable UID per course."""
    from icalendar import Calendar, Event

    calendar = Calendar()
    calendar.add("prodid", "-//mmplan//study plan//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", "Study plan: " + ", ".join(p.id for p in plan.programs))
    # A fixed stamp keeps the file byte-identical for the same plan.
    stamp = datetime(plan.start.year, plan.start.month, plan.start.day, tzinfo=UTC)
    for course in plan.planned:
        assert course.start is not None
        assert course.end is not None
        event = Event()
        event.add("uid", f"{course.id}@mmplan")
        event.add("dtstamp", stamp)
        event.add("dtstart", course.start)
        event.add("dtend", course.end + timedelta(days=1))
        event.add("summary", f"{course.code}: {course.title}")
        event.add(
            "description",
            f"{course.id} ({course.reason}): {number(course.hours)} h at "
            f"{number(course.hours_per_week or 0)} h/week, "
            f"{day(course.start)}{DASH}{day(course.end)}",
        )
        event.add("transp", "TRANSPARENT")
        calendar.add_component(event)
    return str(calendar.to_ical().decode("utf-8"))
