"""The performance targets of mmplan, each measured beside its baseline in one run.

    python benchmarks/run.py            # all targets, default repetitions
    python benchmarks/run.py --quick    # fewer repetitions (a smoke run, noisier)

Builds its inputs in a temporary directory (the synthetic catalogs of make_catalog.py, a
private cache and home), then measures every target alternately with its baseline
(baseline, candidate, candidate, baseline, ...) so both see the same machine load, and
reports medians. Prints one line per target:

    name  value  baseline  ratio  target  PASS/FAIL

and exits 1 when any target fails. Whole-process figures are wall-clock times of child
processes; their peak memory comes from the kernel's accounting of each child (wait4).
Not part of the unit tests: timings belong on a quiet machine, not in CI assertions.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import make_catalog

FLOOR_IMPORTS = "import typer, rich, pydantic, yaml"
PLAN_START = date(2027, 1, 4)
YAML_PARSE = "import sys, yaml; yaml.load(open(sys.argv[1], 'rb'), Loader=yaml.CSafeLoader)"


@dataclass(frozen=True)
class Sample:
    """One child process: wall-clock seconds and peak resident memory in MB."""

    seconds: float
    peak_mb: float


@dataclass(frozen=True)
class Outcome:
    """One line of the report."""

    name: str
    value: str
    baseline: str
    ratio: str
    target: str
    passed: bool | None  # None: could not be measured here (reason in `target`)


@dataclass(frozen=True)
class Setup:
    """The inputs and environment every measurement shares."""

    work: Path
    env: dict[str, str]
    mmplan: tuple[str, ...]
    big: Path
    repeat: int

    @property
    def cache(self) -> Path:
        return self.work / "cache"


def run_child(command: Sequence[str], env: dict[str, str]) -> Sample:
    """Run one process to completion; its output is discarded, a failure is fatal."""
    with tempfile.TemporaryFile() as stderr:
        start = time.perf_counter()
        process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=stderr)
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - start
        process.returncode = os.waitstatus_to_exitcode(status)
        if process.returncode != 0:
            stderr.seek(0)
            message = stderr.read().decode(errors="replace").strip()
            raise SystemExit(f"{' '.join(command)} exited {process.returncode}: {message}")
    return Sample(seconds, usage.ru_maxrss / 1024)


def alternate(
    candidate: Callable[[], Sample], baseline: Callable[[], Sample], repeat: int
) -> tuple[list[Sample], list[Sample]]:
    """Run both `repeat` times, alternating which goes first, so drift hits both alike."""
    candidates: list[Sample] = []
    baselines: list[Sample] = []
    for index in range(repeat):
        if index % 2:
            candidates.append(candidate())
            baselines.append(baseline())
        else:
            baselines.append(baseline())
            candidates.append(candidate())
    return candidates, baselines


def median_seconds(samples: list[Sample]) -> float:
    return statistics.median(s.seconds for s in samples)


def ratio_outcome(
    name: str, candidates: list[Sample], baselines: list[Sample], limit: float
) -> Outcome:
    value, base = median_seconds(candidates), median_seconds(baselines)
    ratio = value / base
    return Outcome(
        name, f"{value:.3f} s", f"{base:.3f} s", f"{ratio:.2f}x", f"<= {limit:.2f}x", ratio <= limit
    )


def measure_startup(setup: Setup) -> list[Outcome]:
    """`mmplan list` (bundled catalog, cache warm) and `mmplan --help` vs the bare imports."""
    floor = (sys.executable, "-c", FLOOR_IMPORTS)
    run_child((*setup.mmplan, "list"), setup.env)  # fills the cache, as any earlier run would
    outcomes = []
    for name, argument in (("startup-list", "list"), ("startup-help", "--help")):
        command = (*setup.mmplan, argument)
        candidates, baselines = alternate(
            lambda command=command: run_child(command, setup.env),  # type: ignore[misc]
            lambda: run_child(floor, setup.env),
            setup.repeat * 2,
        )
        outcomes.append(ratio_outcome(name, candidates, baselines, 1.10))
    return outcomes


def measure_big_catalog(setup: Setup) -> list[Outcome]:
    """Cold and warm `list --format json` over the 12,000-course catalog, and its memory."""
    command = (
        *setup.mmplan,
        "--catalog",
        str(setup.big),
        "--no-bundled",
        "list",
        "--format",
        "json",
    )

    def cold() -> Sample:
        shutil.rmtree(setup.cache, ignore_errors=True)
        return run_child(command, setup.env)

    cold_runs, parses = alternate(
        cold,
        lambda: run_child((sys.executable, "-c", YAML_PARSE, str(setup.big)), setup.env),
        max(3, setup.repeat // 2),
    )
    outcomes = [ratio_outcome("cold-big-list", cold_runs, parses, 1.30)]

    run_child(command, setup.env)  # writes the cache entry
    floor = (sys.executable, "-c", FLOOR_IMPORTS)
    warm_runs, floors = alternate(
        lambda: run_child(command, setup.env), lambda: run_child(floor, setup.env), setup.repeat
    )
    warm = median_seconds(warm_runs)
    outcomes.append(
        Outcome(
            "warm-big-list",
            f"{warm:.3f} s",
            f"{median_seconds(floors):.3f} s",
            f"{warm / median_seconds(floors):.2f}x",
            "<= 0.250 s",
            warm <= 0.250,
        )
    )
    peak = max(s.peak_mb for s in warm_runs)
    floor_peak = max(s.peak_mb for s in floors)
    outcomes.append(
        Outcome(
            "warm-rss",
            f"{peak:.1f} MB",
            f"{floor_peak:.1f} MB",
            f"{peak / floor_peak:.2f}x",
            "< 150 MB",
            peak < 150,
        )
    )
    return outcomes


def time_planning(catalog_path: Path, repeat: int) -> float | str:
    """Median in-process seconds to plan the one program of `catalog_path`, or why not."""
    try:
        from mmplan.schedule import PlanRequest, plan_programs
    except ImportError:
        return "mmplan.schedule.plan_programs does not exist yet"
    from mmplan.catalog import load_catalog_file

    catalog = load_catalog_file(catalog_path)
    request = PlanRequest(program_ids=(catalog.programs[0].id,), start=PLAN_START)
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        plan_programs(catalog, request)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def measure_planning(setup: Setup) -> list[Outcome]:
    """A 2,000-course program in under 0.5 s, and 4,000 courses at most 2.3x that."""
    paths = {}
    for courses in (2000, 4000):
        paths[courses] = setup.work / f"single-{courses}.yaml"
        paths[courses].write_text(make_catalog.dump(make_catalog.single_program(courses)))
    repeat = max(3, setup.repeat // 2)
    small = time_planning(paths[2000], repeat)
    large = time_planning(paths[4000], repeat)
    if isinstance(small, str) or isinstance(large, str):
        reason = small if isinstance(small, str) else str(large)
        return [
            Outcome("plan-2000", "-", "-", "-", f"skipped: {reason}", None),
            Outcome("plan-scaling", "-", "-", "-", f"skipped: {reason}", None),
        ]
    return [
        Outcome("plan-2000", f"{small:.3f} s", "-", "-", "< 0.500 s", small < 0.5),
        Outcome(
            "plan-scaling",
            f"{large:.3f} s",
            f"{small:.3f} s",
            f"{large / small:.2f}x",
            "<= 2.30x",
            large / small <= 2.3,
        ),
    ]


def mmplan_command() -> tuple[str, ...]:
    """The installed console script beside this Python, else `python -m mmplan`."""
    script = Path(sys.executable).with_name("mmplan")
    if script.is_file():
        return (str(script),)
    found = shutil.which("mmplan")
    return (found,) if found else (sys.executable, "-m", "mmplan")


def isolated_environment(work: Path) -> dict[str, str]:
    """The user's environment minus anything that changes mmplan's work, plus a private cache."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("MMPLAN_")}
    env.update(
        XDG_CACHE_HOME=str(work / "cache"),
        XDG_DATA_HOME=str(work / "data"),
        MMPLAN_HOME=str(work / "home"),
        NO_COLOR="1",
        COLUMNS="120",
    )
    return env


def report(outcomes: list[Outcome]) -> str:
    rows = [("name", "value", "baseline", "ratio", "target", "result")]
    for o in outcomes:
        verdict = "SKIP" if o.passed is None else "PASS" if o.passed else "FAIL"
        rows.append((o.name, o.value, o.baseline, o.ratio, o.target, verdict))
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    return "\n".join(
        "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip()
        for row in rows
    )


def main() -> None:
    parser = argparse.ArgumentParser(description="Measure mmplan's performance targets.")
    parser.add_argument("--repeat", type=int, default=10, help="runs per measurement (median)")
    parser.add_argument("--quick", action="store_true", help="3 runs per measurement")
    parser.add_argument(
        "--only", choices=("startup", "big", "plan"), action="append", help="a group of targets"
    )
    args = parser.parse_args()
    groups = args.only or ["startup", "big", "plan"]
    with tempfile.TemporaryDirectory(prefix="mmplan-bench-") as directory:
        work = Path(directory)
        os.environ.update(isolated_environment(work))  # the in-process planning runs too
        big = work / "big.yaml"
        big.write_text(make_catalog.dump(make_catalog.big_catalog()), encoding="utf-8")
        setup = Setup(
            work=work,
            env=isolated_environment(work),
            mmplan=mmplan_command(),
            big=big,
            repeat=3 if args.quick else args.repeat,
        )
        print(
            f"# {sys.implementation.name} {sys.version.split()[0]}, {os.cpu_count()} CPUs, "
            f"big.yaml {big.stat().st_size / 1e6:.1f} MB, {setup.repeat} runs per median",
            flush=True,
        )
        outcomes: list[Outcome] = []
        if "startup" in groups:
            outcomes += measure_startup(setup)
        if "big" in groups:
            outcomes += measure_big_catalog(setup)
        if "plan" in groups:
            outcomes += measure_planning(setup)
    print(report(outcomes))
    sys.exit(1 if any(o.passed is False for o in outcomes) else 0)


if __name__ == "__main__":
    main()
