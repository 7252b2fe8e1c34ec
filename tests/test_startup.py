"""Start-up stays light: what the CLI imports before a command needs it, and the entry point.

Timings live in benchmarks/run.py; these tests guard the causes instead (no timed asserts).
"""

from __future__ import annotations

import gc
import json
import os
import subprocess
import sys

import pytest

from mmplan.cli import main

# Modules a command imports only when it runs: each costs milliseconds at start-up.
HEAVY_MODULES = (
    "yaml",
    "pydantic.main",
    "rich.console",
    "rich.table",
    "platformdirs",
    "filelock",
    "icalendar",
    "mmplan.models",
    "mmplan.catalog",
    "mmplan.cache",
    "mmplan.schedule",
    "mmplan.explore",
    "mmplan.progress",
)


def modules_loaded_by(code: str) -> set[str]:
    """The heavy modules loaded after running `code` in a fresh interpreter."""
    probe = f"{code}\nimport json, sys\nprint(json.dumps(sorted(sys.modules)))"
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, timeout=60
    )
    loaded = set(json.loads(result.stdout.splitlines()[-1]))
    return loaded.intersection(HEAVY_MODULES)


def test_importing_the_cli_loads_no_heavy_module() -> None:
    assert modules_loaded_by("import mmplan.cli") == set()


def test_top_level_help_loads_no_heavy_module() -> None:
    code = (
        "from mmplan.cli import app\n"
        "try:\n"
        "    app(['--help'], prog_name='mmplan')\n"
        "except SystemExit:\n"
        "    pass"
    )
    assert modules_loaded_by(code) == set()


def test_the_console_script_runs_without_the_cyclic_collector_or_pydantic_plugins(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(sys, "argv", ["mmplan", "--version"])
    monkeypatch.setenv("PYDANTIC_DISABLE_PLUGINS", "")  # so that teardown restores it,
    monkeypatch.delenv("PYDANTIC_DISABLE_PLUGINS")  # whatever main() sets
    try:
        with pytest.raises(SystemExit) as exit_info:
            main()
        assert not gc.isenabled()
    finally:
        gc.enable()
    assert exit_info.value.code == 0
    assert capsys.readouterr().out.startswith("mmplan ")
    assert os.environ["PYDANTIC_DISABLE_PLUGINS"] == "__all__"
