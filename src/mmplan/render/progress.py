"""Rendering `progress show` (a table of records and a line about the learner's pace), and
the line each change to the progress prints."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from mmplan.render.formatting import day, figure, number
from mmplan.render.tabular import Column, TableView, to_rich

if TYPE_CHECKING:
    from rich.console import Console, ConsoleOptions, RenderableType

    from mmplan.progress.model import Pace, ProgressChange, ProgressReport


def hours_cell(spent: float | None, published: float | None) -> str:
    """`150 (published 130)`: what the course took beside what its page says."""
    shown = f"published {figure(published)}" if published is not None else ""
    if spent is None:
        return shown
    return f"{number(spent)} ({shown})" if shown else number(spent)


def progress_table(report: ProgressReport, path: str) -> TableView:
    """One row per record: completed courses first, then those in progress."""
    rows: list[tuple[str, ...]] = []
    for done in report.completed:
        status = "verified" if done.counts else "audit (not counted)"
        rows.append(
            (
                done.id,
                done.title or "(not in the catalog)",
                status,
                day(done.completed_on),
                f"{done.grade:.0%}" if done.grade is not None else "",
                hours_cell(done.hours_spent, done.published_hours),
            )
        )
    for taking in report.in_progress:
        rows.append(
            (
                taking.id,
                taking.title or "(not in the catalog)",
                f"started, {number(taking.percent_done)}% done",
                day(taking.started_on),
                "",
                hours_cell(None, taking.published_hours),
            )
        )
    title = f"Progress in {report.program}" if report.program else "Progress"
    return TableView(
        title=title,
        columns=(
            Column("Course", no_wrap=True),
            Column("Title"),
            Column("Status"),
            Column("Date", no_wrap=True),
            Column("Grade", "right"),
            Column("Hours"),
        ),
        rows=tuple(rows),
        caption=path,
    )


_TABLE_WIDTH = 100  # narrower, the six columns would cut states, dates or hours


class ProgressRecords:
    """The records as a table where it fits, else one block per record: the course and its
    title on one line, then its status, date, grade and hours, never cut."""

    def __init__(self, report: ProgressReport, path: str) -> None:
        self.report = report
        self.view = progress_table(report, path)

    def __rich_console__(
        self, console: Console, options: ConsoleOptions
    ) -> Iterator[RenderableType]:
        from rich.text import Text

        if options.max_width >= _TABLE_WIDTH:
            yield to_rich(self.view)
            return
        yield Text(self.view.title, style="bold")
        hours = [
            *(_hours_words(d.hours_spent, d.published_hours) for d in self.report.completed),
            *(_hours_words(None, t.published_hours) for t in self.report.in_progress),
        ]
        for (course, title, status, when, grade, _), spent in zip(
            self.view.rows, hours, strict=True
        ):
            yield Text(f"{course}  {title}")
            facts = [status, when, f"grade {grade}" if grade else "", spent]
            yield Text("  " + ", ".join(fact for fact in facts if fact))
        yield Text(f"Kept in {self.view.caption}")


def _hours_words(spent: float | None, published: float | None) -> str:
    """`150 h (published 130 h)`, `published 130 h`, or nothing."""
    shown = f"published {figure(published)} h" if published is not None else ""
    if spent is None:
        return shown
    return f"{number(spent)} h ({shown})" if shown else f"{number(spent)} h"


def pace_sentence(pace: Pace | None) -> str:
    """How the learner's real hours compare with the published effort."""
    if pace is None:
        return (
            "Pace: no hours recorded yet; `mmplan progress add ... --hours-spent H` lets "
            "`plan` fit your own pace."
        )
    courses = "course" if pace.courses == 1 else "courses"
    return (
        f"Pace: you took {number(pace.ratio)} x the published mid effort "
        f"({number(pace.hours_spent)} h for {number(pace.published_hours)} h published, "
        f"{pace.courses} {courses}); `plan` scales remaining workloads by it."
    )


def progress_view(report: ProgressReport, path: str) -> list[RenderableType]:
    """The table, the pace line, and a note on records the catalog no longer has."""
    from rich.text import Text

    if not report.completed and not report.in_progress:
        where = f" in {report.program}" if report.program else ""
        return [
            Text(f"No progress recorded{where} ({path})."),
            Text("Record a course: mmplan progress add PROGRAM CODE --date YYYY-MM-DD"),
        ]
    out: list[RenderableType] = [
        ProgressRecords(report, path),
        Text(pace_sentence(report.pace)),
    ]
    if report.not_in_catalog:
        out.append(
            Text(
                "Not in the active catalog (kept, but not counted): "
                + ", ".join(report.not_in_catalog)
            )
        )
    return out


def change_line(change: ProgressChange, where: str, head: str = "Progress") -> str:
    """What a progress command changed, and in which file: `Progress: added ... (PATH)`."""
    parts = [
        f"{label} {', '.join(ids)}"
        for label, ids in (
            ("added", change.added),
            ("updated", change.updated),
            ("removed", change.removed),
            ("already recorded", change.unchanged),
        )
        if ids
    ]
    summary = "; ".join(parts) if parts else "nothing to change"
    return f"{head}: {summary} ({where})"
