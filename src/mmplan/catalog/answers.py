"""A cache of answers: the text a command wrote for one request over one catalog, so that the
same request again is a file read instead of loading the catalog and working it out.

`mmplan list --format json` of a 5,000-program catalog spends most of its time loading the
30,000 courses, summarising the programs and writing the JSON; asked again, nothing of that
has changed, and the answer is read back (docs/performance.md: the catalog cache).

An answer is named by its key, the SHA-256 of everything that shapes it:

- the catalog: the name and the bytes of every active catalog file, in order, and of the
  overlay (or its absence): `LoadedCatalog.digest` of the bytes the answer was worked out
  from, and `read_catalog_digest` of the files as they are when the answer is looked up,
  so an answer is replayed exactly when a load would read the same bytes;
- the command and every option of the request, the date it counts from among them (the
  caller names them all: `answer_key`'s `request`);
- the code: mmplan's version, the Python version, and the bytes of every file of the
  mmplan package (any change to the code that loads, lists or renders makes new keys).

Only a command that succeeded stores its answer, and with it the `Warning:` lines its
catalog gave (they name the files, whose names are in the key). An entry is a header
(magic, key, payload length, SHA-256) and a pickle of plain strings, read back with an
unpickler that resolves no class at all; anything wrong with an entry (missing, stale,
truncated, corrupted) is a miss and the command works its answer out again. Entries are
written atomically, a cache that cannot be written is skipped silently, the
`MAX_ENTRIES` most recently used are kept, and `MMPLAN_NO_CACHE=1` turns the cache off.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import io
import os
import pickle
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from mmplan.catalog.sources import catalog_digest
from mmplan.core.cache_entries import mark_used, read_entry, write_entry
from mmplan.core.files import cache_enabled, cache_home
from mmplan.version import __version__

if TYPE_CHECKING:
    from mmplan.catalog.sources import CatalogSources

MAGIC = b"mmplan-answer-1"
MAX_ENTRIES = 32  # older answers are removed when a new one is written
# Files are read whole to be hashed: no catalog file or overlay passes loading beyond this.
MAX_FILE_BYTES = 50 * 1024 * 1024


@dataclass(frozen=True)
class Answer:
    """What a command wrote: its text on stdout, and the catalog's warnings on stderr."""

    text: str
    warnings: tuple[str, ...] = ()


def read_catalog_digest(sources: CatalogSources) -> str | None:
    """`sources.catalog_digest` of the active files as they are now, read as loading reads
    them; None when one cannot be read (the command's own load then says why)."""
    from mmplan.core.files import FileProblem, read_regular_file

    try:
        files = [(str(p), read_regular_file(p, MAX_FILE_BYTES, "catalog")) for p in sources.paths]
    except FileProblem:
        return None
    if sources.overlay is None:
        return catalog_digest(files, None)
    try:
        overlay = read_regular_file(sources.overlay, MAX_FILE_BYTES, "catalog overlay")
    except FileProblem as problem:  # no overlay file: the catalog without one
        return catalog_digest(files, None) if problem.missing else None
    return catalog_digest(files, (str(sources.overlay), overlay))


def answer_key(digest: str | None, command: str, request: Mapping[str, object]) -> str | None:
    """The key of `command`'s answer to `request` over the catalog of `digest` (a
    `LoadedCatalog.digest`, or `read_catalog_digest`); None when the cache is off or there
    is no digest.

    `request` holds every option that shapes the answer, dates included; values are keyed
    by their repr, so give plain values (str, int, float, bool, None, tuples of them).
    """
    if not digest or not cache_enabled():
        return None
    key = hashlib.sha256(MAGIC)
    _add(key, _code_fingerprint().encode(), digest.encode(), command.encode())
    for name, value in sorted(request.items()):
        _add(key, name.encode(), repr(value).encode("utf-8", "backslashreplace"))
    return key.hexdigest()


def recall_answer(key: str | None) -> Answer | None:
    """The answer stored under `key`, or None (no key, missing, or not trusted)."""
    if key is None or not cache_enabled():
        return None
    path = answers_directory() / f"{key}.answer"
    payload = read_entry(path, MAGIC, key)
    if payload is None:
        return None
    try:
        value = _PlainUnpickler(io.BytesIO(payload)).load()
    except Exception:  # a checksummed entry that still fails to load is a miss
        return None
    answer = _answer_of(value)
    if answer is not None:
        mark_used(path)
    return answer


def remember_answer(key: str | None, answer: Answer) -> None:
    """Store `answer` under `key` (nothing when None); failures are ignored."""
    if key is None or not cache_enabled():
        return
    payload = pickle.dumps((answer.text, tuple(answer.warnings)), pickle.HIGHEST_PROTOCOL)
    path = answers_directory() / f"{key}.answer"
    write_entry(path, MAGIC, key, payload, keep=MAX_ENTRIES)


def answers_directory() -> Path:
    """`answers/` in mmplan's cache, beside the catalogs: `~/.cache/mmplan/answers` on Linux."""
    return cache_home() / "answers"


def _add(digest: Any, *parts: bytes) -> None:
    """Each part with its length before it, so that no two different requests hash alike."""
    for part in parts:
        digest.update(len(part).to_bytes(8, "big") + part)


def _answer_of(value: object) -> Answer | None:
    """The answer a payload holds: (text, (warning, ...)), strings only; else None."""
    if not (isinstance(value, tuple) and len(value) == 2):
        return None
    text, warnings = value
    if not (isinstance(text, str) and isinstance(warnings, tuple)):
        return None
    if not all(isinstance(warning, str) for warning in warnings):
        return None
    return Answer(text=text, warnings=warnings)


@functools.cache
def _code_fingerprint() -> str:
    """mmplan's version, the Python version, and the digest of the package's files: an
    answer is the work of all of it (loading, the domain, the renderers)."""
    python = ".".join(str(part) for part in sys.version_info[:3])
    return f"mmplan {__version__}|python {python}|{package_digest(Path(__file__).parent.parent)}"


def package_digest(root: Path) -> str:
    """The SHA-256 of every file under `root` (its path and bytes), compiled files aside."""
    digest = hashlib.sha256()
    for directory, subdirectories, files in os.walk(root):  # top-down, in sorted order
        subdirectories[:] = sorted(d for d in subdirectories if d != "__pycache__")
        for name in sorted(files):
            path = Path(directory, name)
            _add(digest, os.fsencode(path.relative_to(root)))
            with contextlib.suppress(OSError):
                _add(digest, path.read_bytes())
    return digest.hexdigest()


class _PlainUnpickler(pickle.Unpickler):
    """Strings and tuples only: an answer resolves no class, so every global is refused."""

    def find_class(self, module: str, name: str) -> Any:
        raise pickle.UnpicklingError(f"refusing {module}.{name} in a cached answer")
