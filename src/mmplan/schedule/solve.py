"""Running CP-SAT for the exact pass: a deterministic limit, a wall-clock cap, and Ctrl-C.

The deterministic limit (CP-SAT's own count of work) is what normally stops a search, so
the same inputs give the same plan on any machine. The wall-clock cap is a safety net for
a slow or busy machine: when it stops a search first, the outcome says so, because the plan
may then differ from run to run. The solver runs on a thread of its own, so that Ctrl-C
reaches Python at once: the search is stopped and KeyboardInterrupt raised within a
fraction of a second.
"""

from __future__ import annotations

import os
import threading
import time
from dataclasses import dataclass
from types import ModuleType
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import mmplan.schedule.cpsat as cpsat

NO_WALL_CAP_ENV = "MMPLAN_NO_WALL_CAP"  # set (not 0): no wall-clock cap, for reproducible runs
_POLL = 0.05  # seconds between looks for Ctrl-C while the solver runs
# CP-SAT times its limit on its own clock, started a moment after ours: stopped by the cap,
# it may return a fraction of a millisecond before our deadline (measured: 0.1 ms).
_CLOCK_SLACK = 0.01
_LEAST_WALL = 0.001  # seconds: CP-SAT refuses a time limit of 0


@dataclass(frozen=True)
class Run:
    """How one solve ended: CP-SAT's status, its deterministic time, and whether the
    wall-clock cap stopped it before it finished or reached its deterministic limit."""

    status: cpsat.CpSolverStatus
    spent: float
    capped: bool


def wall_cap_enabled() -> bool:
    """False when `MMPLAN_NO_WALL_CAP` is set to anything but empty or 0: the tests and the
    README tour set it, so that a busy machine cannot change what they check."""
    return os.environ.get(NO_WALL_CAP_ENV, "") in ("", "0")


def load_solver() -> ModuleType:
    """CP-SAT (`mmplan.schedule.cpsat`), loaded once per process: about 0.15 CPU s."""
    import mmplan.schedule.cpsat as cpsat

    return cpsat


def wall_left(deadline: float) -> float:
    """Seconds of wall-clock time left before `deadline` (a `time.monotonic()` value)."""
    return deadline - time.monotonic()


def solve(
    solver: cpsat.CpSolver, model: cpsat.CpModel, deterministic: float, deadline: float
) -> Run:
    """Solve `model` within `deterministic` seconds of CP-SAT's work and before `deadline`."""
    sat = load_solver()

    solver.parameters.max_deterministic_time = deterministic
    solver.parameters.max_time_in_seconds = max(wall_left(deadline), _LEAST_WALL)
    solver.parameters.catch_sigint_signal = False  # Python's handler takes Ctrl-C
    outcome: list[cpsat.CpSolverStatus] = []
    failed: list[BaseException] = []
    finished = threading.Event()

    def search() -> None:
        try:
            outcome.append(solver.solve(model))
        except BaseException as error:  # handed to the caller's thread below
            failed.append(error)
        finally:
            finished.set()

    threading.Thread(target=search, name="cp-sat", daemon=True).start()
    try:
        while not finished.wait(_POLL):
            pass
    except KeyboardInterrupt:
        solver.stop_search()
        finished.wait()
        raise
    if failed:
        raise failed[0]
    status = outcome[0]
    spent = solver.response_proto.deterministic_time
    done = status in (sat.OPTIMAL, sat.INFEASIBLE)
    capped = not done and spent < deterministic and wall_left(deadline) <= _CLOCK_SLACK
    return Run(status, spent, capped)
