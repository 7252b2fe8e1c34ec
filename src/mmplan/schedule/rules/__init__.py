"""The scheduling rules, one module each.

A rule's module says, under the same headings, what the rule is and where each pass keeps
it, and holds the code that is the rule's own:

- Check: what is refused before planning, or warned when a plan has to bend the rule;
- List schedule: its effect on `simulation`;
- Lower bound: its argument in `bounds` (the bound must stay a bound);
- Exact model: its CP-SAT constraint in `exact`;
- Verify: the independent check of a finished plan in `verify`, which shares no code with it.

A rule that only adds what a course waits for (`after_all`) or where it may start
(`windows`) changes the jobs (`problem.Job`) and needs no code in the three passes, which
keep prerequisites and sessions already. `RULES` lists them all; tests/test_rules.py checks
each module has the headings and a check of the same name in `verify`. CONTRIBUTING.md has
the recipe for a new one.
"""

from __future__ import annotations

from types import ModuleType

from mmplan.schedule.rules import (
    after_all,
    breaks,
    hours,
    pauses,
    prerequisites,
    sessions,
    slots,
    windows,
)

RULES: tuple[ModuleType, ...] = (
    prerequisites,
    after_all,
    sessions,
    windows,
    breaks,
    hours,
    slots,
    pauses,
)
