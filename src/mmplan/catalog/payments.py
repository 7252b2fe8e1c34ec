"""When a course's verified certificate must be paid: one rule for every output.

A course's own `upgrade_deadline` wins, then its program's, then its platform's (the catalog's
`platforms`); with none, payment is counted at the course start. `mmplan cost --by-month`,
`plan`'s Next line and warnings, and the HTML page all ask `pay_by` or `deadline_rule`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from mmplan.catalog.model import Catalog, UpgradeDeadline


@dataclass(frozen=True)
class DeadlineRule:
    """A course's payment rule and whose it is: `course`, `program` or `platform NAME`."""

    deadline: UpgradeDeadline
    set_by: str

    def __str__(self) -> str:
        mark = "~" if self.deadline.estimated else ""
        return f"{mark}pay by {self.deadline} ({self.set_by} rule)"


def deadline_rule(catalog: Catalog, identifier: str) -> DeadlineRule | None:
    """The payment rule of course `program-id/CODE`; None when nothing in the catalog sets one."""
    program_id, _, code = identifier.partition("/")
    program = catalog.program(program_id)
    course = program.course(code)
    if course.upgrade_deadline is not None:
        return DeadlineRule(course.upgrade_deadline, "course")
    if program.upgrade_deadline is not None:
        return DeadlineRule(program.upgrade_deadline, "program")
    platform = catalog.platform(program.platform)
    if platform is not None and platform.deadline is not None:
        return DeadlineRule(platform.deadline, f"platform {platform.name}")
    return None


def pay_by(catalog: Catalog, identifier: str, start: date, end: date) -> date | None:
    """The last day to pay for a course run from `start` to `end`; None without a rule."""
    rule = deadline_rule(catalog, identifier)
    return None if rule is None else rule.deadline.due(start, end)
