"""Each command resolves its inputs once (#26): the programs typed, the --track/--pick
choices, the catalog's graphs and same-course map (one `CatalogIndex` per command, built
in `mmplan.api`), the plan's course selection and the plan request, each made once however
many stages read them. Counted by wrapping the functions that make them, never timed."""

from __future__ import annotations

import sys
from collections import Counter
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from conftest import Invoke
from factories import catalog, cli_on, course, program
from mmplan import api
from mmplan.api.request import plan_inputs
from mmplan.catalog import graph, lookup
from mmplan.catalog.index import CatalogIndex
from mmplan.progress.model import CompletedCourse, Progress, StartedCourse
from mmplan.reports import cost, eligibility
from mmplan.schedule import contents, finish_by, planner
from mmplan.schedule.model import PlanRequest
from mmplan.selection import Choice, parse_choices, resolve_choices

# The API imports its stages on first use: these are loaded before the makers are wrapped.
STAGES = (cost, eligibility, contents, finish_by, planner)

PROGRAMS = (
    program(
        "p",
        course("A", weeks=3),
        course("B", prereqs=["A"], recommended=["E2"]),
        course("E1", weeks=2),
        course("E2", weeks=3),
        course("T1", weeks=3),
        course("T2", weeks=1),
        electives=[{"choose": 1, "from": ["E1", "E2"]}],
        tracks=[{"name": "Slow", "courses": ["T1"]}, {"name": "Quick", "courses": ["T2"]}],
    ),
    program("q", course("A", weeks=3), course("Y")),  # q/A is p/A: one course
)
CATALOG = catalog(*PROGRAMS)
START = date(2027, 1, 4)
# Under way: the Slow track (T1 passed) and the elective E2 (started), neither typed.
PROGRESS = Progress(
    completed=(CompletedCourse(program="p", code="T1", completed_on=date(2026, 9, 1)),),
    in_progress=(StartedCourse(program="p", code="E2", started_on=date(2026, 12, 1)),),
)
MAKERS = (
    (lookup, "find_programs"),
    (sys.modules["mmplan.selection"], "parse_choices"),
    (sys.modules["mmplan.selection"], "select_programs"),
    (graph, "build_graph"),
    (graph, "same_course_ids"),
    (contents, "check_request"),
)


@pytest.fixture
def made(monkeypatch: pytest.MonkeyPatch) -> Counter[str]:
    """How many times each input was made: every module holding a maker gets it wrapped."""
    counts: Counter[str] = Counter()

    def counting(name: str, maker: Callable[..., Any]) -> Callable[..., Any]:
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            kind = "ordering" if kwargs.get("with_recommended") else ""
            counts[f"{name} {kind}".strip()] += 1
            return maker(*args, **kwargs)

        return wrapper

    assert all(stage.__name__ in sys.modules for stage in STAGES)
    for home, name in MAKERS:
        maker = getattr(home, name)
        wrapped = counting(name, maker)
        for module in list(sys.modules.values()):
            if module.__name__ == "mmplan.schedule.verify":
                continue  # the suite's check of every plan builds its own, on purpose
            if module.__name__.startswith("mmplan") and vars(module).get(name) is maker:
                monkeypatch.setattr(module, name, wrapped)
    validate = PlanRequest.model_validate

    def validating(value: Any) -> PlanRequest:
        counts["PlanRequest"] += 1
        return validate(value)

    monkeypatch.setattr(PlanRequest, "model_validate", validating)
    return counts


ONCE = {
    "find_programs": 1,  # the programs typed, looked up
    "parse_choices": 1,  # --track and --pick read and checked
    "build_graph": 1,  # the prerequisite graph
    "build_graph ordering": 1,  # the graph with the courses recommended first
    "same_course_ids": 1,  # the courses several programs list
    # The plan's selection. (Without a typed --track, the progress says which track and
    # electives are under way first: one `select_with_progress` per program, a question apart.)
    "select_programs": 1,
    "PlanRequest": 1,  # the request, built and validated
    "check_request": 1,  # and checked by the planner
}


def test_a_plan_makes_each_input_once(made: Counter[str]) -> None:
    plan = api.plan(CATALOG, ["p", "q"], start=START, progress=PROGRESS, solver_seconds=0)
    assert {"p/T1", "p/E2"} <= {c.id for c in plan.courses}  # the choices under way are kept
    assert made == ONCE


def test_a_finish_by_plan_makes_each_input_once(made: Counter[str]) -> None:
    api.plan(
        CATALOG,
        ["p", "q"],
        start=START,
        finish_by=date(2028, 1, 1),
        progress=PROGRESS,
        solver_seconds=0,
    )
    assert made == ONCE


def test_cost_by_month_shares_the_commands_inputs_with_its_plan(made: Counter[str]) -> None:
    api.cost(CATALOG, ["p", "q"], by_month=True, start=START, progress=PROGRESS)
    # The report selects by its own rule (passed and started courses first), beside the
    # plan that dates it: two selections, each made once; everything else once for both.
    assert made == ONCE | {"select_programs": 2}


def test_the_command_line_plan_makes_each_input_once(
    mmplan: Invoke, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, made: Counter[str]
) -> None:
    monkeypatch.setenv("MMPLAN_TODAY", "2026-12-20")
    run = cli_on(mmplan, tmp_path / "catalog.yaml", *PROGRAMS)
    run("progress", "add", "p", "T1", "--date", "2026-09-01")
    run("progress", "start", "p", "E2", "--date", "2026-12-01")
    made.clear()
    result = run("plan", "p", "q", "--solver-seconds", "0")
    assert result.exit_code == 0, result.stderr
    assert made == ONCE


def test_the_planner_gets_the_choices_its_request_names() -> None:
    """The choices the progress adds are handed to the planner already read; they are what
    reading the request's --track and --pick would give (the request stays whole)."""
    index = CatalogIndex(CATALOG)
    found = index.find_programs(["p", "q"])
    request, chosen = plan_inputs(
        index, resolve_choices(found), start=START, progress=PROGRESS, picks=()
    )
    assert chosen.choices["p"] == Choice(track="Slow", picks=("E2",))
    assert chosen.choices == parse_choices(found, request.tracks, request.picks)


def test_one_index_builds_each_graph_once(made: Counter[str]) -> None:
    index = CatalogIndex(CATALOG)
    assert CatalogIndex.of(index) is index
    for _ in range(2):
        assert index.graph["p/B"] == ("p/A",)
        assert index.ordering["p/B"] == ("p/A", "p/E2")
        assert index.same_courses["q/A"] == ("p/A", "q/A")
    assert made == {"build_graph": 1, "build_graph ordering": 1, "same_course_ids": 1}
