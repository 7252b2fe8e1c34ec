"""Regenerate the example-output blocks of the Markdown documentation from the real program.

A tour block is written in Markdown as

    <!-- tour: mmplan list --hours-per-week 8 -->
    ```text
    $ mmplan list --hours-per-week 8
    ...output...
    ```
    <!-- /tour -->

Everything between the two comments is rewritten: a fenced block holding `$ COMMAND` and
what the command prints (stdout and stderr, as a terminal shows them). Options:

- `<!-- tour exit=1: mmplan show mitx-scn -->` expects that exit code (default 0); any
  other exit code, or an unexpected exception, is an error, so a broken command can never
  slip into the README as its "output".
- `mmplan ... | head -n 20` keeps the first 20 lines of the output.

The commands run in-process, in document order, from the repository root (the nearest
directory above the file holding `pyproject.toml`, else the file's own directory), with
COLUMNS=80 (the width of piped output, where most readers are), NO_COLOR=1, a fresh
MMPLAN_HOME and cache shared by the blocks of one file (so `progress add` in one block
shows in `status` below it), and MMPLAN_TODAY fixed (see TOUR_TODAY), so the output is
the same on every machine and every day.

Usage:
    python scripts/readme_tour.py [FILE ...]          rewrite the blocks (default: README.md,
                                                      CONTRIBUTING.md and docs/*.md)
    python scripts/readme_tour.py --check [FILE ...]  exit 1 when any block is stale
"""

from __future__ import annotations

import argparse
import os
import re
import shlex
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

TOUR_COLUMNS = 80
REPO = Path(__file__).resolve().parents[1]
TOUR_TODAY = "2026-11-30"  # a Monday; plans start the next Monday unless told otherwise

OPEN = re.compile(
    r"^(?P<indent>\s*)<!--\s*tour(?:\s+exit=(?P<exit>\d+))?:\s*(?P<command>.+?)\s*-->\s*$"
)
CLOSE = re.compile(r"^\s*<!--\s*/tour\s*-->\s*$")
FENCE = re.compile(r"^\s*(?P<fence>`{3,}|~{3,})")
HEAD = re.compile(r"^(?P<command>.+?)\s*\|\s*head\s+-n\s*(?P<lines>\d+)$")


class TourError(Exception):
    """A tour block is malformed or its command did not behave as the block expects."""


@dataclass(frozen=True)
class Block:
    line: int  # 1-based line of the opening comment
    indent: str  # the opening comment's indentation (a block inside a list item)
    command: str  # as written, starting with `mmplan`
    expected_exit: int
    start: int  # index of the first body line
    end: int  # index of the closing comment
    body: tuple[str, ...]


Runner = Callable[[list[str], Path], tuple[int, str]]


def find_blocks(lines: list[str]) -> list[Block]:
    """Every tour block of a Markdown document, in order."""
    blocks: list[Block] = []
    index = 0
    while index < len(lines):
        match = OPEN.match(lines[index])
        fence = FENCE.match(lines[index])
        if match is None and fence is not None:
            # A code block outside any tour block may show the syntax itself: skip it whole.
            mark = fence.group("fence")
            index += 1
            while index < len(lines) and not lines[index].strip().startswith(mark):
                index += 1
            index += 1
            continue
        if match is None:
            if CLOSE.match(lines[index]):
                raise TourError(f"line {index + 1}: `<!-- /tour -->` without an opening block")
            index += 1
            continue
        close = next((j for j in range(index + 1, len(lines)) if CLOSE.match(lines[j])), None)
        nested = next(
            (j for j in range(index + 1, close or len(lines)) if OPEN.match(lines[j])), None
        )
        if close is None or nested is not None:
            raise TourError(f"line {index + 1}: tour block has no `<!-- /tour -->` after it")
        command = match.group("command")
        if not command.startswith("mmplan ") and command != "mmplan":
            raise TourError(f"line {index + 1}: tour commands start with `mmplan`: {command!r}")
        blocks.append(
            Block(
                line=index + 1,
                indent=match.group("indent"),
                command=command,
                expected_exit=int(match.group("exit") or 0),
                start=index + 1,
                end=close,
                body=tuple(lines[index + 1 : close]),
            )
        )
        index = close + 1
    return blocks


def render_body(command: str, output: str, indent: str = "") -> tuple[str, ...]:
    """A fenced `text` block with the command line and its output, trailing blanks trimmed."""
    out_lines = [line.rstrip() for line in output.splitlines()]
    while out_lines and not out_lines[-1]:
        out_lines.pop()
    longest_run = max((len(run) for run in re.findall(r"`+", output)), default=0)
    fence = "`" * max(3, longest_run + 1)
    lines = (f"{fence}text", f"$ {command}", *out_lines, fence)
    return tuple((indent + line).rstrip() for line in lines)


def run_in_process(arguments: list[str], workdir: Path) -> tuple[int, str]:
    """Run `mmplan ARGUMENTS` through the Typer app; (exit code, what a terminal shows)."""
    from typer.testing import CliRunner

    from mmplan.cli import app

    previous = Path.cwd()
    os.chdir(workdir)
    try:
        result = CliRunner().invoke(app, arguments, prog_name="mmplan")
    finally:
        os.chdir(previous)
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise TourError(
            f"`mmplan {shlex.join(arguments)}` raised "
            f"{type(result.exception).__name__}: {result.exception}"
        )
    return result.exit_code, result.output


def documentation_files(root: Path = REPO) -> list[Path]:
    """The Markdown files whose tour blocks the project keeps current."""
    return [root / "README.md", root / "CONTRIBUTING.md", *sorted((root / "docs").glob("*.md"))]


def working_directory(path: Path) -> Path:
    """Where a file's commands run: the repository root above it, else its own directory."""
    folder = path.resolve().parent
    return next((d for d in (folder, *folder.parents) if (d / "pyproject.toml").is_file()), folder)


def tour_environment(home: Path, today: str = TOUR_TODAY) -> dict[str, str | None]:
    """The fixed environment every tour command sees."""
    return {
        "COLUMNS": str(TOUR_COLUMNS),
        "LINES": "50",
        "NO_COLOR": "1",
        "FORCE_COLOR": None,
        "TERM": "dumb",
        "MMPLAN_HOME": str(home / "home"),
        "XDG_CACHE_HOME": str(home / "cache"),
        "XDG_DATA_HOME": str(home / "data"),
        "MMPLAN_CATALOG": None,
        "MMPLAN_TODAY": today,
        # The deterministic budget alone ends each search: a busy machine changes nothing.
        "MMPLAN_NO_WALL_CAP": "1",
    }


def regenerate(text: str, workdir: Path, run: Runner = run_in_process) -> tuple[str, list[Block]]:
    """(the document with every tour block rewritten, the blocks whose body changed)."""
    lines = text.splitlines()
    blocks = find_blocks(lines)
    stale: list[Block] = []
    new_lines: list[str] = []
    cursor = 0
    for block in blocks:
        command = block.command
        keep: int | None = None
        head = HEAD.match(command)
        if head is not None:
            command, keep = head.group("command"), int(head.group("lines"))
        arguments = shlex.split(command)[1:]
        exit_code, output = run(arguments, workdir)
        if exit_code != block.expected_exit:
            raise TourError(
                f"line {block.line}: `{block.command}` exited {exit_code}, "
                f"expected {block.expected_exit}:\n{output}"
            )
        if keep is not None:
            output = "\n".join(output.splitlines()[:keep])
        body = render_body(block.command, output, block.indent)
        if body != block.body:
            stale.append(block)
        new_lines.extend(lines[cursor : block.start])
        new_lines.extend(body)
        cursor = block.end
    new_lines.extend(lines[cursor:])
    trailing_newline = "\n" if text.endswith("\n") or not text else ""
    return "\n".join(new_lines) + trailing_newline, stale


def tour_file(
    path: Path, *, check: bool, run: Runner = run_in_process, today: str = TOUR_TODAY
) -> list[Block]:
    """Regenerate (or, with `check`, only compare) one file; the stale blocks.

    `today` runs the commands on another day: every block must still exit as it expects,
    which is how a test proves the examples work on the day they are read."""
    text = path.read_text(encoding="utf-8")
    with tempfile.TemporaryDirectory(prefix="mmplan-tour-") as home:
        environment = tour_environment(Path(home), today)
        saved = {key: os.environ.get(key) for key in environment}
        try:
            for key, value in environment.items():
                if value is None:
                    os.environ.pop(key, None)
                else:
                    os.environ[key] = value
            new_text, stale = regenerate(text, working_directory(path), run)
        finally:
            for key, value in saved.items():
                if value is None:
                    os.environ.pop(key, None)
                else:
                    os.environ[key] = value
    if not check and new_text != text:
        path.write_text(new_text, encoding="utf-8")
    return stale


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Regenerate the `<!-- tour: mmplan ... -->` output blocks of Markdown files."
    )
    parser.add_argument("files", nargs="*", type=Path, default=documentation_files())
    parser.add_argument(
        "--check", action="store_true", help="change nothing; exit 1 when a block is stale"
    )
    options = parser.parse_args(argv)
    stale_total = 0
    for path in options.files:
        try:
            stale = tour_file(path, check=options.check)
        except (TourError, OSError) as error:
            print(f"{path}: {error}", file=sys.stderr)
            return 2
        stale_total += len(stale)
        for block in stale:
            verb = "stale" if options.check else "updated"
            print(f"{path}:{block.line}: {verb}: {block.command}", file=sys.stderr)
    if options.check and stale_total:
        print(
            f"{stale_total} tour block(s) out of date; run: python scripts/readme_tour.py",
            file=sys.stderr,
        )
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
