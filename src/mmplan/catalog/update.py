"""Running `mmplan catalog refresh`, `diff` and `status`: the steps, in order.

A refresh reads the API (or a saved dump), maps it onto the curated catalog
(`mmplan.catalog.refresh`), checks the overlay by reading it back and applying it exactly
as every command will, compares the result with today's catalog, and only then writes it
(`overlay.write_overlay`: atomically, the previous overlay kept). Any failure before the
write leaves the overlay as it was.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

from mmplan.catalog.changes import CatalogChange, DataAge, catalog_changes, data_ages
from mmplan.catalog.fetch import DEFAULT_POLICY, HttpPolicy, checked_base_url, fetch_api, read_dump
from mmplan.catalog.load import CatalogSources, load_active_catalog
from mmplan.catalog.model import Catalog, LoadedCatalog, Refreshed, validate_program
from mmplan.catalog.overlay import (
    Overlay,
    apply_overlay,
    overlay_path,
    parse_overlay,
    previous_overlay_path,
    read_overlay_bytes,
    write_overlay,
)
from mmplan.catalog.refresh import DEFAULT_BASE_URL, PLATFORM, ApiData, Mapped, build_overlay
from mmplan.core.errors import CatalogError, RefreshError


@dataclass(frozen=True)
class RefreshReport:
    """What a refresh found and did."""

    changes: tuple[CatalogChange, ...]
    notes: tuple[str, ...]
    programs: int  # programs refreshed (matched or new)
    courses: int  # course patches
    retrieved: date
    written: Path | None  # None on a dry run
    previous: Path | None  # the overlay kept as the previous one, if there was one


def refresh_overlay(
    sources: CatalogSources,
    directory: Path,
    *,
    today: date,
    base_url: str = DEFAULT_BASE_URL,
    from_file: Path | None = None,
    dry_run: bool = False,
    policy: HttpPolicy = DEFAULT_POLICY,
) -> RefreshReport:
    """Fetch (or read), map, check, compare and (unless a dry run) write the overlay."""
    base_url = checked_base_url(base_url)
    curated = load_active_catalog(replace(sources, overlay=None))
    current, notes = _current(sources, curated)
    retrieved = today
    if from_file is None:
        api = fetch_api(base_url, policy)
    else:
        api, dated, _ = read_dump(from_file)
        retrieved = dated or _modified(from_file)
    if not api.programs and not api.courses:
        where = base_url if from_file is None else str(from_file)
        raise RefreshError(f"{where}: {PLATFORM} listed no program and no course; refused")
    mapped = _checked(build_overlay(api, curated.catalog, base_url=base_url, retrieved=retrieved))
    data = (json.dumps(mapped.document, indent=1, ensure_ascii=False) + "\n").encode()
    try:
        overlay = parse_overlay(data, "the new overlay")
    except CatalogError as error:  # a mapping this mmplan cannot write: a bug, said plainly
        raise RefreshError(f"the fetched data does not make a valid overlay: {error}") from None
    catalog, refreshed = apply_overlay(curated.catalog, overlay)
    expected = _expected(curated.catalog, current)
    changes = catalog_changes(current.catalog, catalog, expected, listed(overlay, refreshed))
    written = previous = None
    if not dry_run:
        previous = previous_overlay_path(directory) if overlay_path(directory).exists() else None
        try:
            written = write_overlay(directory, data)
        except OSError as error:
            raise RefreshError(
                f"cannot write the overlay in {directory}: {error.strerror}"
            ) from None
    return RefreshReport(
        changes=changes,
        notes=(*notes, *mapped.notes),
        programs=len(refreshed),
        courses=len(overlay.courses),
        retrieved=retrieved,
        written=written,
        previous=previous,
    )


def _current(sources: CatalogSources, curated: LoadedCatalog) -> tuple[LoadedCatalog, list[str]]:
    """Today's catalog with its overlay; without it (and a note) when it cannot be read."""
    try:
        return load_active_catalog(sources), []
    except CatalogError as error:
        return curated, [f"the current overlay cannot be read and will be replaced ({error})"]


def _modified(path: Path) -> date:
    return date.fromtimestamp(path.stat().st_mtime)


def _checked(mapped: Mapped) -> Mapped:
    """The mapping without new programs the catalog's schema refuses, each with a note."""
    from pydantic import ValidationError

    from mmplan.catalog.checks import check_file

    kept = []
    notes = list(mapped.notes)
    for entry in mapped.document["programs"]:
        if "new" in entry:
            try:
                problems = check_file([validate_program(entry["new"])])
            except ValidationError as error:
                first = error.errors(include_url=False)[0]
                where = ".".join(str(part) for part in first["loc"])
                notes.append(f"{entry['key']}: new program left out: {where}: {first['msg']}")
                continue
            if problems:
                notes.append(f"{entry['key']}: new program left out: {problems[0].message}")
                continue
        kept.append(entry)
    return Mapped({**mapped.document, "programs": kept}, tuple(notes))


def _expected(curated: Catalog, current: LoadedCatalog) -> list[str]:
    """Programs a refresh should find: those on the platform, and those refreshed before."""
    ids = [p.id for p in curated.programs if p.platform == PLATFORM]
    ids += [r.program_id for r in current.refreshed if not r.new]
    return list(dict.fromkeys(ids))


def overlay_changes(sources: CatalogSources) -> tuple[CatalogChange, ...]:
    """What the current overlay changes in the catalog (`mmplan catalog diff`)."""
    curated = load_active_catalog(replace(sources, overlay=None))
    current = load_active_catalog(sources)
    expected = [p.id for p in curated.catalog.programs if p.platform == PLATFORM]
    data = None if sources.overlay is None else read_overlay_bytes(sources.overlay)
    if data is None:
        return catalog_changes(curated.catalog, current.catalog, [], set())
    overlay = parse_overlay(data, str(sources.overlay))
    refreshed = listed(overlay, current.refreshed)
    return catalog_changes(curated.catalog, current.catalog, expected, refreshed)


def listed(overlay: Overlay, refreshed: Sequence[Refreshed]) -> set[str]:
    """The programs the API listed, or gave facts of: those a refresh did not miss."""
    unlisted = {p.id for p in overlay.programs if p.matched_by == "not listed"}
    return {r.program_id for r in refreshed} - unlisted


@dataclass(frozen=True)
class CatalogStatus:
    """`mmplan catalog status`: each program's data source and age, and the overlay's file."""

    ages: tuple[DataAge, ...]
    overlay: Path | None  # the overlay file in use, if any
    previous: Path | None  # the overlay kept from before, if any


def catalog_status(sources: CatalogSources, today: date) -> CatalogStatus:
    loaded = load_active_catalog(sources)
    path = sources.overlay
    in_use = path if path is not None and read_overlay_bytes(path) is not None else None
    previous = None
    if path is not None and previous_overlay_path(path.parent).exists():
        previous = previous_overlay_path(path.parent)
    return CatalogStatus(data_ages(loaded.catalog, loaded.refreshed, today), in_use, previous)


__all__ = ["ApiData", "CatalogStatus", "RefreshReport", "catalog_status", "overlay_changes"]
