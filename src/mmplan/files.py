"""Reading the user's files safely: regular files only, capped in size, never blocking.

A FIFO or a device given as a file would block the read forever or never end
(`/dev/urandom`); a symlink loop would fail deep in the standard library. Catalogs and
progress files are read here, so each of those is one clear message naming the file.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path


class FileProblem(Exception):
    """The file cannot be read as a document; the message says why (no file name)."""

    def __init__(self, message: str, *, missing: bool = False) -> None:
        super().__init__(message)
        self.missing = missing  # there is no file at all (a first run, for the progress file)


def read_regular_file(path: Path, max_bytes: int, what: str) -> bytes:
    """The bytes of `path`, a regular file of at most `max_bytes`; FileProblem otherwise.

    `what` names the kind of file in messages ("catalog", "progress"). The file
    is opened without blocking, so a FIFO with no writer is refused instead of waited on.
    """
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        descriptor = os.open(path, flags)
    except OSError as error:
        raise FileProblem(_reason(error), missing=isinstance(error, FileNotFoundError)) from None
    try:
        info = os.fstat(descriptor)
        if stat.S_ISDIR(info.st_mode):
            raise FileProblem(f"is a directory, not a {what} file")
        if not stat.S_ISREG(info.st_mode):
            raise FileProblem(f"is not a regular file ({_kind(info.st_mode)}); give a {what} file")
        if info.st_size > max_bytes:
            raise FileProblem(_too_large(max_bytes, what))
        with open(descriptor, "rb", closefd=False) as handle:
            data = handle.read(max_bytes + 1)  # the file may grow after the check
    except OSError as error:
        raise FileProblem(_reason(error)) from None
    finally:
        os.close(descriptor)
    if len(data) > max_bytes:
        raise FileProblem(_too_large(max_bytes, what))
    return data


def resolved_target(path: Path) -> Path:
    """The file a path names once every symlink is followed (the path itself when none).

    FileProblem for a symlink loop; a dangling link resolves to the file it would create.
    """
    try:
        return path.resolve(strict=False)
    except RuntimeError:  # Python 3.11 and 3.12 report a loop so
        raise FileProblem(_LOOP) from None
    except OSError as error:
        raise FileProblem(_reason(error)) from None


_LOOP = "too many levels of symbolic links (a symlink loop?)"


def _reason(error: OSError) -> str:
    if isinstance(error, FileNotFoundError):
        return "no such file"
    if error.errno == errno.ELOOP:
        return _LOOP
    return (error.strerror or str(error)).lower()


def _kind(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "a named pipe"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "a special file"


def _too_large(max_bytes: int, what: str) -> str:
    return f"the file is larger than {_size(max_bytes)}; a {what} file is far smaller"


def _size(count: int) -> str:
    if count >= 1024 * 1024 and count % (1024 * 1024) == 0:
        return f"{count // (1024 * 1024)} MB"
    return f"{count // 1024} KB" if count % 1024 == 0 else f"{count} bytes"
