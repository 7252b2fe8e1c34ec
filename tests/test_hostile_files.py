"""Hostile files: FIFOs, devices, symlink loops, huge, deep, duplicated or escaped content.

Catalogs and progress files go through one reader (mmplan.core.files) and one YAML loader
(mmplan.catalog.yaml_nodes): each case is one located line, a non-zero exit, and no lost data.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from conftest import Invoke, bounded
from factories import cli_on
from mmplan.core.limits import MAX_PROGRESS_FILE_BYTES

CATALOG = """\
schema_version: 2
as_of: 2026-01-01
programs:
- id: p
  title: P
  institution: I
  field: F
  sources: [x]
  courses:
  - {code: A, title: Course A, weeks: 4, hours_per_week: 5, price_usd: 100, pacing: self}
  - {code: B, title: Course B, weeks: 4, hours_per_week: 5, price_usd: 100, pacing: self,
     prerequisites: [A]}
"""
RECORD = "schema_version: 1\ncompleted:\n- {program: p, code: A, completed_on: 2026-01-05}\n"


@pytest.fixture(autouse=True)
def fixed_today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MMPLAN_TODAY", "2026-06-01")


@pytest.fixture
def run(mmplan: Invoke, tmp_path: Path) -> Invoke:
    """mmplan over the small catalog only, bounded so that a hang fails the test."""
    on_catalog = cli_on(mmplan, tmp_path / "catalog.yaml", text=CATALOG)

    def invoke(*args: str) -> object:
        with bounded(30):
            return on_catalog(*args)

    return invoke  # type: ignore[return-value]


@pytest.fixture
def progress_file(tmp_path: Path) -> Path:
    return tmp_path / "home" / "progress.yaml"


# ----- not a regular file ---------------------------------------------------------------


def test_a_fifo_as_catalog_is_refused_not_waited_on(mmplan: Invoke, tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.yaml"
    os.mkfifo(fifo)
    with bounded(30):
        result = mmplan("--no-bundled", "--catalog", str(fifo), "list")
    assert result.exit_code == 1
    assert result.stderr == (
        f"Error: {fifo}: is not a regular file (a named pipe); give a catalog file\n"
    )


def test_a_device_as_catalog_is_refused(mmplan: Invoke) -> None:
    with bounded(30):
        result = mmplan("--no-bundled", "validate", "/dev/zero")
    assert result.exit_code == 1
    assert result.stdout == "/dev/zero: is not a regular file (a device); give a catalog file\n"


@pytest.mark.parametrize("source", ["fifo", "/dev/urandom"])
def test_progress_import_refuses_what_is_not_a_regular_file(
    run: Invoke, tmp_path: Path, progress_file: Path, source: str
) -> None:
    path = Path(source)
    if source == "fifo":
        path = tmp_path / "pipe.yaml"
        os.mkfifo(path)
    result = run("progress", "import", str(path))
    assert result.exit_code == 1
    kind = "a named pipe" if source == "fifo" else "a device"
    assert result.stderr == (
        f"Error: {path}: is not a regular file ({kind}); give a progress file; "
        "nothing was changed\n"
    )
    assert not progress_file.exists()


def test_a_symlink_loop_is_named(mmplan: Invoke, tmp_path: Path) -> None:
    (tmp_path / "b").symlink_to(tmp_path / "a")
    (tmp_path / "a").symlink_to(tmp_path / "b")
    result = mmplan("--no-bundled", "validate", str(tmp_path / "a"))
    assert result.exit_code == 1
    assert result.stdout == (
        f"{tmp_path / 'a'}: too many levels of symbolic links (a symlink loop?)\n"
    )


# ----- size, depth, duplicates, dates, escapes in progress files ------------------------


def test_progress_files_are_capped_and_the_cap_is_said(
    run: Invoke, tmp_path: Path, progress_file: Path
) -> None:
    huge = tmp_path / "huge.yaml"
    huge.write_bytes(RECORD.encode() + b"#" * MAX_PROGRESS_FILE_BYTES)
    result = run("progress", "import", str(huge))
    assert result.exit_code == 1
    assert result.stderr == (
        f"Error: {huge}: the file is larger than 1 MB; a progress file is far smaller; "
        "nothing was changed\n"
    )


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (
            RECORD.replace("2026-01-05", "2025-02-30"),
            ":3:39: completed[0].completed_on: Input should be a valid date (got '2025-02-30')",
        ),
        (
            RECORD.replace("2026-01-05", "9999-12-01"),
            ":3:39: completed[0].completed_on: Input should be less than or equal to 2100-12-31 "
            "(got 9999-12-01)",
        ),
        (
            RECORD.replace("2026-01-05", "1700000000"),
            ":3:39: completed[0].completed_on: Input should be a valid date (got 1700000000)",
        ),
        ("schema_version: 1\ncompleted: " + "[" * 30_000 + "]" * 30_000 + "\n", "levels deep"),
        (
            RECORD + "completed:\n- {program: p, code: B, completed_on: 2026-01-05}\n",
            ":4:1: duplicate key 'completed' (first at line 2); YAML would silently keep only "
            "the last; nothing was changed",
        ),
        (
            RECORD.replace("code: A", 'code: "A\\e[2J"'),
            ":3:22: control character U+001B is not allowed (written as an escape)",
        ),
        (
            RECORD.replace("code: A", "code: A\u202eB"),
            ":3:23: control character U+202E is not allowed",
        ),
        (
            "schema_version: 1\nx: &a [" + ", ".join(["1"] * 200) + "]\n"
            "y: &b [" + ", ".join(["*a"] * 200) + "]\n"
            "z: &c [" + ", ".join(["*b"] * 200) + "]\n",
            "(an alias bomb?)",
        ),
    ],
    ids=[
        "no such day",
        "year 9999",
        "a number for a date",
        "nested 30000 deep",
        "a key twice",
        "terminal escapes",
        "bidi override",
        "alias bomb",
    ],
)
def test_bad_progress_is_one_located_line_and_nothing_changes(
    run: Invoke, tmp_path: Path, progress_file: Path, content: str, message: str
) -> None:
    progress_file.parent.mkdir()
    progress_file.write_text(content)
    for args in (("progress", "show"), ("plan", "p"), ("progress", "add", "p", "B")):
        result = run(*args)
        assert result.exit_code == 1, args
        assert result.stderr.startswith(f"Error: {progress_file}:")
        assert message in result.stderr
        assert result.stderr.count("\n") == 1
        assert "\x1b" not in result.stderr
        assert "\u202e" not in result.stderr
    assert progress_file.read_text() == content
    imported = tmp_path / "import.yaml"
    imported.write_text(content)
    progress_file.unlink()
    result = run("progress", "import", str(imported))
    assert result.exit_code == 1
    assert result.stderr.startswith(f"Error: {imported}:")
    assert not progress_file.exists()


def test_a_long_unknown_id_in_an_import_is_shortened(run: Invoke, tmp_path: Path) -> None:
    imported = tmp_path / "import.yaml"
    imported.write_text(RECORD.replace("code: A", "code: " + "Q" * 95))
    result = run("progress", "import", str(imported))
    assert result.exit_code == 1
    assert f"{imported}: p/QQQQ" in result.stderr
    assert "unknown course in p 'QQQQ" in result.stderr
    assert "...' (15 more characters)" in result.stderr


# ----- symlinks to the progress file ----------------------------------------------------


def test_a_symlinked_progress_file_is_written_through_the_link(
    run: Invoke, tmp_path: Path, progress_file: Path
) -> None:
    dotfiles = tmp_path / "dotfiles"
    dotfiles.mkdir()
    target = dotfiles / "mmplan-progress.yaml"
    target.write_text(RECORD)
    progress_file.parent.mkdir()
    progress_file.symlink_to(target)
    result = run("progress", "add", "p", "B", "--date", "2026-02-01")
    assert result.exit_code == 0, result.stderr
    assert progress_file.is_symlink()
    assert "code: B" in target.read_text()
    assert "code: A" in target.read_text()
    assert [p.name for p in dotfiles.iterdir()] == ["mmplan-progress.yaml"]  # no temp left


def test_a_progress_symlink_loop_is_an_error(
    run: Invoke, tmp_path: Path, progress_file: Path
) -> None:
    progress_file.parent.mkdir()
    other = tmp_path / "home" / "other.yaml"
    other.symlink_to(progress_file)
    progress_file.symlink_to(other)
    for args in (("progress", "show"), ("progress", "add", "p", "A")):
        result = run(*args)
        assert result.exit_code == 1
        assert result.stderr == (
            f"Error: {progress_file}: too many levels of symbolic links (a symlink loop?); "
            "nothing was changed\n"
        )
    assert progress_file.is_symlink()


# ----- tiny workloads -----------------------------------------------------------------


def test_a_tiny_course_and_recorded_hours_plan_without_dividing_by_zero(
    mmplan: Invoke, tmp_path: Path
) -> None:
    tiny = CATALOG.replace("weeks: 4, hours_per_week: 5", "weeks: 0.1, hours_per_week: 0.1")
    run = cli_on(mmplan, tmp_path / "tiny.yaml", text=tiny)
    assert run("progress", "add", "p", "A", "--hours-spent", "5").exit_code == 0
    for args in (("progress", "show"), ("plan", "p"), ("cost", "p", "--by-month")):
        result = run(*args)
        assert result.exit_code == 0, (args, result.stderr)


def test_a_workload_that_rounds_to_zero_is_refused_in_the_catalog(
    mmplan: Invoke, tmp_path: Path
) -> None:
    tiny = tmp_path / "tiny.yaml"
    tiny.write_text(CATALOG.replace("weeks: 4, hours_per_week: 5", "weeks: 1.0e-300"))
    result = mmplan("--no-bundled", "validate", str(tiny))
    assert result.exit_code == 1
    assert "weeks: Input should be greater than or equal to 0.1 (got 1e-300)" in result.stdout


# ----- long values in messages ------------------------------------------------------------


def test_a_long_cycle_is_shown_by_its_ends(mmplan: Invoke, tmp_path: Path) -> None:
    courses = "".join(
        f"  - {{code: C{i}, title: T, weeks: 1, hours_per_week: 1, pacing: self, "
        f"prerequisites: [C{i + 1}]}}\n"
        for i in range(5000)
    ).replace("prerequisites: [C5000]", "prerequisites: [C0]")
    cyclic = tmp_path / "cycle.yaml"
    cyclic.write_text(CATALOG.split("  courses:\n")[0] + "  courses:\n" + courses)
    result = mmplan("--no-bundled", "validate", str(cyclic))
    assert result.exit_code == 1
    (line,) = result.stdout.splitlines()
    assert "prerequisite cycle: p/C0 -> p/C1 -> " in line
    assert "-> p/C8 -> ... (4,989 more) -> p/C4998 -> p/C4999 -> p/C0" in line
    assert len(line) < 300


def test_a_megabyte_key_is_shown_short(mmplan: Invoke, tmp_path: Path) -> None:
    keyed = tmp_path / "key.yaml"
    keyed.write_text(CATALOG + "? " + "k" * 1_000_000 + "\n: 1\n")
    result = mmplan("--no-bundled", "validate", str(keyed))
    assert result.exit_code == 1
    assert "unknown key 'kkkk" in result.stdout
    assert "(999,920 more characters)" in result.stdout
    assert len(result.stdout) < 400


def test_a_file_name_with_control_characters_is_shown_escaped(
    mmplan: Invoke, tmp_path: Path
) -> None:
    named = tmp_path / "\x1b[2Jcatalog.yaml"
    named.write_text("schema_version: 2\n")
    result = mmplan("--no-bundled", "validate", str(named))
    assert result.exit_code == 1
    assert "\x1b" not in result.stdout
    assert "\\x1b[2Jcatalog.yaml:" in result.stdout
