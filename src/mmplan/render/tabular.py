"""One format-neutral table, rendered to a Rich table, CSV or Markdown alike."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from rich.console import Console, ConsoleOptions, RenderableType
    from rich.table import Table

SEPARATOR = " · "  # between the `Header: value` pairs of a stacked row
MIN_TITLE_WIDTH = 20  # a stacked row's title wraps beside its id only in at least this width


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
    """RFC 4180 CSV with a header row (footers are left out: they are not data); every
    cell safe to open in a spreadsheet (`csv_cell`)."""
    import csv  # here, not at the top: a table on the terminal does without it
    import io

    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(csv_cell(c.header) for c in view.columns)
    numeric = [c.justify == "right" for c in view.columns]
    writer.writerows(
        [csv_cell(cell, number) for cell, number in zip(row, numeric, strict=True)]
        for row in view.rows
    )
    return out.getvalue()


# A cell a spreadsheet would run as a formula starts with one of these (OWASP, "CSV
# Injection"); a quote before it makes the cell text. A number stays a number.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"-?[0-9][0-9,]*(?:\.[0-9]+)?")


def csv_cell(text: str, numeric: bool = False) -> str:
    """`text` as a CSV cell no spreadsheet runs: `'=HYPERLINK(...)`, but `-12.5` as is in a
    numeric column."""
    if not text.startswith(_FORMULA_STARTS):
        return text
    if numeric and _PLAIN_NUMBER.fullmatch(text):
        return text
    return "'" + text


def markdown_text(text: str) -> str:
    """`text` as Markdown shows it, in a table cell or a list item: `&`, `<` and `>` as
    entities (no raw HTML), `|` escaped (no extra cell), line breaks as spaces."""
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    text = text.replace("|", "\\|")
    return " ".join(text.splitlines())


def to_markdown(view: TableView) -> str:
    """A GitHub-flavoured Markdown table, with the footer as a last bold row; cells escaped
    (`markdown_text`)."""

    def line(cells: tuple[str, ...]) -> str:
        return "| " + " | ".join(cells) + " |"

    def row(cells: tuple[str, ...]) -> str:
        return line(tuple(markdown_text(c) for c in cells))

    rule = tuple("---:" if c.justify == "right" else "---" for c in view.columns)
    lines = [row(tuple(c.header for c in view.columns)), "|" + "|".join(rule) + "|"]
    lines.extend(row(cells) for cells in view.rows)
    if view.footer:
        bold = (f"**{markdown_text(cell)}**" if cell else "" for cell in view.footer)
        lines.append(line(tuple(bold)))
    return "\n".join(lines) + "\n"


NARROW = 100  # below this many columns a fitted table drops its rules and shortens names


def column_notes(view: TableView, header: str) -> tuple[str, ...]:
    """A column said under the table instead of in it: one line per value, the rows that
    have it (by their first cell) and the value in brackets, in the order values appear;
    `all (VALUE)` when every row has the same."""
    index = next(i for i, column in enumerate(view.columns) if column.header == header)
    rows_with: dict[str, list[str]] = {}
    for row in view.rows:
        if row[index]:
            rows_with.setdefault(row[index], []).append(row[0])
    if len(rows_with) == 1 and all(row[index] for row in view.rows):
        return tuple(f"all ({value})" for value in rows_with)  # the same for every row
    return tuple(f"{', '.join(names)} ({value})" for value, names in rows_with.items())


class FittedTable:
    """A table that keeps every column but the name one whole: at wide widths a boxed table
    where names wrap; narrower, no vertical rules, and the name column (`shorten`) takes
    the room left, shortened with "…" but never dropped (a code such as `ux-3` means
    nothing alone). `drop_narrow` names columns left out of the table below `NARROW`
    columns: each is said under it instead (`column_notes`), so nothing is lost."""

    def __init__(
        self, view: TableView, *, shorten: str = "Title", drop_narrow: tuple[str, ...] = ()
    ) -> None:
        self.view = view
        self.shorten = shorten
        self.drop_narrow = drop_narrow

    def __rich_console__(
        self, console: Console, options: ConsoleOptions
    ) -> Iterator[RenderableType]:
        from rich import box

        width = options.max_width
        if width >= NARROW:
            table = to_rich(self.view)
            for column in table.columns:
                column.no_wrap = column.no_wrap or str(column.header) != self.shorten
            yield table
            return
        keep = [c.header not in self.drop_narrow for c in self.view.columns]
        view = replace(
            self.view,
            columns=tuple(c for c, k in zip(self.view.columns, keep, strict=True) if k),
            rows=tuple(
                tuple(cell for cell, k in zip(row, keep, strict=True) if k)
                for row in self.view.rows
            ),
            footer=tuple(cell for cell, k in zip(self.view.footer, keep, strict=False) if k),
        )
        table = to_rich(view)
        table.box = box.SIMPLE
        table.show_edge = False
        table.padding = (0, 0)
        others = 0
        for index, spec in enumerate(view.columns):
            if spec.header == self.shorten:
                continue
            cells = [row[index] for row in view.rows]
            if index < len(view.footer):
                cells.append(view.footer[index])
            others += max(len(spec.header), *(len(cell) for cell in cells))
        for rich_column in table.columns:
            rich_column.no_wrap = True
            if str(rich_column.header) == self.shorten:
                rich_column.overflow = "ellipsis"
                rich_column.max_width = max(width - others - (len(view.columns) - 1), 8)
        yield table
        yield from self._notes()

    def _notes(self) -> Iterator[RenderableType]:
        """The dropped columns under the table, each value wrapped beside its header."""
        from rich.table import Table
        from rich.text import Text

        for header in self.drop_narrow:
            notes = column_notes(self.view, header)
            if not notes:
                continue
            grid = Table.grid(padding=(0, 1))
            grid.add_column(no_wrap=True)
            grid.add_column()
            for number, note in enumerate(notes):
                grid.add_row(Text(f"{header}:" if number == 0 else ""), Text(note))
            yield grid


def whole_word_table(view: TableView, width: int, min_widths: tuple[int, ...] = ()) -> Table | None:
    """A Rich table of the view in `width` whose every column is at least as wide as its
    longest word (a `no_wrap` column: its longest cell) and its `min_widths`, so that cells
    wrap between words and none is cut to `…` (Rich alone narrows the widest columns first,
    below their longest word); None when `width` is too narrow for that."""
    least: list[int] = []
    natural: list[int] = []
    for index, column in enumerate(view.columns):
        cells = [column.header, *(row[index] for row in view.rows)]
        pieces = cells if column.no_wrap else [word for cell in cells for word in cell.split()]
        floor = max(min_widths[index] if index < len(min_widths) else 0, *map(len, pieces))
        least.append(floor)
        natural.append(max(floor, *map(len, cells)))
    room = width - (3 * len(view.columns) + 1)  # a rule and a space each side of each cell
    if sum(least) > room:
        return None
    table = to_rich(view)
    for rich_column, fewest in zip(table.columns, min_widths, strict=False):
        rich_column.min_width = fewest or None
    # Rich narrows the widest columns that wrap first, whatever their words: when that cuts
    # none (allowing for how it rounds), its own layout stays.
    kept = [
        most if column.no_wrap else 0 for most, column in zip(natural, view.columns, strict=True)
    ]
    rich = _capped(_cap(room, kept, natural) - 1, kept, natural)
    if all(given >= fewest for given, fewest in zip(rich, least, strict=True)):
        return table
    cap = _cap(room, least, natural)
    widths = _capped(cap, least, natural)
    narrowed = [i for i, given in enumerate(widths) if given == cap < natural[i]]
    for i in narrowed[: room - sum(widths)]:  # the columns at the cap share what is left
        widths[i] += 1
    for rich_column, column_width in zip(table.columns, widths, strict=True):
        rich_column.width = column_width
    return table


def _capped(cap: int, least: list[int], natural: list[int]) -> list[int]:
    return [min(max(cap, fewest), most) for fewest, most in zip(least, natural, strict=True)]


def _cap(room: int, least: list[int], natural: list[int]) -> int:
    """The largest width every column is cut to (never below `least`) that fits in `room`."""
    cap = max(natural)
    while cap > 0 and sum(_capped(cap, least, natural)) > room:
        cap -= 1
    return cap


def stacked(view: TableView, width: int) -> RenderableType:
    """The table as one block per row, for a terminal too narrow for its columns: the first
    two cells as a heading, the others as `Header: value` pairs packed into lines."""
    from rich.console import Group
    from rich.padding import Padding
    from rich.text import Text

    blocks: list[RenderableType] = [Text(view.title, style="bold")]
    for row in view.rows:
        pairs = [
            f"{c.header}: {cell}" for c, cell in zip(view.columns[2:], row[2:], strict=True) if cell
        ]
        blocks.append(_stacked_heading(row[0], row[1] if len(row) > 1 else "", width))
        blocks.append(Padding(Text(_pack(pairs, width - 2)), (0, 0, 0, 2)))
    if view.caption:
        blocks.append(Text(view.caption, style="dim"))
    return Group(*blocks)


def _stacked_heading(code: str, title: str, width: int) -> RenderableType:
    """A stacked row's heading: the id in bold, the title beside it; a long title wraps under
    its own first word, so a wrapped line never reads as the next row's id (unless the id
    leaves too little room beside it: then the title flows on)."""
    from rich.table import Table
    from rich.text import Text

    heading = Text(code, style="bold")
    longest = max((len(word) for word in title.split()), default=0)
    if not title or width - len(code) - 2 < max(longest, MIN_TITLE_WIDTH):
        return heading.append("  " + title, style="") if title else heading
    grid = Table.grid(padding=(0, 0, 0, 2))
    grid.add_column(no_wrap=True)
    grid.add_column(overflow="fold")
    grid.add_row(heading, Text(title))
    return grid


def _pack(items: list[str], width: int) -> str:
    """Join items with ` · `, breaking lines between items, never inside one that fits."""
    lines: list[str] = []
    for item in items:
        if lines and len(lines[-1]) + len(SEPARATOR) + len(item) <= width:
            lines[-1] += SEPARATOR + item
        else:
            lines.append(item)
    return "\n".join(lines)
