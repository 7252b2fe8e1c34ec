"""Which list-scheduling passes a plan tries, and the profile they share."""

from __future__ import annotations

from datetime import date, timedelta

from factories import catalog, course, program
from mmplan.schedule import PlanRequest
from mmplan.schedule.bounds import latest_starts, tails
from mmplan.schedule.planner import _prepare
from mmplan.schedule.problem import Policy, Priority, Problem, capacity_of
from mmplan.schedule.rules.hours import Profile
from mmplan.schedule.simulation import Simulation, policies

MONDAY = date(2027, 1, 4)


def problem_of(*courses: dict[str, object]) -> Problem:
    request = PlanRequest(program_ids=("p",), hours_per_week=5.0, start=MONDAY)
    return _prepare(catalog(program("p", *courses)), request).problem


def test_guarded_passes_are_tried_only_when_a_course_can_hold_a_listed_run() -> None:
    undated = (
        course("X", weeks=8, hours=5, pacing="instructor"),
        course("A", weeks=4, hours=5),
        course("B", weeks=3, hours=4, pacing="instructor", prereqs=["A"]),
    )
    runs = [MONDAY + timedelta(days=28), MONDAY + timedelta(days=365)]
    dated = course("C", weeks=5, hours=3, pacing="instructor", prereqs=["A"], runs=runs)
    assert not any(p.guarded for p in policies(problem_of(*undated)))
    assert any(p.lazy for p in policies(problem_of(*undated)))
    assert any(p.guarded for p in policies(problem_of(*undated, dated)))


def test_a_guarded_pass_with_nothing_to_hold_plans_as_its_plain_twin() -> None:
    """Why the guarded passes can be skipped: fixed courses without dates hold no run."""
    problem = problem_of(
        course("X", weeks=8, hours=5, pacing="instructor"),
        course("Y", weeks=6, hours=4, pacing="instructor"),
        course("A", weeks=4, hours=5),
        course("B", weeks=3, hours=4, pacing="instructor", prereqs=["A"]),
        course("C", weeks=4, hours=5, prereqs=["B", "X"]),
    )
    capacity = capacity_of(5.0)
    chain, tail = latest_starts(problem, capacity, runs_only=False), tails(problem, capacity)
    priority = [Priority(c, c, -t, j) for j, (c, t) in enumerate(zip(chain, tail, strict=True))]
    for lanes in (1, 2):
        plain = Simulation(problem, capacity, Policy(False, lanes, True), priority).run()
        guarded = Simulation(problem, capacity, Policy(False, lanes, True, True), priority).run()
        assert (guarded.start, guarded.end, guarded.alloc) == (plain.start, plain.end, plain.alloc)


def test_taking_back_a_commitment_restores_the_profile_it_was_added_to() -> None:
    profile = Profile()
    profile.add(0, 9, 300)
    profile.add(10, 19, 300)  # day 10 keeps a breakpoint, though nothing changes there
    before = (profile.times[:], profile.load[:], profile.count[:])
    for first, last in ((5, 14), (12, 30), (40, 49)):
        profile.add(first, last, 200)
        assert profile.at(first)[1] == (2 if first < 20 else 1)  # courses in progress
        profile.remove(first, last, 200)
        assert (profile.times, profile.load, profile.count) == before
    profile.add(0, 9, 100)
    profile.remove(0, 9, 100)  # the breakpoints it leaves without a change go, day 10's too
    assert profile.times == [0, 20]
    assert profile.first_conflict(0, 30, 200, 500, 3) is None
    assert profile.first_conflict(0, 30, 201, 500, 3) == (0, 200, False)
