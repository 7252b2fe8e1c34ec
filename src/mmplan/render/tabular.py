"""One format-neutral table, rendered to a Rich table, CSV or Markdown alike."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from rich.table import Table


@dataclass(frozen=True)
class Column:
    """A column's header and alignment."""

    header: str
    justify: Literal["left", "right"] = "left"
    no_wrap: bool = False  # keep ids whole in narrow terminals; other columns wrap instead


@dataclass(frozen=True)
class TableView:
    """A titled grid of already-formatted cells."""

    title: str
    columns: tuple[Column, ...]
    rows: tuple[tuple[str, ...], ...]
    caption: str | None = None
    footer: tuple[str, ...] = field(default=())


def to_rich(view: TableView) -> Table:
    """A Rich table; cells go in as plain Text, never as markup."""
    from rich.table import Table
    from rich.text import Text

    table = Table(title=view.title, caption=view.caption, show_footer=bool(view.footer))
    for index, column in enumerate(view.columns):
        footer = view.footer[index] if index < len(view.footer) else ""
        table.add_column(
            Text(column.header), justify=column.justify, footer=Text(footer), no_wrap=column.no_wrap
        )
    for row in view.rows:
        table.add_row(*(Text(cell) for cell in row))
    return table


def to_csv(view: TableView) -> str:
    """RFC 4180 CSV with a header row (footers are left out: they are not data)."""
    import csv  # here, not at the top: a table on the terminal does without it
    import io

    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(c.header for c in view.columns)
    writer.writerows(view.rows)
    return out.getvalue()


def to_markdown(view: TableView) -> str:
    """A GitHub-flavoured Markdown table, with the footer as a last bold row."""

    def line(cells: tuple[str, ...]) -> str:
        return "| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |"

    rule = tuple("---:" if c.justify == "right" else "---" for c in view.columns)
    lines = [line(tuple(c.header for c in view.columns)), "|" + "|".join(rule) + "|"]
    lines.extend(line(row) for row in view.rows)
    if view.footer:
        lines.append(line(tuple(f"**{cell}**" if cell else "" for cell in view.footer)))
    return "\n".join(lines) + "\n"
