"""Rendering of `list`, `show` and `compare`: table views, Rich renderables and JSON.

No pydantic at import: `list` renders plain dataclasses.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from mmplan.catalog.model import Pacing, ProgramStatus
from mmplan.render.formatting import (
    ESTIMATED,
    figure,
    hours_range,
    money_total,
    number,
    period,
    price,
    usd,
)
from mmplan.render.tabular import Column, TableView
from mmplan.reports.listing import Listing, listing_json

if TYPE_CHECKING:
    from rich.console import RenderableType

    from mmplan.reports.explore import Comparison, CourseFacts, ProgramDetails
    from mmplan.reports.listing import ProgramSummary


def to_json(result: Listing | ProgramDetails | Comparison) -> str:
    """The result as indented JSON, keys in field order (a listing without pydantic)."""
    if isinstance(result, Listing):
        import json  # here, not at the top: a table on the terminal does without it

        return json.dumps(listing_json(result), indent=2, ensure_ascii=False)
    return result.model_dump_json(indent=2)


def program_price(summary: ProgramSummary) -> str:
    """`$1,350`, `~$600`, `$600 + 2 unknown`, `$500–$5,000`, or `unknown (5 courses)`:
    the words `cost` and `plan` use for the same total. A published program price comes with
    its date and, beside it, the sum of the course prices that `plan` counts:
    `$1,350 published (2016–2018); courses ~$1,595`."""
    total = money_total(
        summary.price_usd,
        len(summary.price_unknown),
        any_known=summary.price_usd is not None,
        estimated=summary.price_estimated,
    )
    if summary.price_basis != "published":
        return total
    courses = money_total(
        summary.courses_price_usd,
        len(summary.courses_price_unknown),
        any_known=summary.courses_price_usd is not None,
        estimated=summary.courses_price_estimated,
    )
    return f"{total} published ({period(summary.published_price_as_of)}); courses {courses}"


def total_hours(summary: ProgramSummary) -> str:
    return figure(round(summary.total_hours), estimated=summary.hours_estimated)


def weeks(summary: ProgramSummary) -> str:
    """Whole weeks, always marked `~`: the figure is an estimate, not a plan."""
    return ESTIMATED + str(max(1, math.ceil(summary.weeks_estimate)))


def needs(summary: ProgramSummary) -> str:
    """The least pace within budget: `13 h/week`, or `any` when every course is self-paced."""
    if summary.needs_hours_per_week is None:
        return "any"
    return pace(summary.needs_hours_per_week)


def pace(hours_per_week: float) -> str:
    return f"{number(hours_per_week)} h/week"


def status_mark(summary: ProgramSummary) -> str:
    """` (retired)`, ` (moved to PLATFORM)` or ` (may no longer be offered)` after a title;
    nothing for an active program."""
    if summary.status is ProgramStatus.RETIRED:
        return " (retired)"
    if summary.status is ProgramStatus.UNKNOWN:
        return " (may no longer be offered)"
    if summary.status is ProgramStatus.MOVED:
        return f" (moved to {summary.platform})"
    return ""


def listing_view(listing: Listing) -> TableView:
    """One row per program."""
    rows = tuple(
        (
            s.id,
            s.title + status_mark(s),
            s.institution,
            s.field,
            str(s.courses),
            total_hours(s),
            program_price(s),
            weeks(s),
            needs(s),
            "unknown" if s.credit_pathways is None else str(s.credit_pathways),
        )
        for s in listing.programs
    )
    count = len(listing.programs)
    return TableView(
        title=f"{count} program{'s' if count != 1 else ''}",
        columns=(
            Column("Id"),
            Column("Title"),
            Column("Institution"),
            Column("Field"),
            Column("Courses", "right"),
            Column("Hours", "right"),
            Column("Price", "right"),
            Column(f"Weeks at {number(listing.hours_per_week)}h", "right"),
            Column("Needs", "right"),
            Column("Credit", "right"),
        ),
        rows=rows,
        caption=(
            f"Courses, hours and price: the default path (fewest-hours electives), "
            f"{listing.effort.value} effort. Weeks: estimate at {pace(listing.hours_per_week)}. "
            f"Needs: the least weekly hours its fixed-schedule courses take. "
            "~ estimate, – range. "
            f"Credit: master's pathways. Dated plan: mmplan plan ID" + price_unsure_text(listing)
        ),
    )


def no_match_text(listing: Listing) -> str:
    """What `list` says when nothing passes its filters, and what --max-price left unsure."""
    return "No program matches these filters" + (price_unsure_text(listing) or ".")


def price_unsure_text(listing: Listing) -> str:
    """What --max-price left out only because the price is not wholly known: it may be
    within the maximum, so the learner is told rather than left to think there is none."""
    if not listing.price_unsure or listing.max_price is None:
        return ""
    shown = "; ".join(f"{s.id}: {program_price(s)}" for s in listing.price_unsure)
    return (
        f". Left out by --max-price {usd(listing.max_price)}, as their price is not wholly "
        f"known and may be within it: {shown}."
    )


def fit_table(view: TableView, width: int, *, stack: bool = True) -> RenderableType:
    """A Rich table when its longest words fit in `width`, else one stacked block per row.

    Wide tables squeezed into a narrow terminal cut or fold every cell; a stacked block
    (first two cells as a heading, the others as `Header: value` lines) stays readable.
    """
    from mmplan.render.tabular import stacked, to_rich

    table = to_rich(view)
    for column in table.columns:
        column.overflow = "fold"  # ids are typed back: never cut a cell to `…`
    if not stack or _fits(view, width):
        return table
    return stacked(view, width)


def _fits(view: TableView, width: int) -> bool:
    """True when Rich can fit the table by wrapping the title column (the second) alone.

    Rich shrinks the widest wrappable columns first, so the title must keep at least the
    natural width of every other column; those then show their cells whole.
    """
    natural = [
        max([len(column.header), *(len(row[index]) for row in view.rows)])
        for index, column in enumerate(view.columns)
    ]
    others = natural[:1] + natural[2:]
    title_words = [word for row in view.rows for word in row[1].split()] if len(natural) > 1 else []
    title = max([*others, *(len(word) for word in title_words)]) if len(natural) > 1 else 0
    borders = 3 * len(natural) + 1
    return sum(others) + title + borders <= width


def _facts_grid(rows: list[tuple[str, str]]) -> RenderableType:
    from rich.table import Table
    from rich.text import Text

    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="bold", no_wrap=True)
    grid.add_column(overflow="fold")
    for label, value in rows:
        grid.add_row(Text(label), Text(value))
    return grid


_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def sessions(course: CourseFacts) -> str:
    """When a course can start: `any day` (self-paced), its listed runs and the yearly
    session starts after them (`2027-02-02, then ~Feb 1, Sep 1`), or `not known` for a
    fixed schedule no source dates."""
    yearly = [
        f"{_MONTHS[int(month) - 1]} {int(day)}"
        for month, day in (start.split("-") for start in sorted(course.session_starts))
    ]
    if yearly and "session_starts" in course.estimated:
        yearly[0] = ESTIMATED + yearly[0]
    runs = ", ".join(run.isoformat() for run in course.runs)
    days = ", ".join(yearly)
    if runs or days:
        window = "" if course.window_days is None else f" ({_window(course)})"
        return (f"{runs}, then {days}" if runs and days else runs or days) + window
    return "any day" if course.pacing is Pacing.SELF else "not known"


def _window(course: CourseFacts) -> str:
    days = f"{course.window_days}-day window"
    return (ESTIMATED + days) if "window_days" in course.estimated else days


def courses_view(details: ProgramDetails) -> TableView:
    """The program's courses as published, with the role each plays."""
    rows = tuple(
        (
            c.code,
            c.title + (f" ({ESTIMATED}title)" if "title" in c.estimated else ""),
            figure(c.weeks, estimated="weeks" in c.estimated),
            hours_range(c.hours_per_week, estimated="hours_per_week" in c.estimated),
            price(c.price_usd, estimated="price_usd" in c.estimated),
            c.kind.value,
            c.pacing.value,
            sessions(c),
            c.role + ("" if c.taken_by_default or c.role == "required" else " (not counted)"),
        )
        for c in details.courses
    )
    return TableView(
        title="Courses",
        columns=(
            Column("Code"),
            Column("Title"),
            Column("Weeks", "right"),
            Column("h/week", "right"),
            Column("Price", "right"),
            Column("Kind"),
            Column("Pacing"),
            Column("Sessions"),
            Column("Role"),
        ),
        rows=rows,
        caption="~ estimate, – published range; (not counted): outside the fewest-hours default",
    )


def prerequisite_tree(details: ProgramDetails) -> RenderableType:
    """A Rich Tree: each course above the courses it needs first."""
    from rich.text import Text
    from rich.tree import Tree

    has_edges = any(line.depth > 0 or line.after_all for line in details.prerequisite_tree)
    label = "Prerequisites (each course above what it needs first)"
    if not has_edges:
        label = "Prerequisites: none between these courses; take them in any order"
    tree = Tree(Text(label, style="bold"))
    if not has_edges:
        return tree
    parents: list[Tree] = [tree]
    own = details.summary.id + "/"
    guessed = {c.id for c in details.courses if "after_all" in c.estimated}
    for line in details.prerequisite_tree:
        name = line.id.removeprefix(own) if not line.outside else line.id
        marks = ["recommended"] if line.recommended else []
        if line.after_all and not line.repeated:
            marks.append(("~" if line.id in guessed else "") + "after every other course")
        if line.repeated:
            marks.append("see above")
        elif line.outside:
            marks.append("another program")
        text = f"{name}  {line.title}" + (f"  ({'; '.join(marks)})" if marks else "")
        del parents[line.depth + 1 :]
        parents.append(parents[line.depth].add(Text(text)))
    return tree


def show_renderables(details: ProgramDetails, width: int) -> list[RenderableType]:
    """Everything `mmplan show` prints, top to bottom, for a terminal `width` columns wide."""
    from rich.text import Text

    s = details.summary
    facts = [
        ("Institution", s.institution),
        ("Field", s.field),
        ("Status", details.status_text),
        ("Platform", s.platform),
        ("Courses", f"{s.courses} taken of {len(details.courses)} listed"),
        ("Total hours", f"{total_hours(s)} (default path, {details.effort.value} effort)"),
        ("Weeks", f"{weeks(s)} at {pace(s.hours_per_week)} (estimate; mmplan plan gives dates)"),
        ("Needs", needs(s) + ("" if s.needs_hours_per_week is None else " (fixed schedule)")),
        ("Price", program_price(s) + _price_note(details)),
    ]
    if s.chosen_for_you:
        facts.append(("Default path", "; ".join(s.chosen_for_you)))
    if details.published_duration:
        facts.append(("Published length", details.published_duration))
    if details.url:
        facts.append(("Web page", details.url))
    facts.append(("Facts as of", str(details.as_of)))
    out: list[RenderableType] = [
        Text(f"{s.title} ({s.id})", style="bold"),
        _facts_grid(facts),
        Text(""),
        fit_table(courses_view(details), width),
        prerequisite_tree(details),
    ]
    if details.outside_prerequisites:
        out.append(Text("Needs from other programs: " + ", ".join(details.outside_prerequisites)))
    structure = [
        f"Electives: choose {g.choose} of {', '.join(g.courses)}" for g in details.electives
    ]
    structure += [f"Track {t.name}: {', '.join(t.courses)}" for t in details.tracks]
    if details.tracks:
        structure.insert(len(details.electives), "Tracks: follow exactly one")
    out.extend(_section("Electives and tracks", structure))
    out.extend(
        _section(
            "Before you start (advice, not enforced)",
            [
                f"{e.course.partition('/')[2]}: {e.requirement}"
                for e in details.external_prerequisites
            ],
        )
    )
    pathways = [f"{p.institution}: {p.degree}; credit: {p.credit}" for p in details.credit_pathways]
    if pathways:
        pathways.append(details.credit_caveat)
    out.extend(_section("Attempts, retakes and payment", rules_lines(details)))
    out.extend(_section("Credit toward a master's", pathways or ["unknown: no source lists one"]))
    out.extend(_section("Sources", list(details.sources)))
    if details.notes:
        out.extend(_section("Notes", [details.notes]))
    return out


def _attempts_text(course: CourseFacts) -> str:
    """`1 attempt per payment, 2 in all; a retake costs the price again, at the next session
    at the earliest`, or what the catalog does not know."""
    a = course.attempts
    if a is None:
        return "attempts not known"
    text = f"{a.per_payment} attempt{'s' if a.per_payment != 1 else ''} per payment"
    if a.limit is not None:
        text += ", no limit" if a.limit == "unlimited" else f", {a.limit} in all"
    if a.retake_fee_same_as_price:
        fee = "the price again"  # the table above gives it
    else:
        fee = "not known" if a.retake_fee_usd is None else _retake_fee(course)
    text += f"; a retake costs {fee}"
    if a.retake_wait == "next_session":
        text += ", at the next session at the earliest"
    elif a.retake_wait is not None:
        text += f", {a.retake_wait} days after the failed attempt at the earliest"
    return (ESTIMATED if a.estimated else "") + text


def _retake_fee(course: CourseFacts) -> str:
    fee = course.attempts.retake_fee_usd if course.attempts else None
    return price(fee, estimated="price_usd" in course.estimated)


def _payment_text(course: CourseFacts) -> str:
    p = course.payment
    if p is None:
        return "pay when it starts (no deadline rule known)"
    return f"{ESTIMATED if p.estimated else ''}pay {p.text} ({p.set_by} rule)"


def rules_lines(details: ProgramDetails) -> list[str]:
    """How long a pass counts, then each course's payment deadline and attempts; courses
    that share every rule are said once."""
    lines = []
    if details.valid_years is not None:
        lines.append(f"A passed course counts for {details.valid_years} years")
    said: dict[str, list[str]] = {}
    for course in details.courses:
        said.setdefault(f"{_payment_text(course)}; {_attempts_text(course)}", []).append(
            course.code
        )
    if len(said) == 1:
        return [*lines, f"Every course: {next(iter(said))}"]
    return [*lines, *(f"{', '.join(codes)}: {text}" for text, codes in said.items())]


def _price_note(details: ProgramDetails) -> str:
    s = details.summary
    if s.price_basis == "published":
        return " (a published program price, of its date; plan and cost count the courses)"
    if s.price_basis == "unknown":
        return " (no course price known)"
    unknown = len(s.price_unknown)
    return " (sum of course prices" + (f"; {unknown} unknown)" if unknown else ")")


def _section(title: str, lines: list[str]) -> list[RenderableType]:
    """A bold title over a bulleted list whose wrapped lines stay indented."""
    from rich.table import Table
    from rich.text import Text

    if not lines:
        return []
    bullets = Table.grid(padding=(0, 1))
    bullets.add_column(no_wrap=True)
    bullets.add_column(overflow="fold")
    for line in lines:
        bullets.add_row(Text("  -"), Text(line))
    return [Text(""), Text(title, style="bold"), bullets]


def comparison_view(comparison: Comparison) -> TableView:
    """One column per program, one row per figure."""
    summaries = [p.summary for p in comparison.programs]
    shared_by: dict[str, list[str]] = {s.id: [] for s in summaries}
    for course in comparison.shared_courses:
        for program_id in course.programs:
            shared_by[program_id].append(course.code)
    rows: list[tuple[str, ...]] = [
        ("Title", *(s.title + status_mark(s) for s in summaries)),
        ("Institution", *(s.institution for s in summaries)),
        ("Field", *(s.field for s in summaries)),
        ("Courses", *(str(s.courses) for s in summaries)),
        ("Total hours", *(total_hours(s) for s in summaries)),
        (f"Weeks at {number(comparison.hours_per_week)}h", *(weeks(s) for s in summaries)),
        ("Needs", *(needs(s) for s in summaries)),
        ("Price", *(program_price(s) for s in summaries)),
        (
            "Credit at",
            *(", ".join(s.credit_institutions) or "none known" for s in summaries),
        ),
        ("Shared courses", *(", ".join(shared_by[s.id]) or "none" for s in summaries)),
    ]
    combined = figure(
        round(comparison.combined_hours), estimated=comparison.combined_hours_estimated
    )
    return TableView(
        title="Compared at " + pace(comparison.hours_per_week),
        columns=(Column(""), *(Column(s.id) for s in summaries)),
        rows=tuple(rows),
        caption=(
            f"All together: {comparison.combined_courses} courses, "
            f"{combined} hours (shared courses once). "
            "~ estimate. Credit only on admission."
        ),
    )
