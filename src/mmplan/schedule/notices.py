"""What a catalog's rules tell a finished plan: when to pay, and programs that may be gone.

Each planned or started course gets its `pay_by` day from its payment rule
(`mmplan.catalog.payments`). The plan warns when a payment falls within
`PAYMENT_NOTICE_DAYS` of its start (today, unless the learner gave --start), or has
passed for a course under way, and when a program's status is `unknown`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, timedelta

from mmplan.catalog.model import Catalog, Program, ProgramStatus
from mmplan.catalog.payments import pay_by
from mmplan.schedule.model import Plan, PlannedCourse, PlanRequest, PlanWarning, WarningKind

PAYMENT_NOTICE_DAYS = 30


def with_notices(
    catalog: Catalog, programs: Sequence[Program], request: PlanRequest, plan: Plan
) -> Plan:
    """`plan` with each course's `pay_by` day and the warnings they and the programs call for."""
    started = {course.course_id: course.started for course in request.in_progress}
    courses = tuple(_with_pay_by(catalog, course, started) for course in plan.courses)
    notices = [*_status_warnings(programs), *_payment_warnings(courses, request.start)]
    if not notices and courses == plan.courses:
        return plan
    return plan.model_copy(
        update={"courses": courses, "warnings": tuple(dict.fromkeys((*plan.warnings, *notices)))}
    )


def _with_pay_by(
    catalog: Catalog, course: PlannedCourse, started: Mapping[str, date]
) -> PlannedCourse:
    if course.status == "completed" or course.start is None or course.end is None:
        return course
    first_day = course.start
    if course.status == "in_progress":
        first_day = started.get(course.id, course.start)
    due = pay_by(catalog, course.id, first_day, course.end)
    return course if due is None else course.model_copy(update={"pay_by": due})


def _payment_warnings(courses: Sequence[PlannedCourse], today: date) -> list[PlanWarning]:
    soon = today + timedelta(days=PAYMENT_NOTICE_DAYS)
    found = []
    for course in courses:
        if course.pay_by is None:
            continue
        if course.status == "in_progress" and course.pay_by < today:
            message = (
                f"the payment deadline of {course.id} (under way) passed on {course.pay_by}: "
                "pay now if the course still allows it, or plan it again for a later session"
            )
        elif today <= course.pay_by <= soon:
            days = (course.pay_by - today).days
            message = f"pay for {course.id} by {course.pay_by} ({days} days from {today})"
        else:
            continue
        found.append(
            PlanWarning(
                kind=WarningKind.PAYMENT_DEADLINE,
                message=message,
                courses=(course.id,),
                start=course.start,
                end=course.pay_by,
                days=(course.pay_by - today).days,
            )
        )
    return found


def _status_warnings(programs: Sequence[Program]) -> list[PlanWarning]:
    return [
        PlanWarning(
            kind=WarningKind.STATUS_UNKNOWN,
            message=f"{program.id} may no longer be offered (status unknown: "
            f"{program.status_note or 'no note'})",
            programs=(program.id,),
            text=program.status_note,
        )
        for program in programs
        if program.status is ProgramStatus.UNKNOWN
    ]
