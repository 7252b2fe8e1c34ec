"""Rendering `cost`: one row per course, then paid, due, aid and the total."""

from __future__ import annotations

from typing import TYPE_CHECKING

from mmplan.catalog.model import ProgramStatus
from mmplan.render.formatting import (
    money_total,
    moved_line,
    number,
    period,
    price,
    unknown_status_line,
    url_text,
)
from mmplan.render.tabular import (
    Column,
    FittedTable,
    TableView,
    markdown_text,
    stacked,
    whole_word_table,
)

if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence

    from rich.console import RenderableType

    from mmplan.catalog.model import PriceRange
    from mmplan.reports.cost import CostReport, CourseCost, MonthCost, ProgramCost


def cost_table(report: CostReport, *, codes: bool = False) -> TableView:
    """Each course's certificate price, status and why it is needed; the footer: the total.

    `codes` names a single program's courses by code (its title is the table's)."""
    own = f"{report.programs[0].id}/" if codes and len(report.programs) == 1 else ""
    rows = tuple(
        (
            course.id.removeprefix(own) if own else course.id,
            course.title,
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
            Column("Title"),
            Column("Price", "right", no_wrap=True),
            Column("Status"),
            Column("Why"),
        ),
        rows=rows,
        footer=("Total", "", *_footer(report)),
    )


def _footer(report: CostReport) -> tuple[str, str, str]:
    """The Total row's price, status and why: the known sum in the narrow price column,
    marked `+?` when prices are unknown (the why column, which says how many, is the first
    a narrow terminal drops), so the total never passes for a complete one."""
    known = [c for c in report.courses if c.price_usd is not None]
    unknown = len(report.courses) - len(known)
    if not known and unknown:
        return "unknown", "", f"{unknown} course{'' if unknown == 1 else 's'} unknown"
    total = price(report.total_usd, estimated=any(c.estimated for c in known))
    return total + ("+?" if unknown else ""), "", f"+ {unknown} unknown" if unknown else ""


def _total(amount: PriceRange, courses: Iterable[CourseCost]) -> str:
    """`amount`, the sum of the known prices of `courses`, with their unknowns and `~`."""
    listed = list(courses)
    known = [c for c in listed if c.price_usd is not None]
    return money_total(
        amount,
        len(listed) - len(known),
        any_known=bool(known),
        estimated=any(c.estimated for c in known),
    )


def aid_lines(report: CostReport) -> list[str]:
    """With --aid: what is due before and after it, then one line per program it was not
    taken off, saying why and where to ask instead (`cost` and `plan` print the same)."""
    if not report.aid_percent:
        return []
    due = [c for c in report.courses if c.status == "due"]
    before, after = _total(report.due_usd, due), _total(report.due_after_aid_usd, due)
    change = f"{before} -> {after}" if after != before else f"still {before}"
    lines = [f"Due with {number(float(report.aid_percent))}% financial aid: {change}"]
    for note in report.aid_notes:
        # Its own courses by count; a course of another program priced by it, by id.
        own = all(c.startswith(note.program + "/") for c in note.courses)
        count = len(note.courses)
        courses = (
            f"its {count} course{'' if count == 1 else 's'}" if own else ", ".join(note.courses)
        )
        if note.income_based:
            ask = f"; ask for your price at {note.ask_at}" if note.ask_at else ""
            lines.append(
                f"{note.program}: no aid taken off {courses}: {note.platform} already "
                f"sets their prices from your income{ask}"
            )
        else:
            lines.append(
                f"{note.program}: no aid taken off {courses}: edX's financial assistance "
                f"is for courses on edX, and {note.program} runs on {note.platform} (ask it "
                "about its own)"
            )
    for terms in report.aid_terms:
        where = f"; see {terms.url}" if terms.url else ""
        lines.append(f"{terms.program}: applying for its aid: {terms.terms}{where}")
    return lines


def cost_summary(report: CostReport) -> list[str]:
    """The totals in words: paid, due (before and after aid), published prices, unknowns."""
    due = [c for c in report.courses if c.status == "due"]
    paid = [c for c in report.courses if c.status == "paid"]
    lines = [
        f"Paid: {_total(report.paid_usd, paid)}",
        f"Due: {_total(report.due_usd, due)}",
    ]
    lines.extend(aid_lines(report))
    lines.append(f"Total: {_total(report.total_usd, report.courses)}")
    if any(c.status == "due" for c in report.courses):
        lines.append(retakes_line(report))
    for program in report.programs:
        published = (
            f"published price {price(program.price_usd)} ({period(program.published_price_as_of)})"
            if program.price_usd is not None
            else "no published program price"
        )
        lines.append(
            f"{program.id}: {published}; its courses add up to "
            f"{_program_total(program)}; "
            f"prices are dated (facts as of {program.prices_as_of.isoformat()})"
        )
        if program.status is ProgramStatus.MOVED:
            lines.append(moved_line(program.id, program.platform, program.status_text))
        elif program.status is ProgramStatus.UNKNOWN:
            lines.append(unknown_status_line(program.id, program.status_text))
    if report.by_month is not None and report.hours_per_week is not None:
        ids = " ".join(p.id for p in report.programs)
        breaks = "".join(f" --break {first}:{last}" for first, last in report.plan_breaks)
        lines.append(
            "By month: the courses start as in "
            f"`mmplan plan {ids} -H {number(report.hours_per_week)} "
            f"--start {report.plan_start}{breaks}`; {payment_rules(report.by_month or ())}."
        )
        passed = [
            f"{payment.course} on {payment.due_on}"
            for month in report.by_month
            for payment in month.payments
            if report.plan_start is not None and payment.due_on < report.plan_start
        ]
        if passed:
            lines.append(
                "Deadline passed for a course under way (counted from the day you began it): "
                f"{', '.join(passed)}; if you have not paid, check whether you still can."
            )
    if report.unknown:
        lines.append("Unknown prices, not counted in any total: " + ", ".join(report.unknown))
    if any(c.estimated for c in report.courses):
        lines.append("~ marks an estimated price.")
    return lines


def _program_total(program: ProgramCost) -> str:
    """What a program's courses add up to, its unknowns and `~` included."""
    unknown = len(program.unknown)
    return money_total(
        program.courses_usd,
        unknown,
        any_known=len(program.courses) > unknown,
        estimated=program.courses_estimated,
    )


def payment_rules(months: Sequence[MonthCost]) -> str:
    """Which rules dated the payments: each payment deadline rule, with the courses it dates
    when several rules apply."""
    rules: dict[str, list[str]] = {}
    for month in months:
        for payment in month.payments:
            rules.setdefault(payment.rule, []).append(payment.course.partition("/")[2])
    if not rules:
        return "each certificate is due when its course starts"
    if len(rules) == 1:
        return f"a certificate is due {next(iter(rules))}"
    return "a certificate is due " + "; ".join(
        f"{rule} for {', '.join(codes)}" for rule, codes in rules.items()
    )


def retakes_line(report: CostReport) -> str:
    """What failing each due course once would add."""
    due = [c for c in report.courses if c.status == "due"]
    known = [c for c in due if c.retake_usd is not None]
    if not known:
        return "Retakes: what a failed attempt costs is not known for these courses"
    total = money_total(
        report.retakes_usd, 0, any_known=True, estimated=any(c.estimated for c in known)
    )
    text = f"Retakes: failing each course once would add {total}"
    if report.retakes_unknown:
        codes = ", ".join(i.partition("/")[2] for i in report.retakes_unknown)
        text += f" (not known for {codes})"
    return text


def month_table(report: CostReport, *, codes: bool = False) -> TableView:
    """Money due month by month, from the plan; empty when there is no plan.

    `codes` names a single program's courses by code, as `cost_table` does."""
    own = f"{report.programs[0].id}/" if codes and len(report.programs) == 1 else ""
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
            *(
                money_total(
                    amount,
                    len(month.unknown),
                    any_known=len(month.courses) > len(month.unknown),
                    estimated=month.estimated,
                )
                for amount in (month.due_usd, *((month.due_after_aid_usd,) if aid else ()))
            ),
            ", ".join(course.removeprefix(own) if own else course for course in month.courses),
        )
        for month in months
    )
    pace = number(report.hours_per_week) if report.hours_per_week is not None else "?"
    return TableView(
        title=f"Due by month at {pace} h/week",
        columns=columns,
        rows=rows,
    )


def cost_view(report: CostReport, width: int) -> list[RenderableType]:
    """The Rich tables (for a terminal `width` wide) and the summary lines."""
    from rich.console import Group
    from rich.text import Text

    out: list[RenderableType] = [FittedTable(cost_table(report, codes=True), drop_narrow=("Why",))]
    if report.by_month is not None:
        months = month_table(report, codes=True)  # course ids are typed back: never cut
        out.append(whole_word_table(months, width) or stacked(months, width))
    for line in cost_summary(report):
        before, _, url = line.rpartition(" ")
        if url.startswith(("https://", "http://")) and len(line) > width:
            # A page address is never cut: it goes on a line of its own (in a Group, as
            # Console.print joins bare Texts and loses their no_wrap).
            out.extend((Text(before), Group(url_text(url, 2, width))))
        else:
            out.append(Text(line))
    return out


def cost_markdown_summary(report: CostReport) -> str:
    """The summary as a Markdown list, to follow the Markdown table."""
    return "\n".join(f"- {markdown_text(line)}" for line in cost_summary(report)) + "\n"


def aid_json(report: CostReport) -> dict[str, object]:
    """The aid fields of `cost --format json`, with each due course's price after aid."""
    fields = {
        "aid_percent",
        "due_usd",
        "due_after_aid_usd",
        "aid_not_applied",
        "aid_notes",
        "aid_terms",
    }
    document = report.model_dump(mode="json", include=fields)
    courses = report.model_dump(mode="json", include={"courses"})["courses"]
    document["courses_after_aid_usd"] = {
        c["id"]: c["due_after_aid_usd"] for c in courses if c["status"] == "due"
    }
    return document
