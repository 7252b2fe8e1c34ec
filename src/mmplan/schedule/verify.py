"""An independent check of a finished plan: every scheduling rule, recomputed from the
catalog and the request with plain dates.

It shares no code with the planner's rules (only the request and result models and the
catalog): a plan that breaks a rule is caught even when the list schedule, the lower bound
and the exact model agree on the same mistake. The test suite runs it on every plan it
makes (tests/conftest.py); warned exceptions (an overload, a run in a break, no run left)
excuse exactly the rule they name.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from itertools import pairwise

from mmplan.catalog.graph import prerequisite_ids, same_course_ids
from mmplan.catalog.model import Catalog, Course, session_start_in
from mmplan.schedule.model import Plan, PlannedCourse, PlanRequest, WarningKind

HOURS_SLACK = 0.005 + 1e-9  # hours are shown to the hundredth
_OVERLOADS = (WarningKind.OVER_PACE, WarningKind.BEHIND_PACE)
# A course planned after its last listed run: none was left, or every one collided.
_PAST_RUNS = (WarningKind.NO_RUN, WarningKind.COLLISION)


@dataclass(frozen=True)
class Violation:
    """One rule a plan breaks: which rule, the course it is about, and what is wrong."""

    rule: str
    course: str
    message: str

    def __str__(self) -> str:
        return f"{self.rule}: {self.course}: {self.message}"


class _Days:
    """The learner's breaks, as plain dates."""

    def __init__(self, plan: Plan) -> None:
        self.breaks = sorted((b.start, b.end) for b in plan.breaks)

    def in_break(self, day: date) -> bool:
        return any(first <= day <= last for first, last in self.breaks)

    def next_study_day(self, day: date) -> date:
        """`day`, or the first day after the break it falls in."""
        while self.in_break(day):
            day += timedelta(days=1)
        return day

    def overlaps_break(self, first: date, last: date) -> bool:
        return any(b_first <= last and first <= b_last for b_first, b_last in self.breaks)

    def study_days(self, first: date, last: date) -> int:
        """Days of [first, last] outside every break."""
        taken: set[date] = set()
        for b_first, b_last in self.breaks:
            day, end = max(first, b_first), min(last, b_last)
            while day <= end:
                taken.add(day)
                day += timedelta(days=1)
        return (last - first).days + 1 - len(taken)


class _Verifier:
    """The checks of one plan; `violations` collects what they find."""

    def __init__(self, catalog: Catalog, request: PlanRequest, plan: Plan) -> None:
        self.catalog, self.request, self.plan = catalog, request, plan
        self.days = _Days(plan)
        self.violations: list[Violation] = []
        self.by_id = {c.id: c for c in plan.courses}
        same = same_course_ids(catalog)
        self.planned_as: dict[str, str] = {}  # every id of a course in the plan -> its plan id
        self.aliases: dict[str, tuple[str, ...]] = {}  # a plan id -> every id of its course
        for planned in plan.courses:
            self.aliases[planned.id] = same.get(planned.id, (planned.id,))
            for alias in self.aliases[planned.id]:
                self.planned_as[alias] = planned.id
        completed = {self.planned_as.get(c, c) for c in request.completed}
        self.started = {
            self.planned_as.get(r.course_id, r.course_id) for r in request.in_progress
        } - completed
        self.percent = {  # the first record of a course wins, as in the planner
            cid: r.percent_done
            for r in reversed(request.in_progress)
            if (cid := self.planned_as.get(r.course_id, r.course_id)) in self.started
        }
        self.excused = {
            kind: {cid for w in plan.warnings if w.kind is kind for cid in w.courses}
            for kind in WarningKind
        }

    def fail(self, rule: str, course: str, message: str) -> None:
        self.violations.append(Violation(rule, course, message))

    def course(self, planned: PlannedCourse) -> Course:
        return self.catalog.program(planned.program).course(planned.code)

    def rate(self, planned: PlannedCourse) -> float:
        """The course's weekly hours at the plan's effort and the learner's own pace."""
        institution = self.catalog.program(planned.program).institution
        scale = self.plan.institution_scales.get(institution, self.plan.workload_scale)
        return self.course(planned).hours_per_week.at(self.plan.effort) * scale

    def to_plan(self, ids: Iterable[str]) -> list[PlannedCourse]:
        """The plan's courses standing for these catalog ids (each once)."""
        found = dict.fromkeys(self.planned_as[i] for i in ids if i in self.planned_as)
        return [self.by_id[cid] for cid in found]

    # ------------------------------------------------------------------ the rules

    def dates(self) -> None:
        """Dated courses lie on or after the start; the finish is the last end, and the lower
        bound is on or before it, the gap and `optimal` as it says."""
        plan = self.plan
        ends = []
        if len(self.by_id) != len(plan.courses):
            self.fail("dates", "-", "a course is listed twice")
        for c in plan.courses:
            if c.status == "completed":
                if c.start is not None or c.end is not None:
                    self.fail("dates", c.id, "a completed course has dates")
                continue
            if c.start is None or c.end is None:
                self.fail("dates", c.id, "a course to do has no dates")
                continue
            if not plan.start <= c.start <= c.end:
                self.fail("dates", c.id, f"{c.start}..{c.end} is not within the plan")
            ends.append(c.end)
        if plan.finish != max(ends, default=None):
            self.fail("dates", "-", f"the finish {plan.finish} is not the last course's end")
        bound = plan.lower_bound
        if plan.finish is not None and bound.finish is not None:
            gap = (plan.finish - bound.finish).days
            if gap < 0 or (gap, gap == 0) != (bound.gap_days, bound.optimal):
                self.fail("dates", "-", f"the bound {bound.finish} does not bound the finish")

    def segments(self) -> None:
        """Segments follow each other, span the course, and give its peak allocation."""
        for c in self.plan.planned:
            segments = c.segments
            if not segments or (segments[0].start, segments[-1].end) != (c.start, c.end):
                self.fail("segments", c.id, "its segments do not span the course")
                continue
            if any(a.end >= b.start or a.start > a.end for a, b in pairwise(segments)):
                self.fail("segments", c.id, "its segments overlap or run backwards")
            if c.hours_per_week != max(s.hours_per_week for s in segments):
                self.fail("segments", c.id, "its weekly hours are not its segments' peak")
            if self.course(c).fixed_schedule and len(segments) != 1:
                self.fail("segments", c.id, "a fixed-schedule course pauses")

    def hours(self) -> None:
        """Each course's hours are its catalog workload, and its segments do them."""
        plan = self.plan
        total = sum(c.hours for c in plan.planned)
        if abs(plan.total_hours - total) > 0.01 + 1e-9 * total:
            self.fail("hours", "-", f"total {plan.total_hours} h, courses {total:.2f} h")
        for c in plan.planned:
            assert c.start is not None
            assert c.end is not None
            rate, course = self.rate(c), self.course(c)
            if c.id not in self.started and abs(c.hours - round(course.weeks * rate, 2)) > 1e-9:
                self.fail("hours", c.id, f"{c.hours} h, the catalog says {course.weeks * rate:g}")
            if not course.fixed_schedule:
                done = sum(
                    s.hours_per_week * self.days.study_days(s.start, s.end) / 7 for s in c.segments
                )
                if done < c.hours - HOURS_SLACK:
                    self.fail("hours", c.id, f"its segments do {done:.3f} of {c.hours} h")
                continue
            if c.status == "in_progress":  # what is left, spread over the session's last days
                left = course.weeks * rate * (1 - self.percent[c.id] / 100)
                if abs(c.hours - round(left, 2)) > 1e-9:
                    self.fail("hours", c.id, f"{c.hours} h left, the record says {left:g}")
                rate = math.ceil(70 * left / ((c.end - c.start).days + 1) - 1e-9) / 10
            if abs((c.hours_per_week or 0) - max(1, round(rate * 100)) / 100) > 1e-9:
                self.fail("hours", c.id, f"runs at {c.hours_per_week} h/week, not {rate:g}")
            if c.id not in self.started:
                length = max(1, math.ceil(course.weeks * 7 - 1e-9))
                if (c.end - c.start).days + 1 != length:
                    days = (c.end - c.start).days + 1
                    self.fail("hours", c.id, f"lasts {days} days, not {length}")

    def session_days(self, course: Course, near: date) -> list[date]:
        """The course's session starts around `near`: its listed runs, and each yearly start
        after the last of them."""
        days = list(course.runs)
        for month_day in course.session_starts:
            for year in range(near.year - 1, near.year + 1):
                day = session_start_in(month_day, year)
                if not course.runs or day > max(course.runs):
                    days.append(day)
        return days

    def sessions(self) -> None:
        """A fixed course with session dates starts on one, or inside the window one opens
        (the whole course in it), unless it was warned that none was left or that every
        listed one collided: then it starts after its last listed run."""
        for c in self.plan.planned:
            course = self.course(c)
            if c.id in self.started or not (course.runs or course.session_starts):
                continue
            if c.start is None:
                continue
            if any(c.id in self.excused[kind] for kind in _PAST_RUNS):
                if course.runs and c.start <= max(course.runs):
                    self.fail("sessions", c.id, f"starts {c.start}, not after its last run")
                continue
            length = max(1, math.ceil(course.weeks * 7 - 1e-9))
            late = timedelta(days=max((course.window_days or 1) - length, 0))
            opened = self.session_days(course, c.start)
            if not any(day <= c.start <= day + late for day in opened):
                where = "in a window" if course.window_days else "on a session date"
                self.fail("sessions", c.id, f"starts {c.start}, not {where}")

    def after_all(self) -> None:
        """A course marked after_all starts after every other course of its program in the
        plan ends (not its program's other after_all courses)."""
        for ref in self.plan.programs:
            program = self.catalog.program(ref.id)
            held = [
                (self.by_id[self.planned_as[f"{program.id}/{course.code}"]], course.after_all)
                for course in program.courses
                if f"{program.id}/{course.code}" in self.planned_as
            ]
            last = {c.id for c, after_all in held if after_all}
            for c, after_all in held:
                if not after_all or c.id in self.started or c.start is None:
                    continue
                for other, _ in held:
                    if other.id in last or other.status == "completed":
                        continue
                    if other.end is None or other.end >= c.start:
                        self.fail("after_all", c.id, f"starts {c.start}, before {other.id} ends")

    def breaks(self) -> None:
        """No course starts or ends in a break; a fixed course runs clear of every break,
        unless each of its runs overlaps one (warned)."""
        excused = self.excused[WarningKind.RUN_IN_BREAK]
        for c in self.plan.planned:
            assert c.start is not None
            assert c.end is not None
            if c.id in self.started:
                continue
            if not self.course(c).fixed_schedule:
                for s in c.segments:
                    if self.days.in_break(s.start) or self.days.in_break(s.end):
                        self.fail("breaks", c.id, f"a segment {s.start}..{s.end} meets a break")
                continue
            if c.id not in excused and self.days.overlaps_break(c.start, c.end):
                self.fail("breaks", c.id, f"{c.start}..{c.end} overlaps a break")

    def budget_and_slots(self) -> None:
        """On every day the allocations add up to at most the pace and at most
        `max_parallel` courses are in progress (a paused course keeps its place), but where a
        warned overload runs; the plan's peak figures are the truth."""
        plan = self.plan
        overloaded = {cid for kind in _OVERLOADS for cid in self.excused[kind]}
        changes: dict[date, list[int]] = {}  # day -> [load, courses, overloaded courses]

        def change(day: date, load: int, count: int, over: int) -> None:
            entry = changes.setdefault(day, [0, 0, 0])
            entry[0] += load
            entry[1] += count
            entry[2] += over

        for c in plan.planned:
            assert c.start is not None
            assert c.end is not None
            over = int(c.id in overloaded)
            change(c.start, 0, 1, over)
            change(c.end + timedelta(days=1), 0, -1, -over)
            for s in c.segments:
                change(s.start, round(s.hours_per_week * 100), 0, 0)
                change(s.end + timedelta(days=1), -round(s.hours_per_week * 100), 0, 0)
        capacity = round(plan.hours_per_week * 100)
        load = count = over = peak = 0
        for day in sorted(changes):
            delta = changes[day]
            load, count, over = load + delta[0], count + delta[1], over + delta[2]
            peak = max(peak, load)
            if over:
                continue
            if load > capacity:
                self.fail("budget", "-", f"{load / 100:g} h/week on {day}, above the pace")
            if count > plan.max_parallel:
                self.fail("slots", "-", f"{count} courses at once on {day}")
        if abs(plan.peak_hours_per_week - peak / 100) > 1e-9:
            self.fail("budget", "-", f"peak {plan.peak_hours_per_week}, really {peak / 100:g}")
        if plan.within_budget != (peak <= capacity):
            self.fail("budget", "-", "within_budget does not tell the truth")

    def pauses(self) -> None:
        """A course pauses or changes pace only where a fixed course starts or ends."""
        edges: set[date] = set()
        for c in self.plan.planned:
            if self.course(c).fixed_schedule and c.start is not None and c.end is not None:
                edges.update((c.start, self.days.next_study_day(c.end + timedelta(days=1))))
        for c in self.plan.planned:
            for before, after in pairwise(c.segments):
                resumes = self.days.next_study_day(before.end + timedelta(days=1))
                if resumes not in edges or after.start not in edges:
                    where = f"{before.end}..{after.start}"
                    self.fail("pauses", c.id, f"pauses {where}, not at a fixed course's edge")

    def prerequisites(self) -> None:
        """A course starts after its prerequisites end (and, when the plan follows it, after
        the courses recommended first that the plan holds); a course under way needs nothing."""
        follows = self.request.follow_recommended and not self.excused_kind(
            WarningKind.RECOMMENDED_ORDER_DROPPED
        )
        for c in self.plan.planned:
            if c.id in self.started:
                continue
            before = self.needs(c, recommended=follows)
            for p in self.to_plan(before):
                if p.id == c.id or p.status == "completed":
                    continue
                if p.end is None or c.start is None or p.end >= c.start:
                    self.fail("prerequisites", c.id, f"starts {c.start}, before {p.id} ends")

    def needs(self, c: PlannedCourse, *, recommended: bool) -> list[str]:
        """Catalog ids of what course `c` (under any of its ids) needs first."""
        ids: list[str] = []
        for alias in self.aliases[c.id]:
            program_id, _, code = alias.partition("/")
            program = self.catalog.program(program_id)
            course = program.course(code)
            ids.extend(prerequisite_ids(program, course.prerequisites))
            if recommended:
                ids.extend(prerequisite_ids(program, course.recommended))
        return ids

    def excused_kind(self, kind: WarningKind) -> bool:
        return any(w.kind is kind for w in self.plan.warnings)


def verify_plan(catalog: Catalog, request: PlanRequest, plan: Plan) -> list[Violation]:
    """Every rule `plan` breaks (empty when it keeps them all); `request` is what was asked
    (its pace may differ from the plan's, as for `--finish-by`)."""
    verifier = _Verifier(catalog, request, plan)
    verifier.dates()
    verifier.segments()
    verifier.hours()
    verifier.sessions()
    verifier.breaks()
    verifier.budget_and_slots()
    verifier.pauses()
    verifier.after_all()
    verifier.prerequisites()
    return verifier.violations
