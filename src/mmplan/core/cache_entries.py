"""The entry format both caches share (validated catalogs and kept answers).

An entry is a header, one field a line (the cache's magic, the entry's key, the payload's
length and SHA-256), then the payload. An entry whose header does not match, in any field,
is a miss: the caller works its value out again and the entry is rewritten. Entries are
written atomically, and each write keeps the most recently used entries of its directory
(a read that trusts an entry marks it used). Every failure to read or write is a miss or a
skipped write, never an error: a cache never fails a command.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
from pathlib import Path

from mmplan.core.files import write_atomically


def read_entry(path: Path, magic: bytes, key: str) -> bytes | None:
    """The payload of the entry at `path`, when its header names `magic` and `key` and its
    length and checksum match; else None (missing or unreadable too)."""
    try:
        entry = path.read_bytes()
    except OSError:
        return None
    parts = entry.split(b"\n", 4)
    if len(parts) != 5:
        return None
    found_magic, found_key, length, checksum, payload = parts
    if found_magic != magic or found_key != key.encode():
        return None
    if length != str(len(payload)).encode():
        return None
    if hashlib.sha256(payload).hexdigest().encode() != checksum:
        return None
    return payload


def mark_used(path: Path) -> None:
    """The entry at `path` is the most recently used: pruning removes the least recently."""
    with contextlib.suppress(OSError):
        os.utime(path)


def write_entry(path: Path, magic: bytes, key: str, payload: bytes, *, keep: int) -> None:
    """Write `payload` as the entry at `path`, then keep the `keep` most recently used entries
    of its directory; a cache that cannot be written is skipped."""
    header = b"\n".join(
        (
            magic,
            key.encode(),
            str(len(payload)).encode(),
            hashlib.sha256(payload).hexdigest().encode(),
        )
    )
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        write_atomically(path, header + b"\n" + payload)
        _prune(path.parent, keep)
    except OSError:
        return


def _prune(directory: Path, keep: int) -> None:
    """Keep the `keep` most recently used files; a concurrent prune may win the race."""
    entries = []
    for entry in os.scandir(directory):
        with contextlib.suppress(OSError):
            entries.append((entry.stat().st_mtime, entry.path))
    entries.sort(reverse=True)
    for _, stale in entries[keep:]:
        with contextlib.suppress(OSError):
            os.unlink(stale)
