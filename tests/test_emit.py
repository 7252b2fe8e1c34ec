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
