"""Rendering `mmplan catalog refresh`, `diff` and `status`: lines, a table, or JSON."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import TYPE_CHECKING

from mmplan.core.errors import escaped
from mmplan.render.tabular import Column, TableView

if TYPE_CHECKING:
    from rich.text import Text

    from mmplan.catalog.changes import CatalogChange
    from mmplan.catalog.model import Refreshed
    from mmplan.catalog.update import CatalogStatus, RefreshReport


def change_lines(changes: Sequence[CatalogChange]) -> str:
    """One line per change, escaped (the API's text may hold control characters)."""
    if not changes:
        return "no changes\n"
    return "".join(escaped(str(change)) + "\n" for change in changes)


def change_renderables(changes: Sequence[CatalogChange]) -> list[Text]:
    """The change lines for the terminal, wrapped to its width by Rich."""
    from rich.text import Text

    return [Text(change_lines(changes).removesuffix("\n"))]


def changes_json(changes: Sequence[CatalogChange]) -> str:
    return json.dumps([vars(change) for change in changes], indent=2)


def refresh_summary(report: RefreshReport) -> str:
    """What a refresh did, in one line."""
    what = (
        f"{report.programs} program{'s' if report.programs != 1 else ''} and "
        f"{report.courses} course{'s' if report.courses != 1 else ''} from MITx Online, "
        f"retrieved {report.retrieved.isoformat()}"
    )
    if report.written is None:
        return f"Dry run: {what}; nothing written"
    kept = f"; the previous overlay kept as {report.previous}" if report.previous else ""
    return f"Wrote {report.written}: {what}{kept}"


def refresh_json(report: RefreshReport) -> str:
    return json.dumps(
        {
            "retrieved": report.retrieved.isoformat(),
            "programs": report.programs,
            "courses": report.courses,
            "written": None if report.written is None else str(report.written),
            "previous": None if report.previous is None else str(report.previous),
            "changes": [vars(change) for change in report.changes],
            "notes": list(report.notes),
        },
        indent=2,
    )


def catalog_status_view(status: CatalogStatus) -> TableView:
    """Each program's data source and age."""
    overlay = f"Overlay: {status.overlay}" if status.overlay else "No overlay in use"
    if status.previous:
        overlay += f"; previous: {status.previous}"
    return TableView(
        title="Catalog data",
        columns=(
            Column("Program", no_wrap=True),
            Column("Source"),
            Column("As of"),
            Column("Age", justify="right"),
        ),
        rows=tuple(
            (a.program, a.source, a.as_of, "" if a.age_days is None else f"{a.age_days} days")
            for a in status.ages
        ),
        caption=overlay + ". mmplan catalog refresh fetches runs and prices.",
    )


def catalog_status_json(status: CatalogStatus) -> str:
    return json.dumps(
        {
            "overlay": None if status.overlay is None else str(status.overlay),
            "previous": None if status.previous is None else str(status.previous),
            "programs": [vars(age) for age in status.ages],
        },
        indent=2,
    )


def data_source_line(refreshed: Sequence[Refreshed], program_ids: Sequence[str]) -> str | None:
    """`Data: runs and prices from MITx Online, retrieved 2026-12-07 (mitx-dedp)`, or None
    when none of these programs has facts from the overlay."""
    wanted = set(program_ids)
    groups: dict[str, list[str]] = {}
    for fresh in refreshed:
        if fresh.program_id in wanted:
            groups.setdefault(fresh.text, []).append(fresh.program_id)
    if not groups:
        return None
    parts = [f"{text} ({', '.join(ids)})" for text, ids in groups.items()]
    return "Data: " + "; ".join(parts) + "; --no-overlay leaves them out"


def data_sources(
    refreshed: Sequence[Refreshed], program_ids: Sequence[str]
) -> list[dict[str, str]]:
    """What the `Data:` line says, as JSON: per program of these with overlay facts, the
    platform, the address its facts were read from and the day."""
    wanted = set(program_ids)
    return [
        {
            "program": fresh.program_id,
            "what": "program" if fresh.new else "runs and prices" if fresh.listed else "status",
            "platform": fresh.platform,
            "source": fresh.source,
            "retrieved": fresh.retrieved.isoformat(),
        }
        for fresh in refreshed
        if fresh.program_id in wanted
    ]


def with_data_sources(
    document: str, refreshed: Sequence[Refreshed], program_ids: Sequence[str]
) -> str:
    """A JSON object with `data_sources` added last when the overlay gave facts of these
    programs; the document as it was when it gave none."""
    sources = data_sources(refreshed, program_ids)
    if not sources:
        return document
    parsed = json.loads(document)
    parsed["data_sources"] = sources
    return json.dumps(parsed, indent=2, ensure_ascii=False) + "\n"
