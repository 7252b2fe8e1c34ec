"""Synthetic catalogs for the benchmarks, valid under schema version 1.

`big` is the size of all of edX: 2,000 programs x 6 courses (about 12,000 courses, 2 MB of
YAML) with prerequisites, hours and price ranges, elective groups, tracks, instructor-paced
runs and cross-program prerequisites, so loading it exercises every validation path.
`single` is one program of N courses with random prerequisites, for the planner.

Both are deterministic for a given seed. Usage:

    python benchmarks/make_catalog.py big /tmp/big.yaml
    python benchmarks/make_catalog.py single /tmp/plan-2000.yaml --courses 2000
"""

from __future__ import annotations

import argparse
import random
from datetime import date
from pathlib import Path
from typing import Any

import yaml

AS_OF = date(2026, 11, 1)
WORDS = (
    *("data", "analytics", "systems", "design", "finance", "supply", "chain", "statistics"),
    *("probability", "machine", "learning", "economics", "policy", "markets", "computing"),
    *("networks", "security", "biology", "chemistry", "energy", "climate", "management"),
    *("leadership", "marketing", "operations", "principles", "foundations", "advanced"),
    *("applied", "methods", "theory", "practice", "introduction"),
)
FIELDS = ("Data science", "Business", "Engineering", "Computer science", "Economics", "Health")
INSTITUTIONS = ("MITx", "HarvardX", "UBCx", "CurtinX", "RITx", "ColumbiaX", "UCSanDiegoX", "DelftX")


def _title(rng: random.Random, words: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(words)).capitalize()


def _course(rng: random.Random, code: str, prerequisites: list[str]) -> dict[str, Any]:
    """One course mapping; about a third have ranges, a fifth are instructor-paced."""
    low = rng.randint(3, 10)
    course: dict[str, Any] = {
        "code": code,
        "title": _title(rng, rng.randint(2, 4)),
        "weeks": rng.randint(4, 14),
        "hours_per_week": [low, low + rng.randint(1, 4)] if rng.random() < 0.4 else low,
    }
    price = rng.choice((49, 99, 150, 199, 300))
    if rng.random() < 0.3:
        course["price_usd"] = [price, price + 100]
    elif rng.random() < 0.9:
        course["price_usd"] = price
    if rng.random() < 0.2:
        course["pacing"] = "instructor"
        course["runs"] = [date(2027, month, rng.randint(1, 28)) for month in (1, 5, 9)]
    if prerequisites:
        course["prerequisites"] = prerequisites
    if rng.random() < 0.1:
        course["estimated"] = ["hours_per_week"]
    return course


def big_catalog(
    programs: int = 2000, courses_per_program: int = 6, seed: int = 6
) -> dict[str, Any]:
    """`programs` programs of `courses_per_program` courses; the last course is an exam."""
    rng = random.Random(seed)
    result = []
    for index in range(programs):
        program_id = f"prog-{index:04d}"
        codes = [f"C{index}.{n}x" for n in range(courses_per_program - 1)] + [f"X{index}.FE"]
        courses = []
        for position, code in enumerate(codes[:-1]):
            earlier = codes[:position]
            prerequisites = rng.sample(earlier, k=min(len(earlier), rng.randint(0, 2)))
            # One program in ten borrows a prerequisite from an earlier program.
            if index > 0 and position == 1 and rng.random() < 0.1:
                other = rng.randrange(index)
                prerequisites.append(f"prog-{other:04d}/C{other}.0x")
            courses.append(_course(rng, code, prerequisites))
        exam = _course(rng, codes[-1], codes[:-1])
        exam.update(kind="exam", weeks=2)
        courses.append(exam)
        program: dict[str, Any] = {
            "id": program_id,
            "title": _title(rng, 3),
            "institution": rng.choice(INSTITUTIONS),
            "field": rng.choice(FIELDS),
            "courses": courses,
            "sources": [f"https://example.org/programs/{program_id}/faq"],
        }
        if rng.random() < 0.5:
            program["price_usd"] = [1000, 1500] if rng.random() < 0.3 else 1200
        shape = rng.random()
        if shape < 0.15:
            program["electives"] = [{"choose": 1, "from": codes[3:5]}]
        elif shape < 0.25:
            program["tracks"] = [
                {"name": "Theory", "courses": [codes[3]]},
                {"name": "Practice", "courses": [codes[4]]},
            ]
        if rng.random() < 0.2:
            program["credit_pathways"] = [
                {
                    "institution": rng.choice(INSTITUTIONS),
                    "degree": "Master's in " + _title(rng, 2),
                    "credit": "about a quarter of the degree",
                }
            ]
        result.append(program)
    return {"schema_version": 1, "as_of": AS_OF, "programs": result}


def single_program(courses: int, seed: int = 6) -> dict[str, Any]:
    """One program of `courses` self-paced courses, each with 0-3 random earlier prerequisites."""
    rng = random.Random(seed)
    codes = [f"C{n}x" for n in range(courses)]
    items = []
    for position, code in enumerate(codes):
        window = codes[max(0, position - 50) : position]  # nearby courses, like real programs
        prerequisites = rng.sample(window, k=min(len(window), rng.randint(0, 3)))
        course = _course(rng, code, prerequisites)
        for key in ("pacing", "runs", "estimated"):  # self-paced, published figures
            course.pop(key, None)
        items.append(course)
    program = {
        "id": "big-program",
        "title": "A program of many courses",
        "institution": "BenchX",
        "field": "Benchmarks",
        "courses": items,
        "sources": ["https://example.org/benchmark"],
    }
    return {"schema_version": 1, "as_of": AS_OF, "programs": [program]}


def dump(data: dict[str, Any]) -> str:
    """Catalog YAML as people write it: block mappings, flow-style lists and courses' ranges."""
    return yaml.safe_dump(data, sort_keys=False, default_flow_style=None, width=200)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("kind", choices=("big", "single"))
    parser.add_argument("output", type=Path)
    parser.add_argument("--programs", type=int, default=2000)
    parser.add_argument("--courses", type=int, default=2000, help="courses of `single`")
    parser.add_argument("--seed", type=int, default=6)
    args = parser.parse_args()
    if args.kind == "big":
        data = big_catalog(args.programs, seed=args.seed)
    else:
        data = single_program(args.courses, seed=args.seed)
    args.output.write_text(dump(data), encoding="utf-8")


if __name__ == "__main__":
    main()
