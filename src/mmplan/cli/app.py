"""The Typer app, its global options, and the one place errors become messages."""

import os
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

import typer
import typer._click as click  # Typer vendors click; its Context is the base class
from typer._click import _textwrap
from typer._click.exceptions import (
    BadParameter,
    MissingParameter,
    NoArgsIsHelpError,
    NoSuchOption,
)
from typer._click.exceptions import UsageError as ClickUsageError
from typer.core import TyperGroup

from mmplan.cli.output import PIPE_CLOSED_STATUS, PipeClosed, say

# The writers are cli/output.py's; named here too, where commands have always found them.
from mmplan.cli.output import show as show
from mmplan.cli.output import stderr_console as stderr_console
from mmplan.cli.output import stdout_console as stdout_console
from mmplan.cli.output import write_plain as write_plain
from mmplan.core.errors import MmplanError, shown
from mmplan.version import __version__

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping, Sequence
    from datetime import date

    from pydantic import BaseModel
    from rich.console import RenderableType

    from mmplan.catalog.model import Catalog, LoadedCatalog
    from mmplan.catalog.sources import CatalogSources


F = TypeVar("F", bound=StrEnum)  # a command's output-format enum


class TableFormat(StrEnum):
    TABLE = "table"
    JSON = "json"
    CSV = "csv"
    MARKDOWN = "markdown"


class _WholeWordWrapper(_textwrap.TextWrapper):
    """Click's help text wrapper, wrapping between words only: never inside an option name
    at its hyphen (`--hours-` / `per-week` at 60 columns)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **{**kwargs, "break_on_hyphens": False})


_textwrap.TextWrapper = _WholeWordWrapper  # type: ignore[misc]  # read by click's wrap_text


class DocumentFormat(StrEnum):
    TABLE = "table"
    JSON = "json"


class YamlFormat(StrEnum):
    """`progress export`'s one format: a YAML document."""

    YAML = "yaml"


class NoSuchCommand(ClickUsageError):
    """A command name no group knows, with the close matches to suggest."""

    def __init__(self, name: str, possibilities: "Sequence[str]", ctx: click.Context) -> None:
        super().__init__(f"No such command {shown(name)}.", ctx)
        self.name = name
        self.possibilities = tuple(possibilities)


class CommandGroup(TyperGroup):
    """A group whose usage errors name the command they are about: an unknown command
    carries its close matches, and an error click raises without a context (an option
    missing its value) gets the context of the command being parsed."""

    def resolve_command(
        self, ctx: click.Context, args: list[str]
    ) -> tuple[str | None, click.Command | None, list[str]]:
        name = args[0]
        unknown = not name.startswith("-") and self.get_command(ctx, name) is None
        if unknown and not ctx.resilient_parsing:
            from difflib import get_close_matches

            raise NoSuchCommand(name, get_close_matches(name, self.list_commands(ctx)), ctx)
        return super().resolve_command(ctx, args)

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except ClickUsageError as error:
            name = ctx.invoked_subcommand
            command = None if name is None else self.get_command(ctx, name)
            if error.ctx is None and command is not None:
                error.ctx = click.Context(command, parent=ctx, info_name=name)
            raise


class _ErrorBoundary(CommandGroup):
    """Turns every error below into one line on stderr and an exit code.

    Click's own usage errors (an unknown option or command, a missing argument) are
    caught where click raises them: parsing the global options (`make_context`), and
    parsing a command's (inside `invoke`). Only `mmplan` or a group typed alone, which
    click answers with the help, keeps click's output.
    """

    def make_context(
        self,
        info_name: str | None,
        args: list[str],
        parent: click.Context | None = None,
        **extra: Any,
    ) -> click.Context:
        try:
            return super().make_context(info_name, args, parent, **extra)
        except ClickUsageError as error:
            if isinstance(error, NoArgsIsHelpError):
                raise
            if error.ctx is None:  # an option of the program itself missing its value
                error.ctx = click.Context(self, info_name=info_name)
            print_error(_usage_message(error))
            raise typer.Exit(error.exit_code) from None
        except KeyboardInterrupt:  # while the command line is parsed
            print_error("interrupted")
            raise typer.Exit(130) from None

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except BadParameter as error:
            if _debug(ctx):
                raise
            if isinstance(error, MissingParameter):
                print_error(_usage_message(error))
            else:
                print_error(f"{_parameter_name(error)}: {error.message}")
            raise typer.Exit(2) from None
        except ClickUsageError as error:
            if isinstance(error, NoArgsIsHelpError) or _debug(ctx):
                raise
            print_error(_usage_message(error))
            raise typer.Exit(error.exit_code) from None
        except (typer.Exit, typer.Abort, typer.TyperException):
            raise
        except PipeClosed:  # the reader went away (`| head`): nothing more to say
            raise typer.Exit(PIPE_CLOSED_STATUS) from None
        except MmplanError as error:
            if _debug(ctx):
                raise
            print_error(str(error))
            raise typer.Exit(error.exit_code) from None
        except KeyboardInterrupt:
            print_error("interrupted")
            raise typer.Exit(130) from None
        except Exception as error:  # a bug: still no traceback unless asked for
            if _debug(ctx):
                raise
            print_error(f"internal error: {type(error).__name__}: {error} (rerun with --debug)")
            raise typer.Exit(1) from None


def _usage_message(error: ClickUsageError) -> str:
    """Click's usage error as one line: what is wrong, then the help to read."""
    if isinstance(error, NoSuchOption):
        message = f"no such option: {error.option_name}"
        hint = _global_hint(error)
        if hint:
            return f"{message}; {hint}"
        if error.possibilities:
            message += f" (did you mean {' or '.join(sorted(error.possibilities))}?)"
    elif isinstance(error, NoSuchCommand):
        message = f"no such command {shown(error.name)}"
        if error.possibilities:
            message += f" (did you mean {' or '.join(map(shown, error.possibilities))}?)"
    elif isinstance(error, MissingParameter) and error.param is not None:
        message = f"missing {error.param.param_type_name} {_parameter_name(error)}"
    else:  # a sentence of click's: "No such command 'x'.", "Got unexpected extra argument (y)"
        sentence = error.format_message().removesuffix(".")
        message = sentence[:1].lower() + sentence[1:]
    if error.ctx is None:  # click's parser names no command for a few option errors
        return message
    return f"{message} — see '{error.ctx.command_path} --help'"


def _global_hint(error: NoSuchOption) -> str | None:
    """Where a global option goes when it was typed after the command (`mmplan plan X
    --catalog F`): before it, as in `mmplan --catalog F plan X`."""
    if error.ctx is None or error.ctx.parent is None:
        return None
    root = error.ctx.find_root()
    option = next(
        (p for p in root.command.params if error.option_name in getattr(p, "opts", ())), None
    )
    if option is None:
        return None
    value = "" if getattr(option, "is_flag", False) else f" {option.metavar or 'VALUE'}"
    command = error.ctx.command_path.partition(" ")[2]
    return (
        f"{error.option_name} is a global option: put it before the command, as in "
        f"'{root.info_name} {error.option_name}{value} {command} ...'"
    )


def _parameter_name(error: BadParameter) -> str:
    """The option's long name (`--hours-per-week`), or the argument's metavar."""
    if error.param is None:
        return "invalid value"
    if error.param.opts and error.param.param_type_name == "option":
        return max(error.param.opts, key=len)
    return error.param.human_readable_name


def _debug(ctx: click.Context) -> bool:
    return bool(ctx.params.get("debug"))


app = typer.Typer(
    cls=_ErrorBoundary,
    name="mmplan",
    help="Plan your way through an edX MicroMasters program.",
    epilog="Example: mmplan plan mitx-scm --hours-per-week 8",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _show_version(value: bool) -> None:
    if value:
        write_plain(f"mmplan {__version__}")
        raise typer.Exit()


@app.callback()
def main_options(
    catalog: Annotated[
        list[Path] | None,
        typer.Option(
            "--catalog",
            metavar="PATH",
            help="Extra catalog file layered over the bundled one (repeatable). "
            "Also read from MMPLAN_CATALOG.",
            # No `dir_okay=False`: the loader refuses a directory itself, with the message
            # and exit code a directory in MMPLAN_CATALOG gets (one fault, one answer).
        ),
    ] = None,
    no_bundled: Annotated[
        bool, typer.Option("--no-bundled", help="Leave out the bundled catalog.")
    ] = False,
    no_overlay: Annotated[
        bool,
        typer.Option(
            "--no-overlay",
            help="Leave out the runs and prices 'mmplan catalog refresh' fetched.",
        ),
    ] = False,
    debug: Annotated[bool, typer.Option("--debug", help="Show tracebacks of errors.")] = False,
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_show_version, is_eager=True, help="Show the version and exit."
        ),
    ] = False,
) -> None:
    """Plan your way through an edX MicroMasters program.

    Example: mmplan plan mitx-scm --hours-per-week 8
    """
    # Nothing to do yet: a command that needs the catalog reads these options through
    # `catalog_sources`. Click runs this callback before a command's --help, which so
    # loads no catalog code.


def catalog_sources(ctx: typer.Context) -> "CatalogSources":
    """The catalog files chosen by the global options (parsed, even when the root callback
    has not run, as during shell completion) and MMPLAN_CATALOG."""
    from mmplan.catalog.sources import CatalogSources

    options = ctx.find_root().params
    return CatalogSources.from_environment(
        tuple(Path(path) for path in options.get("catalog") or ()),
        not options.get("no_bundled", False),
        not options.get("no_overlay", False),
    )


def active_catalog(ctx: typer.Context) -> "Catalog":
    """The merged, validated catalog chosen by the global options; its warnings on stderr."""
    return active_loaded(ctx).catalog


def active_loaded(ctx: typer.Context) -> "LoadedCatalog":
    """`active_catalog`, with what loading it noted (warnings, the overlay's programs)."""
    from mmplan.api import open_catalog

    loaded = open_catalog(catalog_sources(ctx))
    for warning in loaded.warnings:
        print_warning(warning)
    return loaded


def emit(
    output_format: "F",
    *,
    table: "Callable[[], Sequence[RenderableType]] | None" = None,
    text: "Mapping[F, Callable[[], str]]",
) -> None:
    """Write a result in the format asked for: the one place every command does it.

    `output_format` is a member of the command's format enum (`TableFormat`, `PlanFormat`,
    ...), and the writers are keyed by its members: `table` gives what a person reads in
    the terminal (Rich, through `show`); `text` gives each machine format (json, csv,
    markdown, ics, html), written as is by `write_plain`. A command whose terminal view is
    plain lines (`validate`'s FILE:LINE:COL lines) gives no `table` and its view under the
    table member of `text`. Every member must have a writer, whichever format is asked for
    (`missing_writers`), so a format added to an enum and not to its command fails on any
    run of that command. Only the format asked for is rendered.
    """
    missing = missing_writers(type(output_format), text, has_table=table is not None)
    if missing:  # a bug in the command, not in the input
        raise LookupError(f"no writer for --format {', '.join(missing)}")
    if output_format == "table" and table is not None:
        show(*table())
    else:
        write_plain(text[output_format](), terminal=output_format == "table")


def missing_writers(
    formats: "type[F]", text: "Mapping[F, object]", *, has_table: bool = False
) -> list[str]:
    """The members of `formats` no writer covers (`table` covers the `table` member)."""
    return [f.value for f in formats if f not in text and not (has_table and f.value == "table")]


def json_text(result: "BaseModel") -> str:
    """A result model as the `--format json` document."""
    import json

    return json.dumps(result.model_dump(mode="json"), indent=2)


def print_error(message: str) -> None:
    """`Error: message` on stderr, as one plain line."""
    from mmplan.core.errors import escaped

    say(f"Error: {escaped(message)}")


TODAY_ENV = "MMPLAN_TODAY"


def today() -> "date":
    """Today's date, or the fixed date in MMPLAN_TODAY (YYYY-MM-DD) for reproducible output.

    MMPLAN_TODAY takes the dates every option takes (mmplan.core.limits); so does the clock.

    MMPLAN_TODAY is read here, in the CLI layer only, so domain code always takes dates as
    arguments; the README tour and the tests pin it.
    """
    from datetime import date

    from mmplan.core.errors import UsageError, shown
    from mmplan.core.limits import check_date, read_date

    fixed = os.environ.get(TODAY_ENV, "").strip()
    try:
        return read_date(fixed) if fixed else check_date(date.today())
    except ValueError as error:
        raise UsageError(f"{TODAY_ENV}={shown(fixed or str(date.today()))} {error}") from None


def print_note(message: str) -> None:
    """`Note: message` on stderr: something worth knowing that is not wrong."""
    from mmplan.core.errors import escaped

    say(f"Note: {escaped(message)}")


def show_data_source(loaded: "LoadedCatalog", program_ids: "Sequence[str]") -> None:
    """A `Data:` line naming where the overlay's facts of these programs come from."""
    lines = data_source_renderables(loaded, program_ids)
    if lines:
        show(*lines)


def data_source_renderables(
    loaded: "LoadedCatalog", program_ids: "Sequence[str]"
) -> "list[RenderableType]":
    """`show_data_source`'s line, to show below something else; none without an overlay."""
    if not loaded.refreshed:
        return []  # no overlay: nothing to name, nothing to import
    from rich.text import Text

    from mmplan.render.catalog import data_source_line

    line = data_source_line(loaded.refreshed, program_ids)
    return [Text(line)] if line else []


def json_with_sources(document: str, loaded: "LoadedCatalog", program_ids: "Sequence[str]") -> str:
    """A command's JSON with `data_sources` naming the overlay's facts of these programs,
    as the `Data:` line does; the document as is when the overlay gave none."""
    if not loaded.refreshed:
        return document
    from mmplan.render.catalog import with_data_sources

    return with_data_sources(document, loaded.refreshed, program_ids)


def print_warning(message: str) -> None:
    """`Warning: message` on stderr: on a terminal wrapped between words (the terminal's own
    wrapping would cut them), elsewhere one line, for the program or file reading it."""
    from mmplan.core.errors import escaped

    say(f"Warning: {escaped(message)}", style="yellow", wrap=True)
