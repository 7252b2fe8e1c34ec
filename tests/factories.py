"""Tiny inline catalogs: `catalog(program("p", course("A"), course("B", prereqs=["A"])))`."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import yaml
from typer.testing import Result

from mmplan.catalog.model import Catalog, validate_catalog
from mmplan.schedule import Break, Plan, PlanRequest


def course(
    code: str,
    *,
    weeks: float = 4,
    hours: float | list[float] = 5,
    price: float | list[float] | None = 100,
    prereqs: list[str] | None = None,
    pacing: str = "self",
    **extra: Any,
) -> dict[str, Any]:
    data: dict[str, Any] = {
        "code": code,
        "title": f"Course {code}",
        "weeks": weeks,
        "hours_per_week": hours,
        "pacing": pacing,
        "prerequisites": prereqs or [],
        **extra,
    }
    if price is not None:
        data["price_usd"] = price
    return data


def program(program_id: str, *courses: dict[str, Any], **extra: Any) -> dict[str, Any]:
    return {
        "id": program_id,
        "title": f"Program {program_id}",
        "institution": "TestX",
        "field": "Testing",
        "courses": list(courses),
        "sources": ["https://example.org/source"],
        **extra,
    }


def catalog_data(*programs: dict[str, Any]) -> dict[str, Any]:
    return {"schema_version": 2, "as_of": "2026-11-01", "programs": list(programs)}


def catalog(*programs: dict[str, Any]) -> Catalog:
    """A validated Catalog model (no file involved)."""
    return validate_catalog(catalog_data(*programs))


def catalog_yaml(*programs: dict[str, Any]) -> str:
    """The same catalog as YAML text, to write to a file for CLI tests."""
    return yaml.safe_dump(catalog_data(*programs), sort_keys=False)


def cli_on(
    mmplan: Callable[..., Result],
    path: Path,
    *programs: dict[str, Any],
    text: str | None = None,
    command: tuple[str, ...] = (),
) -> Callable[..., Result]:
    """The CLI over one inline catalog alone: `programs` (or the YAML `text`) written to
    `path`, and a runner that puts `--no-bundled --catalog PATH` and `command` (say
    `("plan", "p")`) before each call's arguments: `run = cli_on(mmplan, tmp_path /
    "catalog.yaml", program("p", course("A")))`, then `run("list")`."""
    path.write_text(catalog_yaml(*programs) if text is None else text, encoding="utf-8")

    def invoke(*args: str, input: str | None = None) -> Result:
        return mmplan("--no-bundled", "--catalog", str(path), *command, *args, input=input)

    return invoke


def messages(plan: Plan) -> tuple[str, ...]:
    """A plan's warnings as the sentences `--verbose` prints."""
    return tuple(warning.message for warning in plan.warnings)


def property_request(
    start: date,
    hours_per_week: float,
    max_parallel: int,
    break_at: tuple[int, int] | None,
    **extra: Any,
) -> PlanRequest:
    """A request for program `p` from `start`; `break_at` is (days after start, length) or None."""
    breaks: tuple[Break, ...] = ()
    if break_at is not None:
        first = start + timedelta(days=break_at[0])
        breaks = (Break(start=first, end=first + timedelta(days=break_at[1])),)
    return PlanRequest(
        program_ids=("p",),
        hours_per_week=hours_per_week,
        start=start,
        max_parallel=max_parallel,
        breaks=breaks,
        **extra,
    )


def rounding_program() -> dict[str, Any]:
    """40 h at 5 h/week, 56 days at the least: the list schedule runs A and C side by side,
    then B, and loses a day to rounding that the exact pass removes and proves (no pauses)."""
    return program(
        "p",
        course("A", weeks=2, hours=2),
        course("B", weeks=2, hours=8),
        course("C", weeks=4, hours=5),
    )


def pausing_program(start: date) -> dict[str, Any]:
    """A program whose shortest plan at 8 h/week pauses a course: a self-paced A (32 h), a
    full-time session F (8 h/week, days 14 to 41 from `start`), and an exam E after both
    with an early run on day 56 and a late one on day 200. A cannot finish before F starts;
    pausing A during F makes E's early run."""
    return program(
        "p",
        course("A", weeks=4, hours=8),
        course("F", weeks=4, hours=8, pacing="instructor", runs=[start + timedelta(days=14)]),
        course(
            "E",
            weeks=1,
            hours=2,
            pacing="instructor",
            prereqs=["A", "F"],
            runs=[start + timedelta(days=56), start + timedelta(days=200)],
        ),
    )
