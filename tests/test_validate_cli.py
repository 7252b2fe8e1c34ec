"""`mmplan validate`: every problem on stdout, a summary on stderr, exit 0 or 1, and JSON."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import Invoke
from factories import catalog_yaml, course, program


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


BROKEN = catalog_yaml(
    program("p", course("A", prereqs=["Z"]), course("B", weeks=-2)),
)


def test_clean_files_exit_0_with_only_the_summary(mmplan: Invoke, tmp_path: Path) -> None:
    one = write(tmp_path / "one.yaml", catalog_yaml(program("one", course("A"))))
    two = write(tmp_path / "two.yaml", catalog_yaml(program("two", course("A", prereqs=["one/A"]))))
    result = mmplan("--no-bundled", "validate", str(one), str(two))
    assert (result.exit_code, result.stdout, result.stderr) == (
        0,
        "",
        "2 files checked, 0 problems\n",
    )


def test_problems_go_to_stdout_one_per_line_and_the_summary_to_stderr(
    mmplan: Invoke, tmp_path: Path
) -> None:
    good = write(tmp_path / "good.yaml", catalog_yaml(program("good", course("A"))))
    bad = write(tmp_path / "bad.yaml", BROKEN)
    result = mmplan("--no-bundled", "validate", str(good), str(bad))
    assert result.exit_code == 1
    # B fails the schema, and A's unknown prerequisite is reported in the same run (#25).
    assert result.stdout == (
        f"{bad}:15:7: programs[p].courses[A].prerequisites[0]: unknown prerequisite 'Z'\n"
        f"{bad}:19:12: programs[p].courses[B].weeks: "
        "Input should be greater than or equal to 0.1 (got -2)\n"
    )
    assert result.stderr == "2 files checked, 2 problems\n"


def test_an_unknown_prerequisite_never_suggests_the_course_itself(
    mmplan: Invoke, tmp_path: Path
) -> None:
    text = catalog_yaml(program("p", course("GL1x"), course("GL3x", prereqs=["GL3"])))
    result = mmplan("--no-bundled", "validate", str(write(tmp_path / "gl.yaml", text)))
    assert result.stdout.endswith(": unknown prerequisite 'GL3'\n")  # not "did you mean 'GL3x'"


def test_json_lists_every_problem_with_its_place(mmplan: Invoke, tmp_path: Path) -> None:
    bad = write(tmp_path / "bad.yaml", BROKEN.replace("prerequisites:\n    - Z", "prerequisite: Z"))
    result = mmplan("--no-bundled", "validate", "--format", "json", str(bad))
    assert result.exit_code == 1
    assert json.loads(result.stdout) == [
        {
            "file": str(bad),
            "line": 14,
            "column": 5,
            "path": "programs[p].courses[A]",
            "message": "unknown key 'prerequisite' (did you mean 'prerequisites'?)",
        },
        {
            "file": str(bad),
            "line": 18,
            "column": 12,
            "path": "programs[p].courses[B].weeks",
            "message": "Input should be greater than or equal to 0.1 (got -2)",
        },
    ]
    assert result.stderr == ""


def test_json_of_a_clean_catalog_is_an_empty_list(mmplan: Invoke) -> None:
    result = mmplan("validate", "--format", "json")
    assert (result.exit_code, json.loads(result.stdout)) == (0, [])


def test_without_paths_the_active_catalog_is_checked(mmplan: Invoke, tmp_path: Path) -> None:
    bad = write(tmp_path / "bad.yaml", BROKEN)
    result = mmplan("--catalog", str(bad), "validate")
    assert result.exit_code == 1
    assert result.stdout.startswith(f"{bad}:")
    assert result.stderr == "2 files checked, 2 problems\n"


def test_a_file_is_checked_against_the_catalog_options(mmplan: Invoke, tmp_path: Path) -> None:
    base = write(tmp_path / "base.yaml", catalog_yaml(program("base", course("B1"))))
    mine = write(
        tmp_path / "mine.yaml", catalog_yaml(program("m", course("M", prereqs=["base/B"])))
    )
    result = mmplan("--no-bundled", "--catalog", str(base), "validate", str(mine))
    assert result.exit_code == 1
    assert result.stdout == (
        f"{mine}:15:7: programs[m].courses[M].prerequisites[0]: prerequisite 'base/B' names "
        f"unknown course 'B' of 'base' (did you mean 'B1'?) (program 'base' comes from {base})\n"
    )
    assert result.stderr == "1 file checked, 1 problem\n"


def test_the_help_explains_the_output_and_gives_an_example(mmplan: Invoke) -> None:
    result = mmplan("validate", "--help")
    assert result.exit_code == 0
    assert "FILE:LINE:COL: PATH: MESSAGE" in result.stdout
    assert "Example: mmplan validate my-programs.yaml" in result.stdout


def test_a_file_with_schema_problems_still_gets_its_references_checked(
    mmplan: Invoke, tmp_path: Path
) -> None:
    text = catalog_yaml(
        program("a", course("A", prereqs=["nowhere/X"])),
        program("b", course("B", weeks=-1)),
        program("c", course("C", prereqs=["b/B", "a/Z"])),
    )
    path = write(tmp_path / "mixed.yaml", text)
    result = mmplan("--no-bundled", "validate", str(path))
    assert result.exit_code == 1
    # b failed the schema: the reference to b/B is not judged; a/Z is reported once.
    assert result.stdout.splitlines() == [
        f"{path}:15:7: programs[a].courses[A].prerequisites[0]: prerequisite 'nowhere/X' "
        "names unknown program 'nowhere'",
        f"{path}:26:12: programs[b].courses[B].weeks: "
        "Input should be greater than or equal to 0.1 (got -1)",
        f"{path}:45:7: programs[c].courses[C].prerequisites[1]: prerequisite 'a/Z' names "
        "unknown course 'Z' of 'a'",
    ]


def test_a_version_1_file_warns_before_the_summary_and_json_stays_a_list(
    mmplan: Invoke, tmp_path: Path
) -> None:
    old = write(tmp_path / "old.yaml", catalog_yaml(program("old", course("A"))))
    old.write_text(
        old.read_text()
        .replace("schema_version: 2", "schema_version: 1")
        .replace("pacing: self", "")
    )
    warning = f"Warning: {old}: 1 course leaves pacing to the default 'self' (old/A); "
    text = mmplan("--no-bundled", "validate", str(old))
    assert (text.exit_code, text.stdout) == (0, "")
    assert text.stderr.startswith(warning)
    assert text.stderr.endswith("\n1 file checked, 0 problems\n")
    as_json = mmplan("--no-bundled", "validate", "--format", "json", str(old))
    assert (as_json.exit_code, as_json.stdout) == (0, "[]\n")
    assert as_json.stderr.startswith(warning)
    assert as_json.stderr.count("\n") == 1


def test_validate_reads_and_parses_each_file_once(
    mmplan: Invoke, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Problems and warnings come from one read of each file (a broken file was read and
    parsed twice: once for its problems, once for its warnings)."""
    from mmplan.catalog import load

    reads: list[str] = []
    parses: list[str] = []
    read, parse = load.read_catalog_bytes, load._parse_file

    def counted_read(path: Path) -> bytes:
        reads.append(path.name)
        return read(path)

    def counted_parse(data: bytes, name: str) -> object:
        parses.append(Path(name).name)
        return parse(data, name)

    monkeypatch.setattr(load, "read_catalog_bytes", counted_read)
    monkeypatch.setattr(load, "_parse_file", counted_parse)
    good = write(tmp_path / "good.yaml", catalog_yaml(program("good", course("A"))))
    bad = write(tmp_path / "bad.yaml", BROKEN)
    result = mmplan("--no-bundled", "validate", str(good), str(bad))
    assert result.exit_code == 1
    assert reads == parses == ["good.yaml", "bad.yaml"]
