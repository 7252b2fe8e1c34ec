"""The planner's request and result: what a learner asks for and the dated plan it gets."""

from __future__ import annotations

from datetime import date, timedelta
from enum import StrEnum
from itertools import pairwise
from typing import Annotated, Any, Literal

from pydantic import Field, SerializerFunctionWrapHandler, model_serializer

from mmplan.catalog.model import Kind, Pacing
from mmplan.catalog.money import MaybeMoney, Money
from mmplan.core.base import Frozen
from mmplan.core.defaults import (
    DEFAULT_EFFORT_CORRELATION,
    DEFAULT_EFFORT_SPREAD,
    DEFAULT_HOURS_PER_WEEK,
    DEFAULT_MAX_PARALLEL,
    DEFAULT_MISSED_WEEKS,
    DEFAULT_PASS_RATE,
    DEFAULT_RISK_SAMPLES,
    DEFAULT_RISK_SEED,
    DEFAULT_SOLVER_SECONDS,
    Effort,
)

FULL_TIME_HOURS_PER_WEEK = 40  # above this a plan says the pace is more than a full-time job
FINISH_BY_STEP = 0.5  # --finish-by searches paces in steps of half an hour a week
WHAT_IF_STEPS = (-2.0, 2.0, 4.0)


# --------------------------------------------------------------------------- request


class Break(Frozen):
    """A holiday or busy period with no study; both days inclusive."""

    start: date
    end: date


class InProgress(Frozen):
    """A course already started: it continues from the plan's start with what is left."""

    course_id: str
    started: date
    percent_done: Annotated[float, Field(ge=0, le=100)] = 0.0


class RiskAssumptions(Frozen):
    """What `plan --risk` assumes about the learner (docs/planning.md gives the sources)."""

    pass_rate: Annotated[float, Field(gt=0, le=1)] = DEFAULT_PASS_RATE
    effort_spread: Annotated[float, Field(ge=0)] = DEFAULT_EFFORT_SPREAD
    effort_correlation: Annotated[float, Field(ge=0, le=1)] = DEFAULT_EFFORT_CORRELATION
    missed_weeks: Annotated[float, Field(ge=0, lt=1)] = DEFAULT_MISSED_WEEKS


class RiskOptions(Frozen):
    """`plan --risk`: how many samples, from which seed, under which assumptions."""

    samples: Annotated[int, Field(ge=1)] = DEFAULT_RISK_SAMPLES
    seed: int = DEFAULT_RISK_SEED
    assumptions: RiskAssumptions = RiskAssumptions()
    finish_by: date | None = None  # --finish-by: the date whose odds to give too


class PlanRequest(Frozen):
    """Everything the planner needs besides the catalog."""

    program_ids: tuple[str, ...]
    hours_per_week: float = DEFAULT_HOURS_PER_WEEK
    start: date
    effort: Effort = Effort.MID
    max_parallel: int = DEFAULT_MAX_PARALLEL
    tracks: tuple[str, ...] = ()  # track names, each matched against every program's tracks
    picks: tuple[str, ...] = ()  # elective codes: CODE or program/CODE
    completed: tuple[str, ...] = ()  # course ids already passed
    in_progress: tuple[InProgress, ...] = ()
    breaks: tuple[Break, ...] = ()
    workload_scale: float = 1.0  # the learner's own pace: real hours / published hours
    # Their pace at each institution where they recorded hours, which its courses follow
    # instead of `workload_scale`: a pace is calibrated on comparable courses only.
    institution_scales: dict[str, float] = Field(default_factory=dict)
    # Courses recommended first that are in the plan end before the course starts; soft:
    # a recommended course that is not in the plan is never added.
    follow_recommended: bool = True
    solver_seconds: float = DEFAULT_SOLVER_SECONDS  # the exact search's whole budget; 0: off
    risk: RiskOptions | None = None  # also give the finish's odds (`plan --risk`)


# --------------------------------------------------------------------------- result


# Where a course of the plan stands (the credential's standing is `eligibility.Status`).
CourseState = Literal["planned", "in_progress", "completed"]


class ProgramRef(Frozen):
    id: str
    title: str
    institution: str
    platform: str  # where its courses run now (a moved program's new platform)
    # A price published for the whole program, and the date of the program's facts: often
    # years older than the course prices the plan sums; shown beside them, never instead.
    published_price_usd: MaybeMoney = None
    prices_as_of: str | None = None
    published_price_as_of: str | None = None  # the published price's own date (`2016/2018`)


class Segment(Frozen):
    """A stretch of a course at one weekly allocation; both days inclusive."""

    start: date
    end: date
    hours_per_week: float


class PlannedCourse(Frozen):
    """One course of the plan: when, how hard, and why it is there."""

    id: str
    program: str
    code: str
    title: str
    kind: Kind
    pacing: Pacing
    status: CourseState
    start: date | None  # first study day (inclusive); None when completed
    started_on: date | None = None  # under way: the day the learner began it (before `start`)
    end: date | None  # last study day (inclusive)
    hours: float  # workload left to do (the whole workload for completed courses)
    hours_per_week: float | None  # weekly allocation while in progress (the peak, if it changes)
    price_usd: MaybeMoney
    prerequisites: tuple[str, ...]
    reason: str
    recommended: tuple[str, ...] = ()  # the courses recommended first (soft), planned ids
    critical: bool = False  # on the chain that sets the finish date
    ready: date | None = None  # when it waits for its session: the day it could have started
    idle_from: date | None = None  # the last stretch of that wait with nothing else to study
    estimated: tuple[str, ...] = ()  # catalog fields that are estimates
    pay_by: date | None = None  # the last day to pay for its certificate, by its payment rule
    # Dated courses: one per stretch at one allocation; two when the course pauses (or
    # changes pace) around a fixed course.
    segments: tuple[Segment, ...] = ()

    @property
    def paused(self) -> bool:
        """Whether the course stops between its segments (rather than only changing pace)."""
        return any(b.start > a.end + timedelta(days=1) for a, b in pairwise(self.segments))

    @property
    def weeks(self) -> float | None:
        """Calendar length of the course's span, in weeks."""
        if self.start is None or self.end is None:
            return None
        return ((self.end - self.start).days + 1) / 7


class CostSummary(Frozen):
    due: Money  # sum of known prices of courses still to take
    paid: Money  # sum of known prices of completed courses
    unknown: tuple[str, ...] = ()  # ids of plan courses with no known price
    estimated: bool = False  # some known price in `due` is an estimate


class LowerBound(Frozen):
    finish: date | None
    gap_days: int
    optimal: bool


MEETS_THE_BOUND = "meets the bound"  # the solver reason when the list schedule is proven


class SolverReport(Frozen):
    """Which search made the plan, and why: `exact` (CP-SAT) or `heuristic` (the list schedule)."""

    used: Literal["exact", "heuristic"]
    reason: str

    @property
    def met_bound(self) -> bool:
        """Whether the list schedule met its lower bound, so no search was needed."""
        return self.reason == MEETS_THE_BOUND


class ProgramCredential(Frozen):
    """One planned program's credential: when its own last course ends, or what blocks it."""

    program: str
    earned_on: date | None  # None when blocked, or when its courses are all passed already
    missing: tuple[str, ...] = ()  # its courses with no announced run


class Eligibility(Frozen):
    earned_on: date | None  # when the last credential course ends, if every course is passed
    missing: tuple[str, ...] = ()  # courses that block the credential (no announced run)
    programs: tuple[ProgramCredential, ...] = ()  # one per planned program, in plan order


class WhatIf(Frozen):
    """The finish at another pace, and the courses that set it."""

    hours_per_week: float
    finish: date | None
    weeks: float
    critical_chain: tuple[str, ...]
    # Above `hours_per_week` only while a fixed course whose rate alone is above it runs.
    peak_hours_per_week: float = 0.0


class Driver(Frozen):
    """A course that puts the finish at risk."""

    course: str
    criticality: float  # the share of samples whose finish it delays (on their critical chain)
    # How much earlier the 80% date comes when this course is certain (passed at the first
    # attempt, at its published hours); None when the 80% date is never reached.
    days_saved_if_certain: int | None


class Risk(Frozen):
    """The finish's odds (`plan --risk`): a Monte Carlo over the plan's own rules."""

    samples: int
    seed: int
    assumptions: RiskAssumptions
    p50: date | None  # None: that share of samples never finishes within the attempts allowed
    p80: date | None
    p90: date | None
    p_plan_date: float  # the share of samples finished by the plan's date
    p_finish_by: float | None = None  # by --finish-by's date, when given
    not_finished: float  # the share that runs out of attempts (or of the credential's years)
    expired: float = 0.0  # of `not_finished`, the share with a pass too old (`valid_years`)
    cost_p50: Money  # what the samples pay, retakes included: the median and the 90th centile
    cost_p90: Money
    drivers: tuple[Driver, ...] = ()
    # The S-curve, for the HTML page: (day, share finished by then) at each day it rises.
    curve: tuple[tuple[date, float], ...] = Field(default=(), exclude=True)


class WarningKind(StrEnum):
    """What a plan warning is about; `--format json` gives it as `kind`."""

    # What the plan needs beyond the learner's hours.
    OVER_BUDGET = "over_budget"  # the plan's peak is above the pace
    OVER_PACE = "over_pace"  # an instructor-paced course's rate alone is above the pace
    COLLISION = "collision"  # every listed run collides: planned after the last one
    FULL_TIME = "full_time"  # the pace itself is more than a full-time job
    # Sessions.
    SESSION_ENDED = "session_ended"  # the session the learner started is over: taken again
    SESSION_WAIT = "session_wait"  # a course ready before its session waits for it
    BEHIND_PACE = "behind_pace"  # a course under way needs more than its rate to end in time
    UNKNOWN_SESSIONS = "unknown_sessions"  # fixed courses with no session dates
    RUN_IN_BREAK = "run_in_break"  # every listed run overlaps a break
    BREAK_COST = "break_cost"  # a break pushes a session later: it costs more than its days
    NO_RUN = "no_run"  # every listed run has begun by the time the course is ready
    # Which courses, and in what order.
    CHOSEN_FOR_YOU = "chosen_for_you"  # a track or electives the learner did not choose
    SAME_COURSE = "same_course"  # a course two programs list, planned once
    ADDED_PREREQUISITE = "added_prerequisite"  # a prerequisite not passed, added
    RECOMMENDED_ORDER = "recommended_order"  # courses recommended first go first
    RECOMMENDED_ORDER_DROPPED = "recommended_order_dropped"  # it would make a cycle
    # What to know.
    STATUS_UNKNOWN = "status_unknown"  # the program may no longer be offered
    PAYMENT_DEADLINE = "payment_deadline"  # pay within 30 days, or a deadline has passed
    BACKGROUND = "background"  # knowledge a course expects from outside the program
    ESTIMATED = "estimated"  # figures the sources do not publish
    OWN_PACE = "own_pace"  # workloads scaled by the learner's recorded pace
    PUBLISHED_HOURS = "published_hours"  # no pace recorded at an institution: hours as published
    # Answers to --finish-by.
    LEAST_PACE = "least_pace"  # the least pace that finishes by the date
    FINISH_SET = "finish_set"  # sessions or fixed courses set the finish, not the pace
    FINISHES_BY = "finishes_by"  # yes: the pace given finishes by the date
    # How the plan was made.
    SEARCH_CAPPED = "search_capped"  # the wall-clock cap stopped the exact search
    NO_ODDS = "no_odds"  # --risk, with nothing left to plan: no odds to give


class PlanWarning(Frozen):
    """One thing the plan must tell the learner: its kind, what it names, and the sentence.

    The fields a kind does not name stay empty; docs/planning.md lists which are set.
    """

    kind: WarningKind
    message: str  # the sentence, as `--verbose` prints it
    programs: tuple[str, ...] = ()
    courses: tuple[str, ...] = ()
    institutions: tuple[str, ...] = ()
    hours_per_week: float | None = None  # a course's rate, the plan's peak, or a pace
    budget_hours_per_week: float | None = None  # the learner's pace it is compared with
    start: date | None = None  # when the course or stretch it names starts
    end: date | None = None  # when it ends (or the date it answers for)
    ready: date | None = None  # when a course waiting for its session could start
    days: int | None = None  # how long it waits
    text: str | None = None  # words from the catalog or the selection: a choice, a requirement


class Plan(Frozen):
    """A dated study plan; `model_dump(mode="json")` is the `--format json` document."""

    programs: tuple[ProgramRef, ...]
    hours_per_week: float
    effort: Effort
    max_parallel: int
    start: date
    finish: date | None  # None when every course is already completed
    weeks: float
    total_hours: float
    courses: tuple[PlannedCourse, ...]
    hours_estimated: bool = False  # some hours in `total_hours` rest on estimated figures
    cost_usd: CostSummary
    lower_bound: LowerBound
    solver: SolverReport
    eligibility: Eligibility
    warnings: tuple[PlanWarning, ...] = ()
    critical_chain: tuple[str, ...] = ()
    what_if: tuple[WhatIf, ...] = ()
    breaks: tuple[Break, ...] = ()
    workload_scale: float = 1.0
    institution_scales: dict[str, float] = Field(default_factory=dict)
    # The heaviest stretch: the load summed over the courses in progress, when, and which.
    peak_hours_per_week: float = 0.0
    peak_start: date | None = None
    peak_end: date | None = None
    peak_courses: tuple[str, ...] = ()
    within_budget: bool = True  # the peak is at most `hours_per_week`
    risk: Risk | None = None  # the finish's odds, with `--risk`

    @model_serializer(mode="wrap")
    def _risk_when_asked(self, handler: SerializerFunctionWrapHandler) -> dict[str, Any]:
        """`risk` is there only when asked for (`--risk`): other plans dump as before."""
        data: dict[str, Any] = handler(self)
        if self.risk is None:
            data.pop("risk", None)
        return data

    @property
    def planned(self) -> tuple[PlannedCourse, ...]:
        """Courses with dates (planned or in progress)."""
        return tuple(c for c in self.courses if c.start is not None)

    def start_dates(self) -> dict[str, date]:
        """Each dated course's first day, by course id: a course under way's is the day the
        learner began it, which its payment deadline counts from."""
        return {c.id: c.started_on or c.start for c in self.courses if c.start is not None}

    def end_dates(self) -> dict[str, date]:
        """Each dated course's last study day, by course id."""
        return {c.id: c.end for c in self.courses if c.end is not None}
