"""Hostile data stays inert (issue #24): a catalog, a progress file, a path or the environment
can hold any text; none of it runs in a shell, acts as markup or formula, or breaks output.

One test (or one parametrised test) per finding of the attack round, named by it (F1...).
"""

from __future__ import annotations

import dataclasses
import json
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, Phase, example, given, settings
from hypothesis import strategies as st

from conftest import Invoke, bounded
from factories import catalog, catalog_data, catalog_yaml, cli_on, course, program
from mmplan.catalog.model import Catalog
from mmplan.cli import app

HOSTILE_CODES = [
    "x\\",
    ");id>pwned;(",
    ");sh<evil.yaml;(",
    "-rf",
    ".hidden",
    "a$b",
    "a'b",
    "a`b",
    "a:b",
    "ü1",
]


@pytest.fixture(autouse=True)
def fixed_today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MMPLAN_TODAY", "2026-06-01")


# ----- F1: course codes and program ids reach shells ---------------------------------------


@pytest.mark.parametrize("code", HOSTILE_CODES)
def test_f1_a_code_outside_the_safe_alphabet_is_refused_where_it_is(
    mmplan: Invoke, tmp_path: Path, code: str
) -> None:
    path = tmp_path / "evil.yaml"
    path.write_text(catalog_yaml(program("evil", course("A"), course(code))))
    result = mmplan("--no-bundled", "validate", str(path))
    assert result.exit_code == 1
    line = result.stdout.splitlines()[0]
    assert line.startswith(f"{path}:")
    where, _, message = line.partition(": programs[evil].courses[")
    assert re.fullmatch(rf"{re.escape(str(path))}:\d+:\d+", where)
    assert "must be letters, digits and '. _ + -', starting with a letter or digit" in message


def test_f1_codes_of_the_safe_alphabet_are_accepted() -> None:
    codes = ["CTL.SC0x", "6.431x", "DS-101", "a_b+c", "9"]
    loaded = catalog(program("p", *(course(code) for code in codes)))
    assert [c.code for c in loaded.programs[0].courses] == codes


def test_f1_the_model_checks_the_alphabet_of_core_limits() -> None:
    import typing

    from mmplan.catalog import model
    from mmplan.core import limits

    def pattern(alias: object) -> str:
        return str(typing.get_args(alias)[1].limits["pattern"])

    assert pattern(model.CourseCode) == limits.CODE_PATTERN
    assert pattern(model.Slug) == limits.SLUG_PATTERN


def _smuggled(code: str) -> Catalog:
    """A catalog holding `code` as if validation had let it through (an older cache)."""
    loaded = catalog(program("evil", course("A"), course("B")))
    evil = loaded.programs[0]
    courses = (dataclasses.replace(evil.courses[0], code=code), *evil.courses[1:])
    return dataclasses.replace(loaded, programs=(dataclasses.replace(evil, courses=courses),))


SHELL_REQUESTS = {
    "bash": {"COMP_WORDS": "mmplan progress add evil ", "COMP_CWORD": "4"},
    "zsh": {"_TYPER_COMPLETE_ARGS": "mmplan progress add evil "},
    "fish": {
        "_TYPER_COMPLETE_ARGS": "mmplan progress add evil ",
        "_TYPER_COMPLETE_FISH_ACTION": "get-args",
    },
    "powershell": {
        "_TYPER_COMPLETE_ARGS": "mmplan progress add evil",
        "_TYPER_COMPLETE_WORD_TO_COMPLETE": "",
    },
}


@pytest.mark.parametrize("shell", sorted(SHELL_REQUESTS))
@pytest.mark.parametrize("code", HOSTILE_CODES)
def test_f1_completion_never_offers_a_code_outside_the_alphabet(
    monkeypatch: pytest.MonkeyPatch, shell: str, code: str
) -> None:
    from typer.testing import CliRunner

    monkeypatch.setattr("mmplan.cli.completion._catalog", lambda ctx: _smuggled(code))
    env = {"_MMPLAN_COMPLETE": f"complete_{shell}", **SHELL_REQUESTS[shell]}
    result = CliRunner().invoke(app, [], env=env, prog_name="mmplan")
    assert "B" in result.stdout  # completion works: the safe code is offered
    assert code not in result.stdout
    for word in ("evil/" + code, code.strip("\\")):
        assert word not in result.stdout.split()


# ----- a catalog with hostile text in every string field -----------------------------------


def hostile_catalog(text: str) -> dict[str, Any]:
    """A valid catalog whose every free-text field holds `text` (two programs, one of them
    with tracks, electives, a credit pathway and its own platform)."""
    evil = program(
        "evil",
        course(
            "A",
            title=f"A {text}",
            url=f"https://example.org/{text}",
            notes=text,
            external_prerequisites=[text],
            runs=["2026-09-01"],
            pacing="instructor",
        ),
        course("B", title=text, prereqs=["A"], price=None),
        course("C", title=f"C {text}"),
        course("D", title=f"D {text}"),
        course("E", title=f"E {text}", price=[100, 1000]),
        course("F", title=f"F {text}"),
        title=f"Evil {text}",
        institution=text,
        field=text,
        url=text,
        published_duration=text,
        platform=f"P {text}",
        notes=text,
        sources=[text],
        electives=[{"choose": 1, "from": ["C", "D"]}],
        tracks=[{"name": f"T1 {text}", "courses": ["E"]}, {"name": f"T2 {text}", "courses": ["F"]}],
        credit_pathways=[{"institution": text, "degree": text, "credit": text, "url": text}],
    )
    other = program("other", course("X", title=text), title=text, institution=text, field=text)
    moved = program(
        "moved",
        course("Y", title=text),
        title=text,
        institution=text,
        field=text,
        status="moved",
        status_note=text,
        platform=f"P {text}",
    )
    data = catalog_data(evil, other, moved)
    data["platforms"] = [
        {"name": f"P {text}", "upgrade_deadline_days": 14, "rule": text, "sources": [text]}
    ]
    return data


MARKUP = ["[/x]", "[link=https://evil.example]x[/link]", "[bold]b", ":smile:", "[/]"]
COMMANDS = {  # every command that shows catalog text, with the formats it writes
    ("list",): ("table", "json", "csv", "markdown"),
    ("show", "evil"): ("table", "json"),
    ("show", "moved"): ("table", "json"),
    ("compare", "evil", "other"): ("table", "json", "csv", "markdown"),
    ("status", "evil"): ("table", "json"),
    ("cost", "evil"): ("table", "json", "csv", "markdown"),
    ("cost", "evil", "--by-month"): ("table", "json", "csv", "markdown"),
    ("plan", "evil", "--solver-seconds", "0", "-v"): (
        "table",
        "json",
        "csv",
        "markdown",
        "ics",
        "html",
    ),
    ("plan", "moved", "--solver-seconds", "0"): ("table",),
    ("progress", "show", "evil"): ("table", "json"),
}


def _on_hostile_catalog(mmplan: Invoke, folder: Path, text: str) -> Invoke:
    """The CLI over `hostile_catalog(text)` alone, written to a file in `folder`."""
    import yaml

    data = yaml.safe_dump(hostile_catalog(text), sort_keys=False, allow_unicode=True)
    return cli_on(mmplan, folder / "hostile.yaml", text=data)


def _run_everything(run: Invoke) -> Iterator[tuple[str, str, str]]:
    """(command line, format, stdout) of every command in every format over the catalog,
    each checked to end well: exit 0, no internal error."""
    added = run("progress", "add", "evil", "A", "--date", "2026-05-01")
    assert added.exit_code == 0, added.stderr
    for words, formats in COMMANDS.items():
        for output_format in formats:
            result = run(*words, "--format", output_format)
            line = " ".join((*words, "--format", output_format))
            assert result.exit_code == 0, f"{line}: {result.stderr}"
            assert "internal error" not in result.stderr, line
            yield line, output_format, result.stdout


@pytest.mark.parametrize("markup", MARKUP)
def test_f2_markup_in_every_field_prints_as_written(
    mmplan: Invoke, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, markup: str
) -> None:
    monkeypatch.setenv("COLUMNS", "1000")
    text = f"{markup} and [/y]"
    for line, output_format, stdout in _run_everything(_on_hostile_catalog(mmplan, tmp_path, text)):
        if output_format == "table":
            assert text in stdout, line
        elif output_format == "json":
            assert text in json.dumps(json.loads(stdout), ensure_ascii=False), line


def test_f2_a_data_directory_with_markup_is_shown_as_written(
    mmplan: Invoke, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("MMPLAN_HOME")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "[/y] [link=evil]x"))
    monkeypatch.setenv("COLUMNS", "1000")
    added = mmplan("progress", "add", "mitx-scm", "CTL.SC0x", "--date", "2026-05-01")
    assert added.exit_code == 0
    assert "[/y] [link=evil]x" in added.stderr
    shown = mmplan("progress", "show")
    assert shown.exit_code == 0, shown.stderr
    assert "[/y][link=evil]x" in "".join(shown.stdout.split())  # the caption wraps


# ----- F3/F4: a closed pipe, a closed stdout, a full disk ----------------------------------


def _mmplan_process(
    *args: str, env: dict[str, str] | None = None, **streams: Any
) -> subprocess.Popen[bytes]:
    """The console entry point (`python -m mmplan`) in a process of its own."""
    return subprocess.Popen(
        [sys.executable, "-m", "mmplan", *args], env={**os.environ, **(env or {})}, **streams
    )


@pytest.fixture(scope="module")
def big_catalog(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A catalog whose listing is far larger than a pipe's buffer."""
    path = tmp_path_factory.mktemp("big") / "big.yaml"
    notes = "a long title " * 40
    programs = [program(f"p{i}", course("A"), title=f"{i} {notes}") for i in range(300)]
    path.write_text(catalog_yaml(*programs))
    return path


@pytest.mark.parametrize("output_format", ["table", "json"])
def test_f3_a_reader_that_leaves_ends_the_command_quietly(
    big_catalog: Path, output_format: str
) -> None:
    process = _mmplan_process(
        "--no-bundled", "--catalog", str(big_catalog), "list", "--format", output_format,
        stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )  # fmt: skip
    assert process.stdout is not None
    assert process.stderr is not None
    with process, bounded(60):
        process.stdout.read(100)  # `| head -c 100`
        process.stdout.close()
        errors = process.stderr.read().decode()
        status = process.wait()
    assert errors == ""
    assert status == 141  # 128 + SIGPIPE, as a shell reports it


def test_f4_a_full_disk_is_one_error_line() -> None:
    with open("/dev/full", "wb") as full, bounded(60):
        process = _mmplan_process("list", stdout=full, stderr=subprocess.PIPE)
        _, errors = process.communicate()
    assert errors.decode() == "Error: cannot write the output: No space left on device\n"
    assert process.returncode == 1


def test_f4_a_closed_stdout_is_one_error_line() -> None:
    with bounded(60):
        process = subprocess.run(
            ["sh", "-c", f'exec "{sys.executable}" -m mmplan list >&-'],
            stderr=subprocess.PIPE,
            check=False,
        )
    assert process.stderr.decode() == "Error: cannot write the output: standard output is closed\n"
    assert process.returncode == 1


def test_f4_a_plan_that_succeeds_keeps_its_status_when_stderr_is_full() -> None:
    with open("/dev/full", "wb") as full, bounded(60):
        process = _mmplan_process(
            "plan", "mitx-scm", "--solver-seconds", "0", stdout=subprocess.PIPE, stderr=full
        )
        out, _ = process.communicate()
    assert process.returncode == 0
    assert out.decode().startswith("Plan for mitx-scm")


# ----- F5: encodings ----------------------------------------------------------------------


@pytest.mark.parametrize("charset", ["ascii", "latin-1"])
@pytest.mark.parametrize(
    "words", [("list",), ("show", "mitx-scm"), ("cost", "mitx-scm"), ("status", "mitx-scm")]
)
def test_f5_the_terminal_view_follows_the_terminal_encoding(
    charset: str, words: tuple[str, ...]
) -> None:
    from typer.testing import CliRunner

    result = CliRunner(charset=charset).invoke(app, list(words), prog_name="mmplan")
    assert result.exit_code == 0, result.stderr
    text = result.stdout_bytes.decode(charset)  # nothing it cannot show
    assert "mitx-scm" in text


@pytest.mark.parametrize("output_format", ["json", "csv", "markdown"])
def test_f5_machine_formats_are_utf8_whatever_the_terminal(
    tmp_path: Path, output_format: str
) -> None:
    from typer.testing import CliRunner

    title = "Écoles – ✓ 学"
    path = tmp_path / "u.yaml"
    path.write_text(catalog_yaml(program("p", course("A", title=title), title=title)))
    words = ["--no-bundled", "--catalog", str(path), "list", "--format", output_format]
    result = CliRunner(charset="ascii").invoke(app, words, prog_name="mmplan")
    assert result.exit_code == 0, result.stderr
    text = result.stdout_bytes.decode("utf-8")
    assert title in (
        json.dumps(json.loads(text), ensure_ascii=False) if output_format == "json" else text
    )


def test_f5_a_latin1_terminal_in_a_process_of_its_own() -> None:
    with bounded(60):
        process = _mmplan_process(
            "list", env={"PYTHONIOENCODING": "latin-1"},
            stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        )  # fmt: skip
        out, errors = process.communicate()
    assert process.returncode == 0, errors
    assert "mitx-scm" in out.decode("latin-1")
    assert re.search(r"\$[0-9,]+\?\$[0-9,]+", out.decode("latin-1"))  # a range's en dash


# ----- F11/F12: CSV and Markdown carry no code ---------------------------------------------

FORMULAS = [
    '=HYPERLINK("https://evil.example","x")',
    "@SUM(1+1)*cmd",
    "+cmd|' /C calc'!A0",
    "-2+3+cmd",
    "\t=1",
]  # fmt: skip


@pytest.mark.parametrize("formula", FORMULAS)
def test_f11_csv_cells_never_start_a_formula(mmplan: Invoke, tmp_path: Path, formula: str) -> None:
    import csv
    import io

    run = cli_on(
        mmplan,
        tmp_path / "c.yaml",
        program("p", course("A", title=formula), title=formula, institution=formula),
        program("q", course("B")),
    )
    for words in (("list",), ("compare", "p", "q"), ("cost", "p"), ("plan", "p")):
        result = run(*words, "--format", "csv")
        assert result.exit_code == 0, result.stderr
        cells = [cell for row in csv.reader(io.StringIO(result.stdout)) for cell in row]
        assert f"'{formula}" in cells, words
        assert not [c for c in cells if c[:1] in ("=", "+", "@", "\t", "\r")], words


def test_f11_negative_numbers_stay_numbers() -> None:
    from mmplan.render.tabular import Column, TableView, csv_cell, to_csv

    view = TableView(
        "t", (Column("Name"), Column("Change", "right")), (("-1", "-12.5"), ("=1", "-1,000"))
    )
    assert to_csv(view) == "Name,Change\n'-1,-12.5\n'=1,\"-1,000\"\n"
    assert csv_cell("\r=1") == "'\r=1"


def test_f12_markdown_cells_hold_no_html_and_no_extra_rows(mmplan: Invoke, tmp_path: Path) -> None:
    title = "A <script>alert(1)</script> | & x\nnext | row"
    run = cli_on(
        mmplan,
        tmp_path / "m.yaml",
        program("p", course("A", title=title), title=title),
        program("q", course("B")),
    )
    for words in (("list",), ("compare", "p", "q"), ("cost", "p"), ("plan", "p")):
        result = run(*words, "--format", "markdown")
        assert result.exit_code == 0, result.stderr
        assert "<" not in result.stdout
        assert ">" not in result.stdout
        table = [line for line in result.stdout.splitlines() if line.startswith("|")]
        cells = {len(re.findall(r"(?<!\\)\|", line)) for line in table}
        assert len(cells) == 1, words  # every row has the header's cells
        assert "A &lt;script&gt;alert(1)&lt;/script&gt; \\| &amp; x next \\| row" in result.stdout


# ----- F13: COLUMNS --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("columns", "widest"),
    [("0", 20), ("-5", None), ("7", 20), ("1000000000", 1000), ("9" * 5000, 1000), ("²", None)],
)
def test_f13_columns_is_clamped(
    mmplan: Invoke, monkeypatch: pytest.MonkeyPatch, columns: str, widest: int | None
) -> None:
    from mmplan.cli.output import terminal_width

    monkeypatch.setenv("COLUMNS", columns)
    assert 20 <= terminal_width() <= 1000
    if widest is not None:
        assert terminal_width() == widest
    with bounded(30):
        result = mmplan("show", "mitx-scm")
    assert result.exit_code == 0, result.stderr
    assert "Supply Chain" in result.stdout


# ----- F14: Ctrl-C ------------------------------------------------------------------------


def test_f14_ctrl_c_while_the_catalog_is_validated(
    mmplan: Invoke, monkeypatch: pytest.MonkeyPatch
) -> None:
    def interrupted(*args: object, **kwargs: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr("mmplan.catalog.load.validate_catalog", interrupted)
    monkeypatch.setenv("MMPLAN_NO_CACHE", "1")
    result = mmplan("list")
    assert (result.exit_code, result.stderr) == (130, "Error: interrupted\n")


@pytest.mark.cold_cache  # a cached catalog needs no pydantic: `list` parses the file here
@pytest.mark.parametrize("module", ["typer", "rich.console", "pydantic", "mmplan.cli.app"])
def test_f14_ctrl_c_during_the_start_up_imports(module: str) -> None:
    """The interrupt raised by the first import of `module`, wherever the CLI needs it."""
    code = (
        "import sys\n"
        "class Interrupt:\n"  # once, as one Ctrl-C is
        "    def find_spec(self, name, path=None, target=None):\n"
        f"        if name == {module!r} and self in sys.meta_path:\n"
        "            sys.meta_path.remove(self)\n"
        "            raise KeyboardInterrupt\n"
        "sys.meta_path.insert(0, Interrupt())\n"
        "sys.argv = ['mmplan', 'list']\n"
        "from mmplan.__main__ import main\n"
        "main()\n"
    )
    with bounded(60):
        process = subprocess.run([sys.executable, "-c", code], capture_output=True, check=False)
    assert (process.returncode, process.stderr.decode()) == (130, "Error: interrupted\n")


# ----- every field, every format: hostile text stays text ----------------------------------

# What a catalog can hold (yaml_nodes refuses controls, bidirectional marks, line separators),
# weighted towards what means something to Rich, a shell, a spreadsheet, Markdown or HTML.
_SPECIAL = st.sampled_from(
    [*MARKUP, *FORMULAS, "|", "<script>", "&amp;", "\n", "\t", "\\", "'", '"', "$(id)", "`id`",
     "%s", "{0}", "–", "✓", "学", " "]
)  # fmt: skip
_CHARACTERS = st.characters(blacklist_categories=("Cs", "Cc", "Cn", "Co", "Cf", "Zl", "Zp"))
HOSTILE_TEXT = (
    st.lists(_SPECIAL | st.text(_CHARACTERS, min_size=1, max_size=6), min_size=1, max_size=5)
    .map("".join)
    .filter(lambda text: text.strip() != "")
)


def _check_format(output_format: str, stdout: str, text: str, line: str) -> None:
    """What each format must keep, whatever the text."""
    import csv
    import io

    if output_format == "table":
        assert "\x1b]8;" not in stdout, line  # no terminal hyperlink
    elif output_format == "json":
        json.loads(stdout)
    elif output_format == "csv":
        rows = list(csv.reader(io.StringIO(stdout)))
        assert {len(row) for row in rows} == {len(rows[0])}, line
        formulas = [c for row in rows for c in row if c[:1] in ("=", "+", "@", "\t", "\r")]
        assert not formulas, line
    elif output_format == "markdown":
        for table in re.split(r"\n(?!\|)", stdout):  # the tables, each its rows
            rows = [row for row in table.splitlines() if row.startswith("|")]
            assert len({len(re.findall(r"(?<!\\)\|", row)) for row in rows}) <= 1, line
        assert "<" not in stdout, line
    elif output_format == "ics":
        from icalendar import Calendar

        assert Calendar.from_ical(stdout).walk("VEVENT"), line
    elif output_format == "html" and "<" in text:
        assert text not in stdout, line


@settings(
    max_examples=4,
    deadline=None,
    phases=[Phase.explicit, Phase.generate],  # a shrink reruns ~30 commands a step: minutes
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@example(text=" ".join(MARKUP))
@example(text="=1|<b>&\n-2\t@x")
@given(text=HOSTILE_TEXT)
def test_hostile_text_in_every_field_through_every_command_and_format(
    mmplan: Invoke, monkeypatch: pytest.MonkeyPatch, text: str
) -> None:
    import tempfile

    monkeypatch.setenv("COLUMNS", "100")
    with tempfile.TemporaryDirectory() as folder:
        monkeypatch.setenv("MMPLAN_HOME", folder)
        for line, output_format, stdout in _run_everything(
            _on_hostile_catalog(mmplan, Path(folder), text)
        ):
            _check_format(output_format, stdout, text, line)


# ----- F9/F10: numbers are bounded, and more freedom never fails a plan --------------------


@pytest.mark.parametrize(
    ("option", "value"),
    [
        ("--max-parallel", "9223372036854775808"),
        ("--max-parallel", "101"),
        ("--max-parallel", "1.5"),
        ("--hours-per-week", "1e308"),
        ("--solver-seconds", "1e308"),
    ],
)
def test_f9_plan_numbers_are_bounded(mmplan: Invoke, option: str, value: str) -> None:
    result = mmplan("plan", "mitx-scm", option, value)
    assert result.exit_code == 2
    assert result.stderr.startswith(f"Error: {option}: ")
    assert "internal error" not in result.stderr


@pytest.mark.parametrize(("option", "value"), [("--max-price", "1e308"), ("--max-weeks", "1e20")])
def test_f9_list_filters_are_bounded(mmplan: Invoke, option: str, value: str) -> None:
    result = mmplan("list", option, value)
    assert result.exit_code == 2
    assert result.stderr.startswith(f"Error: {option}: ")


def test_f10_more_courses_at_once_never_makes_a_plan_infeasible(
    mmplan: Invoke, tmp_path: Path
) -> None:
    """60 courses ready at once at half an hour a week: a pass of 100 lanes shares 50
    centi-hours among 60 courses and places none; the plan must still come."""
    wide = program("w", *(course(f"C{i}", weeks=1, hours=1) for i in range(60)))
    run = cli_on(mmplan, tmp_path / "wide.yaml", wide, command=("plan", "w", "-H", "0.5"))
    finishes = set()
    for lanes in ("1", "4", "59", "100"):
        result = run("--max-parallel", lanes, "--solver-seconds", "0", "--format", "json")
        assert result.exit_code == 0, (lanes, result.stderr)
        finishes.add(json.loads(result.stdout)["finish"])
    assert len(finishes) == 1


# ----- F17/F18/F19: paths, tiny hours, the default date, one fault one exit code ----------


def test_f17_a_data_directory_with_control_characters_is_shown_escaped(
    mmplan: Invoke, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("MMPLAN_HOME")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data\x1b[2J\x07"))
    added = mmplan("progress", "add", "mitx-scm", "CTL.SC0x", "--date", "2026-05-01")
    assert added.exit_code == 0
    shown = mmplan("progress", "show", "--format", "table")
    for output in (added.stderr, shown.stdout):
        assert "\x1b" not in output
        assert "\x07" not in output
    assert "data\\x1b[2J\\x07" in added.stderr


def test_f18_tiny_hours_spent_are_refused(mmplan: Invoke) -> None:
    result = mmplan("progress", "add", "mitx-scm", "CTL.SC0x", "--hours-spent", "1e-300")
    assert result.exit_code == 2
    assert result.stderr == "Error: --hours-spent: 1e-300 is not in the range 0.5 to 2000\n"


def test_f18_tiny_hours_from_a_progress_file_never_plan_zero_hours(
    mmplan: Invoke, tmp_path: Path
) -> None:
    record = tmp_path / "in.yaml"
    record.write_text(
        "schema_version: 1\ncompleted:\n- {program: mitx-scm, code: CTL.SC0x, "
        "completed_on: 2026-05-01, hours_spent: 1.0e-300}\n"
    )
    assert mmplan("progress", "import", str(record)).exit_code == 0
    result = mmplan("plan", "mitx-scm", "--solver-seconds", "0", "--format", "json")
    assert result.exit_code == 0, result.stderr
    hours = [c["hours"] for c in json.loads(result.stdout)["courses"]]
    assert min(hours) > 0


def test_f19_the_default_date_has_the_typed_dates_floor(
    mmplan: Invoke, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MMPLAN_TODAY", "2005-03-01")
    typed = mmplan("progress", "add", "mitx-scm", "CTL.SC0x", "--date", "2005-03-01")
    defaulted = mmplan("progress", "add", "mitx-scm", "CTL.SC0x")
    assert typed.exit_code == defaulted.exit_code == 2
    assert "is before edX courses existed (2012-01-01)" in defaulted.stderr


@pytest.mark.parametrize("name", ["missing.yaml", "folder", "/dev/null"])
def test_f19_one_catalog_fault_one_exit_code_whatever_the_route(
    mmplan: Invoke, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str
) -> None:
    (tmp_path / "folder").mkdir()
    path = str(tmp_path / name)
    typed = mmplan("--catalog", path, "list")
    monkeypatch.setenv("MMPLAN_CATALOG", path)
    from_environment = mmplan("list")
    assert typed.exit_code == from_environment.exit_code == 1
    assert typed.stderr == from_environment.stderr
