"""The one exception family of mmplan; the CLI turns each into a one-line message."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

# Characters that would act on a terminal or reorder the text around them instead of being
# shown: C0 and C1 controls, DEL, line separators and the bidirectional controls.
UNSAFE_CHARACTERS = re.compile(
    "[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]"
)
_ESCAPES = {
    code: f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"
    for code in (
        *range(0x20),
        *range(0x7F, 0xA0),
        0x061C,
        0x200E,
        0x200F,
        0x2028,
        0x2029,
        *range(0x202A, 0x202F),
        *range(0x2066, 0x206A),
    )
} | {0x09: "\\t", 0x0A: "\\n", 0x0D: "\\r"}
MAX_SHOWN_CHARACTERS = 80  # of one value quoted in a message


def escaped(text: str) -> str:
    """`text` with every unsafe character written as an escape (`\\x1b`, `\\u202e`)."""
    return text.translate(_ESCAPES)


def shown(value: str, limit: int = MAX_SHOWN_CHARACTERS) -> str:
    """A value from the user as a message quotes it: escaped, and cut when long."""
    text = escaped(value)
    if len(text) <= limit:
        return f"'{text}'"
    return f"'{text[:limit]}...' ({len(text) - limit:,} more characters)"


class MmplanError(Exception):
    """Base of every error the user can cause: bad data or an impossible request.

    The message is one line that says what is wrong and where; the CLI prints it as
    `Error: <message>` and exits with `exit_code`.
    """

    exit_code = 1


class CatalogWarning(UserWarning):
    """A catalog loaded, with something in a file to fix (a version-1 file leaving pacing out).

    `mmplan.load_catalog` issues one per warning line with `warnings.warn`; the CLI prints
    the same line as `Warning: <message>`.
    """


class UsageError(MmplanError):
    """The command line itself is wrong (a bad option value the parser could not catch)."""

    exit_code = 2


Loc = tuple[str | int, ...]  # a place in a file's data, shaped like a pydantic error's `loc`


def located_message(file: str, line: int, column: int, path: str, message: str) -> str:
    """`FILE:LINE:COL: PATH: MESSAGE`; line 0: the problem is the whole file (missing,
    unreadable), not a place in it; no path, no `PATH: `."""
    where = f"{file}:{line}:{column}" if line else file
    return f"{where}: {path}: {message}" if path else f"{where}: {message}"


@dataclass(frozen=True)
class CatalogProblem:
    """One problem in a catalog file: the one type from the check that finds it to the line
    `validate` prints.

    A check finds it at a place in the data (`CatalogProblem.at(loc, message, ...)`, with
    hints for locating it); `catalog.locate.located` gives it its file, line, column and
    readable path. Two problems are the same when they print the same: the hints are not
    compared.
    """

    file: str = ""
    line: int = 0
    column: int = 0
    path: str = ""
    message: str = ""
    loc: Loc = field(default=(), compare=False, repr=False)
    # `key`: the problem is the key of that name in the mapping at `loc` (unknown keys).
    key: str | None = field(default=None, compare=False, repr=False)
    # `place`: an explicit (line, column) already known (duplicate keys).
    place: tuple[int, int] | None = field(default=None, compare=False, repr=False)
    # `first`: where the earlier twin of a duplicate is, shown as "first at line N".
    first: Loc | None = field(default=None, compare=False, repr=False)
    # `other`: where a conflicting value is, shown as "(FILE:LINE)".
    other: Loc | None = field(default=None, compare=False, repr=False)
    # `names_program`: the program a cross-program reference names (the loader says which
    # file it came from, in `note`, added after the message).
    names_program: str | None = field(default=None, compare=False, repr=False)
    note: str = field(default="", compare=False, repr=False)

    @classmethod
    def at(
        cls,
        loc: Loc,
        message: str,
        first: Loc | None = None,
        *,
        key: str | None = None,
        place: tuple[int, int] | None = None,
        other: Loc | None = None,
        names_program: str | None = None,
        note: str = "",
    ) -> CatalogProblem:
        """A problem found at `loc` in the data, not located in its file yet."""
        return cls(
            message=message,
            loc=loc,
            key=key,
            place=place,
            first=first,
            other=other,
            names_program=names_program,
            note=note,
        )

    def as_json(self) -> dict[str, str | int]:
        """What `validate --format json` gives: file, line, column, path, message."""
        return {
            "file": self.file,
            "line": self.line,
            "column": self.column,
            "path": self.path,
            "message": self.message,
        }

    def __str__(self) -> str:
        return located_message(self.file, self.line, self.column, self.path, self.message)


class CatalogError(MmplanError):
    """A catalog file is invalid; carries every problem found, not just the first."""

    def __init__(self, problems: list[CatalogProblem] | tuple[CatalogProblem, ...]) -> None:
        self.problems = tuple(problems)
        first = str(self.problems[0]) if self.problems else "invalid catalog"
        more = len(self.problems) - 1
        import shlex  # only when a catalog is bad: errors.py is imported at every start-up

        files = " ".join(shlex.quote(f) for f in dict.fromkeys(p.file for p in self.problems))
        hint = f" (and {more} more problem{'s' if more > 1 else ''}; run mmplan validate {files})"
        super().__init__(first + (hint if more > 0 else ""))


class UnknownIdError(MmplanError):
    """A program id or course code that the catalog does not have."""


class RetiredProgramError(MmplanError):
    """A plan or a cost asked of a program that no longer takes learners."""


class RefreshError(MmplanError):
    """Fresh catalog data could not be fetched or read; the overlay is left as it was."""


class ProgressError(MmplanError):
    """The progress file cannot be read or written; the file is left as it was."""
