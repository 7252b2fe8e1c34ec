"""The planner: selected courses -> a dated study plan that respects the learner's hours.

The package, stage by stage: `model` (the request and the `Plan`), `contents` (which
courses a plan holds), `problem` (the working form), `bounds` (earliest ends, latest
starts, the lower bound, the critical chain), `simulation` (one list-scheduling pass per
policy), `peak` (the heaviest load of a schedule), `standing` (credentials, courses behind
pace), `planner` (which assembles the `Plan` and its warnings), `finish_by` (which answers
`--finish-by`), `exact` (the exact pass), `study_days` (its days, breaks taken out),
`rules` (one module per scheduling rule: its own code for each pass, such as the study
calendar of `rules.breaks` and the capacity profile of `rules.hours`) and `verify` (an
independent check of a finished plan, sharing no code with the rules it checks).

Model
-----
Time is counted in whole days from the plan's start; a study day is any day outside the
learner's breaks. Capacity is the learner's `H` hours a week, kept in integer hundredths of
an hour so that sums are exact.

- A self-paced course has a workload of `weeks x rate x workload_scale` hours and gets a
  constant weekly allocation `a` for its whole span, so it lasts `ceil(7 x hours / a)` study
  days. The allocation is then trimmed to `ceil(7 x hours / days)` (to the hundredth), which
  still finishes in those days and leaves the rounding slack to other courses. A self-paced
  course spanning a break pauses: its end moves later by the break's study-free days.
- A fixed-schedule course (instructor-paced, or any course with listed `runs`) lasts exactly
  its published weeks (calendar days) at its published rate. With `runs` it starts only on a
  listed run date, waiting for the next one when it is ready between them. A run must not overlap a
  break when any listed run avoids the breaks; otherwise the earliest run is used and a
  warning says so. Without listed runs it may start on any day whose span avoids breaks. When
  every listed run has already begun by the time the course is ready, it is planned as if a
  new run started then, with a warning (and the credential is reported as blocked on it).
- On every day the allocations of the courses in progress add up to at most `H`, and at most
  `max_parallel` courses are in progress (a course paused by a break still holds its place).
  The only exception is a warned overload: an instructor-paced course whose rate alone is
  above `H` runs alone (the plan then reports its peak load and is not within budget). A
  fixed course whose every listed run collides with the fixed runs already placed is
  planned as if a new run started after its last listed one, on the first day it fits
  (warned; the credential waits on that run), so fixed runs never collide.
- A fixed-schedule course under way runs from the plan's start to its session's end; one
  whose session ended before the plan starts is taken again in a later session.

Algorithm: list scheduling by critical path, event driven
---------------------------------------------------------
1. Priorities: a backward pass from the prerequisite-chain bound gives each course its
   *latest start* (the last day it may start without pushing the chain bound out; an
   instructor-paced course must start on a listed run). Earlier latest starts go first; ties:
   the longer chain of days after the course (its *tail*), then prerequisite and catalog order.
   A second priority puts the deadlines of listed runs first (the prerequisites of a course
   that must make its earliest run), for programs with runs.
2. A capacity profile (a sorted step function of committed load and course count) records
   every commitment. Instructor-paced courses are inflexible, so each is committed as soon as
   its last prerequisite's end is known (courses tied to listed runs first): to the earliest
   allowed run (see the model above) whose whole span fits the remaining capacity and course slots.
   Under the lazy policies (step 4) a fixed course with no session dates at all is movable
   instead: it waits in the ready heap with the self-paced courses, by urgency, and starts
   when its whole span fits, so it cannot push a more urgent chain past its only early run.
   Under the *guarded* lazy policies, tried besides the plain ones, a fixed course waiting
   for a listed run also *holds* that run: a less urgent ready course does not start into
   the load or the slot the run needs, and when its day comes a fixed course leaves its run
   to a held one it would block if its own next run delays it less than the other's next
   run would delay the other, and its chain (run plus tail) still ends first. So chains make
   their earliest useful runs.
3. Self-paced courses enter a ready heap on the day after their last prerequisite ends. At
   every event (a course ends, a course becomes ready) the simulation starts ready courses in
   priority order while slots and capacity are free. A course whose span would collide with a
   later commitment either finishes before it at a higher allocation, runs beside it at what
   it leaves free, or waits for the commitment to pass when that finishes sooner (the only
   case in which the learner may be left idle: self-paced programs never are).
4. The share a new course gets depends on a *lane* count `k`: with `r` courses in progress,
   up to `k - r` new courses split the free capacity equally (in quarter hours). `k = 1` runs
   courses one after another at full pace (best for chains); larger `k` runs several side by
   side, which wastes less of the rounding to whole days when courses are short. The planner
   simulates `k = 1`, `2` and `max_parallel`. With listed runs (or fixed courses without
   dates) it also tries each priority,
   and a *lazy* variant that places fixed runs only when their day comes (so a run that
   becomes possible later is not blocked by one reserved early), plain and guarded (step 2).
   It keeps the plan whose
   fixed courses all take listed runs (none planned after its last because every one
   collided), then the one that finishes first; ties: the first tried. The
   what-if paces reuse the winning policy.

Every step works on heaps and the profile's breakpoints, never day by day, so a plan costs
O(n log n) for n courses (plus the few live commitments the profile holds at a time).

Lower bound and quality
-----------------------
Each plan reports a lower bound on its finish: the largest of (a) the longest prerequisite
chain with each course at its fastest feasible pace and earliest allowed run, (b) the day on
which all the work, at `H` hours every study day, could be done (self-paced work, plus the
load of fixed runs), and (c) the same for course
slots: each course holds a slot for at least its fastest study days, and only
`max_parallel` slots exist; (d) for each course, (b) and (c) for everything it needs, directly
or not, before its start (a fixed course then takes its next run), and for everything that
needs it after its end; (e) fixed courses too heavy to share a week, one after another. The
gap in days between the plan and the bound is reported; `optimal` means the gap is zero (then
no schedule under this model can finish earlier).

`--finish-by` bisects on the lower bound for the smallest pace that could make the date
(never below the rate of the most demanding fixed course, under which no plan is within
budget), then tries each half hour up from there (then bisects) until a plan makes it
within budget.
"""

from __future__ import annotations

from mmplan.core.defaults import next_monday
from mmplan.schedule.finish_by import plan_finishing_by
from mmplan.schedule.model import (
    FINISH_BY_STEP,
    FULL_TIME_HOURS_PER_WEEK,
    WHAT_IF_STEPS,
    Break,
    CostSummary,
    CourseState,
    Eligibility,
    InProgress,
    LowerBound,
    Plan,
    PlannedCourse,
    PlanRequest,
    PlanWarning,
    ProgramCredential,
    ProgramRef,
    WarningKind,
    WhatIf,
)
from mmplan.schedule.planner import plan_programs
from mmplan.schedule.simulation import PlanTooLongError

__all__ = [
    "FINISH_BY_STEP",
    "FULL_TIME_HOURS_PER_WEEK",
    "WHAT_IF_STEPS",
    "Break",
    "CostSummary",
    "CourseState",
    "Eligibility",
    "InProgress",
    "LowerBound",
    "Plan",
    "PlanRequest",
    "PlanTooLongError",
    "PlanWarning",
    "PlannedCourse",
    "ProgramCredential",
    "ProgramRef",
    "WarningKind",
    "WhatIf",
    "next_monday",
    "plan_finishing_by",
    "plan_programs",
]
