"""A cache of validated catalogs, so an unchanged catalog file loads without YAML or validation.

One entry per catalog content lives in `platformdirs.user_cache_dir("mmplan")/catalogs/`,
named by its key: the SHA-256 of the file's bytes plus everything that shapes the result
(mmplan and schema versions, the cache format, the Python version, and a
fingerprint of the modules that define and validate a catalog, so a development checkout
never trusts an entry written by older code).

An entry is a small header (magic, key, payload length and SHA-256) followed by a pickle of
the frozen catalog dataclasses: a `LoadedCatalog`, the catalog with what loading the file
noted (the courses a version-1 file leaves without pacing), from which the loader words the
file's warnings again under the name it is read by. Pickle is the fastest way back to them
(measured in benchmarks/README.md): it restores each instance's `__dict__` in C, and needs neither
pydantic nor YAML. It is only ever read from the user's own cache directory, checked
against its checksum first, and unpickled with a loader that resolves nothing but mmplan's
catalog classes and enums, `Decimal` and `date`. Anything wrong with an entry (stale,
truncated, corrupted, unreadable) means a miss: the caller parses the file again and the
entry is rewritten. Writes go to a temporary file that replaces the entry atomically, and a cache
that cannot be written (read-only, full disk) is silently skipped: the cache never fails a
command. `MMPLAN_NO_CACHE=1` turns it off.
"""

from __future__ import annotations

import contextlib
import copyreg
import functools
import hashlib
import io
import pickle
import sys
from dataclasses import fields, is_dataclass, replace
from enum import Enum
from pathlib import Path
from typing import Any

import mmplan.catalog.model as models
from mmplan.catalog.model import SCHEMA_VERSION, LoadedCatalog
from mmplan.core.cache_entries import mark_used, read_entry, write_entry
from mmplan.core.files import NO_CACHE_ENV as NO_CACHE_ENV
from mmplan.core.files import cache_enabled as cache_enabled
from mmplan.core.files import cache_home, gc_paused
from mmplan.version import __version__

CACHE_FORMAT = 3  # bump when the entry layout or the pickled state changes
MAGIC = b"mmplan-catalog-cache"
MAX_ENTRIES = 32  # older entries are removed when a new one is written
# The packages whose code decides what a file parses to (or whether it is valid at all):
# every module in them is fingerprinted, so a new one can never be missed.
_FINGERPRINTED_PACKAGES = ("catalog", "core")
_SAFE_GLOBALS = {("decimal", "Decimal"), ("datetime", "date")}
# Small immutable values that many courses repeat: pickled once each, then shared.
_SHARED_VALUES = (models.HoursRange, models.PriceRange)


def cache_directory() -> Path:
    """Where catalog entries live: `catalogs/` in mmplan's cache (`core.files.cache_home`)."""
    return cache_home() / "catalogs"


def cache_key(data: bytes) -> str:
    """The entry name of a catalog file's bytes under this build of mmplan."""
    digest = hashlib.sha256(data)
    digest.update(b"\0" + _code_fingerprint().encode())
    return digest.hexdigest()


def load_cached_catalog(data: bytes) -> LoadedCatalog | None:
    """The catalog cached for these file bytes, or None (disabled, missing or not trusted).

    It comes without warnings: they name the file, and these bytes may be read by any name.
    """
    if not cache_enabled():
        return None
    key = cache_key(data)
    path = cache_directory() / f"{key}.pickle"
    payload = read_entry(path, MAGIC, key)
    if payload is None:
        return None
    try:
        with gc_paused():
            catalog = _CatalogUnpickler(io.BytesIO(payload)).load()
    except Exception:  # a checksummed entry that still fails to load is a miss, never an error
        return None
    if not isinstance(catalog, LoadedCatalog):
        return None
    mark_used(path)
    return catalog


def store_cached_catalog(data: bytes, loaded: LoadedCatalog) -> None:
    """Cache `loaded` (without its warnings) as the result of parsing these file bytes;
    failures are ignored."""
    if not cache_enabled():
        return
    key = cache_key(data)
    try:
        buffer = io.BytesIO()
        with gc_paused():
            _CatalogPickler(buffer).dump(replace(loaded, warnings=()))
    except Exception:  # a catalog the cache cannot hold is simply not cached
        return
    path = cache_directory() / f"{key}.pickle"
    write_entry(path, MAGIC, key, buffer.getvalue(), keep=MAX_ENTRIES)


@functools.cache
def _code_fingerprint() -> str:
    """Versions and module sources that shape a cached catalog, as one string.

    pydantic's version is left out: an entry holds no pydantic state, only what passed it.
    """
    root = Path(__file__).parent.parent
    sources = hashlib.sha256()
    for package in _FINGERPRINTED_PACKAGES:
        for module in sorted((root / package).glob("*.py")):
            with contextlib.suppress(OSError):
                sources.update(module.read_bytes())
    python = f"{sys.version_info.major}.{sys.version_info.minor}"
    return "|".join(
        (
            f"mmplan {__version__}",
            f"schema {SCHEMA_VERSION}",
            f"format {CACHE_FORMAT}",
            f"python {python}",
            sources.hexdigest(),
        )
    )


class _CatalogPickler(pickle.Pickler):
    """Pickles the catalog as pickle does, but shares equal ranges.

    Sharing is safe because the dataclasses are frozen; it turns the ~23,000 price and hours
    ranges of a 12,000-course catalog into a few dozen objects to rebuild.
    """

    def __init__(self, file: io.BytesIO) -> None:
        super().__init__(file, protocol=pickle.HIGHEST_PROTOCOL)
        self._shared: dict[tuple[Any, ...], Any] = {}

    def reducer_override(self, obj: Any) -> Any:
        if isinstance(obj, type) or not is_dataclass(obj):
            return NotImplemented  # classes, tuples, strings...: as pickle does
        if not any(isinstance(value, _SHARED_VALUES) for value in vars(obj).values()):
            return NotImplemented
        state = {
            name: self._shared.setdefault(_value_key(value), value)
            if isinstance(value, _SHARED_VALUES)
            else value
            for name, value in vars(obj).items()
        }
        return copyreg.__newobj__, (type(obj),), state  # type: ignore[attr-defined]


def _value_key(value: Any) -> tuple[Any, ...]:
    """Equal only for interchangeable values: repr tells Decimal("150") from Decimal("150.0")."""
    return (type(value), *(repr(getattr(value, f.name)) for f in fields(value)))


_MODEL_MODULES = (models.__name__, models.AsOf.__module__)


class _CatalogUnpickler(pickle.Unpickler):
    """Resolves only mmplan's catalog classes and enums, `Decimal` and `date`."""

    def find_class(self, module: str, name: str) -> Any:
        if module in _MODEL_MODULES:  # catalog classes, as catalog.model names them all
            found = getattr(models, name, None)
            if isinstance(found, type) and (is_dataclass(found) or issubclass(found, Enum)):
                return found
        if (module, name) in _SAFE_GLOBALS:
            return super().find_class(module, name)
        raise pickle.UnpicklingError(f"refusing {module}.{name} in a cached catalog")
