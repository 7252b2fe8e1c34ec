"""The exact pass: shorter plans where the list schedule misses its bound, proofs, pauses."""

from __future__ import annotations

import subprocess
import sys
import time
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from pathlib import Path

import icalendar
import pytest

from conftest import Invoke, bounded
from factories import catalog, cli_on, course, pausing_program, program, rounding_program
from mmplan.catalog.load import CatalogSources, load_active_catalog
from mmplan.catalog.model import ProgramStatus
from mmplan.schedule import (
    InProgress,
    Plan,
    PlannedCourse,
    PlanRequest,
    WarningKind,
    plan_finishing_by,
    plan_programs,
)
from mmplan.schedule import exact as exact_module
from mmplan.schedule import planner as planner_module
from mmplan.schedule import search as search_module
from mmplan.schedule.exact import exact_schedule
from mmplan.schedule.problem import BentRule, Job, Policy, Problem, Schedule, ScheduleNote
from mmplan.schedule.rules.breaks import Calendar

MONDAY = date(2027, 1, 4)


def request(**options: object) -> PlanRequest:
    values: dict[str, object] = {"hours_per_week": 5.0, "start": MONDAY, **options}
    return PlanRequest(program_ids=("p",), **values)  # type: ignore[arg-type]


def by_code(plan: Plan) -> dict[str, PlannedCourse]:
    return {c.code: c for c in plan.courses}


ROUNDING = catalog(rounding_program())  # loses a rounding day the exact pass wins back

# The list schedule runs A after F, and E waits for its late run; pausing A during F makes
# the early run.
SESSION_DATA = (pausing_program(MONDAY),)
SESSION = catalog(*SESSION_DATA)


def test_the_exact_pass_removes_a_rounding_day_and_proves_it() -> None:
    quick = plan_programs(ROUNDING, request(solver_seconds=0))
    assert quick.finish == date(2027, 3, 1)
    assert quick.lower_bound.gap_days == 1
    assert quick.solver.model_dump() == {"used": "heuristic", "reason": "the exact search is off"}

    plan = plan_programs(ROUNDING, request())
    assert plan.finish == date(2027, 2, 28)  # 56 days: all 40 h at 5 h/week, no day lost
    assert plan.lower_bound.optimal
    assert plan.lower_bound.finish == plan.finish
    assert plan.solver.model_dump() == {"used": "exact", "reason": "proven optimal"}
    assert all(len(c.segments) == 1 for c in plan.courses)  # nothing pauses without sessions


def test_a_course_pauses_during_a_full_time_session_to_make_the_early_exam_run() -> None:
    quick = plan_programs(SESSION, request(hours_per_week=8.0, solver_seconds=0))
    assert by_code(quick)["E"].start == MONDAY + timedelta(days=200)

    plan = plan_programs(SESSION, request(hours_per_week=8.0))
    courses = by_code(plan)
    assert plan.solver.used == "exact"
    assert plan.lower_bound.optimal
    assert courses["E"].start == MONDAY + timedelta(days=56)
    assert plan.finish == MONDAY + timedelta(days=62)
    session, paused = courses["F"], courses["A"]
    assert paused.paused
    first, second = paused.segments
    # The pause starts when the session starts and ends when it ends.
    assert (first.end + timedelta(days=1), second.start) == (
        session.start,
        session.end + timedelta(days=1),  # type: ignore[operator]
    )
    assert (paused.start, paused.end) == (first.start, second.end)
    # Hours are conserved: 14 + 14 days at 8 h/week are A's 32 h.
    done = sum(s.hours_per_week * ((s.end - s.start).days + 1) / 7 for s in paused.segments)
    assert done >= paused.hours
    assert paused.hours_per_week == 8.0


def test_the_exact_plan_is_the_same_every_time() -> None:
    documents = {plan_programs(SESSION, request(hours_per_week=8.0)).model_dump_json()}
    documents.add(plan_programs(SESSION, request(hours_per_week=8.0)).model_dump_json())
    assert len(documents) == 1


def test_plans_meeting_their_bound_skip_the_search() -> None:
    plan = plan_programs(catalog(program("p", course("A", weeks=4, hours=5))), request())
    assert plan.lower_bound.optimal
    assert plan.solver.model_dump() == {"used": "heuristic", "reason": "meets the bound"}


def test_plans_above_the_size_limit_keep_the_list_schedule(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(exact_module, "MAX_EXACT_COURSES", 2)
    plan = plan_programs(ROUNDING, request())
    assert plan.finish == date(2027, 3, 1)
    assert not plan.lower_bound.optimal
    assert plan.solver.model_dump() == {
        "used": "heuristic",
        "reason": "3 courses, more than the exact search's limit of 2",
    }


def test_a_course_whose_every_run_collides_takes_a_new_run_after_the_last() -> None:
    """F and G list one run each, on the same day, and 6 + 6 h/week is more than 8: runs
    never collide, so one takes the run and the other is planned as if a new run started
    after it, at the first day it fits (warned, and the credential waits on that run). The
    plan keeps the pace, and the bound (the two one after another) proves it optimal."""
    run = [MONDAY + timedelta(days=7)]
    clash = catalog(
        program(
            "p",
            course("F", weeks=4, hours=6, pacing="instructor", runs=run),
            course("G", weeks=4, hours=6, pacing="instructor", runs=run),
        )
    )
    plan = plan_programs(clash, request(hours_per_week=8.0, solver_seconds=0))
    starts = sorted(c.start for c in plan.courses if c.start is not None)
    assert starts == [run[0], run[0] + timedelta(days=28)]
    assert plan.within_budget
    assert plan.finish == plan.lower_bound.finish == run[0] + timedelta(days=55)
    (warned,) = [w for w in plan.warnings if w.kind is WarningKind.COLLISION]
    assert "as if a new run started after the last listed one" in warned.message
    assert plan.eligibility.earned_on is None
    assert plan.eligibility.missing == warned.courses


def test_the_exact_pass_may_start_a_course_whose_runs_collided_after_its_last_run() -> None:
    """Given a list schedule that planned G late after its every run collided, the exact
    pass moves it to the first day after F's session, proves that optimal, and keeps the
    warning (G still takes no listed run)."""
    session = Job(
        id="p/F",
        self_paced=False,
        work=0,
        rate=600,
        days=14,
        runs=(7,),
        has_dates=True,
        prerequisites=(),
        dependants=(),
    )
    problem = Problem(
        [session, replace(session, id="p/G")], Calendar([]), max_parallel=2, last_day=10**6
    )
    late = Schedule(
        start=[7, 40],
        end=[20, 53],
        alloc=[600, 600],
        notes=[ScheduleNote(BentRule.COLLISION, 1)],
        ready=[0, 0],
        finish=53,
        policy=Policy(runs_first=False, lanes=1, lazy=False),
    )
    outcome = exact_schedule(problem, 800, late, bound=0, seconds=1.0)
    assert outcome.used == "exact"
    assert outcome.proven
    assert outcome.schedule is not None
    assert (outcome.schedule.start, outcome.schedule.finish) == ([7, 21], 34)
    assert outcome.schedule.notes == [ScheduleNote(BentRule.COLLISION, 1)]


@pytest.fixture
def run_session(mmplan: Invoke, tmp_path: Path) -> Invoke:
    """`mmplan plan p ...` on the SESSION catalog at 8 h/week from MONDAY."""
    plan = ("plan", "p", "-H", "8", "--start", str(MONDAY))
    return cli_on(mmplan, tmp_path / "catalog.yaml", *SESSION_DATA, command=plan)


def test_the_text_plan_says_which_search_made_it_and_what_pauses(run_session: Invoke) -> None:
    result = run_session()
    assert result.exit_code == 0, result.stderr
    lines = [" ".join(line.split()) for line in result.stdout.splitlines()]
    assert "Planned by: exact search (proven optimal)" in lines
    assert "Pauses: A pauses 2027-01-18–2027-02-14" in lines
    quick = run_session("--solver-seconds", "0")
    lines = [" ".join(line.split()) for line in quick.stdout.splitlines()]
    assert "Planned by: list schedule (the exact search is off)" in lines
    assert not any(line.startswith("Pauses:") for line in lines)


def test_the_calendar_has_one_event_per_segment_with_stable_uids(run_session: Invoke) -> None:
    result = run_session("--format", "ics")
    assert result.exit_code == 0, result.stderr
    events = {str(e["UID"]): e for e in icalendar.Calendar.from_ical(result.stdout).walk("VEVENT")}
    assert set(events) == {"p/A@mmplan", "p/A#2@mmplan", "p/F@mmplan", "p/E@mmplan"}
    first, second = events["p/A@mmplan"], events["p/A#2@mmplan"]
    assert (first.decoded("DTSTART"), first.decoded("DTEND")) == (MONDAY, date(2027, 1, 18))
    assert (second.decoded("DTSTART"), second.decoded("DTEND")) == (
        date(2027, 2, 15),
        date(2027, 3, 1),
    )
    assert str(second["SUMMARY"]) == "A: Course A (part 2 of 2)"


def test_a_bad_solver_budget_is_one_line_and_exit_2(run_session: Invoke) -> None:
    result = run_session("--solver-seconds", "-1")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == "Error: --solver-seconds: -1 is not in the range 0 to 60\n"


def test_fixed_courses_too_heavy_to_share_a_week_bound_the_finish_one_after_another() -> None:
    """6 + 6 h/week is more than 8: the two sessions cannot overlap, so no plan ends before
    their 56 days. The bound alone proves the list schedule optimal, without the search."""
    heavy = catalog(
        program(
            "p",
            course("F", weeks=4, hours=6, pacing="instructor"),
            course("G", weeks=4, hours=6, pacing="instructor"),
        )
    )
    plan = plan_programs(heavy, request(hours_per_week=8.0, solver_seconds=0))
    assert plan.finish == MONDAY + timedelta(days=55)
    assert plan.lower_bound.finish == plan.finish
    assert plan.solver.met_bound


def test_two_sessions_under_way_above_the_pace_are_bounded_as_they_run() -> None:
    """F and G are under way, 6 + 6 h/week at 8: they keep their sessions (an overload,
    warned), so the bound neither runs them one after another nor counts more than the pace
    while they run: S (8 h) follows them, and the plan, 28 days, meets the bound."""
    started = MONDAY - timedelta(days=7)
    both = catalog(
        program(
            "p",
            course("F", weeks=4, hours=6, pacing="instructor"),
            course("G", weeks=4, hours=6, pacing="instructor"),
            course("S", weeks=2, hours=4),
        )
    )
    under_way = tuple(InProgress(course_id=f"p/{c}", started=started) for c in "FG")
    plan = plan_programs(both, request(hours_per_week=8.0, in_progress=under_way))
    assert plan.finish == MONDAY + timedelta(days=27)
    assert plan.lower_bound.finish == plan.finish
    assert not plan.within_budget


def test_sessions_under_way_above_the_pace_keep_the_list_schedule() -> None:
    """The exact model keeps the hours and the slots on every day, which two sessions under
    way at 6 + 6 h/week cannot at 8: it is not asked (it would find no plan at all)."""
    session = Job(
        id="p/F",
        self_paced=False,
        work=0,
        rate=600,
        days=28,
        runs=(),
        has_dates=False,
        prerequisites=(),
        dependants=(),
        fixed=(0, 20),
        started=True,
    )
    problem = Problem(
        [session, replace(session, id="p/G")], Calendar([]), max_parallel=2, last_day=10**6
    )
    both = Schedule(
        start=[0, 0],
        end=[20, 20],
        alloc=[600, 600],
        notes=[],
        ready=[0, 0],
        finish=20,
        policy=Policy(runs_first=False, lanes=1, lazy=False),
    )
    outcome = exact_schedule(problem, 800, both, bound=0, seconds=1.0)
    assert (outcome.used, outcome.schedule) == ("heuristic", None)
    assert outcome.reason == "the sessions under way need more than your hours or slots together"


def test_what_a_session_needs_must_fit_before_its_run_so_the_bound_waits_for_the_next() -> None:
    """A, B and C each take 4 weeks alone at 8 h/week, so a chain argument lets F make its run
    on day 35. But F needs all three: 12 weeks of work before it, so it can only take the
    run a year later. The bound says so, and proves the list schedule optimal unsearched."""
    runs = [MONDAY + timedelta(days=35), MONDAY + timedelta(days=400)]
    waiting = catalog(
        program(
            "p",
            course("A", weeks=4, hours=8),
            course("B", weeks=4, hours=8),
            course("C", weeks=4, hours=8),
            course("F", weeks=2, hours=4, pacing="instructor", prereqs=["A", "B", "C"], runs=runs),
        )
    )
    plan = plan_programs(waiting, request(hours_per_week=8.0, solver_seconds=0))
    assert plan.finish == MONDAY + timedelta(days=400 + 13)
    assert plan.lower_bound.finish == plan.finish
    assert plan.solver.met_bound


def test_finish_by_finds_the_lower_pace_that_pausing_makes_possible() -> None:
    by = MONDAY + timedelta(days=62)  # E's early run ends then
    quick = plan_finishing_by(SESSION, request(solver_seconds=0), by)
    assert quick.hours_per_week > 8.0  # A must end before F's session starts
    plan = plan_finishing_by(SESSION, request(), by)
    assert plan.hours_per_week == 8.0  # F's own rate: no plan within budget needs less
    assert plan.finish == by
    assert by_code(plan)["A"].paused


BUNDLED = load_active_catalog(CatalogSources()).catalog


@pytest.mark.parametrize(
    "program",
    [p.id for p in BUNDLED.programs if p.status is not ProgramStatus.RETIRED],
)
def test_every_bundled_program_at_8_hours_is_proven_optimal_by_default(program: str) -> None:
    """#16's done-when. ubcx-software-development needs weekly shares that are not whole
    quarter hours (218 days, the bound; 219 with quarter hours)."""
    asked = PlanRequest(program_ids=(program,), start=MONDAY)
    plan = plan_programs(BUNDLED, asked, what_ifs=False)  # searched first: the same plan
    assert plan.lower_bound.optimal, plan.solver.reason
    assert plan.lower_bound.finish == plan.finish


@dataclass
class Searches:
    """The exact searches a plan ran: the deterministic seconds each was given, and spent."""

    given: list[float] = field(default_factory=list)
    spent: list[float] = field(default_factory=list)


@pytest.fixture
def searches(monkeypatch: pytest.MonkeyPatch) -> Searches:
    record = Searches()
    search = exact_module.exact_schedule

    def recorded(*args: object, **options: object) -> object:
        record.given.append(args[4])  # type: ignore[arg-type]
        outcome = search(*args, **options)  # type: ignore[arg-type]
        record.spent.append(outcome.spent)
        return outcome

    monkeypatch.setattr(search_module, "exact_schedule", recorded)
    return record


def test_one_budget_covers_the_plan_and_its_what_if_paces(searches: Searches) -> None:
    """The plan searches first with the whole budget; the what-ifs share what is left."""
    given, spent = searches.given, searches.spent
    plan_programs(SESSION, request(hours_per_week=8.0, solver_seconds=1.0))
    assert given[0] == 0.5  # deterministic seconds: half of each wall-clock second
    assert len(given) > 1  # some what-if paces miss their bound and search too
    for i in range(1, len(given)):  # each gets at most what the searches before left
        assert given[i] <= 0.5 - sum(spent[:i]) + 1e-9
    assert sum(spent) <= 0.5 + 0.05  # CP-SAT may overrun a limit by a hair
    assert max(given[1:]) <= 0.05  # the what-ifs share a tenth of the budget at most


def test_a_pace_is_searched_once_and_a_spent_budget_says_so() -> None:
    problem = planner_module._prepare(SESSION, request(hours_per_week=8.0)).problem
    budget = search_module.SolverBudget(2.0)
    first = search_module.best_plan(problem, 800, budget)
    left = budget.left
    assert search_module.best_plan(problem, 800, budget) is first
    assert budget.left == left
    budget.left = 0.0
    again = search_module.best_plan(problem, 900, budget)  # its list schedule misses the bound
    assert again.solver.reason == "the exact search's budget was spent"


def test_a_what_if_pace_within_a_day_of_its_bound_is_not_searched(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """At 6 and 10 h/week ROUNDING's list schedule is a day over its bound: as a what-if of
    the 8 h/week plan it is shown as listed; planned at 6 h/week it is searched and proven."""
    searched: list[int] = []
    search = exact_module.exact_schedule

    def recorded(problem: Problem, capacity: int, *rest: object, **options: object) -> object:
        searched.append(capacity)
        return search(problem, capacity, *rest, **options)  # type: ignore[arg-type]

    monkeypatch.setattr(search_module, "exact_schedule", recorded)
    plan = plan_programs(ROUNDING, request(hours_per_week=8.0))
    assert plan.lower_bound.optimal
    assert searched == []
    six = next(w for w in plan.what_if if w.hours_per_week == 6.0)
    at_six = plan_programs(ROUNDING, request(hours_per_week=6.0))
    assert searched[0] == 600
    assert at_six.lower_bound.optimal
    assert at_six.finish is not None
    assert six.finish == at_six.finish + timedelta(days=1)


def test_a_plan_within_a_day_of_its_bound_searches_a_fifth_of_the_budget(
    searches: Searches,
) -> None:
    """It has at most that day to gain: a small part of the budget, enough to remove a
    rounding day and prove it, and the rest stays for the searches after it."""
    at_six = plan_programs(ROUNDING, request(hours_per_week=6.0), what_ifs=False)
    assert searches.given == [0.5 * search_module.CLOSE_SHARE]
    assert at_six.lower_bound.optimal


def test_a_stacked_plan_searches_a_share_of_the_budget(searches: Searches) -> None:
    """Several programs planned together: a smaller search, the gap said as for any plan."""
    plan = plan_programs(BUNDLED, HARD, what_ifs=False)
    assert searches.given == [0.5 * search_module.STACKED_SHARE]
    assert plan.solver.used == "exact"
    assert not plan.lower_bound.optimal
    assert plan.lower_bound.gap_days > 0


def test_a_plan_without_what_ifs_is_the_same_plan() -> None:
    """For callers that do not show them (other formats, `cost --by-month`)."""
    asked = request(hours_per_week=8.0, solver_seconds=0.5)
    full = plan_programs(SESSION, asked)
    bare = plan_programs(SESSION, asked, what_ifs=False)
    assert full.what_if
    assert bare.what_if == ()
    assert bare == full.model_copy(update={"what_if": ()})


# Two bundled programs stacked, at 5 h/week: 14 self-paced courses whose search is not
# proven in 6 deterministic seconds (many times the caps below).
HARD_PROGRAMS = ("ucsandiegox-algorithms-data-structures", "ubcx-software-development")
HARD = PlanRequest(program_ids=HARD_PROGRAMS, hours_per_week=5.0, start=MONDAY)


def _hard_search(cap: float) -> exact_module.ExactOutcome:
    """The exact search, with a wall-clock cap of `cap` seconds from when it starts (the
    preparation before it is not counted: on a busy machine it can take longer than `cap`)."""
    problem = planner_module._prepare(BUNDLED, HARD).problem
    schedule, bound = search_module.list_schedule(problem, 500, None, search_module.SolverBudget(0))
    return exact_schedule(problem, 500, schedule, bound, 30.0, time.monotonic() + cap)


def test_the_wall_clock_cap_stops_a_search_and_says_so() -> None:
    started = time.monotonic()
    outcome = _hard_search(0.2)
    assert outcome.capped
    assert not outcome.proven
    assert "wall-clock cap" in outcome.reason
    assert outcome.spent < 30.0
    assert time.monotonic() - started < 10  # a generous bound against a hang, not a target


def test_a_plan_whose_cap_was_reached_warns_that_it_may_differ(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Two programs stacked: 1 s gives them STACKED_SHARE of half a deterministic second.
    quick = HARD.model_copy(update={"solver_seconds": 1.0})
    assert WarningKind.SEARCH_CAPPED not in {w.kind for w in plan_programs(BUNDLED, quick).warnings}
    monkeypatch.delenv("MMPLAN_NO_WALL_CAP")
    monkeypatch.setattr(search_module, "wall_left", lambda deadline: 0.0)
    plan = plan_programs(BUNDLED, quick)
    assert plan.solver.reason == exact_module.CAPPED_BEFORE
    capped = [w for w in plan.warnings if w.kind is WarningKind.SEARCH_CAPPED]
    assert len(capped) == 1
    assert "1 s wall-clock cap" in capped[0].message


def test_the_wall_clock_cap_counts_loading_the_solver(monkeypatch: pytest.MonkeyPatch) -> None:
    """`--solver-seconds` bounds the whole search: its clock starts before CP-SAT loads."""
    monkeypatch.delenv("MMPLAN_NO_WALL_CAP")
    loaded: list[float] = []
    monkeypatch.setattr(search_module, "load_solver", lambda: loaded.append(time.monotonic()))
    budget = search_module.SolverBudget(2.0)
    budget.wall_left()
    assert len(loaded) == 1
    assert budget.deadline - 2.0 <= loaded[0]


def test_ctrl_c_inside_the_search_stops_it_at_once(tmp_path: Path) -> None:
    """The solver runs on its own thread, so Ctrl-C reaches the command: it stops the search
    and ends with the error boundary's `interrupted` (exit 130).

    Run in a process of its own, as a learner's Ctrl-C is: the signal is armed when CP-SAT's
    search starts (a wrapper on `CpSolver.solve`), which writes down when it was sent."""
    sent = tmp_path / "sent"
    code = (
        "import os, signal, sys, threading, time\n"
        # Ctrl-C as in a terminal's foreground job: a gate run in the background passes
        # SIGINT on ignored, and Python then installs no handler of its own for it.
        "signal.signal(signal.SIGINT, signal.default_int_handler)\n"
        "from mmplan.schedule.solve import load_solver\n"
        "sat = load_solver()\n"
        "real_solve = sat.CpSolver.solve\n"
        "def interrupt():\n"
        f"    open({str(sent)!r}, 'w').write(repr(time.time()))\n"
        "    os.kill(os.getpid(), signal.SIGINT)\n"
        "def solve_then_interrupt(solver, *args, **options):\n"
        "    if not hasattr(solve_then_interrupt, 'armed'):\n"
        "        solve_then_interrupt.armed = threading.Timer(0.3, interrupt)\n"
        "        solve_then_interrupt.armed.start()\n"
        "    return real_solve(solver, *args, **options)\n"
        "sat.CpSolver.solve = solve_then_interrupt\n"
        f"sys.argv = ['mmplan', 'plan', *{HARD_PROGRAMS!r}, '-H', '5', '--solver-seconds', '60',\n"
        "            '--start', '2027-01-04']\n"
        "from mmplan.__main__ import main\n"
        "main()\n"
    )
    with bounded(60):  # the search alone runs for 30 deterministic seconds (about 40 s)
        process = subprocess.run([sys.executable, "-c", code], capture_output=True, check=False)
    ended = time.time()
    assert sent.exists(), "the plan never reached CP-SAT's search"
    assert (process.returncode, process.stderr.decode()) == (130, "Error: interrupted\n")
    assert ended - float(sent.read_text()) < 5  # a generous bound, no target
