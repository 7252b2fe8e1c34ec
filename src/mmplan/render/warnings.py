"""A plan's warnings for a person: grouped, deduplicated, at most a few lines.

The plan keeps every warning (JSON prints them all, `--verbose` too); by default a learner
sees one line per kind of thing to do or know: all overloads in one line, all background
knowledge in one pointer to `mmplan show`, all estimated figures counted in one line. Lines
are built from each warning's kind and fields, never from its sentence.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date

from mmplan.schedule import PlanWarning, WarningKind

DEFAULT_LIMIT = 6  # lines shown without --verbose, the last one saying what was left out
_NAMES_SHOWN = 4  # course names listed in a grouped line before "and N more"

Shorten = Callable[[str], str]  # a course id as the line names it


def _names(ids: Sequence[str], short: Shorten) -> str:
    unique = list(dict.fromkeys(short(i) for i in ids))
    if len(unique) <= _NAMES_SHOWN:
        return ", ".join(unique)
    return ", ".join(unique[: _NAMES_SHOWN - 1]) + f" and {len(unique) - _NAMES_SHOWN + 1} more"


def _courses(count: int) -> str:
    return f"{count} course{'s' if count != 1 else ''}"


def _all_courses(found: list[PlanWarning]) -> list[str]:
    return [course for warning in found for course in warning.courses]


def _say_overloads(found: list[PlanWarning], short: Shorten) -> str:
    overloads = [w for w in found if w.kind is WarningKind.OVER_PACE]
    if not overloads:  # the plan's peak alone: its own line says it all
        return found[0].message
    ids = _all_courses(overloads)
    top = max(w.hours_per_week or 0.0 for w in overloads)
    budget = overloads[0].budget_hours_per_week or 0.0
    subject = f"{_courses(len(ids))} need" if len(ids) > 1 else f"{short(ids[0])} needs"
    tail = f" ({_names(ids, short)})" if len(ids) > 1 else ""
    first = min(w.start or date.max for w in overloads)
    last = max(w.end or date.min for w in overloads)
    return (
        f"overload: {subject} up to {top:g} h/week, more than your {budget:g} h/week"
        f"{tail}; {'each is' if len(ids) > 1 else 'it is'} planned alone, {first} to {last}"
    )


def _say_unknown_sessions(found: list[PlanWarning], short: Shorten) -> str:
    ids = _all_courses(found)
    return (
        f"session dates unknown for {_courses(len(ids))} ({_names(ids, short)}): each starts "
        "when ready; check edX for the real sessions"
    )


def _say_waits(found: list[PlanWarning], short: Shorten) -> str:
    waits = [f"{short(w.courses[0])} {w.days} day{'s' if w.days != 1 else ''}" for w in found]
    return f"waiting for a session with nothing else to study: {_names(waits, str)}"


def _say_background(found: list[PlanWarning], short: Shorten) -> str:
    ids = _all_courses(found)
    programs = list(dict.fromkeys(i.partition("/")[0] for i in ids))
    shows = " and ".join(f"mmplan show {p}" for p in programs)
    return f"before you start, check the background advised for {_names(ids, short)}: {shows}"


def _say_estimated(found: list[PlanWarning], short: Shorten) -> str:
    ids = _all_courses(found)
    return (
        f"estimated figures (marked ~) for {_courses(len(ids))}: {_names(ids, short)}; "
        "the sources give no exact figure"
    )


def _say_chosen(found: list[PlanWarning], short: Shorten) -> str:
    choices = [w.text or "" for w in found]
    return f"chose for you: {_names(choices, str)}; --track/--pick choose yourself"


def _say_same(found: list[PlanWarning], short: Shorten) -> str:
    pairs = [f"{w.courses[0]} = {w.courses[1]}" for w in found]
    return f"shared courses planned once: {_names(pairs, str)}"


def _say_added(found: list[PlanWarning], short: Shorten) -> str:
    ids = _all_courses(found)
    return f"added {_courses(len(ids))} you need first and have not passed: {_names(ids, short)}"


def _say_recommended(found: list[PlanWarning], short: Shorten) -> str:
    """Each course taken first with the courses it goes before: "DSE200x first" alone read
    as "first of all", beside a plan that starts with another course."""
    edges = [f"{short(w.courses[0])} before {_names(w.courses[1:], short)}" for w in found]
    shown = "; ".join(edges[:_NAMES_SHOWN])
    if len(edges) > _NAMES_SHOWN:
        shown += f" and {len(edges) - _NAMES_SHOWN} more"
    return f"following the recommended order: {shown} (--ignore-recommended to drop it)"


def _say_payments(found: list[PlanWarning], short: Shorten) -> str:
    passed = [w for w in found if (w.days or 0) < 0]
    soon = [f"{short(w.courses[0])} by {w.end}" for w in found if (w.days or 0) >= 0]
    parts = [f"pay soon: {_names(soon, str)}"] if soon else []
    if passed:
        late = [f"{short(w.courses[0])} ({w.end})" for w in passed]
        parts.append(
            f"payment deadline passed for {_names(late, str)}, under way: pay now if the "
            "course allows it, or take it again later"
        )
    return "; ".join(parts)


def _say_status_unknown(found: list[PlanWarning], short: Shorten) -> str:
    programs = [program for w in found for program in w.programs]
    return (
        f"may no longer be offered: {_names(programs, str)} (status unknown; "
        "check the program's page before you pay)"
    )


# One line for each of these kinds, however many warnings it has. Other kinds are shown as
# they are, one line each.
_GROUPED: dict[WarningKind, Callable[[list[PlanWarning], Shorten], str]] = {
    WarningKind.OVER_PACE: _say_overloads,
    WarningKind.UNKNOWN_SESSIONS: _say_unknown_sessions,
    WarningKind.SESSION_WAIT: _say_waits,
    WarningKind.CHOSEN_FOR_YOU: _say_chosen,
    WarningKind.ADDED_PREREQUISITE: _say_added,
    WarningKind.SAME_COURSE: _say_same,
    WarningKind.BACKGROUND: _say_background,
    WarningKind.ESTIMATED: _say_estimated,
    WarningKind.RECOMMENDED_ORDER: _say_recommended,
    WarningKind.PAYMENT_DEADLINE: _say_payments,
    WarningKind.STATUS_UNKNOWN: _say_status_unknown,
}
# The plan's peak is the same fact as its overloads: said in their line.
_SAID_WITH = {WarningKind.OVER_BUDGET: WarningKind.OVER_PACE}

# The order of the lines, most pressing first, so the ones a long list leaves out are the
# least pressing: the answer to --finish-by; what does not fit the learner's hours or the
# sessions; when sessions run; which courses were chosen or added; what to know before
# starting. Lines of one kind keep the order the planner gave them.
ORDER: tuple[WarningKind, ...] = (
    WarningKind.STATUS_UNKNOWN,
    WarningKind.PAYMENT_DEADLINE,
    WarningKind.LEAST_PACE,
    WarningKind.FINISH_SET,
    WarningKind.FINISHES_BY,
    WarningKind.SEARCH_CAPPED,
    WarningKind.NO_ODDS,
    WarningKind.OVER_PACE,
    WarningKind.FULL_TIME,
    WarningKind.COLLISION,
    WarningKind.NO_RUN,
    WarningKind.RUN_IN_BREAK,
    WarningKind.BREAK_COST,
    WarningKind.SESSION_ENDED,
    WarningKind.BEHIND_PACE,
    WarningKind.UNKNOWN_SESSIONS,
    WarningKind.SESSION_WAIT,
    WarningKind.CHOSEN_FOR_YOU,
    WarningKind.ADDED_PREREQUISITE,
    WarningKind.SAME_COURSE,
    WarningKind.BACKGROUND,
    WarningKind.ESTIMATED,
    WarningKind.OWN_PACE,
    WarningKind.PUBLISHED_HOURS,
    WarningKind.RECOMMENDED_ORDER,
    WarningKind.RECOMMENDED_ORDER_DROPPED,
)
_RANK = {kind: rank for rank, kind in enumerate(ORDER)}


def warning_lines(
    warnings: Sequence[PlanWarning],
    program_ids: Sequence[str],
    *,
    verbose: bool = False,
    limit: int = DEFAULT_LIMIT,
) -> list[str]:
    """The lines to print: every warning when `verbose` (as the plan lists them), else one
    line per grouped kind and one per other warning, in `ORDER`, at most `limit` lines, the
    last saying how many were left out."""
    unique = list(dict.fromkeys(warnings))
    if verbose:
        return [warning.message for warning in unique]
    single = program_ids[0] + "/" if len(program_ids) == 1 else None

    def short(course_id: str) -> str:
        return course_id.removeprefix(single) if single else course_id

    found: dict[WarningKind, list[PlanWarning]] = {kind: [] for kind in _GROUPED}
    ranked: list[tuple[int, int, str]] = []  # (rank of the kind, position in the plan, line)
    for position, warning in enumerate(unique):
        kind = _SAID_WITH.get(warning.kind, warning.kind)
        if kind in found:
            found[kind].append(warning)
        else:
            ranked.append((_RANK[kind], position, warning.message))
    ranked += [
        (_RANK[kind], 0, say(found[kind], short)) for kind, say in _GROUPED.items() if found[kind]
    ]
    lines = [line for _, _, line in sorted(ranked, key=lambda entry: entry[:2])]
    if len(lines) > limit:
        left_out = len(lines) - (limit - 1)
        lines = [*lines[: limit - 1], f"and {left_out} more: --verbose lists every warning"]
    return lines
