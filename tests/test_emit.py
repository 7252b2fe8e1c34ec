"""Every command writes its result through `cli.app.emit`: the terminal view through Rich,
machine formats as plain text, and only the format asked for is ever rendered."""

from __future__ import annotations

import pytest

from mmplan.cli.app import emit


def test_emit_renders_only_the_format_asked_for(capsys: pytest.CaptureFixture[str]) -> None:
    rendered: list[str] = []

    def text(name: str) -> str:
        rendered.append(name)
        return f'{{"format": "{name}"}}'

    def table() -> list[str]:
        rendered.append("table")
        return ["a table"]

    writers = {"json": lambda: text("json"), "csv": lambda: text("csv")}
    emit("json", table=table, text=writers)
    assert capsys.readouterr().out == '{"format": "json"}\n'
    emit("table", table=table, text=writers)
    assert capsys.readouterr().out == "a table\n"
    assert rendered == ["json", "table"]


def test_a_plain_terminal_view_is_written_as_is_and_nothing_for_no_lines(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """`validate` prints FILE:LINE:COL lines: a line longer than any terminal stays whole."""
    line = "catalog.yaml:3:5: " + "x" * 300
    emit("table", text={"table": lambda: line + "\n"})
    assert capsys.readouterr().out == line + "\n"
    emit("table", text={"table": lambda: ""})
    assert capsys.readouterr().out == ""
