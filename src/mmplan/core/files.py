"""The user's files, read and written safely: the one place for each way of doing it.

- Reading: regular files only, capped in size, never blocking. A FIFO or a device given as
  a file would block the read forever or never end (`/dev/urandom`); a symlink loop would
  fail deep in the standard library. Catalogs and progress files are read here, so each of
  those is one clear message naming the file.
- Writing: atomically (`write_atomically`), for the progress file and the catalog cache.
- Loading: `gc_paused` keeps the cyclic collector off while a large file becomes objects.
- Where: `data_directory`, the user's mmplan data (progress, the catalog overlay);
  `cache_home`, the caches (catalogs, answers), which `MMPLAN_NO_CACHE=1` turns off.
"""

from __future__ import annotations

import contextlib
import errno
import gc
import os
import stat
import sys
from collections.abc import Iterator, Mapping
from pathlib import Path

HOME_ENV = "MMPLAN_HOME"
NO_CACHE_ENV = "MMPLAN_NO_CACHE"


def data_directory(environ: Mapping[str, str] | None = None) -> Path:
    """`MMPLAN_HOME` when set, else the platform's user data directory for mmplan."""
    environ = os.environ if environ is None else environ
    home = environ.get(HOME_ENV)
    if home:
        return Path(home).expanduser()
    if sys.platform == "linux":  # platformdirs' answer, without its 3 ms of imports
        base = environ.get("XDG_DATA_HOME", "").strip()
        return Path(base or os.path.expanduser("~/.local/share")) / "mmplan"
    from platformdirs import user_data_dir

    return Path(user_data_dir("mmplan"))


def cache_enabled() -> bool:
    """False when `MMPLAN_NO_CACHE` is set to anything but empty or 0."""
    return os.environ.get(NO_CACHE_ENV, "") in ("", "0")


def cache_home() -> Path:
    """Where mmplan's caches live: on Linux `$XDG_CACHE_HOME/mmplan` (when absolute, as the
    XDG spec asks) or `~/.cache/mmplan`, without importing platformdirs (3 ms of `list`);
    elsewhere platformdirs' cache directory."""
    if sys.platform == "linux":
        base = os.environ.get("XDG_CACHE_HOME", "")
        if not os.path.isabs(base):
            base = os.path.expanduser("~/.cache")
        return Path(base) / "mmplan"
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("mmplan", appauthor=False))


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


def write_atomically(path: Path, content: bytes, *, durable: bool = False) -> None:
    """Replace `path` by `content` in one step: a temporary file beside it, renamed over it,
    so a reader or a crash sees the old file or the new one, never half of either.

    `durable`: also flush the data and the rename to disk (fsync), and keep the old file's
    permissions; for the learner's records, not for a cache. Raises OSError, leaving `path`
    as it was and no temporary file behind.
    """
    import tempfile  # only when writing: 3 ms that a read-only run does not need

    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(content)
            if durable:
                stream.flush()
                os.fsync(stream.fileno())
        if durable:
            with contextlib.suppress(FileNotFoundError):
                os.chmod(temporary, path.stat().st_mode & 0o777)
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
    if durable:
        _fsync_directory(path.parent)


def _fsync_directory(directory: Path) -> None:
    """Make a rename itself durable (POSIX); not possible, and not needed, elsewhere."""
    if os.name != "posix":
        return
    with contextlib.suppress(OSError):
        descriptor = os.open(directory, os.O_RDONLY)
        try:
            os.fsync(descriptor)
        finally:
            os.close(descriptor)


@contextlib.contextmanager
def gc_paused() -> Iterator[None]:
    """Suspend the cyclic collector while building many objects that form no cycles.

    Every container allocated triggers collector passes over the growing heap: measured on
    the 2.3 MB benchmark catalog, PyYAML's C loader took 2.0 s with the collector paused and
    5.2 s without, and unpickling a cached catalog costs less than those passes would.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
