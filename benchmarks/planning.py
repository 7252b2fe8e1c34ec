"""The `plan` group of benchmarks/run.py: large generated programs planned in-process.

- `plan-2000`, `plan-scaling`: a 2,000-course program in under 0.4 s, 4,000 at most 2.3x.
- `plan-mixed`: a mixed 1,000-course program (listed runs, yearly sessions, fixed courses
  without dates), list schedule alone, in under 1 s; beside it, without the guarded passes.
"""

from __future__ import annotations

import gc
import statistics
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

import make_catalog

if TYPE_CHECKING:
    from run import Outcome, Setup

PLAN_START = date(2027, 1, 4)
MIXED_SEED = 16  # the generated mixed program of plan-mixed (exact_quality.generated_program)


def time_planning(catalog_path: Path, repeat: int, clock: str, collector: bool) -> float | str:
    """Median in-process seconds to plan the one program of `catalog_path`, or why not.

    `collector`: whether the cyclic garbage collector runs meanwhile. The `mmplan` console
    script turns it off, so planning there runs as with `collector=False`.
    """
    try:
        from mmplan.schedule import PlanRequest, plan_programs
    except ImportError:
        return "mmplan.schedule.plan_programs does not exist yet"
    from mmplan.catalog.load import load_catalog_file

    catalog = load_catalog_file(catalog_path).catalog
    request = PlanRequest(program_ids=(catalog.programs[0].id,), start=PLAN_START)
    timer = time.perf_counter if clock == "wall" else time.process_time
    plan_programs(catalog, request)  # untimed: builds the result models' validators once
    times = []
    was_enabled = gc.isenabled()
    try:
        if not collector:
            gc.disable()
        for _ in range(repeat):
            start = timer()
            plan_programs(catalog, request)
            times.append(timer() - start)
    finally:
        if was_enabled:
            gc.enable()
    return statistics.median(times)


def time_mixed_planning(courses: int, repeat: int, clock: str) -> tuple[float, float]:
    """Median in-process seconds to plan a generated mixed program of `courses` courses
    (`exact_quality.generated_program`: listed runs, yearly sessions, fixed courses without
    dates) with the list schedule alone: (every pass, the guarded passes left out), measured
    alternately, without the cyclic collector as the console script runs."""
    import random

    from exact_quality import START, generated_program
    from mmplan.schedule import PlanRequest, plan_programs, simulation
    from mmplan.schedule.problem import Policy, Problem

    every_pass = simulation.policies

    def plain_passes(problem: Problem) -> list[Policy]:
        return [policy for policy in every_pass(problem) if not policy.guarded]

    catalog = generated_program(random.Random(MIXED_SEED), courses)
    request = PlanRequest(program_ids=("p",), start=START, solver_seconds=0)
    plan_programs(catalog, request)  # untimed: builds the result models' validators once

    def planned_with(guarded: bool) -> Callable[[], object]:
        def plan() -> object:
            simulation.policies = every_pass if guarded else plain_passes
            return plan_programs(catalog, request)

        return plan

    timer = time.perf_counter if clock == "wall" else time.process_time
    try:
        return alternated_medians(planned_with(True), planned_with(False), repeat, timer)
    finally:
        simulation.policies = every_pass


def alternated_medians(
    first: Callable[[], object],
    second: Callable[[], object],
    repeat: int,
    timer: Callable[[], float] = time.process_time,
) -> tuple[float, float]:
    """The median seconds of two in-process runs, each made `repeat` times, alternating
    which goes first so that drift hits both alike, without the cyclic collector (as the
    console script runs)."""
    times: tuple[list[float], list[float]] = ([], [])
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        for index in range(repeat):
            for which in (0, 1) if index % 2 else (1, 0):
                start = timer()
                (first, second)[which]()
                times[which].append(timer() - start)
    finally:
        if was_enabled:
            gc.enable()
    return statistics.median(times[0]), statistics.median(times[1])


def measure_mixed_planning(setup: Setup) -> list[Outcome]:
    """A mixed 1,000-course program in under 1 s; the guarded passes' share and 2,000 shown."""
    from run import Outcome

    repeat = max(5, setup.repeat)
    value, plain = time_mixed_planning(1000, repeat, setup.clock)
    large, large_plain = time_mixed_planning(2000, max(3, repeat // 2), setup.clock)
    note = (
        f"plan-mixed: seed {MIXED_SEED}, 8 h/week, list schedule alone; 2,000 courses: "
        f"{large:.3f} s, {large_plain:.3f} s without the guarded passes"
    )
    return [
        Outcome("plan-mixed", f"{value:.3f} s", "-", "-", "< 1.000 s", value < 1.0, note),
        Outcome(
            "plan-mixed-guarded",
            f"{value:.3f} s",
            f"{plain:.3f} s",
            f"{value / plain:.2f}x",
            "vs no guarded passes",
            None,
        ),
    ]


def measure_planning(setup: Setup) -> list[Outcome]:
    """A 2,000-course program in under 0.4 s, and 4,000 courses at most 2.3x that."""
    from run import Outcome

    paths = {}
    for courses in (2000, 4000):
        paths[courses] = setup.work / f"single-{courses}.yaml"
        paths[courses].write_text(make_catalog.dump(make_catalog.single_program(courses)))
    # Runs last: it grows this process, which would inflate the children's peak memory.
    repeat = max(5, setup.repeat)
    times = {
        (courses, collector): time_planning(paths[courses], repeat, setup.clock, collector)
        for courses in (2000, 4000)
        for collector in (False, True)
    }
    reasons = [t for t in times.values() if isinstance(t, str)]
    if reasons:
        return [
            Outcome("plan-2000", "-", "-", "-", f"skipped: {reasons[0]}", None),
            Outcome("plan-scaling", "-", "-", "-", f"skipped: {reasons[0]}", None),
        ]
    small, large = float(times[2000, False]), float(times[4000, False])
    small_gc, large_gc = float(times[2000, True]), float(times[4000, True])
    note = (
        f"plan-*: as the console script runs them, without the cyclic collector; with it: "
        f"{small_gc:.3f} s and {large_gc:.3f} s = {large_gc / small_gc:.2f}x"
    )
    return [
        Outcome("plan-2000", f"{small:.3f} s", "-", "-", "< 0.400 s", small < 0.4),
        Outcome(
            "plan-scaling",
            f"{large:.3f} s",
            f"{small:.3f} s",
            f"{large / small:.2f}x",
            "<= 2.30x",
            large / small <= 2.3,
            note,
        ),
    ]
