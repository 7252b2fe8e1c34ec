"""Every command writes its result through `cli.app.emit`: the terminal view through Rich,
machine formats as plain text, and only the format asked for is ever rendered."""

from __future__ import annotations

import pytest

from mmplan.cli.app import DocumentFormat, TableFormat, emit, missing_writers
from mmplan.cli.plan_cmd import PlanFormat


def test_emit_renders_only_the_format_asked_for(capsys: pytest.CaptureFixture[str]) -> None:
    rendered: list[str] = []

    def text(name: str) -> str:
        rendered.append(name)
        return f'{{"format": "{name}"}}'

    def table() -> list[str]:
        rendered.append("table")
        return ["a table"]

    writers = {
        TableFormat.JSON: lambda: text("json"),
        TableFormat.CSV: lambda: text("csv"),
        TableFormat.MARKDOWN: lambda: text("markdown"),
    }
    emit(TableFormat.JSON, table=table, text=writers)
    assert capsys.readouterr().out == '{"format": "json"}\n'
    emit(TableFormat.TABLE, table=table, text=writers)
    assert capsys.readouterr().out == "a table\n"
    assert rendered == ["json", "table"]


def test_a_plain_terminal_view_is_written_as_is_and_nothing_for_no_lines(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """`validate` prints FILE:LINE:COL lines: a line longer than any terminal stays whole."""
    line = "catalog.yaml:3:5: " + "x" * 300
    plain = {DocumentFormat.JSON: lambda: "[]"}
    emit(DocumentFormat.TABLE, text={DocumentFormat.TABLE: lambda: line + "\n", **plain})
    assert capsys.readouterr().out == line + "\n"
    emit(DocumentFormat.TABLE, text={DocumentFormat.TABLE: lambda: "", **plain})
    assert capsys.readouterr().out == ""


def test_every_format_of_the_enum_needs_a_writer_whichever_is_asked_for(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Writers are keyed by the format enum: a member without one fails on every run of its
    command (the table format asked for too), not as a KeyError when someone asks for it."""
    writers = {PlanFormat.JSON: lambda: "{}", PlanFormat.CSV: lambda: "a,b\n"}
    assert missing_writers(PlanFormat, writers, has_table=True) == ["markdown", "ics", "html"]
    assert missing_writers(PlanFormat, writers) == ["table", "markdown", "ics", "html"]
    with pytest.raises(LookupError, match="no writer for --format markdown, ics, html"):
        emit(PlanFormat.TABLE, table=lambda: ["a plan"], text=writers)
    assert capsys.readouterr().out == ""
