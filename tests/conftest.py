"""Shared fixtures: every test runs with its own home, cache and a pinned terminal."""

from __future__ import annotations

import functools
import shutil
import signal
import sys
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from types import FrameType
from typing import Any

import pytest
import typer
import typer.testing
from typer.testing import CliRunner, Result

from mmplan.catalog.index import CatalogIndex
from mmplan.cli import app
from mmplan.schedule import Plan, plan_finishing_by, plan_programs
from mmplan.schedule.verify import verify_plan


def _verifying(planner: Callable[..., Plan]) -> Callable[..., Plan]:
    """`planner`, checking every plan it returns with the independent verifier."""

    @functools.wraps(planner)
    def planned(catalog: object, request: object, *args: object, **options: object) -> Plan:
        plan = planner(catalog, request, *args, **options)
        bare = CatalogIndex.of(catalog).catalog  # type: ignore[arg-type]  # the API gives an index
        violations = verify_plan(bare, request, plan)  # type: ignore[arg-type]
        assert not violations, "the plan breaks a rule:\n" + "\n".join(map(str, violations))
        return plan

    return planned


@pytest.fixture(autouse=True, scope="session")
def verified_plans() -> Iterator[None]:
    """Every plan the suite makes, through the API, the CLI or the planner itself, passes
    `mmplan.schedule.verify` (each module that imported a planning function gets it wrapped)."""
    wrapped = {id(f): _verifying(f) for f in (plan_programs, plan_finishing_by)}
    with pytest.MonkeyPatch.context() as patch:
        for name, module in list(sys.modules.items()):
            if not (name.startswith(("mmplan", "test_")) or name in {"conftest", "factories"}):
                continue
            for attribute, value in list(vars(module).items()):
                if id(value) in wrapped and callable(value):
                    patch.setattr(module, attribute, wrapped[id(value)])
        yield


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item: pytest.Item) -> Iterator[None]:
    """A test marked `untraced` runs with coverage paused: it repeats, thousands of times,
    code that other tests cover (statistics over many samples), and line tracing made it
    three times slower.

    It pauses the running collector itself. `Coverage.stop()` would resume the collector
    started before it, and pytest-cov starts two in each xdist worker: the tests ran traced.
    """
    if item.get_closest_marker("untraced") is None:
        return (yield)
    import coverage

    measuring = coverage.Coverage.current()
    collector = getattr(measuring, "_collector", None)
    if collector is None:
        return (yield)
    collector.pause()
    try:
        return (yield)
    finally:
        collector.resume()


@pytest.fixture(autouse=True, scope="session")
def click_commands_built_once() -> Iterator[None]:
    """typer.testing builds the app's whole click command tree on every invoke (tens of
    milliseconds for mmplan's commands, a sixth of the suite's CPU); nothing a command line
    does changes that tree, so the suite builds it once per app."""
    build = typer.testing._get_command
    built: dict[int, tuple[typer.Typer, Any]] = {}  # click's command tree of each app

    def get_command(typer_app: typer.Typer) -> Any:
        known = built.get(id(typer_app))
        if known is None or known[0] is not typer_app:
            known = built[id(typer_app)] = (typer_app, build(typer_app))
        return known[1]

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(typer.testing, "_get_command", get_command)
        yield


@pytest.fixture(scope="session")
def bundled_cache_entry(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A catalog cache directory holding the bundled catalog's entry, written once per test
    process; each test starts with a copy (parsing the bundled YAML anew took a sixth of the
    suite's CPU). Tests of the cache itself start empty: `@pytest.mark.cold_cache`."""
    from mmplan.catalog.cache import cache_directory, store_cached_catalog
    from mmplan.catalog.load import bundled_catalog_path, parse_catalog, read_catalog_bytes

    root = tmp_path_factory.mktemp("bundled-cache")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("XDG_CACHE_HOME", str(root))
        patch.delenv("MMPLAN_NO_CACHE", raising=False)
        data = read_catalog_bytes(bundled_catalog_path())
        store_cached_catalog(data, parse_catalog(data, "bundled"))
        return cache_directory()


@pytest.fixture(autouse=True)
def isolated_environment(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    request: pytest.FixtureRequest,
    bundled_cache_entry: Path,
) -> None:
    """No test reads or writes the real user's data, cache or terminal settings; the test's
    own cache starts with the bundled catalog's entry (unless marked `cold_cache`)."""
    if request.node.get_closest_marker("cold_cache") is None:
        shutil.copytree(bundled_cache_entry, tmp_path / "cache" / "mmplan" / "catalogs")
    monkeypatch.setenv("MMPLAN_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.setenv("COLUMNS", "120")
    monkeypatch.setenv("NO_COLOR", "1")
    # Plans end their searches on the deterministic budget alone: a busy machine running
    # the tests in parallel cannot change what they check (test_exact tests the cap).
    monkeypatch.setenv("MMPLAN_NO_WALL_CAP", "1")
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


def _bundled_programs() -> tuple[tuple[str, bool], ...]:
    """Each bundled program's id and whether it is retired, read once at collection (the
    bundled file parsed directly, so no cache is written outside a test's own directory)."""
    from mmplan.catalog.load import bundled_catalog_path, parse_catalog, read_catalog_bytes
    from mmplan.catalog.model import ProgramStatus

    data = read_catalog_bytes(bundled_catalog_path())
    programs = parse_catalog(data, "bundled").catalog.programs
    return tuple((p.id, p.status is ProgramStatus.RETIRED) for p in programs)


def _per_program(program_ids: Iterable[str]) -> list[Any]:
    """Parameters, one per program, each in the program's xdist group: under
    `--dist loadgroup` one worker runs every test of a program and shares its runs."""
    return [pytest.param(p, id=p, marks=pytest.mark.xdist_group(p)) for p in program_ids]


BUNDLED = _bundled_programs()
BUNDLED_IDS = _per_program(program_id for program_id, _ in BUNDLED)
PLANNABLE_IDS = _per_program(program_id for program_id, retired in BUNDLED if not retired)


@pytest.fixture(scope="session")
def bundled_runs() -> Callable[..., Result]:
    """`mmplan` on the bundled catalog with no recorded progress, each distinct command run
    once per test session: `bundled_runs("plan", "mitx-scm", width=60)`.

    The output is a function of the arguments, the width and the bundled catalog (plans are
    deterministic), so tests that check different things of one plan share one run. Only
    for tests that record no progress and change no other setting.
    """
    runner = CliRunner()
    runs: dict[tuple[str, ...], Result] = {}

    def invoke(*args: str, width: int = 120) -> Result:
        assert not {"--catalog", "--no-bundled"} & set(args), "the bundled catalog only"
        key = (str(width), *args)
        if key not in runs:
            with pytest.MonkeyPatch.context() as patch:
                patch.setenv("COLUMNS", str(width))
                runs[key] = runner.invoke(app, list(args), prog_name="mmplan")
        return runs[key]

    return invoke


class Hang(Exception):
    """A call ran past the bound given to `bounded`."""


@contextmanager
def bounded(seconds: float) -> Iterator[None]:
    """Fail (instead of hanging the suite) when the block runs longer than `seconds`.

    A generous bound to catch a hang, never a speed target (those live in benchmarks/).
    """

    def stop(signum: int, frame: FrameType | None) -> None:
        raise Hang(f"no answer within {seconds} s")

    previous = signal.signal(signal.SIGALRM, stop)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
