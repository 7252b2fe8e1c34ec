"""`plan --format ics`: the plan as an iCalendar file."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

from mmplan.render.formatting import DASH, day, hours, number

if TYPE_CHECKING:
    from mmplan.schedule import Plan


def plan_ics(plan: Plan) -> str:
    """An iCalendar file: one all-day event per segment of each dated course (one, unless the
    course pauses or changes pace), each with a stable UID."""
    from icalendar import Calendar, Event

    calendar = Calendar()
    calendar.add("prodid", "-//mmplan//study plan//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", "Study plan: " + ", ".join(p.id for p in plan.programs))
    # A fixed stamp keeps the file byte-identical for the same plan.
    stamp = datetime(plan.start.year, plan.start.month, plan.start.day, tzinfo=UTC)
    for course in plan.planned:
        parts = len(course.segments)
        for number_of, segment in enumerate(course.segments, start=1):
            # The first segment keeps the course's UID, so a calendar that imported a plan
            # without pauses updates that event; later segments add their number.
            event = Event()
            event.add("uid", f"{course.id}{'' if number_of == 1 else f'#{number_of}'}@mmplan")
            event.add("dtstamp", stamp)
            event.add("dtstart", segment.start)
            event.add("dtend", segment.end + timedelta(days=1))
            part = f" (part {number_of} of {parts})" if parts > 1 else ""
            event.add("summary", f"{course.code}: {course.title}{part}")
            in_all = " in all;" if parts > 1 else " at"
            event.add(
                "description",
                f"{course.id} ({course.reason}): {hours(course.hours)} h{in_all} "
                f"{number(segment.hours_per_week)} h/week, "
                f"{day(segment.start)}{DASH}{day(segment.end)}",
            )
            event.add("transp", "TRANSPARENT")
            calendar.add_component(event)
    return str(calendar.to_ical().decode("utf-8"))
