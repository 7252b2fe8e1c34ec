"""How good and how fast the planner is: plan length / lower bound, and time on big programs.

Prints figures; it is not a unit test (run it on a quiet machine):

    python benchmarks/plan_quality.py [--programs 300] [--repeat 7]

Quality: random prerequisite graphs of 3-12 courses, planned at several paces and limits on
parallel courses. Each plan's length (start to finish, in days) is divided by its proven lower
bound; 1.000 means optimal. Self-paced programs at a pace where every course takes at least
20 days are held to 1.05 by the tests; programs with fixed runs and breaks, and programs
whose instructor-paced courses start on yearly sessions (`session_starts`), are shown apart
(there the bound ignores how runs collide, so part of the gap is the bound's, not the plan's).

Speed: one program of 2,000 and one of 4,000 self-paced courses with random prerequisites
(`make_catalog.single_program`, the same programs as `benchmarks/run.py`), planned in-process
with the defaults (what-if paces included): the median wall time and the least CPU time of
`--repeat` runs.
"""

from __future__ import annotations

import argparse
import gc
import random
import statistics
import sys
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import make_catalog
from mmplan.catalog.model import validate_catalog
from mmplan.schedule import Break, PlanRequest, plan_programs

START = date(2027, 1, 4)


def random_program(rng: random.Random, *, mixed: bool, sessions: bool = False) -> dict[str, Any]:
    """3-12 courses, each needing some earlier ones; `mixed` adds instructor-paced runs,
    `sessions` instructor-paced courses with two or three yearly session starts instead."""
    courses = []
    for i in range(rng.randint(3, 12)):
        earlier = [f"C{j}" for j in range(i)]
        course: dict[str, Any] = {
            "code": f"C{i}",
            "title": f"Course {i}",
            "weeks": rng.randint(4, 14),
            "hours_per_week": rng.randint(3, 12),
            "prerequisites": rng.sample(earlier, k=min(len(earlier), rng.randint(0, 2))),
        }
        if mixed and rng.random() < 0.25:
            course["pacing"] = "instructor"
            first = rng.randint(0, 90)
            course["runs"] = [START + timedelta(days=first + 120 * k) for k in range(6)]
        elif sessions and rng.random() < 0.5:
            course["pacing"] = "instructor"
            months = sorted(rng.sample(range(1, 13), k=rng.randint(2, 3)))
            course["session_starts"] = [f"{month:02d}-01" for month in months]
        else:
            course["pacing"] = "self"
        courses.append(course)
    return {
        "schema_version": 2,
        "as_of": "2026-11-01",
        "programs": [
            {
                "id": "p",
                "title": "Generated",
                "institution": "BenchX",
                "field": "Benchmarks",
                "courses": courses,
                "sources": ["https://example.org/benchmark"],
            }
        ],
    }


def ratios(
    count: int, *, mixed: bool, seed: int, sessions: bool = False
) -> tuple[list[float], int]:
    """Plan length / lower bound for `count` generated programs, and how many are optimal."""
    rng = random.Random(seed)
    results: list[float] = []
    optimal = 0
    for _ in range(count):
        catalog = validate_catalog(random_program(rng, mixed=mixed, sessions=sessions))
        breaks: tuple[Break, ...] = ()
        if mixed and rng.random() < 0.5:
            first = START + timedelta(days=rng.randint(0, 300))
            breaks = (Break(start=first, end=first + timedelta(days=rng.randint(3, 20))),)
        smallest = min(c.weeks * c.hours_per_week.lo for c in catalog.programs[0].courses)
        pace_limit = 7 * smallest / 20  # every course takes at least 20 days
        paces = [
            h for h in (3.0, 5.0, 8.0, 10.0, 15.0) if mixed or sessions or h <= pace_limit
        ] or [2.0]
        request = PlanRequest(
            program_ids=("p",),
            hours_per_week=rng.choice(paces),
            start=START,
            max_parallel=rng.randint(1, 3),
            breaks=breaks,
        )
        plan = plan_programs(catalog, request)
        assert plan.finish is not None
        assert plan.lower_bound.finish is not None
        length = (plan.finish - plan.start).days + 1
        bound = (plan.lower_bound.finish - plan.start).days + 1
        results.append(length / bound)
        optimal += plan.lower_bound.optimal
    return results, optimal


def summary(name: str, values: list[float], optimal: int) -> str:
    ordered = sorted(values)
    p95 = ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))]
    return (
        f"{name:<34} n={len(values):<4} mean {statistics.mean(values):.3f}  "
        f"median {statistics.median(values):.3f}  p95 {p95:.3f}  max {max(values):.3f}  "
        f"optimal {optimal / len(values):.0%}"
    )


def time_big_program(courses: int, repeat: int) -> tuple[float, float]:
    """Median wall seconds and least CPU seconds to plan one program of `courses` courses.

    CPU time is shown too because other work on a shared machine inflates wall time.
    """
    catalog = validate_catalog(make_catalog.single_program(courses))
    request = PlanRequest(program_ids=(catalog.programs[0].id,), start=START)
    walls, cpus = [], []
    for _ in range(repeat):
        gc.collect()
        wall, cpu = time.perf_counter(), time.process_time()
        plan_programs(catalog, request)
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    return statistics.median(walls), min(cpus)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--programs", type=int, default=300, help="generated programs per kind")
    parser.add_argument("--repeat", type=int, default=7, help="timed runs per big program")
    args = parser.parse_args()

    print("Plan length / lower bound (1.000 = proven optimal)")
    values, optimal = ratios(args.programs, mixed=False, seed=1)
    print(summary("self-paced, courses >= 20 days", values, optimal))
    values, optimal = ratios(args.programs, mixed=True, seed=2)
    print(summary("with runs and breaks", values, optimal))
    values, optimal = ratios(args.programs, mixed=False, seed=3, sessions=True)
    print(summary("with yearly sessions", values, optimal))
    print()
    print("Time to plan one program (in-process, median)")
    small, small_cpu = time_big_program(2000, args.repeat)
    large, large_cpu = time_big_program(4000, args.repeat)
    print(f"2,000 courses  {small:.3f} s wall, {small_cpu:.3f} s CPU   (target < 0.500 s)")
    print(
        f"4,000 courses  {large:.3f} s wall, {large_cpu:.3f} s CPU   "
        f"({large / small:.2f}x wall, {large_cpu / small_cpu:.2f}x CPU; target <= 2.30x)"
    )


if __name__ == "__main__":
    main()
