"""Rendering `cost`: one row per course, then paid, due, aid and the total."""

from __future__ import annotations

from typing import TYPE_CHECKING

from mmplan.render.formatting import number, price
from mmplan.render.tabular import Column, TableView, to_rich

if TYPE_CHECKING:
    from rich.console import RenderableType

    from mmplan.cost_report import CostReport
    from mmplan.models import PriceRange


def cost_table(report: CostReport) -> TableView:
    """Each course's certificate price, status and why it is needed; the footer: the total."""
    rows = tuple(
        (
            course.id,
            price(course.price_usd, estimated=course.estimated),
            course.status,
            course.reason
            + (f"; same course as {', '.join(course.same_as)}" if course.same_as else ""),
        )
        for course in report.courses
    )
    names = ", ".join(p.id for p in report.programs)
    return TableView(
        title=f"Cost of {names}",
        columns=(
            Column("Course", no_wrap=True),
            Column("Price", "right", no_wrap=True),
            Column("Status"),
            Column("Why"),
        ),
        rows=rows,
        footer=(
            "Total",
            price(report.total_usd),
            "",
            f"+ {len(report.unknown)} unknown price(s)" if report.unknown else "",
        ),
    )


def with_unknown(amount: PriceRange, unknown: tuple[str, ...]) -> str:
    """`$1,350`, or `$1,350 + 2 unknown` so that unknown prices never pass as zero."""
    return price(amount) + (f" + {len(unknown)} unknown" if unknown else "")


def cost_summary(report: CostReport) -> list[str]:
    """The totals in words: paid, due (before and after aid), published prices, unknowns."""
    due_unknown = tuple(c.id for c in report.courses if c.status == "due" and c.price_usd is None)
    paid_unknown = tuple(c.id for c in report.courses if c.status == "paid" and c.price_usd is None)
    lines = [
        f"Paid: {with_unknown(report.paid_usd, paid_unknown)}",
        f"Due: {with_unknown(report.due_usd, due_unknown)}",
    ]
    if report.aid_percent:
        lines.append(
            f"Due with {number(float(report.aid_percent))}% financial aid: "
            f"{with_unknown(report.due_usd, due_unknown)} -> "
            f"{with_unknown(report.due_after_aid_usd, due_unknown)}"
        )
    lines.append(f"Total: {with_unknown(report.total_usd, report.unknown)}")
    for program in report.programs:
        published = (
            f"published price {price(program.price_usd)}"
            if program.price_usd is not None
            else "no published program price"
        )
        lines.append(
            f"{program.id}: {published}; its courses add up to "
            f"{with_unknown(program.courses_usd, program.unknown)}; "
            f"prices are dated (facts as of {program.prices_as_of.isoformat()})"
        )
    if report.by_month is not None and report.hours_per_week is not None:
        ids = " ".join(p.id for p in report.programs)
        breaks = "".join(f" --break {first}:{last}" for first, last in report.plan_breaks)
        lines.append(
            "By month: each certificate is bought when its course starts in "
            f"`mmplan plan {ids} -H {number(report.hours_per_week)} "
            f"--start {report.plan_start}{breaks}`."
        )
    if report.unknown:
        lines.append("Unknown prices, not counted in any total: " + ", ".join(report.unknown))
    if any(c.estimated for c in report.courses):
        lines.append("~ marks an estimated price.")
    return lines


def month_table(report: CostReport) -> TableView:
    """Money due month by month, from the plan; empty when there is no plan."""
    months = report.by_month or ()
    aid = bool(report.aid_percent)
    columns = (
        Column("Month", no_wrap=True),
        Column("Due", "right", no_wrap=True),
        *((Column("After aid", "right", no_wrap=True),) if aid else ()),
        Column("Courses"),
    )
    rows = tuple(
        (
            month.month,
            with_unknown(month.due_usd, month.unknown),
            *((with_unknown(month.due_after_aid_usd, month.unknown),) if aid else ()),
            ", ".join(month.courses),
        )
        for month in months
    )
    pace = number(report.hours_per_week) if report.hours_per_week is not None else "?"
    return TableView(
        title=f"Due by month at {pace} h/week",
        columns=columns,
        rows=rows,
    )


def cost_view(report: CostReport) -> list[RenderableType]:
    """The Rich tables and the summary lines."""
    from rich.text import Text

    out: list[RenderableType] = [to_rich(cost_table(report))]
    if report.by_month is not None:
        out.append(to_rich(month_table(report)))
    out.extend(Text(line) for line in cost_summary(report))
    return out


def cost_markdown_summary(report: CostReport) -> str:
    """The summary as a Markdown list, to follow the Markdown table."""
    return "\n".join(f"- {line}" for line in cost_summary(report)) + "\n"
