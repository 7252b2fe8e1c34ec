"""`plan --risk`'s CPU on every bundled program: what the odds add to the plan.

    python benchmarks/risk.py            # every bundled program, 3 runs each (median)
    python benchmarks/risk.py mitx-sds   # some programs

The target (issue #22): at the defaults (10,000 samples, re-planning after each failed
attempt, the drivers' reruns), `--risk` adds at most 1.5 s of CPU to `plan` for every
bundled program. Measured in-process with `time.process_time`, without the cyclic
collector (as the console script runs), the plan with and without `--risk` alternately.
Also prints, per program, the re-plans the cache saved and how far P90 moves when the
samples double (the same seed).
"""

from __future__ import annotations

import gc
import statistics
import sys
import time
from dataclasses import dataclass
from datetime import date

TARGET_SECONDS = 1.5
START = date(2027, 1, 4)


@dataclass(frozen=True)
class Row:
    program: str
    added: float  # CPU seconds --risk adds to the plan (median)
    legs: int  # distinct re-plans (the cache's size)
    p90_moves: int | None  # days P90 moves from 10,000 to 20,000 samples


def measure(program_id: str, repeat: int) -> Row:
    """The median CPU `--risk` adds to planning `program_id` at the defaults."""
    from mmplan.api import load_catalog
    from mmplan.schedule import PlanRequest, plan_programs
    from mmplan.schedule.model import RiskOptions
    from mmplan.schedule.paths import risk_sampler
    from mmplan.schedule.risk import percentile, run_samples

    catalog = load_catalog()
    plain = PlanRequest(program_ids=(program_id,), start=START)
    risky = plain.model_copy(update={"risk": RiskOptions()})
    plan_programs(catalog, risky)  # untimed: builds the result models' validators once
    times: dict[bool, list[float]] = {False: [], True: []}
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        for index in range(repeat):
            for with_risk in (False, True) if index % 2 else (True, False):
                start = time.process_time()
                plan_programs(catalog, risky if with_risk else plain)
                times[with_risk].append(time.process_time() - start)
    finally:
        if was_enabled:
            gc.enable()
    added = statistics.median(times[True]) - statistics.median(times[False])
    sampler, _ = risk_sampler(catalog, risky)
    seed = risky.risk.seed if risky.risk else 0
    p90 = [
        percentile([o.finish for o in run_samples(sampler, n, seed)], 0.9) for n in (10_000, 20_000)
    ]
    moves = None if None in p90 else abs((p90[0] or 0) - (p90[1] or 0))
    return Row(program_id, added, len(sampler.replanner.cache), moves)


def measure_all(programs: list[str] | None = None, repeat: int = 3) -> list[Row]:
    from mmplan.api import load_catalog
    from mmplan.catalog.model import ProgramStatus

    catalog = load_catalog()
    ids = programs or [p.id for p in catalog.programs if p.status is not ProgramStatus.RETIRED]
    return [measure(program_id, repeat) for program_id in ids]


def main() -> None:
    rows = measure_all(sys.argv[1:] or None)
    width = max(len(row.program) for row in rows)
    print(f"{'program':{width}}  added CPU  re-plans  P90 moves (10k->20k)")
    for row in rows:
        moves = "-" if row.p90_moves is None else f"{row.p90_moves} d"
        print(f"{row.program:{width}}  {row.added:7.2f} s  {row.legs:8}  {moves}")
    worst = max(rows, key=lambda row: row.added)
    verdict = "PASS" if worst.added <= TARGET_SECONDS else "FAIL"
    print(f"worst: {worst.program} {worst.added:.2f} s (target <= {TARGET_SECONDS} s) {verdict}")
    sys.exit(0 if verdict == "PASS" else 1)


if __name__ == "__main__":
    main()
