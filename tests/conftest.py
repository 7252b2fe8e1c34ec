"""Shared fixtures: every test runs with its own home, cache and a pinned terminal."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from mmplan.cli import app


@pytest.fixture(autouse=True)
def isolated_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """No test reads or writes the real user's data, cache or terminal settings."""
    monkeypatch.setenv("MMPLAN_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.setenv("COLUMNS", "120")
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.delenv("MMPLAN_CATALOG", raising=False)
    monkeypatch.delenv("MMPLAN_NO_CACHE", raising=False)
    monkeypatch.delenv("FORCE_COLOR", raising=False)


Invoke = Callable[..., Result]


@pytest.fixture
def mmplan() -> Invoke:
    """Run the CLI in-process: `mmplan("plan", "mitx-scm")` -> Result (stdout, stderr apart)."""
    runner = CliRunner()

    def invoke(*args: str, input: str | None = None) -> Result:
        return runner.invoke(app, list(args), input=input, prog_name="mmplan")

    return invoke
