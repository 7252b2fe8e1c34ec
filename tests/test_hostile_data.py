"""Hostile data stays inert (issue #24): a catalog, a progress file, a path or the environment
can hold any text; none of it runs in a shell, acts as markup or formula, or breaks output.

One test (or one parametrised test) per finding of the attack round, named by it (F1...).
"""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import pytest

from conftest import Invoke
from factories import catalog, catalog_yaml, course, program
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
