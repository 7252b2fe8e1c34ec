"""`mmplan progress ...` through the CLI: what is written, what is said, what is refused."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from conftest import Invoke
from factories import cli_on, course, program


@pytest.fixture
def run(mmplan: Invoke, tmp_path: Path) -> Invoke:
    """The CLI over a two-program test catalog."""
    return cli_on(
        mmplan,
        tmp_path / "catalog.yaml",
        program("p", course("A", weeks=10, hours=[4, 6]), course("B"), course("C")),
        program("q", course("X")),
    )


@pytest.fixture
def store(tmp_path: Path) -> Path:
    return tmp_path / "home" / "progress.yaml"


def test_add_writes_the_file_and_says_so_on_stderr(run: Invoke, store: Path) -> None:
    result = run("progress", "add", "p", "a", "q/x", "--date", "2026-01-05", "--grade", "0.87")
    assert result.exit_code == 0, result.stderr
    assert result.stdout == ""
    assert result.stderr == "Progress: added p/A, q/X ($MMPLAN_HOME/progress.yaml)\n"
    text = store.read_text()
    assert "code: A\n  completed_on: 2026-01-05\n  certificate: verified\n  grade: 0.87\n" in text

    result = run("progress", "add", "p", "A", "--date", "2026-01-05", "--audit")
    assert result.stderr == "Progress: updated p/A ($MMPLAN_HOME/progress.yaml)\n"
    assert "certificate: audit" in store.read_text()


def test_unknown_codes_are_refused_with_a_suggestion_and_nothing_written(
    run: Invoke, store: Path
) -> None:
    result = run("progress", "add", "p", "A", "BB")
    assert result.exit_code == 1
    assert result.stderr == "Error: unknown course in p 'BB' (did you mean 'B'?)\n"
    result = run("progress", "add", "pp", "A")
    assert result.stderr == "Error: unknown program 'pp' (did you mean 'p'?)\n"
    assert not store.exists()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--date", "2999-01-01"), "--date 2999-01-01 is in the future"),
        (("--grade", "87"), "Error: --grade: 87 is not in the range 0 to 1"),
        (("--grade", "nan"), "Error: --grade: 'nan' is not a finite number"),
        (("--hours-spent", "5000"), "Error: --hours-spent: 5000 is not in the range 0.5 to 2000"),
        (("--hours-spent", "inf"), "Error: --hours-spent: 'inf' is not a finite number"),
        (("--date", "20260101"), "Error: --date '20260101' is not a date written YYYY-MM-DD"),
        (("--date", "2026-W01-1"), "Error: --date '2026-W01-1' is not a date written YYYY-MM-DD"),
        (("--date", "2026-02-30"), "Error: --date '2026-02-30' is not a day of the calendar"),
        (("--hours-spent", "0"), "Error: --hours-spent: 0 is not in the range 0.5 to 2000"),
    ],
)
def test_absurd_values_are_refused_as_usage_errors(
    run: Invoke, store: Path, args: tuple[str, ...], message: str
) -> None:
    result = run("progress", "add", "p", "A", *args)
    assert result.exit_code == 2
    assert message in result.stderr
    assert not store.exists()


def test_hours_spent_needs_a_single_course(run: Invoke, store: Path) -> None:
    result = run("progress", "add", "p", "A", "B", "--hours-spent", "40")
    assert result.exit_code == 2
    assert "--hours-spent applies to one course" in result.stderr


def test_start_records_a_course_in_progress_and_add_completes_it(run: Invoke, store: Path) -> None:
    result = run("progress", "start", "p", "B", "--date", "2026-10-01", "--percent", "40")
    assert result.exit_code == 0, result.stderr
    assert (
        "in_progress:\n- program: p\n  code: B\n  started_on: 2026-10-01\n  percent_done: 40\n"
        in (store.read_text())
    )
    assert run("progress", "start", "p", "C", "--percent", "100").exit_code == 2
    assert run("progress", "add", "p", "B").exit_code == 0
    assert "in_progress: []" in store.read_text()


def test_show_lists_records_with_titles_and_pace(run: Invoke) -> None:
    run("progress", "add", "p", "A", "--date", "2026-01-05", "--hours-spent", "75")
    run("progress", "start", "p", "B", "--date", "2026-10-01", "--percent", "40")
    result = run("progress", "show", "P")
    assert result.exit_code == 0, result.stderr
    assert "Progress in p" in result.stdout
    assert "Course A" in result.stdout
    assert "started, 40% done" in result.stdout
    assert "Pace: you took 1.5 x the published mid effort (75 h for 50 h published" in result.stdout

    document = json.loads(run("progress", "show", "--format", "json").stdout)
    assert [r["id"] for r in document["completed"]] == ["p/A"]
    assert document["in_progress"][0]["percent_done"] == 40
    assert document["pace"] == {
        "ratio": 1.5,
        "courses": 1,
        "hours_spent": 75.0,
        "published_hours": 50.0,
    }


def test_show_without_progress_says_how_to_record(run: Invoke) -> None:
    result = run("progress", "show")
    assert result.exit_code == 0
    assert "No progress recorded" in result.stdout
    assert "mmplan progress add PROGRAM CODE" in result.stdout


def test_remove_forgets_and_refuses_what_is_not_recorded(run: Invoke, store: Path) -> None:
    run("progress", "add", "p", "A", "B")
    result = run("progress", "remove", "p", "A")
    assert result.exit_code == 0
    assert result.stderr == "Progress: removed p/A ($MMPLAN_HOME/progress.yaml)\n"
    result = run("progress", "remove", "p", "C")
    assert result.exit_code == 1
    assert result.stderr == "Error: p/C is not in your progress (did you mean 'p/B'?)\n"


def test_export_then_import_moves_progress_between_homes(
    run: Invoke, store: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    run("progress", "add", "p", "A", "--date", "2026-01-05", "--grade", "0.9")
    run("progress", "start", "q", "X", "--date", "2026-10-01")
    exported = run("progress", "export").stdout
    assert exported == store.read_text()
    backup = tmp_path / "backup.yaml"
    backup.write_text(exported)

    monkeypatch.setenv("MMPLAN_HOME", str(tmp_path / "other-home"))
    run("progress", "add", "p", "C", "--date", str(date(2026, 2, 1)))
    result = run("progress", "import", str(backup))
    assert result.exit_code == 0, result.stderr
    assert "merged into your progress: added p/A, q/X" in result.stderr
    other = (tmp_path / "other-home" / "progress.yaml").read_text()
    assert "code: C" in other
    assert "code: A" in other

    result = run("progress", "import", str(backup), "--replace")
    assert "replacing all your progress: removed p/C; already recorded p/A, q/X" in result.stderr
    assert (tmp_path / "other-home" / "progress.yaml").read_text() == exported


def test_import_of_an_unreadable_file_names_it(run: Invoke, tmp_path: Path) -> None:
    missing = tmp_path / "nope.yaml"
    result = run("progress", "import", str(missing))
    assert result.exit_code == 1
    assert result.stderr == f"Error: {missing}: no such file; nothing was changed\n"


def test_every_progress_command_has_help_with_an_example(run: Invoke) -> None:
    for command in ("add", "start", "remove", "show", "export", "import"):
        result = run("progress", command, "--help")
        assert result.exit_code == 0
        assert "Example: mmplan progress" in result.stdout


def test_remove_resolves_in_the_catalog_and_still_finds_courses_that_left_it(
    run: Invoke, store: Path
) -> None:
    run("progress", "add", "p", "A", "B")
    result = run("progress", "remove", "P", "a")
    assert result.exit_code == 0, result.stderr
    assert result.stderr == "Progress: removed p/A ($MMPLAN_HOME/progress.yaml)\n"
    store.write_text(store.read_text().replace("code: B", "code: GONE"))
    result = run("progress", "remove", "p", "gone")
    assert result.exit_code == 0, result.stderr
    assert result.stderr == "Progress: removed p/GONE ($MMPLAN_HOME/progress.yaml)\n"
    result = run("progress", "remove", "pp", "A")
    assert result.exit_code == 1
    assert result.stderr == "Error: unknown program 'pp' (did you mean 'p'?)\n"
