"""`plan --format html`: one self-contained page to look at, keep and print.

The page is built from a Jinja2 template shipped in the package (`mmplan/render/templates`) with
autoescaping on, so every catalog string is escaped. The geometry of the charts (a Gantt
chart with prerequisite arrows, session waits and breaks; the weekly load against the
budget) is computed here, as plain numbers the template places in inline SVG: no script,
no network, no external file. The cost by month is the cost report's (`reports.cost.
months_due`, the one `cost --by-month` shows), handed in and only formatted here, with what
--aid takes off (the report's, as `cost --aid` has it).
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from itertools import pairwise
from typing import TYPE_CHECKING

from mmplan.render.cost import payment_rules
from mmplan.render.credentials import credential_texts
from mmplan.render.formatting import day, fit_labels, money_total, number, price
from mmplan.render.plan import cost_text, plan_heading, summary_lines
from mmplan.render.risk import Curve, risk_curve, risk_drivers, risk_lines
from mmplan.schedule.model import Segment

if TYPE_CHECKING:
    from mmplan.catalog.enrolment import Enrolment
    from mmplan.catalog.model import PriceRange
    from mmplan.reports.cost import CostReport, MonthCost
    from mmplan.schedule import Break, Plan, PlannedCourse

_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")

# Gantt chart geometry, in SVG user units (the page scales the SVG to its width).
LABEL_WIDTH = 230  # the course code and title left of the bars
CHART_WIDTH = 820
ROW_HEIGHT = 28
BAR_HEIGHT = 16
AXIS_HEIGHT = 34
LABEL_CHARS = 32  # code and title beside a bar; a longer title is shortened (the table has it)
CODE_CHARS = 20  # a longer code (a slug id) is cut, told apart from the others (the tooltip has it)

# Weekly load chart.
LOAD_HEIGHT = 150
LOAD_TOP = 14
TOP_LABEL_Y = 18  # baseline of the axis' top tick ("17 h"), level with the axis' top
AXIS_LABEL_X = LABEL_WIDTH - 8  # the axis ticks' labels end here, right-aligned beside it
LABEL_LINE = 18  # baselines of the chart's 12-unit labels this far apart never touch


@dataclass(frozen=True)
class Tick:
    x: float
    label: str
    strong: bool  # a January (or the first month): carries the year


@dataclass(frozen=True)
class Piece:
    """One segment of a course's bar: a stretch at one weekly rate."""

    x: float
    width: float
    tooltip: str
    slower: bool  # below the course's peak rate: drawn lighter


@dataclass(frozen=True)
class Pause:
    """The gap between two segments of a course that pauses: a thin dashed line."""

    x: float
    width: float
    tooltip: str


@dataclass(frozen=True)
class Bar:
    """A course's row: its segments (one, unless it pauses or changes pace) and any wait."""

    y: float
    x: float
    width: float
    code: str
    label: str
    kind: str  # css class: planned, critical, in-progress
    pieces: tuple[Piece, ...]
    pauses: tuple[Pause, ...] = ()
    wait_x: float | None = None  # a session wait: from `ready` to the start
    wait_width: float = 0.0


@dataclass(frozen=True)
class Arrow:
    path: str
    soft: bool  # a recommended order rather than a prerequisite


@dataclass(frozen=True)
class Band:
    x: float
    width: float
    label: str


@dataclass(frozen=True)
class Gantt:
    width: float
    height: float
    ticks: tuple[Tick, ...]
    bars: tuple[Bar, ...]
    arrows: tuple[Arrow, ...]
    breaks: tuple[Band, ...]
    paused: bool = False  # some course pauses: the legend explains the dashed line
    slower: bool = False  # some course changes pace: the legend explains the lighter part


@dataclass(frozen=True)
class LoadWeek:
    x: float
    width: float
    y: float
    height: float
    hours: float
    over: bool
    tooltip: str


@dataclass(frozen=True)
class LoadChart:
    width: float
    height: float
    weeks: tuple[LoadWeek, ...]
    budget_y: float
    budget: str
    budget_label_y: float  # beside the budget line, or under it when near the top label
    top: str  # the axis' top value: a scale tick, not a load the plan needs
    top_y: float  # the axis' top, where a faint gridline marks its tick
    top_label_y: float
    base_y: float  # the axis' zero
    ticks: tuple[Tick, ...]
    axis_label_x: float = AXIS_LABEL_X


@dataclass(frozen=True)
class Month:
    month: str
    due: str
    courses: str
    unknown: int
    bar: float  # 0..1 of the largest month
    after_aid: str = ""  # with `plan --aid`: the month's sum after it


@dataclass(frozen=True)
class CourseRow:
    code: str
    title: str
    status: str
    start: str
    end: str
    hours_per_week: str
    hours: str
    price: str
    reason: str


@dataclass(frozen=True)
class Page:
    """Everything the template shows, already formatted."""

    heading: str
    summary: tuple[tuple[str, str], ...]
    gantt: Gantt | None
    load: LoadChart | None
    months: tuple[Month, ...]
    payment_rules: str  # which rules dated the payments
    total_cost: str
    credential: tuple[str, ...]  # one line per program's credential
    passed: tuple[CourseRow, ...]
    to_take: tuple[CourseRow, ...]
    courses: tuple[CourseRow, ...]
    warnings: tuple[str, ...]
    links: tuple[tuple[str, str, str], ...] = field(default=())  # (code, platform, url)
    odds: tuple[tuple[str, str], ...] = ()  # `--risk`: the odds lines
    curve: Curve | None = None  # `--risk`: the S-curve
    drivers: tuple[tuple[str, str, str], ...] = ()  # `--risk`: (course, how often, days saved)
    # Where the courses with no page are taken: "PROGRAM runs on PLATFORM: CODES ..."
    unlinked: tuple[str, ...] = field(default=())
    aid: str = ""  # with `plan --aid`: `90% aid`, the heading of the months' after-aid column


def _month_starts(first: date, last: date) -> list[date]:
    month = date(first.year, first.month, 1)
    found: list[date] = []
    while month < last:
        if month >= first:
            found.append(month)
        month = date(month.year + month.month // 12, month.month % 12 + 1, 1)
    return found


_CHAR_WIDTH = 7.5  # about one character of a tick label, in SVG units
_RIGHT_EDGE = LABEL_WIDTH + CHART_WIDTH + 10  # the SVG's width


def _ticks(first: date, last: date, x_of: Callable[[date], float]) -> tuple[Tick, ...]:
    """A grid line at each month start; a label where it does not collide with the last
    one. The first month and each January carry the year."""
    months = [first, *(m for m in _month_starts(first, last) if m > first)]
    ticks: list[Tick] = []
    label_end = -1.0
    for index, month in enumerate(months):
        strong = month.month == 1 or index == 0
        label = f"{_MONTHS[month.month - 1]} {month.year}" if strong else _MONTHS[month.month - 1]
        x = round(x_of(month), 1)
        if x + 3 + len(label) * _CHAR_WIDTH > _RIGHT_EDGE:  # would run off the chart
            ticks.append(Tick(x=x, label="", strong=strong))
            continue
        if x < label_end + 4:
            if not strong:
                ticks.append(Tick(x=x, label="", strong=False))
                continue
            if ticks and ticks[-1].label and not ticks[-1].strong:  # a year beats a month
                ticks[-1] = Tick(x=ticks[-1].x, label="", strong=False)
            elif ticks:
                ticks.append(Tick(x=x, label="", strong=True))
                continue
        ticks.append(Tick(x=x, label=label, strong=strong))
        label_end = x + 3 + len(label) * _CHAR_WIDTH
    return tuple(ticks)


def _short(code: str, title: str) -> str:
    room = max(LABEL_CHARS - len(code) - 1, 0)
    return title if len(title) <= room else title[: max(room - 1, 0)].rstrip() + "…"


def _labels(plan: Plan) -> dict[str, str]:
    uses = Counter(c.code for c in plan.courses)
    return {c.id: c.id if uses[c.code] > 1 else c.code for c in plan.courses}


def segments_of(course: PlannedCourse) -> tuple[Segment, ...]:
    """A dated course's stretches at one weekly rate: its segments, else its whole span."""
    if course.segments:
        return course.segments
    assert course.start is not None
    assert course.end is not None
    return (Segment(start=course.start, end=course.end, hours_per_week=course.hours_per_week or 0),)


def _course_bar(
    course: PlannedCourse, label: str, y: float, x_of: Callable[[date], float], code: str
) -> Bar:
    """A course's row: one piece per segment, a dashed pause between two that do not touch;
    `code` is `label` as it fits beside the bar."""
    assert course.start is not None
    assert course.end is not None
    kind = (
        "in-progress"
        if course.status == "in_progress"
        else "critical"
        if course.critical
        else "planned"
    )
    segments = segments_of(course)
    peak = max(segment.hours_per_week for segment in segments)
    one = len(segments) == 1
    pieces = tuple(
        Piece(
            x=round(x_of(segment.start), 1),
            width=round(max(x_of(segment.end + timedelta(days=1)) - x_of(segment.start), 2.0), 1),
            tooltip=f"{label} {course.title}: {day(segment.start)} to {day(segment.end)}, "
            f"{number(segment.hours_per_week)} h/week"
            + ("" if one else f" (part {index} of {len(segments)})"),
            slower=segment.hours_per_week < peak,
        )
        for index, segment in enumerate(segments, start=1)
    )
    pauses = tuple(
        Pause(
            x=round(x_of(before.end + timedelta(days=1)), 1),
            width=round(x_of(after.start) - x_of(before.end + timedelta(days=1)), 1),
            tooltip=f"{label} pauses {day(before.end + timedelta(days=1))} to "
            f"{day(after.start - timedelta(days=1))}",
        )
        for before, after in pairwise(segments)
        if after.start > before.end + timedelta(days=1)
    )
    x = x_of(course.start)
    waits = course.idle_from or course.ready  # the wait drawn: its days with nothing to study
    wait_x = x_of(waits) if waits and waits < course.start else None
    return Bar(
        y=round(y, 1),
        x=round(x, 1),
        width=round(max(x_of(course.end + timedelta(days=1)) - x, 2.0), 1),
        code=code,
        label=_short(code, course.title),
        kind=kind,
        pieces=pieces,
        pauses=pauses,
        wait_x=round(wait_x, 1) if wait_x is not None else None,
        wait_width=round(x - wait_x, 1) if wait_x is not None else 0.0,
    )


def gantt_chart(plan: Plan) -> Gantt | None:
    """Bars on a time axis, one row per dated course, with arrows from each prerequisite
    (dashed: recommended first) and shaded breaks; a session wait is drawn before its bar,
    and a course that pauses gets a bar per segment joined by a dashed line."""
    courses = plan.planned
    if not courses or plan.finish is None:
        return None
    starts = [c.idle_from or c.ready or c.start for c in courses if c.start is not None]
    first = min(d for d in starts if d is not None)
    last = plan.finish + timedelta(days=1)
    span = max((last - first).days, 1)

    def x_of(when: date) -> float:
        return LABEL_WIDTH + (when - first).days * CHART_WIDTH / span

    labels = _labels(plan)
    codes = fit_labels([labels[c.id] for c in courses], CODE_CHARS)
    row_of = {c.id: i for i, c in enumerate(courses)}
    bars = [
        _course_bar(
            course,
            labels[course.id],
            AXIS_HEIGHT + index * ROW_HEIGHT + (ROW_HEIGHT - BAR_HEIGHT) / 2,
            x_of,
            codes[index],
        )
        for index, course in enumerate(courses)
    ]
    arrows: list[Arrow] = []
    for course in courses:
        for soft, needed in ((False, course.prerequisites), (True, course.recommended)):
            for before_id in needed:
                if before_id not in row_of:
                    continue
                before = courses[row_of[before_id]]
                assert before.end is not None
                assert course.start is not None
                # From the prerequisite bar's end, down (or up) to the course's row, then
                # right into its start (or its wait): the head always points forward in time.
                x1 = x_of(before.end + timedelta(days=1)) - 4
                y1 = AXIS_HEIGHT + row_of[before_id] * ROW_HEIGHT + (ROW_HEIGHT + BAR_HEIGHT) / 2
                x2 = x_of(course.idle_from or course.ready or course.start) - 1
                y2 = AXIS_HEIGHT + row_of[course.id] * ROW_HEIGHT + ROW_HEIGHT / 2
                if row_of[before_id] > row_of[course.id]:
                    y1 -= BAR_HEIGHT
                arrows.append(
                    Arrow(path=f"M{x1:.1f},{y1:.1f} V{y2:.1f} H{max(x2, x1 + 3):.1f}", soft=soft)
                )
    bands = tuple(
        Band(
            x=round(x_of(max(b.start, first)), 1),
            width=round(
                x_of(min(b.end, plan.finish) + timedelta(days=1)) - x_of(max(b.start, first)), 1
            ),
            label=f"break {day(b.start)} to {day(b.end)}",
        )
        for b in plan.breaks
        if b.end >= first and b.start <= plan.finish
    )
    return Gantt(
        width=LABEL_WIDTH + CHART_WIDTH + 10,
        height=AXIS_HEIGHT + len(courses) * ROW_HEIGHT + 6,
        ticks=_ticks(first, last, x_of),
        bars=tuple(bars),
        arrows=tuple(arrows),
        breaks=bands,
        paused=any(bar.pauses for bar in bars),
        slower=any(piece.slower for bar in bars for piece in bar.pieces),
    )


def _days_off(course: PlannedCourse, breaks: tuple[Break, ...], first: date, last: date) -> int:
    """Days of [first, last] a course is not studied for a break: a self-paced course stops
    for it; a session runs on regardless."""
    if course.pacing != "self":
        return 0
    return sum(max((min(b.end, last) - max(b.start, first)).days + 1, 0) for b in breaks)


def weekly_load(plan: Plan) -> list[tuple[date, float]]:
    """Hours in each week of the plan, from its start: for each segment of each course, its
    weekly rate times the part of the week it runs (a pause and a break add nothing).

    Each segment visits only the weeks it spans, and each week adds its parts in the
    courses' order."""
    if plan.finish is None:
        return []
    mondays = []
    monday = plan.start
    while monday <= plan.finish:
        mondays.append(monday)
        monday += timedelta(days=7)
    parts: list[list[float]] = [[] for _ in mondays]
    for course in plan.planned:
        for segment in segments_of(course):
            first_week = max((segment.start - plan.start).days // 7, 0)
            last_week = min((segment.end - plan.start).days // 7, len(mondays) - 1)
            for week in range(first_week, last_week + 1):
                monday = mondays[week]
                first = max(segment.start, monday)
                last = min(segment.end, monday + timedelta(days=6))
                days = (last - first).days + 1 - _days_off(course, plan.breaks, first, last)
                if days > 0:
                    parts[week].append(segment.hours_per_week * days / 7)
    weeks = []
    for monday, hours_each in zip(mondays, parts, strict=True):
        hours = 0.0
        for part in hours_each:  # in the courses' order, as a sum over them
            hours += part
        weeks.append((monday, round(hours, 2)))
    return weeks


def load_chart(plan: Plan) -> LoadChart | None:
    """The weekly load as bars, the budget as a line across them."""
    weeks = weekly_load(plan)
    if not weeks or plan.finish is None:
        return None
    top = math.ceil(max(max(hours for _, hours in weeks), plan.hours_per_week) * 1.15)
    width = LABEL_WIDTH + CHART_WIDTH + 10
    step = CHART_WIDTH / len(weeks)
    height = LOAD_HEIGHT

    def y_of(hours: float) -> float:
        return LOAD_TOP + (height - LOAD_TOP - 20) * (1 - hours / top)

    bars = tuple(
        LoadWeek(
            x=round(LABEL_WIDTH + i * step, 1),
            width=round(max(step - 1, 0.5), 1),
            y=round(y_of(hours), 1),
            height=round(y_of(0) - y_of(hours), 1),
            hours=hours,
            over=hours > plan.hours_per_week + 1e-9,
            tooltip=f"week of {day(monday)}: {number(hours)} h",
        )
        for i, (monday, hours) in enumerate(weeks)
    )
    first = weeks[0][0]
    last = weeks[-1][0] + timedelta(days=7)
    span = (last - first).days

    def x_of(when: date) -> float:
        return LABEL_WIDTH + (when - first).days * CHART_WIDTH / span

    budget_y = round(y_of(plan.hours_per_week), 1)
    return LoadChart(
        width=width,
        height=height,
        weeks=bars,
        budget_y=budget_y,
        budget=f"your budget: {number(plan.hours_per_week)} h/week",
        budget_label_y=budget_label_y(budget_y),
        top=number(top),
        top_y=round(y_of(top), 1),
        top_label_y=TOP_LABEL_Y,
        base_y=round(y_of(0), 1),
        ticks=_ticks(first, last, x_of),
    )


def budget_label_y(budget_y: float) -> float:
    """The budget label's baseline: centred on its line, or just under the line when that
    would bring it within a line of the axis' top tick label (a budget near the top)."""
    beside = budget_y + 4
    if beside - TOP_LABEL_Y >= LABEL_LINE:
        return beside
    return round(max(budget_y + LABEL_LINE - 2, TOP_LABEL_Y + LABEL_LINE), 1)


def month_rows(
    plan: Plan, months: Sequence[MonthCost], *, aided: bool = False
) -> tuple[Month, ...]:
    """The cost by month (`reports.cost.months_due`, as `cost --by-month` has it) as the
    page's rows: the sum due (`~` when estimated, unknown prices never as $0), the courses
    by their labels, and a bar scaled to the largest month; `aided`: the sum after aid."""
    labels = _labels(plan)
    largest = max((m.due_usd.hi for m in months), default=Decimal(0)) or Decimal(1)

    def total(month: MonthCost, amount: PriceRange) -> str:
        known = len(month.courses) > len(month.unknown)
        return money_total(amount, len(month.unknown), any_known=known, estimated=month.estimated)

    return tuple(
        Month(
            month=month.month,
            due=total(month, month.due_usd),
            courses=", ".join(labels.get(c, c) for c in month.courses),
            unknown=len(month.unknown),
            bar=float(month.due_usd.hi / largest),
            after_aid=total(month, month.due_after_aid_usd) if aided else "",
        )
        for month in months
    )


def _row(course: PlannedCourse, label: str) -> CourseRow:
    status = {"completed": "passed", "in_progress": "in progress", "planned": "to take"}
    return CourseRow(
        code=label,
        title=course.title,
        status=status[course.status],
        start=day(course.start) if course.start else "",
        end=day(course.end) if course.end else "",
        hours_per_week=number(course.hours_per_week) if course.hours_per_week else "",
        hours=("~" if {"weeks", "hours_per_week"} & set(course.estimated) else "")
        + number(course.hours),
        price=price(course.price_usd, estimated="price_usd" in course.estimated),
        reason=course.reason,
    )


def plan_page(
    plan: Plan,
    enrolment: Mapping[str, Enrolment] | None = None,
    cost: CostReport | None = None,
) -> Page:
    """The page's content: pure data, ready for the template. `cost`: the plan's cost report
    (`mmplan.api.plan_cost`), for the cost by month and, with --aid, what aid takes off."""
    months = (cost.by_month or ()) if cost is not None else ()
    aid = cost if cost is not None and cost.aid_percent else None
    if plan.finish is None:
        credential: tuple[str, ...] = ("Every course is passed.",)
    else:
        texts = credential_texts(plan)
        stacked = len(texts) > 1  # each line starts with its program's id: never capitalised
        credential = tuple((t if stacked else t[0].upper() + t[1:]) + "." for t in texts)
    labels = _labels(plan)
    rows = tuple(_row(c, labels[c.id]) for c in plan.courses)
    links = tuple(
        (labels[c.id], where.platform, where.url)
        for c in plan.planned
        if (where := (enrolment or {}).get(c.id)) is not None
        and where.url.lower().startswith(("https://", "http://"))  # never a javascript: link
    )
    linked = {code for code, _, _ in links}
    unlinked = tuple(
        f"{program.id} runs on {program.platform}: find "
        f"{', '.join(labels[c.id] for c in missing)} there"
        for program in plan.programs
        if (
            missing := [
                c for c in plan.planned if c.program == program.id and labels[c.id] not in linked
            ]
        )
    )
    return Page(
        heading=plan_heading(plan),
        summary=summary_lines(plan, enrolment, aid),
        gantt=gantt_chart(plan),
        load=load_chart(plan),
        months=month_rows(plan, months, aided=aid is not None),
        payment_rules=payment_rules(months),
        total_cost=cost_text(plan),
        aid=f"{number(float(aid.aid_percent))}% aid" if aid is not None else "",
        credential=credential,
        passed=tuple(r for r in rows if r.status == "passed"),
        to_take=tuple(r for r in rows if r.status != "passed"),
        courses=rows,
        warnings=tuple(warning.message for warning in plan.warnings),
        links=links,
        odds=risk_lines(plan),
        curve=risk_curve(plan),
        drivers=risk_drivers(plan),
        unlinked=unlinked,
    )


def plan_html(
    plan: Plan,
    enrolment: Mapping[str, Enrolment] | None = None,
    cost: CostReport | None = None,
) -> str:
    """The whole page as HTML text."""
    from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

    environment = Environment(
        loader=PackageLoader("mmplan.render", "templates"),
        autoescape=select_autoescape(["html", "j2"], default=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    return environment.get_template("plan.html.j2").render(page=plan_page(plan, enrolment, cost))
