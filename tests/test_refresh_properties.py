"""Refresh, then plan: whatever runs, prices and pacing the API gives, the plan is valid."""

from __future__ import annotations

import json
import tempfile
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mitxonline import FLEX_90, catalog_programs, course, new_program_courses, run
from mmplan.catalog.load import CatalogSources, load_active_catalog
from mmplan.catalog.model import ProgramStatus
from mmplan.catalog.overlay import overlay_path
from mmplan.catalog.update import refresh_overlay
from mmplan.schedule import PlanRequest, WarningKind, plan_programs
from mmplan.schedule.verify import verify_plan

TODAY = date(2026, 12, 7)
DEDP = ["14.100x", "14.310x", "JPAL102x", "14.73x", "14.740x", "14.750x"]

runs_of_a_course = st.lists(
    st.tuples(
        st.integers(min_value=-400, max_value=900),  # start, days from today
        st.integers(min_value=28, max_value=120),  # length in days
        st.booleans(),  # self-paced
        st.sampled_from([None, "0.00", "150.00", "1000.00"]),  # list price
        st.booleans(),  # a flexible price shown
    ),
    max_size=4,
)


def api_runs(number: str, drawn: list[tuple[int, int, bool, str | None, bool]]) -> list[Any]:
    runs = []
    for index, (offset, length, self_paced, price, flexible) in enumerate(drawn):
        start = TODAY + timedelta(days=offset)
        runs.append(
            run(
                f"course-v1:MITx+{number}+R{index}",
                start.isoformat(),
                (start + timedelta(days=length)).isoformat(),
                self_paced=self_paced,
                price=price,
                flexible=FLEX_90 if flexible else None,
            )
        )
    return runs


@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(
    dedp=st.lists(runs_of_a_course, min_size=len(DEDP), max_size=len(DEDP)),
    live=st.booleans(),
    hours=st.sampled_from([5.0, 10.0, 20.0]),
)
def test_refresh_then_plan_always_gives_a_valid_plan(
    dedp: list[Any], live: bool, hours: float
) -> None:
    courses = [
        course(11 + index, number, number, api_runs(number, drawn))
        for index, (number, drawn) in enumerate(zip(DEDP, dedp, strict=True))
    ]
    programs = catalog_programs()
    programs[0]["live"] = live
    dump = {"retrieved": TODAY.isoformat(), "programs": programs}
    dump["courses"] = [*courses, *new_program_courses()]
    with tempfile.TemporaryDirectory() as home:
        path = Path(home) / "dump.json"
        path.write_text(json.dumps(dump), encoding="utf-8")
        refresh_overlay(CatalogSources(), Path(home), today=TODAY, from_file=path)
        loaded = load_active_catalog(CatalogSources(overlay=overlay_path(Path(home))))
    assert {r.program_id for r in loaded.refreshed} >= {"mitx-dedp", "mitxonline-mitx-ntp"}
    for fresh in loaded.refreshed:
        program = loaded.catalog.program(fresh.program_id)
        if program.status is ProgramStatus.RETIRED:
            continue
        request = PlanRequest(
            program_ids=(program.id,), hours_per_week=hours, start=TODAY, solver_seconds=0
        )
        plan = plan_programs(loaded.catalog, request)
        assert verify_plan(loaded.catalog, request, plan) == []  # every scheduling rule
        check_plan(plan, loaded.catalog.program(program.id), request)


def check_plan(plan: Any, program: Any, request: PlanRequest) -> None:
    """Every course planned once, inside the plan, on a listed run unless a warning says."""
    planned = {c.code: c for c in plan.courses}
    assert set(program.required_codes) <= set(planned)
    warned = {
        course
        for warning in plan.warnings
        if warning.kind in (WarningKind.NO_RUN, WarningKind.COLLISION, WarningKind.RUN_IN_BREAK)
        for course in warning.courses
    }
    for code, planned_course in planned.items():
        start, end = planned_course.start, planned_course.end
        assert start is not None
        assert end is not None
        assert request.start <= start <= end
        assert plan.finish is None or end <= plan.finish
        course = program.course(code)
        if (course.runs or course.session_starts) and planned_course.id not in warned:
            assert course.next_session(start) == start, (code, start, course.runs)
