"""The one way out: every byte mmplan writes to stdout or stderr goes through here.

- Text enters Rich as text: the consoles parse no markup and no emoji codes, so a title
  `[/x]`, a `[link=...]` or a `:smile:` from a catalog, a progress file, a path or the
  environment prints as written, wherever it is (a cell, a title, a caption, a message).
- The terminal view follows stdout's encoding and replaces what it cannot show (`?`); the
  machine formats (json, csv, markdown, ics, html) are UTF-8 whatever the locale.
- A reader that goes away (`mmplan list | head -1`) ends the command silently with status
  141, as a shell reports a program ended by SIGPIPE (128 + 13). A stdout that cannot be
  written (closed, a full disk) is one `Error:` line and status 1. A stderr that cannot be
  written is given up silently: nothing could say so, and the command's status stands.
- The width is COLUMNS or the terminal's, clamped to 20..1000 columns (`WIDTHS`): a width
  of 0 or a billion is a broken setting, not a terminal.
"""

import os
import sys
from contextlib import contextmanager
from typing import TYPE_CHECKING

from mmplan.core.errors import MmplanError

if TYPE_CHECKING:
    from collections.abc import Iterator
    from typing import TextIO

    from rich.console import Console, RenderableType

MIN_WIDTH, MAX_WIDTH = 20, 1000
WIDTHS = f"{MIN_WIDTH} to {MAX_WIDTH} columns"
DEFAULT_WIDTH = 80  # not a terminal and no COLUMNS: Rich's own default
PIPE_CLOSED_STATUS = 141  # 128 + SIGPIPE: what a shell shows for `yes | head -1`


class PipeClosed(Exception):
    """The reader of stdout went away: the command ends quietly (status 141)."""


class OutputError(MmplanError):
    """Stdout cannot be written: closed, or the disk is full."""


def terminal_width() -> int:
    """COLUMNS when it is a number, else the terminal's width, else 80; within `WIDTHS`."""
    text = os.environ.get("COLUMNS", "").strip()
    if text.isascii() and text.isdigit():
        width = int(text) if len(text) < 10 else MAX_WIDTH
    else:
        width = 0
        for stream in (sys.stdout, sys.stderr, sys.stdin):
            try:
                width = os.get_terminal_size(stream.fileno()).columns
            except (AttributeError, ValueError, OSError):
                continue
            break
        width = width or DEFAULT_WIDTH
    return max(MIN_WIDTH, min(width, MAX_WIDTH))


def _console(*, stderr: bool) -> "Console":
    """A console that reads no markup or emoji codes, at the clamped width, honouring
    NO_COLOR (https://no-color.org): then no style codes at all, bold and italic included
    (Rich's own NO_COLOR support drops only colours)."""
    from rich.console import Console

    return Console(
        stderr=stderr,
        markup=False,
        emoji=False,
        highlight=False,
        soft_wrap=False,
        width=terminal_width(),
        height=25,  # never used to lay anything out; given so Rich reads no LINES
        color_system=None if os.environ.get("NO_COLOR") else "auto",
    )


def stdout_console() -> "Console":
    """A Rich console for what a person reads on stdout (its width lays out the tables)."""
    return _console(stderr=False)


def stderr_console() -> "Console":
    return _console(stderr=True)


def show(*renderables: "RenderableType") -> None:
    """Print renderables for a person on stdout, with no trailing spaces on any line (Rich
    pads tables and centred titles to the width). Nothing is cropped: every renderable
    fits the width but a web address wider than the line, which stays whole."""
    write_plain(rendered(*renderables), terminal=True)


def rendered(*renderables: "RenderableType") -> str:
    """The text `show` writes for these renderables on this stdout: its width, colours and
    encoding (`terminal_look`)."""
    console = stdout_console()
    # Rich touches the stream too, even to capture
    with _stdout_failures(), console.capture() as captured:
        for renderable in renderables:
            console.print(renderable, crop=False)
    return "\n".join(line.rstrip(" ") for line in captured.get().split("\n"))


def terminal_look() -> tuple[object, ...]:
    """What shapes `rendered` text besides the renderables: stdout's width, whether it is a
    terminal, its colours and its encoding. A terminal view kept for one look is written
    again only to the same."""
    console = stdout_console()
    return (
        console.width,
        console.is_terminal,
        console.color_system,
        console.legacy_windows,
        _encoding(sys.stdout),
    )


def write_plain(text: str, *, terminal: bool = False) -> None:
    """Write text as is: no wrapping, no styling. A machine format (json, csv, markdown,
    ics, html) is UTF-8; a `terminal` view of plain lines (`validate`'s) follows stdout's
    encoding. The last line always ends with a newline; empty text writes nothing."""
    with _stdout_failures() as stream:
        encoding = _encoding(stream) if terminal else "utf-8"
        _write(stream, text if not text or text.endswith("\n") else text + "\n", encoding)


def say(text: str, style: str = "", *, wrap: bool = False) -> None:
    """One message line on stderr, shown as written (its escapes are the caller's); `wrap`:
    on a terminal, wrapped between words rather than cut by the terminal."""
    from rich.text import Text

    stream = sys.stderr
    if stream is None:
        return
    console = stderr_console()
    try:  # Rich touches the stream too, even to capture
        with console.capture() as captured:
            console.print(Text(text, style=style), soft_wrap=not (wrap and console.is_terminal))
        _write(stream, captured.get(), _encoding(stream))
    except (OSError, ValueError):  # nowhere left to say it: the command's status stands
        _discard(stream)


def _encoding(stream: "TextIO | None") -> str:
    return getattr(stream, "encoding", None) or "utf-8"


@contextmanager
def _stdout_failures() -> "Iterator[TextIO]":
    """Stdout, with every way writing it can fail turned into one of ours."""
    stream = sys.stdout
    if stream is None:  # Python found no stdout at start-up (`mmplan list >&-`)
        raise OutputError("cannot write the output: standard output is closed")
    try:
        yield stream
    except BrokenPipeError:
        _discard(stream)
        raise PipeClosed from None
    except OSError as error:
        _discard(stream)
        reason = error.strerror or type(error).__name__
        raise OutputError(f"cannot write the output: {reason}") from None
    except ValueError as error:  # the stream was closed under us
        if "closed file" not in str(error):
            raise
        raise OutputError("cannot write the output: standard output is closed") from None


def _write(stream: "TextIO", text: str, encoding: str) -> None:
    """`text` as bytes in `encoding` (what it cannot show replaced), flushed.

    Written a chunk at a time: a single large write to a pipe whose reader left returns
    short without an error, and the end of the pipe would go unnoticed."""
    data = text.encode(encoding, errors="replace")
    buffer = getattr(stream, "buffer", None)
    stream.flush()  # anything written as text before goes first
    if buffer is None:  # a text-only stream (a test's): the encoding still applies
        stream.write(data.decode(encoding))
        stream.flush()
        return
    for start in range(0, len(data), _CHUNK):
        buffer.write(data[start : start + _CHUNK])
        buffer.flush()


_CHUNK = 64 * 1024  # a pipe's buffer


def _discard(stream: "TextIO") -> None:
    """Point the stream's descriptor at /dev/null, so that Python's last flush at exit
    neither fails again (exit 120) nor prints "Exception ignored"."""
    try:
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, stream.fileno())
        os.close(null)
    except (OSError, ValueError, AttributeError):  # no descriptor (a test's stream)
        pass
