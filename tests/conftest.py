"""Shared fixtures: every test runs with its own home, cache and a pinned terminal."""

from __future__ import annotations

import functools
import signal
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from types import FrameType

import pytest
from typer.testing import CliRunner, Result

from mmplan.cli import app
from mmplan.schedule import Plan, plan_finishing_by, plan_programs
from mmplan.schedule.verify import verify_plan


def _verifying(planner: Callable[..., Plan]) -> Callable[..., Plan]:
    """`planner`, checking every plan it returns with the independent verifier."""

    @functools.wraps(planner)
    def planned(catalog: object, request: object, *args: object, **options: object) -> Plan:
        plan = planner(catalog, request, *args, **options)
        violations = verify_plan(catalog, request, plan)  # type: ignore[arg-type]
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
