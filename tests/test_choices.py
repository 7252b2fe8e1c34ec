"""Every command reads --track and --pick through one selection stage, so each refuses a bad
choice in the same words and with the same exit code (bundled catalog)."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import Invoke
from factories import cli_on, course, program

COMMANDS = (("plan", "--start", "2027-01-04"), ("cost",), ("status",))


@pytest.mark.parametrize(
    ("program", "choice", "message"),
    [
        ("mitx-sds", ("--track", "nope"), "--track 'nope': mitx-sds has no tracks"),
        (
            "mitx-scm",
            ("--track", "nope"),
            "--track 'nope': mitx-scm has no tracks",
        ),
        (
            "mitx-sds",
            ("--pick", "6.41x"),
            "--pick '6.41x' is no elective of mitx-sds (did you mean '6.419x'?); "
            "electives: 14.310x, 18.6501x, IDS.S24x, 6.419x",
        ),
        (
            "mitx-sds",
            ("--pick", "mitx-scm/CTL.SC1x"),
            "--pick 'mitx-scm/CTL.SC1x' names a program not asked for "
            "(did you mean 'mitx-sds'?); asked for: mitx-sds",
        ),
        ("mitx-scm", ("--pick", "CTL.SC1x"), "--pick 'CTL.SC1x': mitx-scm has no electives"),
    ],
)
def test_every_command_refuses_a_bad_choice_alike(
    mmplan: Invoke, program: str, choice: tuple[str, ...], message: str
) -> None:
    for command in COMMANDS:
        result = mmplan(command[0], program, *command[1:], *choice)
        assert (result.exit_code, result.stderr) == (1, f"Error: {message}\n"), command
        assert result.stdout == ""


def test_a_misspelt_track_is_refused_alike_with_a_suggestion(
    mmplan: Invoke, tmp_path: Path
) -> None:
    run = cli_on(
        mmplan,
        tmp_path / "catalog.yaml",
        program(
            "t",
            course("CORE"),
            course("L"),
            course("S"),
            tracks=[{"name": "Long", "courses": ["L"]}, {"name": "Short", "courses": ["S"]}],
        ),
        program("u", course("U")),
    )
    for command in COMMANDS:
        result = run(command[0], "t", *command[1:], "--track", "Shrt")
        message = "--track 'Shrt' is no track of t (did you mean 'Short'?); tracks: Long, Short"
        assert (result.exit_code, result.stderr) == (1, f"Error: {message}\n"), command
    for command in COMMANDS[:2]:  # the commands that take several programs
        result = run(command[0], "t", "u", *command[1:], "--track", "Long", "--track", "Short")
        assert (result.exit_code, result.stderr) == (
            2,
            "Error: t: follow one track, not Long, Short\n",
        ), command
