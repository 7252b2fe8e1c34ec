"""Recorded progress in `plan`: completed and started courses, tracks under way, own pace."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from conftest import Invoke
from factories import catalog, cli_on, course, program
from mmplan.api.request import with_progress
from mmplan.progress.model import CompletedCourse, Progress, StartedCourse
from mmplan.schedule import InProgress, PlanRequest, WarningKind, plan_programs

PROGRAMS = (
    program(
        "p",
        course("A", weeks=10, hours=5),
        course("B", prereqs=["A"]),
        course("E1", weeks=8),
        course("E2", weeks=2),
        course("T1", weeks=9),
        course("T2", weeks=1),
        electives=[{"choose": 1, "from": ["E1", "E2"]}],
        tracks=[{"name": "Slow", "courses": ["T1"]}, {"name": "Quick", "courses": ["T2"]}],
    ),
    program("q", course("A", weeks=10, hours=5), course("Y")),
)
CATALOG = catalog(*PROGRAMS)
REQUEST = PlanRequest(program_ids=("p",), start=date(2027, 1, 4))


def done(code: str, program_id: str = "p", **extra: object) -> CompletedCourse:
    return CompletedCourse.model_validate(
        {"program": program_id, "code": code, "completed_on": date(2026, 3, 1), **extra}
    )


def test_passed_courses_are_completed_and_started_ones_continue() -> None:
    progress = Progress(
        completed=(done("A"), done("E2", certificate="audit"), done("GONE")),
        in_progress=(
            StartedCourse(program="p", code="B", started_on=date(2026, 10, 1), percent_done=40),
        ),
    )
    request = with_progress(REQUEST, progress, CATALOG)
    # q/A is the same course (same code) as p/A; audited and unknown courses do not count.
    assert request.completed == ("p/A", "q/A")
    assert request.in_progress == (
        InProgress(course_id="p/B", started=date(2026, 10, 1), percent_done=40),
    )
    assert request.workload_scale == 1.0  # no hours recorded: nothing to calibrate


def test_done_from_the_command_line_is_kept_beside_progress() -> None:
    request = REQUEST.model_copy(update={"completed": ("p/E1",)})
    merged = with_progress(request, Progress(completed=(done("A"),)), CATALOG)
    assert merged.completed == ("p/E1", "p/A", "q/A")


def test_own_pace_scales_workloads_unless_calibration_is_off() -> None:
    progress = Progress(completed=(done("A", hours_spent=75),))  # 50 h published
    scales = with_progress(REQUEST, progress, CATALOG).institution_scales
    assert scales == {"TestX": pytest.approx(1.5)}  # the institution the hours were spent at
    assert with_progress(REQUEST, progress, CATALOG, calibrate=False).institution_scales == {}
    absurd = Progress(completed=(done("E2", hours_spent=2000),))  # 10 h published
    assert with_progress(REQUEST, absurd, CATALOG).institution_scales == {"TestX": 10.0}  # cap


def test_tracks_and_electives_under_way_are_kept_unless_the_learner_chose() -> None:
    progress = Progress(completed=(done("T1"), done("E1")))
    request = with_progress(REQUEST, progress, CATALOG)
    assert request.tracks == ("Slow",)  # not the planner's fewest-hours Quick
    assert request.picks == ("p/E1",)
    chosen = REQUEST.model_copy(update={"tracks": ("Quick",), "picks": ("E2",)})
    request = with_progress(chosen, progress, CATALOG)
    assert (request.tracks, request.picks) == (("Quick",), ("E2",))


@pytest.fixture
def run(mmplan: Invoke, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Invoke:
    monkeypatch.setenv("MMPLAN_TODAY", "2026-11-20")
    return cli_on(mmplan, tmp_path / "catalog.yaml", *PROGRAMS)


def plan_json(run: Invoke, *args: str) -> dict[str, object]:
    result = run("plan", "p", "--start", "2027-01-04", "--format", "json", *args)
    assert result.exit_code == 0, result.stderr
    document: dict[str, object] = json.loads(result.stdout)
    return document


def test_plan_uses_progress_and_says_it_calibrated(run: Invoke) -> None:
    run("progress", "add", "p", "A", "--date", "2026-03-01", "--hours-spent", "75")
    run("progress", "start", "p", "B", "--date", "2026-10-01", "--percent", "40")
    document = plan_json(run)
    statuses = {c["id"]: c["status"] for c in document["courses"]}  # type: ignore[attr-defined]
    assert statuses["p/A"] == "completed"
    assert statuses["p/B"] == "in_progress"
    assert document["institution_scales"] == {"TestX": 1.5}
    result = run("plan", "p", "--start", "2027-01-04", "--verbose")
    assert "workloads scaled by your own pace: x1.50 of the published hours for TestX" in (
        " ".join(result.stderr.split())
    )

    assert plan_json(run, "--no-calibrate")["institution_scales"] == {}
    scratch = plan_json(run, "--ignore-progress")
    assert {c["status"] for c in scratch["courses"]} == {"planned"}  # type: ignore[attr-defined]
    assert scratch["institution_scales"] == {}


def test_a_pace_applies_only_to_courses_of_the_institution_it_was_measured_at() -> None:
    """Hours recorded on a UCSD course once rescaled every MITx course (#12)."""
    other = catalog(*PROGRAMS, program("r", course("R", weeks=10, hours=5), institution="OtherX"))
    progress = Progress(completed=(done("A", hours_spent=75),))  # TestX: 1.5 x published
    request = with_progress(REQUEST.model_copy(update={"program_ids": ("p", "r")}), progress, other)
    plan = plan_programs(other, request)
    hours = {c.id: c.hours for c in plan.courses}
    assert hours["p/B"] == 30.0  # 4 weeks x 5 h x 1.5
    assert hours["r/R"] == 50.0  # published: nothing recorded at OtherX
    published = [w for w in plan.warnings if w.kind is WarningKind.PUBLISHED_HOURS]
    assert [w.institutions for w in published] == [("OtherX",)]
    assert published[0].message.startswith(
        "published hours for OtherX courses: you recorded no hours"
    )
    scaled = [w for w in plan.warnings if w.kind is WarningKind.OWN_PACE]
    assert [w.institutions for w in scaled] == [("TestX",)]
