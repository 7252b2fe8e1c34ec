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
import gc
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
# The least a Typer + Rich command like `mmplan list` can cost, with no mmplan code at all:
# list's options and a Rich table of the bundled catalog's size. It imports no pydantic
# (Typer < 0.29 does not), so it can come in under the floor. Shown for reference beside
# startup-list.
BARE_TYPER_LIST = """
from enum import Enum
from typing import Annotated, Optional
import typer
app = typer.Typer(rich_markup_mode=None, pretty_exceptions_enable=False)
class Format(str, Enum):
    TABLE = "table"
    JSON = "json"
@app.callback()
def options(catalog: Annotated[Optional[list[str]], typer.Option()] = None,
            no_bundled: bool = False, debug: bool = False) -> None:
    pass
@app.command("list")
def list_command(hours_per_week: float = 8.0, field: Optional[str] = None,
                 institution: Optional[str] = None, max_price: Optional[float] = None,
                 max_weeks: Optional[float] = None, credit_at: Optional[str] = None,
                 search: Optional[str] = None, sort: Optional[str] = None, reverse: bool = False,
                 effort: str = "mid", output_format: Annotated[Format, typer.Option("--format")]
                 = Format.TABLE) -> None:
    from rich.console import Console
    from rich.table import Table
    table = Table()
    for column in ("id", "title", "institution", "field", "courses", "hours", "price", "weeks"):
        table.add_column(column)
    for row in range(23):
        table.add_row(*(f"{column}-{row}" for column in range(8)))
    Console().print(table)
app()
"""
YAML_PARSE = "import sys, yaml; yaml.load(open(sys.argv[1], 'rb'), Loader=yaml.CSafeLoader)"


@dataclass(frozen=True)
class Sample:
    """One child process: wall-clock seconds, CPU seconds and peak resident memory in MB."""

    seconds: float
    cpu: float
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
    note: str = ""  # printed under the table: CPU-time ratios, references


@dataclass(frozen=True)
class Setup:
    """The inputs and environment every measurement shares."""

    work: Path
    env: dict[str, str]
    mmplan: tuple[str, ...]
    big: Path
    repeat: int
    clock: str  # "wall" or "cpu": which time the verdicts use

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
    return Sample(seconds, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024)


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


def median_time(samples: list[Sample], clock: str) -> float:
    """Median wall-clock or CPU (user + system) seconds."""
    return statistics.median(s.seconds if clock == "wall" else s.cpu for s in samples)


def other_clock_note(
    name: str, candidates: list[Sample], baselines: list[Sample], clock: str
) -> str:
    """The same comparison on the clock the verdict did not use."""
    other = "cpu" if clock == "wall" else "wall"
    value, base = median_time(candidates, other), median_time(baselines, other)
    return f"{name}: {other} {value:.3f} s vs {base:.3f} s = {value / base:.2f}x"


def ratio_outcome(
    name: str, candidates: list[Sample], baselines: list[Sample], limit: float, clock: str
) -> Outcome:
    value, base = median_time(candidates, clock), median_time(baselines, clock)
    ratio = value / base
    return Outcome(
        name,
        f"{value:.3f} s",
        f"{base:.3f} s",
        f"{ratio:.2f}x",
        f"<= {limit:.2f}x",
        ratio <= limit,
        other_clock_note(name, candidates, baselines, clock),
    )


def measure_startup(setup: Setup) -> list[Outcome]:
    """`mmplan list` (bundled catalog, cache warm) and `mmplan --help` vs the bare imports."""
    floor = (sys.executable, "-c", FLOOR_IMPORTS)
    bare = (sys.executable, "-c", BARE_TYPER_LIST, "list")
    for warm_up in (floor, bare, (*setup.mmplan, "--help"), (*setup.mmplan, "list")):
        run_child(warm_up, setup.env)  # bytecode and the bundled catalog's cache entry
    outcomes = []
    for name, argument in (("startup-list", "list"), ("startup-help", "--help")):
        command = (*setup.mmplan, argument)
        candidates, baselines = alternate(
            lambda command=command: run_child(command, setup.env),  # type: ignore[misc]
            lambda: run_child(floor, setup.env),
            setup.repeat * 2,
        )
        outcomes.append(ratio_outcome(name, candidates, baselines, 1.10, setup.clock))
    bares, floors = alternate(
        lambda: run_child(bare, setup.env), lambda: run_child(floor, setup.env), setup.repeat
    )
    reference = ratio_outcome("bare-typer-list", bares, floors, 1.10, setup.clock)
    outcomes.append(
        Outcome(
            reference.name,
            reference.value,
            reference.baseline,
            reference.ratio,
            "reference",
            None,
            reference.note + " (a Typer command with list's options and a Rich table, no mmplan)",
        )
    )
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
    outcomes = [ratio_outcome("cold-big-list", cold_runs, parses, 1.30, setup.clock)]

    run_child(command, setup.env)  # writes the cache entry
    floor = (sys.executable, "-c", FLOOR_IMPORTS)
    warm_runs, floors = alternate(
        lambda: run_child(command, setup.env), lambda: run_child(floor, setup.env), setup.repeat
    )
    warm, base = median_time(warm_runs, setup.clock), median_time(floors, setup.clock)
    outcomes.append(
        Outcome(
            "warm-big-list",
            f"{warm:.3f} s",
            f"{base:.3f} s",
            f"{warm / base:.2f}x",
            "<= 0.250 s",
            warm <= 0.250,
            other_clock_note("warm-big-list", warm_runs, floors, setup.clock)
            + " (baseline: the import floor)",
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


def time_planning(catalog_path: Path, repeat: int, clock: str, collector: bool) -> float | str:
    """Median in-process seconds to plan the one program of `catalog_path`, or why not.

    `collector`: whether the cyclic garbage collector runs meanwhile. The `mmplan` console
    script turns it off, so planning there runs as with `collector=False`.
    """
    try:
        from mmplan.schedule import PlanRequest, plan_programs
    except ImportError:
        return "mmplan.schedule.plan_programs does not exist yet"
    from mmplan.catalog import load_catalog_file

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


def measure_planning(setup: Setup) -> list[Outcome]:
    """A 2,000-course program in under 0.5 s, and 4,000 courses at most 2.3x that."""
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
        Outcome("plan-2000", f"{small:.3f} s", "-", "-", "< 0.500 s", small < 0.5),
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
    # Bytecode is cached (in the work directory, not the checkout) as for an installed
    # package, so no run pays for compiling mmplan's sources; the first run of each
    # command is a warm-up that fills it.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env.update(
        PYTHONPYCACHEPREFIX=str(work / "pycache"),
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
        verdict = "PASS" if o.passed else "FAIL" if o.passed is False else "-"
        rows.append((o.name, o.value, o.baseline, o.ratio, o.target, verdict))
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    return "\n".join(
        "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip()
        for row in rows
    ) + "".join(f"\n# {o.note}" for o in outcomes if o.note)


def main() -> None:
    parser = argparse.ArgumentParser(description="Measure mmplan's performance targets.")
    parser.add_argument("--repeat", type=int, default=10, help="runs per measurement (median)")
    parser.add_argument("--quick", action="store_true", help="3 runs per measurement")
    parser.add_argument(
        "--clock",
        choices=("wall", "cpu"),
        default="wall",
        help="judge child processes by wall-clock time (default) or by their CPU time, "
        "which a busy machine disturbs less",
    )
    parser.add_argument(
        "--only", choices=("startup", "big", "plan"), action="append", help="a group of targets"
    )
    args = parser.parse_args()
    groups = args.only or ["startup", "big", "plan"]
    with tempfile.TemporaryDirectory(prefix="mmplan-bench-") as directory:
        work = Path(directory)
        os.environ.update(isolated_environment(work))  # the in-process planning runs too
        big = work / "big.yaml"
        # In a child: a parent grown by the catalog's data would inflate every later
        # child's peak memory (the kernel counts the pages a child shares before exec).
        generator = Path(__file__).with_name("make_catalog.py")
        subprocess.run([sys.executable, generator, "big", big], check=True)
        setup = Setup(
            work=work,
            env=isolated_environment(work),
            mmplan=mmplan_command(),
            big=big,
            repeat=3 if args.quick else args.repeat,
            clock=args.clock,
        )
        # An empty interpreter's start shows what the environment adds to every process
        # (site-packages .pth files, say): it is in every figure, baseline included.
        empty = [run_child((sys.executable, "-c", "pass"), setup.env) for _ in range(5)]
        print(
            f"# {sys.implementation.name} {sys.version.split()[0]}, {os.cpu_count()} CPUs, "
            f"big.yaml {big.stat().st_size / 1e6:.1f} MB, {setup.repeat} runs per median, "
            f"{setup.clock} clock, empty interpreter {median_time(empty, setup.clock):.3f} s",
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
