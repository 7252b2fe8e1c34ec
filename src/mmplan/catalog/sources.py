"""Which catalog files are active, and where they are: light enough for every command.

Only the standard library: a command that replays a kept answer (`mmplan.catalog.answers`)
names its catalog files, and digests them, without loading the catalog code (`load`,
`model`, `overlay`).
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

CATALOG_ENV = "MMPLAN_CATALOG"
OVERLAY_FILE_NAME = "catalog-overlay.json"


@dataclass(frozen=True)
class CatalogSources:
    """Which catalog files are active: the bundled one (unless dropped) then extras, in order;
    and the catalog overlay applied over them all (`mmplan.catalog.overlay`), if any."""

    extra: tuple[Path, ...] = ()
    include_bundled: bool = True
    overlay: Path | None = None  # applied when the file exists

    @classmethod
    def from_environment(
        cls, extra: tuple[Path, ...], include_bundled: bool, include_overlay: bool = True
    ) -> CatalogSources:
        """Extras from `MMPLAN_CATALOG` (os.pathsep-separated) come before the command line's;
        the overlay is the one in the user's data directory (`MMPLAN_HOME`)."""
        from mmplan.core.files import data_directory

        from_env = tuple(Path(p) for p in os.environ.get(CATALOG_ENV, "").split(os.pathsep) if p)
        overlay = overlay_path(data_directory()) if include_overlay else None
        return cls(extra=from_env + extra, include_bundled=include_bundled, overlay=overlay)

    @property
    def paths(self) -> tuple[Path, ...]:
        return ((bundled_catalog_path(),) if self.include_bundled else ()) + self.extra


def bundled_catalog_path() -> Path:
    """The bundled programs.yaml: inside the installed package, or at the repo's top.

    Found beside this module, not through `importlib.resources` (1-2 ms of imports, zipfile
    among them, for a package that is always installed as files).
    """
    package = Path(__file__).parent.parent  # mmplan/
    packaged = package / "data" / "programs.yaml"
    if packaged.is_file():
        return packaged
    return package.resolve().parents[1] / "data" / "programs.yaml"


def overlay_path(directory: Path) -> Path:
    """The overlay `mmplan catalog refresh` writes in a data directory."""
    return directory / OVERLAY_FILE_NAME


def catalog_digest(files: Sequence[tuple[str, bytes]], overlay: tuple[str, bytes] | None) -> str:
    """The SHA-256 of an active catalog as read: each file's name and bytes, in layer order,
    then the overlay's (None: no overlay applied). Every part is length-prefixed, so no two
    different catalogs give the same bytes to hash."""
    import hashlib  # OpenSSL: only once a catalog is read

    digest = hashlib.sha256(b"mmplan-catalog-digest")
    layers = [(b"file", name, data) for name, data in files]
    if overlay is not None:
        layers.append((b"overlay", *overlay))
    for kind, name, data in layers:
        for part in (kind, name.encode("utf-8", "surrogateescape"), hashlib.sha256(data).digest()):
            digest.update(len(part).to_bytes(8, "big") + part)
    return digest.hexdigest()
