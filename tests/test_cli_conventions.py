"""Conventions every command follows, checked over every command registered on the app.

The commands are discovered from the Typer app, so a new command is checked as soon as it is
registered: help with an `Example:` line, its example runs at 60 and 120 columns without
escape codes or over-wide lines (a web address alone on its line excepted: it is never
cut), machine formats parse, unknown program ids get a did-you-mean and exit 1, bad usage
exits 2, and program/course arguments complete.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import shlex
import subprocess
import sys
from pathlib import Path
from typing import cast

import pytest
import typer
import typer._click as click
from typer.core import TyperArgument as Argument
from typer.core import TyperGroup as Group
from typer.core import TyperOption as Option

from conftest import Invoke
from mitxonline import catalog_courses, catalog_programs
from mmplan import __version__
from mmplan.catalog.load import CatalogSources, bundled_catalog_path, load_active_catalog
from mmplan.cli import app
from mmplan.cli.completion import complete_course_code, complete_program_id


def _walk(command: click.Command, path: tuple[str, ...]) -> list[tuple[str, click.Command]]:
    if isinstance(command, Group):
        found: list[tuple[str, click.Command]] = []
        for name, sub in command.commands.items():
            found.extend(_walk(sub, (*path, name)))
        return found
    return [(" ".join(path), command)]


ROOT = typer.main.get_command(app)
COMMANDS = dict(_walk(ROOT, ()))
GROUPS = [
    name for name, command in getattr(ROOT, "commands", {}).items() if isinstance(command, Group)
]
BUNDLED_IDS = {p.id for p in load_active_catalog(CatalogSources()).catalog.programs}


def _check_json(out: str) -> None:
    json.loads(out)


def _check_csv(out: str) -> None:
    rows = list(csv.reader(io.StringIO(out)))
    assert rows
    assert len({len(row) for row in rows}) == 1


def _check_markdown(out: str) -> None:
    assert out.strip()
    assert all(line.startswith("|") for line in out.splitlines() if line.startswith("|"))


def _check_ics(out: str) -> None:
    assert out.startswith("BEGIN:VCALENDAR")


def _check_html(out: str) -> None:
    assert out.startswith("<!DOCTYPE html>")
    assert out.rstrip().endswith("</html>")


# How each machine format is checked. Every --format choice but `table` is a machine format
# and must have a check here (test_every_machine_format_has_a_check): a new one cannot be
# skipped silently.
MACHINE_FORMATS = {
    "json": _check_json,
    "csv": _check_csv,
    "markdown": _check_markdown,
    "ics": _check_ics,
    "html": _check_html,
}
MACHINE_COMMANDS = {"progress export"}  # prints a YAML document, never wrapped

# Commands whose example needs something to exist first: (arguments, file to save stdout to).
SETUP: dict[str, list[tuple[list[str], str | None]]] = {
    "progress remove": [(["progress", "add", "mitx-scm", "CTL.SC0x"], None)],
    "progress import": [
        (["progress", "add", "mitx-scm", "CTL.SC0x"], None),
        (["progress", "export"], "my-progress.yaml"),
    ],
}


def example_args(name: str) -> list[str]:
    """The arguments of the command's `Example: mmplan ...` line (shell redirections cut)."""
    help_text = COMMANDS[name].help or ""
    lines = [line.strip() for line in help_text.splitlines() if "Example: mmplan " in line]
    assert lines, f"`mmplan {name}` has no `Example: mmplan ...` line in its help"
    words = shlex.split(lines[0].split("Example: mmplan ", 1)[1])
    for index, word in enumerate(words):
        if word in {">", ">>", "|", "<"}:
            return words[:index]
    return words


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A current directory holding the files examples name (a catalog to validate)."""
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    (work / "my-programs.yaml").write_text(bundled_catalog_path().read_text(encoding="utf-8"))
    # A saved MITx Online answer for `catalog refresh --from-file`: no example goes online.
    dump = {"retrieved": "2026-12-01", "programs": catalog_programs(), "courses": catalog_courses()}
    (work / "mitxonline-dump.json").write_text(json.dumps(dump), encoding="utf-8")
    return work


def run_example(mmplan: Invoke, name: str, *extra: str) -> tuple[list[str], object]:
    for args, save_to in SETUP.get(name, []):
        result = mmplan(*args)
        assert result.exit_code == 0, f"setup {args}: {result.stderr}"
        if save_to:
            Path(save_to).write_text(result.stdout)
    args = [*example_args(name), *extra]
    return args, mmplan(*args)


def test_commands_are_discovered() -> None:
    assert {"list", "show", "compare", "validate"} <= set(COMMANDS)


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_every_command_has_help_with_an_example(mmplan: Invoke, name: str) -> None:
    result = mmplan(*name.split(), "--help")
    assert result.exit_code == 0
    assert f"Example: mmplan {name}" in result.stdout
    assert result.stderr == ""


@pytest.mark.parametrize("group", ["", *GROUPS])
def test_groups_list_their_commands_in_help(mmplan: Invoke, group: str) -> None:
    result = mmplan(*group.split(), "--help")
    assert result.exit_code == 0
    prefix = f"{group} " if group else ""
    members = {name[len(prefix) :].split()[0] for name in COMMANDS if name.startswith(prefix)}
    assert members
    for member in members:
        assert member in result.stdout


def test_top_level_help_has_an_example(mmplan: Invoke) -> None:
    assert "Example: mmplan " in mmplan("--help").stdout


def test_version(mmplan: Invoke) -> None:
    result = mmplan("--version")
    assert result.exit_code == 0
    assert result.stdout == f"mmplan {__version__}\n"


@pytest.mark.parametrize("colour_env", ["NO_COLOR", "NO_COLOR-beats-FORCE_COLOR", "no-tty"])
@pytest.mark.parametrize("width", [60, 80, 120])
@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_every_example_renders_at_narrow_and_wide_widths(
    mmplan: Invoke,
    workdir: Path,
    monkeypatch: pytest.MonkeyPatch,
    name: str,
    width: int,
    colour_env: str,
) -> None:
    monkeypatch.setenv("COLUMNS", str(width))
    if colour_env == "no-tty":
        # Colours are on by default, but stdout is not a terminal: still no escape codes.
        monkeypatch.delenv("NO_COLOR", raising=False)
        monkeypatch.setenv("TERM", "xterm-256color")
    elif colour_env == "NO_COLOR-beats-FORCE_COLOR":
        # Even on a forced terminal, NO_COLOR means no style codes at all, bold included.
        monkeypatch.setenv("FORCE_COLOR", "1")
        monkeypatch.setenv("TERM", "xterm-256color")
    args, result = run_example(mmplan, name)
    assert result.exit_code == 0, f"mmplan {shlex.join(args)}: {result.stderr}"  # type: ignore[attr-defined]
    stdout, stderr = result.stdout, result.stderr  # type: ignore[attr-defined]
    assert "\x1b" not in stdout + stderr
    assert "Traceback" not in stdout + stderr
    machine = name in MACHINE_COMMANDS or any(f in args for f in MACHINE_FORMATS)
    if not machine:
        # The one exception: a web address alone on its line is never cut to fit.
        too_wide = [
            line
            for line in stdout.splitlines()
            if len(line) > width and not re.fullmatch(r"https?://\S+", line)
        ]
        assert not too_wide, f"lines wider than {width}: {too_wide[:3]}"
        trailing = [line for line in stdout.splitlines() if line != line.rstrip()]
        assert not trailing, f"lines with trailing spaces: {trailing[:3]}"


def _format_choices(command: click.Command) -> list[str]:
    for param in command.params:
        if isinstance(param, Option) and "--format" in param.opts:
            return [str(choice) for choice in getattr(param.type, "choices", ())]
    return []


FORMAT_CASES = [
    (name, choice)
    for name, command in sorted(COMMANDS.items())
    for choice in _format_choices(command)
    if choice != "table"
]


def test_every_machine_format_has_a_check() -> None:
    assert {choice for _, choice in FORMAT_CASES} == set(MACHINE_FORMATS)


def _without_format(args: list[str]) -> list[str]:
    out: list[str] = []
    skip = False
    for word in args:
        if skip:
            skip = False
            continue
        if word == "--format":
            skip = True
            continue
        if not word.startswith("--format="):
            out.append(word)
    return out


@pytest.mark.parametrize(("name", "output_format"), FORMAT_CASES)
def test_machine_formats_are_plain_and_parse(
    mmplan: Invoke,
    workdir: Path,
    monkeypatch: pytest.MonkeyPatch,
    name: str,
    output_format: str,
) -> None:
    monkeypatch.setenv("COLUMNS", "60")  # a wrapping console would break lines here
    monkeypatch.delenv("NO_COLOR", raising=False)
    for args, save_to in SETUP.get(name, []):
        result = mmplan(*args)
        if save_to:
            Path(save_to).write_text(result.stdout)
    result = mmplan(*_without_format(example_args(name)), "--format", output_format)
    assert result.exit_code == 0, result.stderr
    out = result.stdout
    assert "\x1b" not in out
    MACHINE_FORMATS[output_format](out)


def _program_argument_commands() -> list[str]:
    return sorted(
        name
        for name, command in COMMANDS.items()
        if any(
            isinstance(p, Argument) and p.name in {"program", "programs"} for p in command.params
        )
    )


@pytest.mark.parametrize("name", _program_argument_commands())
def test_unknown_program_id_exits_1_with_did_you_mean(mmplan: Invoke, name: str) -> None:
    args = example_args(name)
    known = [index for index, word in enumerate(args) if word in BUNDLED_IDS]
    assert known, f"the example of `mmplan {name}` names no bundled program"
    real = args[known[0]]
    args[known[0]] = real + "z"
    result = mmplan(*args)
    assert result.exit_code == 1, result.stdout
    assert result.stdout == ""
    assert result.stderr.startswith("Error: ")
    assert f"did you mean '{real}'?" in result.stderr
    assert result.stderr.count("\n") == 1  # one line, no traceback


@pytest.mark.parametrize("name", _program_argument_commands())
def test_program_ids_are_case_insensitive(mmplan: Invoke, workdir: Path, name: str) -> None:
    for args, _ in SETUP.get(name, []):
        mmplan(*args)
    args = example_args(name)
    args = [word.upper() if word in BUNDLED_IDS else word for word in args]
    result = mmplan(*args)
    assert result.exit_code == 0, result.stderr


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_an_unknown_option_is_one_line_naming_it_and_exits_2(mmplan: Invoke, name: str) -> None:
    result = mmplan(*name.split(), "--qqqq")
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == (f"Error: no such option: --qqqq — see 'mmplan {name} --help'\n")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ("plan", "mitx-scm", "--hours-per-weak", "8"),
            "no such option: --hours-per-weak (did you mean --hours-per-week?)"
            " — see 'mmplan plan --help'",
        ),
        (("plan",), "missing argument PROGRAM... — see 'mmplan plan --help'"),
        (("status",), "missing argument PROGRAM — see 'mmplan status --help'"),
        (
            ("progress", "add", "mitx-scm"),
            "missing argument CODE... — see 'mmplan progress add --help'",
        ),
        (
            ("show", "mitx-scm", "extra"),
            "got unexpected extra argument(s) (extra) — see 'mmplan show --help'",
        ),
        (("nope",), "no such command 'nope' — see 'mmplan --help'"),
        (("progress", "nope"), "no such command 'nope' — see 'mmplan progress --help'"),
        (("plna",), "no such command 'plna' (did you mean 'plan'?) — see 'mmplan --help'"),
        (
            ("progress", "shwo"),
            "no such command 'shwo' (did you mean 'show'?) — see 'mmplan progress --help'",
        ),
        (("--nope", "list"), "no such option: --nope — see 'mmplan --help'"),
        (  # a global option after the command (#25): where it goes
            ("plan", "mitx-scm", "--catalog", "mine.yaml"),
            "no such option: --catalog; --catalog is a global option: put it before the "
            "command, as in 'mmplan --catalog PATH plan ...'",
        ),
        (
            ("progress", "show", "--no-bundled"),
            "no such option: --no-bundled; --no-bundled is a global option: put it before the "
            "command, as in 'mmplan --no-bundled progress show ...'",
        ),
        (
            ("cost", "mitx-scm", "--aid"),
            "option '--aid' requires an argument — see 'mmplan cost --help'",
        ),
        (
            ("progress", "add", "mitx-scm", "CTL.SC0x", "--date"),
            "option '--date' requires an argument — see 'mmplan progress add --help'",
        ),
        (("--catalog",), "option '--catalog' requires an argument — see 'mmplan --help'"),
        (
            ("list", "--format", "xml"),
            "--format: 'xml' is not one of 'table', 'json', 'csv', 'markdown'.",
        ),
    ],
)
def test_clicks_usage_errors_are_one_line_and_exit_2(
    mmplan: Invoke, args: tuple[str, ...], message: str
) -> None:
    """No usage block: one line says what is wrong and which help to read (README)."""
    result = mmplan(*args)
    assert (result.exit_code, result.stdout, result.stderr) == (2, "", f"Error: {message}\n")


@pytest.mark.parametrize("group", [(), ("progress",)])
def test_a_group_typed_alone_shows_its_help(mmplan: Invoke, group: tuple[str, ...]) -> None:
    result = mmplan(*group)
    assert result.exit_code in {0, 2}
    assert "Usage" in result.stdout + result.stderr
    assert "Commands" in result.stdout + result.stderr


# --- one error boundary --------------------------------------------------------------------


def _boom(*args: object, **kwargs: object) -> None:
    raise RuntimeError("boom")


def test_an_unexpected_exception_becomes_one_line(
    mmplan: Invoke, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("mmplan.reports.listing.list_programs", _boom)
    result = mmplan("list")
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr == "Error: internal error: RuntimeError: boom (rerun with --debug)\n"


def test_debug_lets_the_exception_through(mmplan: Invoke, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("mmplan.reports.listing.list_programs", _boom)
    result = mmplan("--debug", "list")
    assert isinstance(result.exception, RuntimeError)


def test_debug_prints_a_traceback_in_a_real_process(tmp_path: Path) -> None:
    script = (
        "import sys, mmplan.reports.listing as listing\n"
        "def boom(*a, **k): raise RuntimeError('boom')\n"
        "listing.list_programs = boom\n"
        "from mmplan.cli import main\n"
        "sys.argv = ['mmplan'] + sys.argv[1:]\n"
        "main()\n"
    )
    env = {**os.environ, "MMPLAN_HOME": str(tmp_path), "XDG_CACHE_HOME": str(tmp_path)}
    quiet = subprocess.run(
        [sys.executable, "-c", script, "list"], capture_output=True, text=True, env=env, check=False
    )
    loud = subprocess.run(
        [sys.executable, "-c", script, "--debug", "list"],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert quiet.returncode == 1
    assert "Traceback" not in quiet.stderr
    assert quiet.stderr.strip() == "Error: internal error: RuntimeError: boom (rerun with --debug)"
    assert loud.returncode == 1
    assert "Traceback" in loud.stderr
    assert "RuntimeError: boom" in loud.stderr


def test_a_broken_catalog_is_one_error_line_not_a_traceback(mmplan: Invoke, tmp_path: Path) -> None:
    broken = tmp_path / "broken.yaml"
    broken.write_text("schema_version: 1\nprograms: [\n")
    result = mmplan("--catalog", str(broken), "list")
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: ")
    assert "Traceback" not in result.stderr


# --- shell completion ----------------------------------------------------------------------


def _complete(mmplan_env: dict[str, str]) -> str:
    from typer.testing import CliRunner

    result = CliRunner().invoke(app, [], env=mmplan_env, prog_name="mmplan")
    return result.stdout


def test_bash_completion_of_program_ids() -> None:
    env = {
        "_MMPLAN_COMPLETE": "complete_bash",
        "COMP_WORDS": "mmplan show mitx-s",
        "COMP_CWORD": "2",
    }
    assert _complete(env).split() == ["mitx-scm", "mitx-sds"]


def test_completion_honours_the_global_catalog_options(tmp_path: Path) -> None:
    words = f"mmplan --no-bundled --catalog {tmp_path / 'missing.yaml'} show mi"
    env = {"_MMPLAN_COMPLETE": "complete_bash", "COMP_WORDS": words, "COMP_CWORD": "5"}
    assert _complete(env).split() == []  # an unreadable catalog completes nothing, quietly


def _context(*words: str) -> typer.Context:
    """The context completion callbacks get: parsed, callbacks not run."""
    context = ROOT.make_context("mmplan", list(words), resilient_parsing=True)
    return cast(typer.Context, context)


def test_complete_program_id_is_case_insensitive_and_ordered() -> None:
    assert complete_program_id(_context("list"), "MITX-S") == ["mitx-scm", "mitx-sds"]
    assert complete_program_id(_context("list"), "zzz") == []


def test_complete_course_code_uses_the_program_already_typed() -> None:
    assert complete_course_code(_context("list"), ["mitx-scm"], "ctl.sc") == [
        "CTL.SC0x",
        "CTL.SC1x",
        "CTL.SC2x",
        "CTL.SC3x",
        "CTL.SC4x",
    ]
    # Without a program on the line, full `program/CODE` ids.
    assert complete_course_code(_context("list"), [], "mitx-scm/CTL.CF") == ["mitx-scm/CTL.CFx"]


COMPLETED_NAMES = {"program", "programs", "code", "codes", "done", "pick"}


def test_program_and_course_parameters_complete() -> None:
    missing = [
        f"mmplan {name}: {param.name}"
        for name, command in sorted(COMMANDS.items())
        for param in command.params
        if param.name in COMPLETED_NAMES and getattr(param, "_custom_shell_complete", None) is None
    ]
    assert not missing, "use mmplan.cli.completion for: " + ", ".join(missing)


# --- a fixed "today" for reproducible output -------------------------------------------------


def test_today_is_fixed_by_mmplan_today(monkeypatch: pytest.MonkeyPatch) -> None:
    from datetime import date

    from mmplan.cli.app import today

    monkeypatch.setenv("MMPLAN_TODAY", "2027-02-03")
    assert today() == date(2027, 2, 3)
    monkeypatch.delenv("MMPLAN_TODAY")
    assert today() == date.today()


def test_a_bad_mmplan_today_is_a_usage_error(monkeypatch: pytest.MonkeyPatch) -> None:
    from mmplan.cli.app import today
    from mmplan.core.errors import UsageError

    monkeypatch.setenv("MMPLAN_TODAY", "tomorrow")
    with pytest.raises(UsageError, match="MMPLAN_TODAY='tomorrow' is not a date"):
        today()
