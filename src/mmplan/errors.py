"""The one exception family of mmplan; the CLI turns each into a one-line message."""

from __future__ import annotations

from dataclasses import dataclass


class MmplanError(Exception):
    """Base of every error the user can cause: bad data or an impossible request.

    The message is one line that says what is wrong and where; the CLI prints it as
    `Error: <message>` and exits with `exit_code`.
    """

    exit_code = 1


class UsageError(MmplanError):
    """The command line itself is wrong (a bad option value the parser could not catch)."""

    exit_code = 2


@dataclass(frozen=True)
class Problem:
    """One problem in a catalog file, located as precisely as the YAML allows."""

    file: str
    line: int
    column: int
    path: str
    message: str

    def __str__(self) -> str:
        # line 0: the problem is the whole file (missing, unreadable), not a place in it
        where = f"{self.file}:{self.line}:{self.column}" if self.line else self.file
        return f"{where}: {self.path}: {self.message}" if self.path else f"{where}: {self.message}"


class CatalogError(MmplanError):
    """A catalog file is invalid; carries every problem found, not just the first."""

    def __init__(self, problems: list[Problem] | tuple[Problem, ...]) -> None:
        self.problems = tuple(problems)
        first = str(self.problems[0]) if self.problems else "invalid catalog"
        more = len(self.problems) - 1
        import shlex  # only when a catalog is bad: errors.py is imported at every start-up

        files = " ".join(shlex.quote(f) for f in dict.fromkeys(p.file for p in self.problems))
        hint = f" (and {more} more problem{'s' if more > 1 else ''}; run mmplan validate {files})"
        super().__init__(first + (hint if more > 0 else ""))


class UnknownIdError(MmplanError):
    """A program id or course code that the catalog does not have."""


class ProgressError(MmplanError):
    """The progress file cannot be read or written; the file is left as it was."""
