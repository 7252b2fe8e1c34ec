"""The list schedule alone against the exact optimum, on small mixed programs.

Prints figures; it is not a unit test:

    python benchmarks/heuristic_quality.py [--programs 400] [--seconds 10]

1. Generated mixed programs of 3-8 courses (`exact_quality.generated_program`: about a
   third of the courses instructor-paced, on yearly sessions, listed runs or no dates),
   each at 5, 8 or 15 h/week and 1-3 courses at once. Each is planned by the list schedule
   alone (`solver_seconds=0`) and with the exact pass at a generous budget; where the exact
   pass proves its plan optimal, the list schedule's length is divided by the optimum's.
   Printed: how many plans were proven, the share of them where the list schedule is above
   the optimum, the mean, 95th percentile and worst ratio, and the list schedule's time.
2. The study case of issue #16 (`exact_quality.study_case`): 7 courses at 5 h/week.

The exact optimum may pause a self-paced course during a session, which the list schedule
never does, so part of any gap is the pause, not the order.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from exact_quality import START, generated_program, study_case
from mmplan.catalog.model import Catalog
from mmplan.schedule import Plan, PlanRequest, plan_programs

PACES = (5.0, 8.0, 15.0)


def days(plan: Plan) -> int:
    return 0 if plan.finish is None else (plan.finish - plan.start).days + 1


@dataclass(frozen=True)
class Outcome:
    """One program at one pace, planned both ways."""

    quick: int  # the list schedule's length in days
    exact: int  # the exact pass's
    proven: bool  # the exact pass proved its plan optimal
    pauses: bool  # the exact plan pauses a course (which the list schedule never does)
    seconds: float  # the list schedule's wall time


def both(catalog: Catalog, request: PlanRequest, seconds: float) -> Outcome:
    """The request planned by the list schedule alone and with the exact pass."""
    began = time.perf_counter()
    quick = plan_programs(catalog, request.model_copy(update={"solver_seconds": 0}))
    spent = time.perf_counter() - began
    exact = plan_programs(catalog, request.model_copy(update={"solver_seconds": seconds}))
    pauses = any(len(course.segments) > 1 for course in exact.courses)
    return Outcome(days(quick), days(exact), exact.lower_bound.optimal, pauses, spent)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--programs", type=int, default=400)
    parser.add_argument("--seconds", type=float, default=10.0, help="exact pass budget")
    parser.add_argument("--seed", type=int, default=16)
    parser.add_argument("--worst", type=int, default=0, help="also list the N worst cases")
    options = parser.parse_args()
    rng = random.Random(options.seed)
    ratios: list[tuple[float, int]] = []
    times: list[float] = []
    pausing = 0
    for case in range(options.programs):
        catalog = generated_program(rng, rng.randint(3, 8))
        request = PlanRequest(
            program_ids=("p",),
            hours_per_week=rng.choice(PACES),
            start=START,
            max_parallel=rng.randint(1, 3),
        )
        outcome = both(catalog, request, options.seconds)
        times.append(outcome.seconds)
        if outcome.proven:
            ratios.append((outcome.quick / outcome.exact, case))
            pausing += outcome.quick > outcome.exact and outcome.pauses
    values = sorted(r for r, _ in ratios)
    above = [v for v in values if v > 1]
    p95 = values[min(len(values) - 1, int(0.95 * len(values)))]
    print(f"1. {options.programs} mixed programs of 3-8 courses, exact budget {options.seconds:g}")
    print(
        f"proven {len(values)}; list schedule above the optimum in {len(above)} "
        f"({100 * len(above) / len(values):.1f}%): mean {100 * (statistics.mean(values) - 1):.2f}% "
        f"above, p95 {100 * (p95 - 1):.1f}%, worst {max(values):.2f}x; "
        f"list schedule median {1000 * statistics.median(times):.1f} ms per plan"
    )
    print(f"   of those above, the optimum pauses a course in {pausing}")
    for ratio, case in sorted(ratios, reverse=True)[: options.worst]:
        print(f"   case {case}: {ratio:.3f}x")
    print("\n2. The study case: 7 courses at 5 h/week")
    request = PlanRequest(program_ids=("study",), hours_per_week=5.0, start=START)
    study = both(study_case(), request, options.seconds)
    print(
        f"list schedule {study.quick / 7:.1f} weeks, exact {study.exact / 7:.1f} weeks "
        f"({'proven optimal' if study.proven else 'not proven'}"
        f"{', pausing a course' if study.pauses else ''})"
    )


if __name__ == "__main__":
    main()
