"""Start-up stays light: what the CLI imports before a command needs it, and the entry point.

Timings live in benchmarks/run.py; these tests guard the causes instead (no timed asserts).
"""

from __future__ import annotations

import gc
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from mmplan.cli import main

# Modules a command imports only when it runs: each costs milliseconds at start-up.
HEAVY_MODULES = (
    "yaml",
    "pydantic",
    "pydantic_core",
    "pydantic.main",
    "rich.console",
    "rich.table",
    "platformdirs",
    "filelock",
    "icalendar",
    "mmplan.catalog.model",
    "mmplan.catalog.load",
    "mmplan.catalog.cache",
    "mmplan.schedule",
    "mmplan.reports.listing",
    "mmplan.reports.explore",
    "mmplan.core.base",
    "mmplan.progress.model",
    "ortools",  # the exact pass's solver: loaded only by a plan that needs it
    "hashlib",  # OpenSSL: the cache's key and checksum need it, nothing before them
    "importlib.resources",  # with zipfile: the bundled catalog is found beside the module
    "zipfile",
)
PYDANTIC_AND_YAML = frozenset({"yaml", "pydantic", "pydantic_core", "pydantic.main"})
# Which of those each command may load once the catalog is cached. `list`, the command run
# most, reads the cached catalog and summarizes it with plain dataclasses: neither pydantic
# nor YAML. `show`, `compare` and `plan` build pydantic results (and `plan` reads progress).
MAY_LOAD_WHEN_CACHED: dict[tuple[str, ...], frozenset[str]] = {
    ("list",): frozenset(),
    ("list", "--format", "json"): frozenset(),
    ("list", "--format", "csv", "--sort", "price", "--max-price", "2000"): frozenset(),
    ("list", "--format", "markdown", "--search", "data", "--effort", "high"): frozenset(),
    ("show", "mitx-scm"): PYDANTIC_AND_YAML,
    ("compare", "mitx-scm", "mitx-sds"): PYDANTIC_AND_YAML,
    ("plan", "mitx-scm", "--start", "2027-01-04"): PYDANTIC_AND_YAML,
}


def modules_loaded_by(code: str) -> set[str]:
    """The heavy modules loaded after running `code` in a fresh interpreter."""
    probe = f"{code}\nimport json, sys\nprint(json.dumps(sorted(sys.modules)))"
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, timeout=60
    )
    loaded = set(json.loads(result.stdout.splitlines()[-1]))
    return loaded.intersection(HEAVY_MODULES)


def command_code(args: tuple[str, ...]) -> str:
    """Code that runs `mmplan ARGS` in-process, as the console script would."""
    return (
        "from mmplan.cli import app\n"
        "try:\n"
        f"    app({list(args)!r}, prog_name='mmplan')\n"
        "except SystemExit as done:\n"
        "    assert not done.code, done.code"
    )


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
        assert gc.get_freeze_count() > 0  # the final collection at exit skips them all
    finally:
        gc.unfreeze()
        gc.enable()
    assert exit_info.value.code == 0
    assert capsys.readouterr().out.startswith("mmplan ")
    assert os.environ["PYDANTIC_DISABLE_PLUGINS"] == "__all__"


@pytest.mark.parametrize(
    "args", [("plan", "--help"), ("list", "--help"), ("progress", "add", "--help")], ids=" ".join
)
def test_a_command_s_help_loads_no_heavy_module(args: tuple[str, ...]) -> None:
    """Click runs the root callback before a command's --help: it must not load the catalog
    code (once 20 ms of `mmplan plan --help`)."""
    assert modules_loaded_by(command_code(args)) == set()


@pytest.mark.parametrize("args", list(MAY_LOAD_WHEN_CACHED), ids=" ".join)
def test_what_a_command_loads_once_the_catalog_is_cached(args: tuple[str, ...]) -> None:
    """The first run parses the catalog (YAML, pydantic) and caches it; later runs must not
    need either unless the command itself does."""
    code = command_code(args)
    modules_loaded_by(code)  # warms the cache (the environment's own, under tmp_path)
    assert list(Path(os.environ["XDG_CACHE_HOME"]).rglob("*.pickle"))
    loaded = modules_loaded_by(code)
    assert loaded & PYDANTIC_AND_YAML <= MAY_LOAD_WHEN_CACHED[args]
    if args[0] == "list":  # nor what a cached catalog can do without (pydantic loads some)
        assert not loaded & {"importlib.resources", "zipfile"}
        assert "platformdirs" not in loaded or sys.platform != "linux"


def test_list_without_a_cache_parses_with_yaml_and_pydantic() -> None:
    """The other side of the test above: what a cold run needs, a warm `list` avoids."""
    loaded = modules_loaded_by(
        "import os\nos.environ['MMPLAN_NO_CACHE'] = '1'\n" + command_code(("list",))
    )
    assert {"yaml", "pydantic"} <= loaded


def test_cp_sat_loads_without_pandas_and_solves() -> None:
    """OR-Tools' `cp_model` imports numpy and pandas (about 0.3 CPU s) for helpers mmplan
    never calls; `mmplan.schedule.cpsat` loads CP-SAT without them, and solves."""
    code = (
        "import sys\n"
        "from mmplan.schedule.solve import load_solver\n"
        "sat = load_solver()\n"
        "model = sat.CpModel()\n"
        "x = model.new_int_var(0, 5, 'x')\n"
        "model.add(x >= 2)\n"
        "model.minimize(x)\n"
        "solver = sat.CpSolver()\n"
        "assert solver.solve(model) == sat.OPTIMAL and solver.value(x) == 2\n"
        "assert not {'numpy', 'pandas'} & set(sys.modules)"
    )
    subprocess.run([sys.executable, "-c", code], check=True, timeout=60)


def test_a_plan_that_searches_loads_cp_sat_but_not_numpy_or_pandas() -> None:
    probe = command_code(
        ("plan", "ucsandiegox-algorithms-data-structures", "--start", "2027-01-04")
    )
    code = f"{probe}\nimport sys\nassert not {{'numpy', 'pandas'}} & set(sys.modules)"
    assert "ortools" in modules_loaded_by(code)


def test_typer_reads_no_annotation_as_text() -> None:
    """Typer inspects every command's parameters on every run; an annotation kept as text
    (`from __future__ import annotations`) makes it compile and evaluate the text each time,
    which once cost 8 ms of every command's start-up."""
    import inspect

    import typer

    from mmplan.cli import app, completion

    callbacks = [
        f
        for name, f in inspect.getmembers(completion, inspect.isfunction)
        if name.startswith("complete_")
    ]
    apps: list[typer.Typer] = [app]
    while apps:
        current = apps.pop()
        if current.registered_callback is not None:
            callbacks.append(current.registered_callback.callback)
        callbacks.extend(command.callback for command in current.registered_commands)
        apps.extend(group.typer_instance for group in current.registered_groups)
    assert len(callbacks) > 15
    for callback in filter(None, callbacks):
        text = {k: v for k, v in callback.__annotations__.items() if isinstance(v, str)}
        assert not text, f"{callback.__module__}.{callback.__qualname__}: {text}"
