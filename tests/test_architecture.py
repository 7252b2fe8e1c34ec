"""The package's shape: stages import only earlier stages, and modules stay readable."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

# These tests read the source with `ast` and run none of it: coverage pauses (tests/conftest.py),
# as tracing slowed their parsing of every module twofold.
pytestmark = pytest.mark.untraced

SOURCE = Path(__file__).resolve().parent.parent / "src"
MAX_MODULE_LINES = 600
MAX_FUNCTION_LINES = 100
# The pipeline, lowest first. A module imports only its own package and lower layers; two
# packages on one layer (the planner and the reports, the API and the renderers) never
# import each other. `mmplan` (the lazy public names) and `__main__` stand on top.
LAYERS = (
    ("mmplan.core", "mmplan.version"),
    ("mmplan.catalog",),
    ("mmplan.progress", "mmplan.selection"),
    ("mmplan.schedule", "mmplan.reports"),
    ("mmplan.api", "mmplan.render"),
    ("mmplan.cli",),
)


def _modules() -> dict[str, Path]:
    found = {}
    for path in sorted(SOURCE.rglob("*.py")):
        parts = path.relative_to(SOURCE).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        found[name] = path
    return found


def _imports(path: Path, modules: dict[str, Path]) -> set[str]:
    """Every mmplan module `path` imports, anywhere in it (TYPE_CHECKING and functions too)."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
    return {name for name in names if name in modules}


def _cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One import cycle, as the modules along it, or None."""
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    path: list[str] = []

    def visit(name: str) -> list[str] | None:
        state[name] = 1
        path.append(name)
        for imported in sorted(graph[name]):
            if state.get(imported) == 1:
                return [*path[path.index(imported) :], imported]
            if imported not in state and (found := visit(imported)):
                return found
        state[name] = 2
        path.pop()
        return None

    for name in sorted(graph):
        if name not in state and (found := visit(name)):
            return found
    return None


def test_the_cycle_finder_finds_a_cycle() -> None:
    assert _cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert _cycle({"a": {"b"}, "b": set()}) is None


def test_no_module_imports_a_module_that_imports_it_back() -> None:
    modules = _modules()
    graph = {name: _imports(path, modules) - {name} for name, path in modules.items()}
    assert _cycle(graph) is None


def _package(module: str) -> str:
    """The layer entry a module belongs to: `mmplan.catalog.graph` -> `mmplan.catalog`."""
    return ".".join(module.split(".")[:2])


def _layer(package: str) -> int:
    for level, packages in enumerate(LAYERS):
        if package in packages:
            return level
    return len(LAYERS)  # mmplan itself and __main__


def test_every_module_sits_on_a_layer() -> None:
    loose = {_package(name) for name in _modules()} - {p for layer in LAYERS for p in layer}
    assert loose == {"mmplan", "mmplan.__main__"}


def _upward_imports(modules: dict[str, Path]) -> list[str]:
    """Each import of a package on the same or a higher layer, as `importer -> imported`."""
    upward = []
    for name, path in modules.items():
        package = _package(name)
        for imported in sorted(_imports(path, modules)):
            target = _package(imported)
            if target != package and _layer(target) >= _layer(package):
                upward.append(f"{name} -> {imported}")
    return upward


def test_stages_import_only_their_own_package_and_lower_layers() -> None:
    assert _upward_imports(_modules()) == []


def test_the_layer_check_finds_an_upward_or_sideways_import(tmp_path: Path) -> None:
    (tmp_path / "graph.py").write_text("from mmplan.cli.app import emit\n")
    (tmp_path / "cost.py").write_text("import mmplan.schedule.model\n")
    (tmp_path / "plan.py").write_text("from mmplan.catalog import graph\n")
    modules = {
        "mmplan.catalog.graph": tmp_path / "graph.py",
        "mmplan.cli.app": tmp_path / "plan.py",
        "mmplan.reports.cost": tmp_path / "cost.py",
        "mmplan.schedule.model": tmp_path / "plan.py",
    }
    assert _upward_imports(modules) == [
        "mmplan.catalog.graph -> mmplan.cli.app",
        "mmplan.reports.cost -> mmplan.schedule.model",
    ]


# A command parses its options, makes one call to the API and renders what it returns: the
# API is the one place the stages are wired together, so a command imports no stage.
COMMAND_MAY_IMPORT = ("mmplan.api", "mmplan.render", "mmplan.cli", "mmplan.core")


def _stage_imports(modules: dict[str, Path]) -> list[str]:
    """Each import of a stage by a command module (`cli/*_cmd.py`), as `importer -> imported`."""
    found = []
    for name, path in modules.items():
        if name.startswith("mmplan.cli.") and name.endswith("_cmd"):
            for imported in sorted(_imports(path, modules)):
                if _package(imported) not in COMMAND_MAY_IMPORT:
                    found.append(f"{name} -> {imported}")
    return found


def test_commands_import_only_the_api_the_renderers_the_cli_and_core() -> None:
    modules = _modules()
    assert {n for n in modules if n.endswith("_cmd")} >= {"mmplan.cli.plan_cmd"}
    assert _stage_imports(modules) == []


def test_the_command_check_finds_a_stage_imported_by_a_command(tmp_path: Path) -> None:
    (tmp_path / "plan_cmd.py").write_text(
        "from mmplan.api import plan\nfrom mmplan.schedule import plan_programs\n"
    )
    (tmp_path / "app.py").write_text("from mmplan.catalog.load import CatalogSources\n")
    modules = {
        "mmplan.cli.plan_cmd": tmp_path / "plan_cmd.py",
        "mmplan.cli.app": tmp_path / "app.py",
        "mmplan.api": tmp_path / "app.py",
        "mmplan.schedule": tmp_path / "app.py",
        "mmplan.catalog.load": tmp_path / "app.py",
    }
    assert _stage_imports(modules) == ["mmplan.cli.plan_cmd -> mmplan.schedule"]


def test_the_planner_does_not_import_the_cost_report() -> None:
    modules = _modules()
    for name, path in modules.items():
        if name.startswith("mmplan.schedule"):
            assert "mmplan.reports.cost" not in _imports(path, modules), name


def test_modules_and_functions_stay_short() -> None:
    too_long = []
    for name, path in _modules().items():
        text = path.read_text(encoding="utf-8")
        if len(text.splitlines()) > MAX_MODULE_LINES:
            too_long.append(name)
        for node in ast.walk(ast.parse(text)):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                assert node.end_lineno is not None
                if node.end_lineno - node.lineno + 1 > MAX_FUNCTION_LINES:
                    too_long.append(f"{name}.{node.name}")
    assert too_long == []
