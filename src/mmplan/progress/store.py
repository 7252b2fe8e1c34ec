"""The progress file: a small schema-versioned YAML document in the user data directory
(`MMPLAN_HOME` overrides it), and `ProgressStore`, the one place that reads and writes it:
- every write is atomic: a temporary file in the same directory, flushed and fsynced,
  then `os.replace`d over the old one, so a reader or a crash sees the old file or the new
  one, never half of either;
- every read-modify-write holds a lock file (`filelock`), so concurrent `mmplan progress`
  processes never drop each other's records;
- a file that cannot be read (bad YAML, wrong shape, unknown schema version) is never
  overwritten: the command fails naming the file and what is wrong.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager, suppress
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from mmplan.core.errors import ProgressError, escaped, located_message, shown
from mmplan.core.limits import MAX_PROGRESS_FILE_BYTES
from mmplan.progress.model import (
    PROGRESS_SCHEMA_VERSION,
    Progress,
    ProgressChange,
)

PROGRESS_FILE_NAME = "progress.yaml"
HOME_ENV = "MMPLAN_HOME"
LOCK_TIMEOUT_SECONDS = 60.0

_HEADER = (
    "# mmplan progress: the courses you completed and started.\n"
    "# Change it with `mmplan progress add|start|remove|import`; if you edit it by hand,\n"
    "# `mmplan progress show` tells you whether it is still valid.\n"
)


# ----- The file format ----------------------------------------------------------------------


def dump_progress(progress: Progress) -> str:
    """The YAML text of the progress file: a header comment, then the records."""
    document: dict[str, Any] = {"schema_version": progress.schema_version}
    document["completed"] = [
        _plain(r.model_dump(mode="python", exclude_none=True)) for r in progress.completed
    ]
    document["in_progress"] = [_plain(r.model_dump(mode="python")) for r in progress.in_progress]
    return _HEADER + yaml.dump(document, Dumper=_PlainDumper, sort_keys=False, allow_unicode=True)


class _PlainDumper(yaml.SafeDumper):
    """Safe YAML without anchors: two records on one date both spell the date out."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


def _plain(record: dict[str, Any]) -> dict[str, Any]:
    """Whole numbers without `.0` and enums as their text, so the file reads naturally."""
    out: dict[str, Any] = {}
    for key, value in record.items():
        if isinstance(value, StrEnum):
            value = value.value
        elif isinstance(value, float) and value.is_integer():
            value = int(value)
        out[key] = value
    return out


def parse_progress(data: bytes, source: str) -> Progress:
    """A progress document from the bytes of a file; ProgressError naming `source`, the line
    and column, and the first thing wrong.

    Read by the catalog's YAML reader (`yaml_nodes.load_yaml`), with its guards: UTF-8 text
    without control characters, no alias bombs, no nesting past its depth limit, and no key
    written twice (YAML would silently keep only the last, dropping records).
    """
    from mmplan.catalog.yaml_nodes import YamlProblem, load_yaml

    try:
        document = load_yaml(data)
    except YamlProblem as problem:
        located = _located(source, problem.line, problem.column, problem.message)
        raise ProgressError(located) from None
    for twice in document.duplicate_keys:
        raise ProgressError(
            _located(
                source,
                twice.line,
                twice.column,
                f"duplicate key {shown(twice.key)} (first at line {twice.first_line}); "
                "YAML would silently keep only the last; nothing was changed",
            )
        )
    value = document.value
    if value is None:
        raise ProgressError(
            f"{source}: the file is empty; it should start with 'schema_version: 1'"
        )
    if not isinstance(value, dict):
        raise ProgressError(
            f"{source}: expected a mapping with schema_version, completed and in_progress, "
            f"found {type(value).__name__}"
        )
    version = value.get("schema_version")
    if version != PROGRESS_SCHEMA_VERSION:
        if version is None:
            raise ProgressError(f"{source}: schema_version is missing (this mmplan reads 1)")
        raise ProgressError(
            f"{source}: schema_version {version if type(version) is int else shown(str(version))} "
            "is not supported (this mmplan "
            f"reads {PROGRESS_SCHEMA_VERSION}); upgrade mmplan to read it"
        )
    try:
        return Progress.model_validate(value)
    except ValidationError as error:
        raise ProgressError(_schema_problem(error, data, source)) from None


def _located(source: str, line: int, column: int, message: str) -> str:
    return located_message(source, line, column, "", message)


def _schema_problem(error: ValidationError, data: bytes, source: str) -> str:
    """The first schema error, located in the text, with what was found."""
    from mmplan.catalog.yaml_nodes import NodeTree, find_key_node

    first = error.errors(include_url=False)[0]
    loc = tuple(first["loc"])
    extra = first["type"] == "extra_forbidden"  # point at the unknown key, not its value
    tree = NodeTree(data)
    steps = tree.walk(loc[:-1] if extra else loc)
    node = steps[-1].node if steps else tree.root
    if extra and node is not None:
        node = find_key_node(node, str(loc[-1])) or node
    line, column = (0, 0)
    if node is not None:
        line, column = node.start_mark.line + 1, node.start_mark.column + 1
    path = "".join(f"[{part}]" if isinstance(part, int) else f".{part}" for part in loc)
    message = str(first["msg"]).removeprefix("Value error, ")
    found = first.get("input")
    if not extra and isinstance(found, str):
        message += f" (got {shown(found)})"
    elif not extra and isinstance(found, int | float | date):
        message += f" (got {found})"
    more = error.error_count() - 1
    if more:
        message += f" (and {more} more problem{'s' if more > 1 else ''})"
    return located_message(source, line, column, path.removeprefix("."), message)


# ----- The store ----------------------------------------------------------------------------


def read_progress_file(path: Path, *, missing_ok: bool = False) -> Progress:
    """A progress or import file: a regular file of at most MAX_PROGRESS_FILE_BYTES, parsed
    by `parse_progress`; empty progress for a missing file when `missing_ok`."""
    from mmplan.core.files import FileProblem, read_regular_file

    try:
        data = read_regular_file(path, MAX_PROGRESS_FILE_BYTES, "progress")
    except FileProblem as problem:
        if problem.missing and missing_ok:
            return Progress()
        raise ProgressError(f"{path}: {problem}; nothing was changed") from None
    return parse_progress(data, str(path))


def progress_directory(environ: Mapping[str, str] | None = None) -> Path:
    """`MMPLAN_HOME` when set, else the platform's user data directory for mmplan."""
    from mmplan.core.files import data_directory

    return data_directory(environ)


class ProgressStore:
    """The progress file: atomic writes, a lock around each change, never clobbers."""

    def __init__(self, path: Path, shown_as: str | None = None) -> None:
        self.path = path
        # How messages and `progress show` name the file: escaped, as a path may hold anything.
        self.shown_as = escaped(shown_as or str(path))
        self.lock_path = path.with_name(path.name + ".lock")

    @classmethod
    def default(cls) -> ProgressStore:
        """The file in the user data directory, or in `MMPLAN_HOME` (named so in messages)."""
        shown_as = f"${HOME_ENV}/{PROGRESS_FILE_NAME}" if os.environ.get(HOME_ENV) else None
        return cls(progress_directory() / PROGRESS_FILE_NAME, shown_as)

    def load(self) -> Progress:
        """The recorded progress; empty when there is no file yet."""
        return read_progress_file(self.path, missing_ok=True)

    def change(
        self, apply: Callable[[Progress], tuple[Progress, ProgressChange]]
    ) -> ProgressChange:
        """Read, apply, and write back under the lock; nothing is written if `apply` raises."""
        with self._locked():
            current = self.load()
            updated, change = apply(current)
            if updated != current:
                self._write(dump_progress(updated))
            return change

    @contextmanager
    def _locked(self) -> Iterator[None]:
        from filelock import FileLock, Timeout

        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise ProgressError(
                f"{self.path.parent}: cannot create the directory: {error.strerror or error}"
            ) from None
        lock = FileLock(self.lock_path, timeout=LOCK_TIMEOUT_SECONDS)
        try:
            lock.acquire()
        except Timeout:
            raise ProgressError(
                f"{self.path}: another mmplan has held the lock for {LOCK_TIMEOUT_SECONDS:g} s; "
                "nothing was changed, try again"
            ) from None
        except OSError as error:
            raise ProgressError(
                f"{self.lock_path}: cannot lock: {error.strerror or error}; nothing was changed"
            ) from None
        try:
            yield
        finally:
            lock.release()

    def _write(self, text: str) -> None:
        """Replace the file atomically and durably (`files.write_atomically`).

        A symlinked progress file (a dotfile manager's) is written through the link: the
        file it points to is replaced, and the link stays.
        """
        from mmplan.core.files import FileProblem, resolved_target, write_atomically

        try:
            target = resolved_target(self.path)
        except FileProblem as problem:
            raise ProgressError(f"{self.path}: {problem}; the file is unchanged") from None
        self._remove_orphans(target)
        try:
            write_atomically(target, text.encode("utf-8"), durable=True)
        except OSError as error:
            raise ProgressError(
                f"{self.path}: cannot write: {error.strerror or error}; the file is unchanged"
            ) from None

    @staticmethod
    def _remove_orphans(target: Path) -> None:
        """Temporary files left by a writer that was killed; safe to delete under the lock."""
        for orphan in target.parent.glob(f".{target.name}.*.tmp"):
            with suppress(OSError):
                orphan.unlink()
