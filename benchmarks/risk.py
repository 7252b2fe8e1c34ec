"""`plan --risk` on every bundled program: the CPU the odds add to the plan, and how far
P90 moves when the samples double.

    python benchmarks/risk.py            # every bundled program, 3 runs each (median)
    python benchmarks/risk.py mitx-sds   # some programs

The targets (issue #22), at the defaults (10,000 samples, re-planning after each failed
attempt, the drivers' reruns):
- `--risk` adds at most 1.5 s of CPU to `plan` for every bundled program. Measured
  in-process with `time.process_time`, without the cyclic collector (as the console script
  runs), the plan with and without `--risk` alternately.
- Doubling the samples (the same seed: the first half are the same samples) moves P90 by
  at most one day, or one session for a session-bound finish (one whose samples finish on
  few days: `mmplan.schedule.paths.SESSION_BOUND`).
Also prints the re-plans the cache saved, and the share finished by the day before P90 (how
close the neighbouring date is to 90%).
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from planning import alternated_medians

if TYPE_CHECKING:
    from mmplan.schedule.paths import Stability

TARGET_SECONDS = 1.5
START = date(2027, 1, 4)


@dataclass(frozen=True)
class Row:
    program: str
    added: float  # CPU seconds --risk adds to the plan (median)
    legs: int  # distinct re-plans (the cache's size)
    stability: Stability  # how far P90 moves from the default samples to twice as many


def measure(program_id: str, repeat: int) -> Row:
    """The median CPU `--risk` adds to planning `program_id` at the defaults."""
    from mmplan.api import load_catalog
    from mmplan.schedule import PlanRequest, plan_programs
    from mmplan.schedule.model import RiskOptions
    from mmplan.schedule.paths import p90_stability, risk_sampler

    catalog = load_catalog()
    plain = PlanRequest(program_ids=(program_id,), start=START)
    risky = plain.model_copy(update={"risk": RiskOptions()})
    plan_programs(catalog, risky)  # untimed: builds the result models' validators once
    without, with_risk = alternated_medians(
        lambda: plan_programs(catalog, plain), lambda: plan_programs(catalog, risky), repeat
    )
    added = with_risk - without
    sampler, _ = risk_sampler(catalog, risky)
    options = RiskOptions()
    stability = p90_stability(sampler, options.samples, options.seed)
    return Row(program_id, added, len(sampler.replanner.cache), stability)


def measure_all(programs: list[str] | None = None, repeat: int = 3) -> list[Row]:
    from mmplan.api import load_catalog
    from mmplan.catalog.model import ProgramStatus

    catalog = load_catalog()
    ids = programs or [p.id for p in catalog.programs if p.status is not ProgramStatus.RETIRED]
    return [measure(program_id, repeat) for program_id in ids]


def _moves(stability: Stability) -> str:
    kind = "sessions" if stability.session_bound else "days"
    if stability.days is None:
        return f"never->never ({kind})" if stability.stable else f"to or from never ({kind})"
    return f"{stability.days:4} d {stability.steps:4} steps ({kind})"


def main() -> None:
    rows = measure_all(sys.argv[1:] or None)
    width = max(len(row.program) for row in rows)
    print(f"{'program':{width}}  added CPU  re-plans  P90 10k->20k   moves          stable")
    for row in rows:
        s = row.stability
        p90 = f"{s.p90}->{s.p90_doubled}"
        stable = "yes" if s.stable else "NO"
        print(
            f"{row.program:{width}}  {row.added:7.2f} s  {row.legs:8}  {p90:>12}  "
            f"{_moves(s):24}  {stable}"
        )
    worst = max(rows, key=lambda row: row.added)
    fast = worst.added <= TARGET_SECONDS
    print(
        f"CPU worst: {worst.program} {worst.added:.2f} s (target <= {TARGET_SECONDS} s) "
        + ("PASS" if fast else "FAIL")
    )
    unstable = [row.program for row in rows if not row.stability.stable]
    print(
        f"P90 stable on {len(rows) - len(unstable)} of {len(rows)} programs "
        + ("PASS" if not unstable else "FAIL: " + ", ".join(unstable))
    )
    sys.exit(0 if fast and not unstable else 1)


if __name__ == "__main__":
    main()
