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
from pathlib import Path

import interactive
import planning

FLOOR_IMPORTS = "import typer, rich, pydantic, yaml"
# Groups of targets; interactive, scale and tests are issue #23's (interactive.py).
GROUPS = ("startup", "big", "plan", "risk", "interactive", "scale", "tests")
# The reference `mmplan list` is judged against: a bare Typer command with list's options
# that prints the same Rich table from literals (no mmplan code, no YAML, no cache).
BARE_TYPER_LIST = Path(__file__).with_name("bare_typer_list.py")
# Wide enough that `mmplan list` prints its table (narrower, it stacks one block per program).
STARTUP_COLUMNS = "240"
REFERENCE_DATE = "2026-12-01"
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
    instructions: bool = False  # also count start-up instructions with valgrind

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


@dataclass(frozen=True)
class Probe:
    """One start-up command, run as a whole process."""

    name: str
    command: tuple[str, ...]
    env: dict[str, str]
    emptied: Path | None = None  # a cache directory removed before every run


# Each start-up line: (name, probe, the probe it is judged against, limit or None: shown only).
STARTUP_TARGETS: tuple[tuple[str, str, str, float | None], ...] = (
    ("startup-list", "startup-list", "bare-typer-list", 1.10),
    ("startup-list-strict", "startup-list", "bare-typer-list-nogc", None),
    ("startup-list-new", "startup-list-new", "bare-typer-list", None),
    ("startup-list-cold", "startup-list-cold", "bare-typer-list", None),
    ("startup-list-nocache", "startup-list-nocache", "bare-typer-list", None),
    ("startup-help", "startup-help", "bare-typer-help", 1.10),
    ("startup-plan-help", "startup-plan-help", "bare-typer-help", 1.10),
    ("startup-complete", "startup-complete", "bare-typer-list", 1.10),
)


def startup_probes(setup: Setup) -> list[Probe]:
    """The bare Typer reference, `mmplan list` (its answer kept; worked out from the catalog's
    cache entry; cache cold; cache off), help and completion."""
    # The date the reference's rows were copied on: weeks that wait for a session depend on it.
    env = {**setup.env, "COLUMNS": STARTUP_COLUMNS, "MMPLAN_TODAY": REFERENCE_DATE}
    cold = {**env, "XDG_CACHE_HOME": str(setup.work / "cold-cache")}
    new = {**env, "XDG_CACHE_HOME": str(setup.work / "new-cache")}
    # Imported, not run as a script, so that it runs from cached bytecode as mmplan does.
    bare = (
        sys.executable,
        "-c",
        f"import sys; sys.path.insert(0, {str(BARE_TYPER_LIST.parent)!r}); "
        f"import {BARE_TYPER_LIST.stem}; {BARE_TYPER_LIST.stem}.main()",
    )
    completion = {
        **env,
        "_MMPLAN_COMPLETE": "complete_bash",
        "COMP_WORDS": "mmplan plan mitx-s",
        "COMP_CWORD": "2",
    }
    return [
        Probe("bare-typer-list", (*bare, "list"), env),
        Probe("bare-typer-list-nogc", (*bare, "list"), {**env, "BARE_TYPER_GC": "off"}),
        Probe("bare-typer-help", (*bare, "--help"), env),
        Probe("startup-list", (*setup.mmplan, "list"), env),
        # The catalog's entry warm, no kept answer: what `list` works out when it must.
        Probe(
            "startup-list-new",
            (*setup.mmplan, "list"),
            new,
            emptied=setup.work / "new-cache" / "mmplan" / "answers",
        ),
        Probe(
            "startup-list-cold", (*setup.mmplan, "list"), cold, emptied=setup.work / "cold-cache"
        ),
        Probe("startup-list-nocache", (*setup.mmplan, "list"), {**env, "MMPLAN_NO_CACHE": "1"}),
        Probe("startup-help", (*setup.mmplan, "--help"), env),
        Probe("startup-plan-help", (*setup.mmplan, "plan", "--help"), env),
        Probe("startup-complete", setup.mmplan, completion),
    ]


def run_probe(probe: Probe, wrapper: Sequence[str] = ()) -> Sample:
    if probe.emptied:
        shutil.rmtree(probe.emptied, ignore_errors=True)
    return run_child((*wrapper, *probe.command), probe.env)


def check_same_table(probes: dict[str, Probe]) -> None:
    """The reference must print what `mmplan list` prints, or the comparison means nothing."""
    outputs = []
    for name in ("bare-typer-list", "startup-list"):
        probe = probes[name]
        result = subprocess.run(probe.command, env=probe.env, capture_output=True, check=True)
        lines = result.stdout.decode().split("\n")
        outputs.append("\n".join(line.rstrip(" ") for line in lines))
    if outputs[0] != outputs[1]:
        raise SystemExit(
            f"{BARE_TYPER_LIST.name} no longer prints what `mmplan list` prints at "
            f"{STARTUP_COLUMNS} columns: copy the new rows into it"
        )


def interleave(probes: list[Probe], repeat: int) -> dict[str, list[Sample]]:
    """Run every probe `repeat` times, round after round, each round starting one probe
    later, so that drift in the machine's load reaches all of them alike."""
    samples: dict[str, list[Sample]] = {probe.name: [] for probe in probes}
    for round_ in range(repeat):
        shift = round_ % len(probes)
        for probe in probes[shift:] + probes[:shift]:
            samples[probe.name].append(run_probe(probe))
    return samples


def instruction_count(probe: Probe) -> int | None:
    """Instructions one run executes, counted by valgrind (steady where time is not)."""
    valgrind = shutil.which("valgrind")
    if valgrind is None:
        return None
    if probe.emptied:
        shutil.rmtree(probe.emptied, ignore_errors=True)
    result = subprocess.run(
        [valgrind, "--tool=callgrind", "--callgrind-out-file=/dev/null", *probe.command],
        env=probe.env,
        capture_output=True,
        text=True,
        check=True,
    )
    for line in result.stderr.splitlines():
        if "Collected :" in line:
            return int(line.rsplit(":", 1)[1].replace(",", ""))
    return None


def measure_startup(setup: Setup) -> list[Outcome]:
    """`mmplan list`, help and completion against a bare Typer command printing list's table."""
    probes = {probe.name: probe for probe in startup_probes(setup)}
    for probe in probes.values():
        run_probe(probe)  # warm-up: bytecode, and the bundled catalog's cache entry
    check_same_table(probes)
    samples = interleave(list(probes.values()), setup.repeat * 2)
    counts = (
        {name: instruction_count(probe) for name, probe in probes.items()}
        if setup.instructions
        else {}
    )
    reference = samples["bare-typer-list"]
    outcomes = [
        Outcome(
            "bare-typer-list",
            f"{median_time(reference, setup.clock):.3f} s",
            "-",
            "-",
            "reference",
            None,
            f"bare-typer-list: {BARE_TYPER_LIST.name}, list's options and table, no mmplan; "
            "-nogc: the same without the cyclic collector, as mmplan runs",
        )
    ]
    for name, probe_name, base_name, limit in STARTUP_TARGETS:
        judged = ratio_outcome(
            name, samples[probe_name], samples[base_name], limit or 0, setup.clock
        )
        note = f"{judged.note} (vs {base_name})"
        count, base_count = counts.get(probe_name), counts.get(base_name)
        if count and base_count:
            note += (
                f"; instructions {count / 1e6:.0f} M vs {base_count / 1e6:.0f} M"
                f" = {count / base_count:.2f}x"
            )
        outcomes.append(
            Outcome(
                name,
                judged.value,
                judged.baseline,
                judged.ratio,
                judged.target if limit else f"vs {base_name}",
                judged.passed if limit else None,
                note,
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


def measure_risk(setup: Setup) -> list[Outcome]:
    """`plan --risk` adds at most 1.5 s of CPU to `plan` for every bundled program (#22)."""
    import risk

    rows = risk.measure_all(repeat=max(3, setup.repeat // 3))
    worst = max(rows, key=lambda row: row.added)
    note = f"plan-risk: worst {worst.program}; python benchmarks/risk.py prints every program"
    passed = worst.added <= risk.TARGET_SECONDS
    target = f"<= {risk.TARGET_SECONDS:.3f} s"
    return [Outcome("plan-risk", f"{worst.added:.3f} s", "-", "-", target, passed, note)]


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


def _when() -> str:
    """The time (UTC) and the machine's load averages: every figure depends on the load."""
    loads = ", ".join(f"{load:.2f}" for load in os.getloadavg())
    return f"{time.strftime('%Y-%m-%d %H:%M', time.gmtime())} UTC, load average {loads}"


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
        "--instructions",
        action="store_true",
        help="also count each start-up command's instructions once with valgrind "
        "(slow, but steady on a busy machine)",
    )
    parser.add_argument("--only", choices=GROUPS, action="append", help="a group of targets")
    args = parser.parse_args()
    groups = args.only or list(GROUPS)
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
            instructions=args.instructions,
        )
        # An empty interpreter's start shows what the environment adds to every process
        # (site-packages .pth files, say): it is in every figure, baseline included.
        empty = [run_child((sys.executable, "-c", "pass"), setup.env) for _ in range(5)]
        print(f"# {_when()}", flush=True)
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
            outcomes += planning.measure_planning(setup)
            outcomes += planning.measure_mixed_planning(setup)
        if "risk" in groups:
            outcomes += measure_risk(setup)
        outcomes += interactive.measure(setup, groups)
    print(report(outcomes))
    print(f"# done: {_when()}")
    sys.exit(1 if any(o.passed is False for o in outcomes) else 0)


if __name__ == "__main__":
    main()
