"""Program rules in the planner: courses marked after_all come last in their credential, and
exams start inside their windows; the list schedule, the exact pass and the bound all keep
them (every plan here also passes the verifier, tests/conftest.py)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from factories import catalog, course, program
from mmplan.catalog.graph import same_course_ids
from mmplan.catalog.load import bundled_catalog_path, load_catalog_file
from mmplan.catalog.model import Catalog, ProgramStatus
from mmplan.core.errors import MmplanError
from mmplan.schedule import Plan, PlannedCourse, PlanRequest, WarningKind, plan_programs
from mmplan.schedule.planner import _prepare
from mmplan.schedule.verify import verify_plan

MONDAY = date(2027, 1, 4)


def request(*programs: str, **options: Any) -> PlanRequest:
    values: dict[str, Any] = {"hours_per_week": 10.0, "start": MONDAY, **options}
    return PlanRequest(program_ids=programs, **values)


def by_code(plan: Plan) -> dict[str, PlannedCourse]:
    return {c.code: c for c in plan.courses}


def ends_before(plan: Plan, first: str, then: str) -> bool:
    courses = by_code(plan)
    end, start = courses[first].end, courses[then].start
    assert end is not None
    assert start is not None
    return end < start


@pytest.mark.parametrize("solver_seconds", [0.0, 1.0])
def test_a_capstone_marked_after_all_starts_after_every_other_course(
    solver_seconds: float,
) -> None:
    # Nothing but after_all holds the capstone back: without it, it would start on day one.
    cat = catalog(
        program(
            "p",
            course("CAP", weeks=2, hours=4, after_all=True),
            course("A", weeks=4, hours=6),
            course("B", weeks=3, hours=5, prereqs=["A"]),
            course("E1", weeks=2, hours=3),
            course("E2", weeks=2, hours=3),
            electives=[{"choose": 1, "from": ["E1", "E2"]}],
        )
    )
    plan = plan_programs(cat, request("p", solver_seconds=solver_seconds, picks=("E2",)))
    assert "E1" not in by_code(plan)  # an elective not chosen is not waited for
    for other in ("A", "B", "E2"):
        assert ends_before(plan, other, "CAP")
    assert plan.lower_bound.finish is not None
    assert plan.lower_bound.finish <= by_code(plan)["CAP"].end  # type: ignore[operator]


def test_two_courses_after_all_wait_for_the_others_not_for_each_other() -> None:
    cat = catalog(
        program(
            "p",
            course("A", weeks=4, hours=5),
            course("X", weeks=1, hours=2, after_all=True),
            course("Y", weeks=1, hours=2, after_all=True),
        )
    )
    plan = plan_programs(cat, request("p"))
    assert ends_before(plan, "A", "X")
    assert ends_before(plan, "A", "Y")
    assert by_code(plan)["X"].start == by_code(plan)["Y"].start  # side by side


def test_stacked_programs_each_keep_their_own_capstone_last() -> None:
    cat = catalog(
        program(
            "p", course("A", weeks=8, hours=4), course("CAP", weeks=1, hours=2, after_all=True)
        ),
        program(
            "q", course("B", weeks=2, hours=4), course("QCAP", weeks=1, hours=2, after_all=True)
        ),
    )
    plan = plan_programs(cat, request("p", "q"))
    assert ends_before(plan, "A", "CAP")
    assert ends_before(plan, "B", "QCAP")
    jobs = _prepare(cat, request("p", "q")).problem.jobs
    waits = {job.id: {jobs[p].id for p in job.prerequisites} for job in jobs}
    assert waits["p/CAP"] == {"p/A"}
    assert waits["q/QCAP"] == {"q/B"}  # not p's courses


def test_a_course_of_the_program_needing_the_capstone_is_a_cycle() -> None:
    # The catalog check names it too; a catalog that gets past it (a shared course) is refused.
    cat = catalog(
        program("p", course("A", weeks=2), course("CAP", weeks=1, after_all=True)),
        program("q", course("A", weeks=2, prereqs=["p/CAP"])),
    )
    with pytest.raises(MmplanError, match="after_all last: "):
        plan_programs(cat, request("p", "q"))


def exam(window_days: int | None, *runs: int, **extra: Any) -> dict[str, Any]:
    """An exam of one week after A, opening on these days from the start."""
    starts = [MONDAY + timedelta(days=d) for d in runs]
    return course(
        "X", weeks=1, hours=2, pacing="instructor", prereqs=["A"], runs=starts,
        window_days=window_days, kind="exam", **extra,
    )  # fmt: skip


def test_an_exam_ready_inside_its_window_starts_at_once() -> None:
    cat = catalog(program("p", course("A", weeks=2, hours=10), exam(30, 7, 200)))
    plan = plan_programs(cat, request("p"))
    assert by_code(plan)["X"].start == MONDAY + timedelta(days=14)  # A ends on day 13
    assert not [w for w in plan.warnings if w.kind is WarningKind.SESSION_WAIT]


def test_an_exam_ready_too_late_in_its_window_waits_for_the_next_and_says_so() -> None:
    # Window days 7..36: a one-week exam must start by day 30; A ends on day 31.
    cat = catalog(program("p", course("A", weeks=4.5, hours=10), exam(30, 7, 200)))
    plan = plan_programs(cat, request("p"))
    assert by_code(plan)["X"].start == MONDAY + timedelta(days=200)
    waits = [w for w in plan.warnings if w.kind is WarningKind.SESSION_WAIT]
    assert [w.days for w in waits] == [200 - 32]
    assert plan.lower_bound.finish == plan.finish


def test_a_window_open_when_the_plan_starts_is_used() -> None:
    cat = catalog(program("p", course("A", weeks=1, hours=10), exam(60, -20, 400)))
    plan = plan_programs(cat, request("p"))
    assert by_code(plan)["X"].start == MONDAY + timedelta(days=7)


def test_yearly_windows_follow_their_session_starts() -> None:
    x = course("X", weeks=1, hours=2, pacing="instructor", session_starts=["03-01"], window_days=14)
    cat = catalog(program("p", x))
    for day in (date(2027, 3, 5), date(2027, 3, 8)):  # a week-long exam ends by March 14
        plan = plan_programs(cat, request("p", start=day))
        assert by_code(plan)["X"].start == day  # inside the window opened on March 1
    late = plan_programs(cat, request("p", start=date(2027, 3, 9)))
    assert by_code(late)["X"].start == date(2028, 3, 1)


# ---------------------------------------------------------------------- properties

START = MONDAY
SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@st.composite
def rule_programs(draw: st.DrawFn, name: str) -> dict[str, Any]:
    """A program of 2-8 courses with random prerequisites, electives or a track, fixed
    sessions with exam windows, and one or two courses marked after_all."""
    count = draw(st.integers(2, 8))
    codes = [f"{name.upper()}{i}" for i in range(count)]
    last = set(draw(st.lists(st.sampled_from(codes), min_size=1, max_size=2, unique=True)))
    courses = []
    for i, code in enumerate(codes):
        needs = [c for c in codes[:i] if c not in last and draw(st.integers(0, 3)) == 0]
        if code in last:  # a course marked after_all may need only the others
            needs = [c for c in codes[:i] if c not in last and draw(st.integers(0, 2)) == 0]
        extra: dict[str, Any] = {}
        weeks = draw(st.integers(1, 10))
        if draw(st.integers(0, 2)) == 0:
            extra["pacing"] = "instructor"
            offsets = draw(st.lists(st.integers(-60, 600), min_size=1, max_size=3, unique=True))
            extra["runs"] = sorted(START + timedelta(days=d) for d in offsets)
            if draw(st.booleans()):
                extra["window_days"] = draw(st.integers(weeks * 7, weeks * 7 + 60))
        if code in last:
            extra["after_all"] = True
            extra["kind"] = draw(st.sampled_from(["capstone", "exam"]))
        courses.append(
            course(code, weeks=weeks, hours=draw(st.integers(1, 10)), prereqs=needs, **extra)
        )
    structure: dict[str, Any] = {}
    free = [c for c in codes if c not in last]
    if len(free) >= 3:
        pool = draw(st.lists(st.sampled_from(free), min_size=2, max_size=3, unique=True))
        if draw(st.booleans()):
            structure["electives"] = [{"choose": 1, "from": pool}]
        else:
            structure["tracks"] = [
                {"name": "T1", "courses": pool[:1]},
                {"name": "T2", "courses": pool[1:]},
            ]
    return program(name, *draw(st.permutations(courses)), **structure)


@st.composite
def rule_cases(draw: st.DrawFn) -> tuple[Catalog, tuple[str, ...]]:
    ids = ("p", "q")[: draw(st.integers(1, 2))]
    return catalog(*(draw(rule_programs(name)) for name in ids)), ids


@SETTINGS
@given(
    case=rule_cases(),
    hours_per_week=st.sampled_from([3.0, 6.0, 10.0, 20.0]),
    max_parallel=st.integers(1, 3),
    solver_seconds=st.sampled_from([0.0, 0.2]),
)
def test_random_programs_keep_after_all_and_windows_and_the_bound_holds(
    case: tuple[Catalog, tuple[str, ...]],
    hours_per_week: float,
    max_parallel: int,
    solver_seconds: float,
) -> None:
    cat, ids = case
    asked = request(
        *ids,
        hours_per_week=hours_per_week,
        max_parallel=max_parallel,
        solver_seconds=solver_seconds,
    )
    plan = plan_programs(cat, asked)
    assert [str(v) for v in verify_plan(cat, asked, plan)] == []
    assert plan.finish is not None
    assert plan.lower_bound.finish is not None
    assert plan.lower_bound.finish <= plan.finish
    for row in plan.what_if:
        assert row.finish is not None


# ---------------------------------------------------------------------- the bundled catalog
# Capstones and final exams come last where the catalog marks them after_all (#21), at 5, 8
# and 15 h/week, alone and stacked with another program.

BUNDLED = load_catalog_file(bundled_catalog_path()).catalog
PLANNED = [p.id for p in BUNDLED.programs if p.status is not ProgramStatus.RETIRED]
PAIRS: list[tuple[str, ...]] = [
    ("mitx-sds", "mitx-dedp"),
    ("mitx-scm", "mitx-finance"),
    ("ritx-project-management", "ritx-design-thinking"),
    ("ritx-cybersecurity", "ritx-project-management"),
    ("ucsandiegox-data-science", "ucsandiegox-algorithms-data-structures"),
    ("michiganx-ux-research-design", "michiganx-educational-innovation"),
    ("ubcx-software-development", "adelaidex-big-data"),
]


def last_courses_come_last(plan: Plan) -> list[str]:
    """Each course marked after_all that starts before another planned course of its
    credential ends: `LAST starts before OTHER ends`."""
    same = same_course_ids(BUNDLED)
    by_id = {c.id: c for c in plan.planned}

    def planned(program_id: str, code: str) -> PlannedCourse | None:
        ids = same.get(f"{program_id}/{code}", (f"{program_id}/{code}",))
        return next((by_id[i] for i in ids if i in by_id), None)

    broken = []
    for ref in plan.programs:
        program = BUNDLED.program(ref.id)
        last = {c.code for c in program.courses if c.after_all}
        for code in last:
            final = planned(program.id, code)
            others = [planned(program.id, c.code) for c in program.courses if c.code not in last]
            for other in others:
                if final is None or other is None or final.start is None or other.end is None:
                    continue
                if other.end >= final.start:
                    broken.append(f"{final.id} starts before {other.id} ends")
    return broken


@pytest.mark.parametrize("hours_per_week", [5.0, 8.0, 15.0])
@pytest.mark.parametrize("programs", [*((p,) for p in PLANNED), *PAIRS], ids="+".join)
def test_no_bundled_plan_starts_a_course_marked_after_all_before_its_credential_ends(
    programs: tuple[str, ...], hours_per_week: float
) -> None:
    # The list schedule: exact passes keep the same edges (the properties above, and the
    # verifier's after_all check on every bundled plan the suite makes with one).
    asked = request(*programs, hours_per_week=hours_per_week, solver_seconds=0)
    plan = plan_programs(BUNDLED, asked)  # and the verifier: sessions, windows, after_all
    assert last_courses_come_last(plan) == []
