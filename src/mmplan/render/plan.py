"""Rendering a `Plan`: the course table, a timeline, totals, what-ifs, and machine formats."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Iterator, Mapping
from dataclasses import replace
from datetime import date, timedelta
from itertools import pairwise
from typing import TYPE_CHECKING, TypeVar

from mmplan.render.cost import aid_json, aid_lines
from mmplan.render.credentials import credential_texts, published_text
from mmplan.render.formatting import (
    DASH,
    day,
    figure,
    fit_labels,
    hours,
    money_total,
    number,
    price,
    url_text,
    wrap_keeping_units,
)
from mmplan.render.tabular import Column, TableView

if TYPE_CHECKING:
    from rich.console import Console, ConsoleOptions, RenderableType

    from mmplan.catalog.enrolment import Enrolment
    from mmplan.reports.cost import CostReport
    from mmplan.schedule import Plan, PlannedCourse

_Cell = TypeVar("_Cell", str, Column)
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_LABEL_WIDTH = 14
_CHAIN_SHOWN = 4  # courses of a long critical chain shown before eliding the middle
_TITLE_ROOM = 20  # below this many columns for titles, a narrow table drops the hours too


def _labels(plan: Plan) -> dict[str, str]:
    """Each course's label: its code, or its full id when two programs share that code."""
    uses = Counter(course.code for course in plan.courses)
    return {c.id: c.id if uses[c.code] > 1 else c.code for c in plan.courses}


def plan_table(plan: Plan, *, compact: int = 0) -> TableView:
    """The courses in prerequisite order, with a totals footer.

    `compact` drops columns for narrow terminals: 1 drops the weeks, 2 also the hours; the
    title always stays (a code such as `ms-2` means nothing alone), shortened by the caller.
    """
    columns = [
        (Column("Course"), 0),
        (Column("Title"), 0),
        (Column("Start"), 0),
        (Column("End"), 0),
        (Column("Weeks", "right"), 1),
        (Column("h/week", "right"), 0),
        (Column("Hours", "right"), 2),
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
            hours(course.hours, estimated=hours_estimated),
            price(course.price_usd, estimated="price_usd" in course.estimated),
        )
        rows.append(kept(cells))
    # With completed rows above it, the footer sums what is left: it says so.
    done = any(course.status == "completed" for course in plan.courses)
    footer = (
        "Remaining" if done else "Total",
        "",
        day(plan.start),
        day(plan.finish),
        number(plan.weeks),
        "",
        hours(plan.total_hours, estimated=plan.hours_estimated),
        _total_price(plan),
    )
    return TableView(
        title="Courses",
        columns=kept(tuple(column for column, _ in columns)),
        rows=tuple(rows),
        footer=kept(footer),
    )


def _total_price(plan: Plan) -> str:
    """The footer's price: `$1,350`, `~$891`, `$600+?` (some unknown) or `unknown` (all
    unknown)."""
    cost = plan.cost_usd
    to_take = [c for c in plan.courses if c.status != "completed"]
    if to_take and all(c.price_usd is None for c in to_take):
        return "unknown"
    unknown = any(c.price_usd is None for c in to_take)
    return price(cost.due, estimated=cost.estimated) + ("+?" if unknown else "")


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
        view = plan_table(self.plan, compact=compact)
        room = width - _others_width(view) - (len(view.columns) - 1)
        if compact == 1 and room < _TITLE_ROOM:  # long course ids: the hours go, not the title
            compact = 2
            view = plan_table(self.plan, compact=compact)
            room = width - _others_width(view) - (len(view.columns) - 1)
        if room < _TITLE_ROOM // 2:  # no room for titles at all: a block per course
            from mmplan.render.tabular import stacked

            rows = (*view.rows, view.footer) if view.footer else view.rows
            yield stacked(replace(view, rows=rows, footer=()), width)
            return
        table = to_rich(view)
        for column in table.columns:
            column.no_wrap = str(column.header) != "Title"
        if compact:
            # Narrow: no vertical rules; every column but the title keeps its cells whole,
            # and the title takes the room left, wrapped between words (never cut to "…":
            # "Supply Chain…" six times tells the courses apart by nothing).
            table.box = box.SIMPLE
            table.show_edge = False
            table.padding = (0, 0)
            title = next(c for c in table.columns if str(c.header) == "Title")
            title.no_wrap = False
            title.overflow = "fold"  # a word longer than the column still shows whole
            title.max_width = max(room, 8)
        yield table


def _others_width(view: TableView) -> int:
    """The width of every column but the title, each as wide as its widest cell."""
    return sum(
        max(len(c.header), len(view.footer[i]), *(len(row[i]) for row in view.rows))
        for i, c in enumerate(view.columns)
        if c.header != "Title"
    )


def _chain_text(plan: Plan, chain: tuple[str, ...]) -> str:
    labels = _labels(plan)
    codes = [labels.get(cid, cid) for cid in chain]
    if len(codes) > _CHAIN_SHOWN:
        codes = [*codes[: _CHAIN_SHOWN - 2], f"… {len(codes) - _CHAIN_SHOWN + 1} more", codes[-1]]
    return " → ".join(codes)


class WhatIfTable:
    """The what-if paces, compact: the chain that sets each finish only where it fits."""

    def __init__(self, plan: Plan) -> None:
        self.plan = plan

    def __rich_console__(
        self, console: Console, options: ConsoleOptions
    ) -> Iterator[RenderableType]:
        from rich import box

        from mmplan.render.tabular import to_rich

        view = what_if_table(self.plan)
        if options.max_width < 100:
            view = TableView(
                title=view.title,
                columns=view.columns[:-1],
                rows=tuple(row[:-1] for row in view.rows),
            )
        table = to_rich(view)
        table.box = box.SIMPLE_HEAD
        table.show_edge = False
        table.title_justify = "left"
        yield table


def what_if_table(plan: Plan) -> TableView:
    """The finish at the asked pace and a few others, with the courses that set it."""
    rows = [
        (
            number(plan.hours_per_week)
            + (
                f" (plan; peak {number(plan.peak_hours_per_week)})"
                if not plan.within_budget
                else " (plan)"
            ),
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
        pace = number(row.hours_per_week)
        if row.peak_hours_per_week > row.hours_per_week:  # a course above it, planned alone
            pace += f" (peak {number(row.peak_hours_per_week)})"
        rows.append(
            (
                pace,
                day(row.finish),
                number(row.weeks),
                change,
                _chain_text(plan, row.critical_chain),
            )
        )
    return TableView(
        title="What if you studied more or less",
        columns=(
            Column("h/week", "right"),
            Column("Finish"),
            Column("Weeks", "right"),
            Column("Change", "right"),
            Column("Set by"),
        ),
        rows=tuple(rows),
    )


def cost_text(plan: Plan) -> str:
    """What is left to pay, unknown prices named as such: `$1,350`, `$600 + 3 unknown`,
    `unknown (3 courses)`; then what is paid, when anything is."""
    cost = plan.cost_usd
    to_take = [c for c in plan.courses if c.status != "completed"]
    known = [c for c in to_take if c.price_usd is not None]
    if not to_take:
        due = "nothing left to pay"
    else:
        due = money_total(
            cost.due,
            len(to_take) - len(known),
            any_known=bool(known),
            estimated=cost.estimated,
        )
    paid = cost.paid
    if paid is not None and paid.hi > 0:
        return (
            f"{due} ({price(paid)} paid)" if not to_take else f"{due} to pay ({price(paid)} paid)"
        )
    return due


def _hours_text(plan: Plan) -> str:
    budget = number(plan.hours_per_week)
    peak = number(plan.peak_hours_per_week)
    total = f"{hours(plan.total_hours, estimated=plan.hours_estimated)} h in all"
    if plan.within_budget:
        return f"at most {peak} h/week, within your {budget} h/week; {total}"
    labels = _labels(plan)
    names = ", ".join(labels.get(cid, cid) for cid in plan.peak_courses)
    return (
        f"needs {peak} h/week at its peak ({names}, {day(plan.peak_start)} to "
        f"{day(plan.peak_end)}), over your {budget} h/week; {total}"
    )


def _quality_text(plan: Plan) -> str:
    bound = plan.lower_bound
    if bound.optimal:
        return "no plan can finish earlier"
    days = f"{bound.gap_days} day{'s' if bound.gap_days != 1 else ''}"
    return f"at most {days} later than the best possible plan"


def _first_to_start(plan: Plan) -> list[PlannedCourse]:
    """The planned course(s) that start first: the learner's next step."""
    waiting = [c for c in plan.planned if c.status == "planned" and c.start is not None]
    if not waiting:
        return []
    first = min(c.start for c in waiting if c.start is not None)
    return [c for c in waiting if c.start == first]


def _next_text(plan: Plan, enrolment: Mapping[str, Enrolment]) -> str | None:
    starting = _first_to_start(plan)
    if not starting:
        return None
    course = starting[0]
    labels = _labels(plan)
    cost = price(course.price_usd, estimated="price_usd" in course.estimated)
    if course.pay_by is not None:
        cost += f", pay by {day(course.pay_by)}"
    text = f"start {labels[course.id]} {course.title} on {day(course.start)} ({cost})"
    if len(starting) > 1:
        others = ", ".join(labels[c.id] for c in starting[1:])
        text += f"; {others} the same day"
    return text


def summary_lines(
    plan: Plan,
    enrolment: Mapping[str, Enrolment] | None = None,
    aid: CostReport | None = None,
) -> tuple[tuple[str, str], ...]:
    """The answer at a glance, as (label, text) lines: finish, cost (and, with `aid`, what
    financial aid takes off, as `cost --aid` says it), hours, credential, next."""
    aided = [("Aid", line) for line in aid_lines(aid)] if aid else []
    if aided:  # "Due with 90% financial aid: ..." beside its label reads "due with ..."
        aided[0] = ("Aid", aided[0][1][0].lower() + aided[0][1][1:])
    if plan.finish is None:
        return (
            ("Finish", "nothing left to plan: every course is completed"),
            ("Cost", cost_text(plan)),
            *aided,
        )
    lines = [
        (
            "Finish",
            f"{day(plan.finish)}, {number(plan.weeks)} weeks from {day(plan.start)}; "
            f"{_quality_text(plan)}",
        ),
        ("Cost", cost_text(plan) + published_text(plan)),
        *aided,
        ("Hours", _hours_text(plan)),
    ]
    if not plan.solver.met_bound:  # else "no plan can finish earlier" says it all
        lines.append(("Planned by", _search_text(plan)))
    changes = _pace_changes(plan)
    if changes:
        lines.append(("Pauses", changes))
    lines.extend(("Credential", text) for text in credential_texts(plan))
    under_way = [c for c in plan.planned if c.status == "in_progress"]
    if under_way:
        labels = _labels(plan)
        lines.append(
            (
                "Now",
                "; ".join(f"carry on with {labels[c.id]} until {day(c.end)}" for c in under_way),
            )
        )
    next_step = _next_text(plan, enrolment or {})
    if next_step is not None:
        lines.append(("Next", next_step))
        first = _first_to_start(plan)[0]
        where = (enrolment or {}).get(first.id)
        if where is not None:
            lines.append(("Enrol", f"on {where.platform}: {where.url}"))
        elif enrolment is not None:  # no page known: where it is taken, as the HTML page says
            platform = next(p.platform for p in plan.programs if p.id == first.program)
            lines.append(("Enrol", f"on {platform}: find {_labels(plan)[first.id]} there"))
    return tuple(lines)


def plan_heading(plan: Plan) -> str:
    """`Plan for mitx-scm: Supply Chain Management (MITx) at 8 h/week`; never claims the
    budget as the pace of a plan that needs more."""
    names = "; ".join(f"{p.id}: {p.title} ({p.institution})" for p in plan.programs)
    if plan.within_budget:
        return f"Plan for {names} at {number(plan.hours_per_week)} h/week"
    return f"Plan for {names}, needing up to {number(plan.peak_hours_per_week)} h/week"


class PlanSummary:
    """The heading and the answer at a glance, each text wrapped beside its label."""

    def __init__(
        self,
        plan: Plan,
        enrolment: Mapping[str, Enrolment] | None = None,
        aid: CostReport | None = None,
    ) -> None:
        self.plan = plan
        self.enrolment = enrolment
        self.aid = aid

    def __rich_console__(
        self, console: Console, options: ConsoleOptions
    ) -> Iterator[RenderableType]:
        from rich.table import Table
        from rich.text import Text

        yield Text(wrap_keeping_units(plan_heading(self.plan), options.max_width), style="bold")
        lines = summary_lines(self.plan, self.enrolment, self.aid)
        label_width = max(len(label) for label, _ in lines) + 2

        def new_grid() -> Table:
            grid = Table.grid(padding=(0, 1))
            grid.add_column(no_wrap=True, min_width=label_width - 1)
            grid.add_column(overflow="fold")
            return grid

        grid = new_grid()
        for label, text in lines:
            before, _, url = text.rpartition(" ")
            if url.startswith(("https://", "http://")) and (
                label_width + len(text) > options.max_width
            ):
                # A page address is never cut: it goes on a line of its own.
                text = wrap_keeping_units(before, options.max_width - label_width)
                grid.add_row(Text(label + ":", style="bold"), Text(text))
                yield grid
                yield url_text(url, label_width, options.max_width)
                grid = new_grid()
                continue
            text = wrap_keeping_units(text, options.max_width - label_width)
            grid.add_row(Text(label + ":", style="bold"), Text(text))
        if grid.rows:
            yield grid


def _search_text(plan: Plan) -> str:
    """Which search made the plan, and why (see docs/planning.md, the exact pass)."""
    search = "exact search" if plan.solver.used == "exact" else "list schedule"
    return f"{search} ({plan.solver.reason})"


def _pace_changes(plan: Plan) -> str:
    """The courses that pause or change pace around a fixed course, and when ('' if none)."""
    labels = _labels(plan)
    changes = []
    for course in plan.planned:
        for before, after in pairwise(course.segments):
            if after.start > before.end + timedelta(days=1):
                changes.append(
                    f"{labels[course.id]} pauses {day(before.end + timedelta(days=1))}"
                    f"{DASH}{day(after.start - timedelta(days=1))}"
                )
            if after.hours_per_week != before.hours_per_week:
                changes.append(
                    f"{labels[course.id]} goes from {figure(before.hours_per_week)} to "
                    f"{figure(after.hours_per_week)} h/week on {day(after.start)}"
                )
    return "; ".join(changes)


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
        labels = fit_labels(labels, label_width)  # two cut labels never read the same
        width = max(options.max_width - label_width - 1, 10)
        first = min(c.start for c in courses if c.start)
        span = (plan.finish - first).days + 1

        def column(when: date) -> int:
            return min((when - first).days * width // span, width - 1)

        yield Text(" " * (label_width + 1) + self._axis(first, span, width, column))
        for label, course in zip(labels, courses, strict=True):
            assert course.start is not None
            assert course.end is not None
            line = Text(label.ljust(label_width) + " ")
            drawn = 0  # a course that pauses gets one bar per segment
            for segment in course.segments:
                lo = max(column(segment.start), drawn)
                hi = max(lo + 1, -(-((segment.end - first).days + 1) * width // span))
                line.append(" " * (lo - drawn))
                line.append("█" * (hi - lo), style="bold" if course.critical else "")
                drawn = hi
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


def plan_renderables(
    plan: Plan, enrolment: Mapping[str, Enrolment] | None = None, aid: CostReport | None = None
) -> list[RenderableType]:
    """Everything the table format shows on stdout, in order: the answer first; with `aid`
    (`plan --aid`), what financial aid takes off."""
    from rich.text import Text

    from mmplan.render.risk import RiskSummary

    parts: list[RenderableType] = [PlanSummary(plan, enrolment, aid)]
    if plan.risk is not None:
        parts.append(RiskSummary(plan))
    parts.append(PlanTable(plan))
    if plan.planned:
        parts.append(Text("Timeline", style="bold"))
        parts.append(PlanTimeline(plan))
    if plan.what_if:
        parts.append(WhatIfTable(plan))
    return parts


def plan_json(plan: Plan, aid: CostReport | None = None) -> str:
    """The documented JSON document; with `aid` (`plan --aid`), an `aid` object: what is
    due before and after it, in all and per course, and where it was not taken off."""
    document = plan.model_dump(mode="json")
    if aid is not None:
        document["aid"] = aid_json(aid)
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"
