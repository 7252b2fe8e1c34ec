"""Keeping the catalog current, as the `mmplan catalog` commands ask: refresh the overlay
from MITx Online, say what it changes, and how old each program's data is."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from mmplan.catalog.changes import CatalogChange
    from mmplan.catalog.load import CatalogSources
    from mmplan.catalog.update import CatalogStatus, RefreshReport


def refresh(
    sources: CatalogSources,
    *,
    today: date,
    base_url: str,
    from_file: Path | None = None,
    dry_run: bool = False,
    timeout: float = 20.0,
) -> RefreshReport:
    """Fetch (or read `from_file`) programs, runs and prices into the overlay in the data
    directory (`MMPLAN_HOME`); a dry run writes nothing. A failure changes nothing."""
    from mmplan.catalog.fetch import HttpPolicy
    from mmplan.catalog.update import refresh_overlay
    from mmplan.core.errors import RefreshError
    from mmplan.core.files import data_directory

    try:
        return refresh_overlay(
            sources,
            data_directory(),
            today=today,
            base_url=base_url,
            from_file=from_file,
            dry_run=dry_run,
            policy=HttpPolicy(timeout=timeout),
        )
    except RefreshError as error:
        raise RefreshError(f"catalog refresh: {error}; the overlay was not changed") from None


def changes(sources: CatalogSources) -> tuple[CatalogChange, ...]:
    """What the overlay changes in the catalog (`mmplan catalog diff`)."""
    from mmplan.catalog.update import overlay_changes

    return overlay_changes(sources)


def status(sources: CatalogSources, today: date) -> CatalogStatus:
    """Each program's data source and age, and the overlay in use."""
    from mmplan.catalog.update import catalog_status

    return catalog_status(sources, today)
