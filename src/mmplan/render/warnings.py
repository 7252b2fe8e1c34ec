"""A plan's warnings for a person: grouped, deduplicated, at most a few lines.

The plan keeps every warning (JSON prints them all, `--verbose` too); by default a learner
sees one line per kind of thing to do or know: all overloads in one line, all background
knowledge in one pointer to `mmplan show`, all estimated figures counted in one line.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

DEFAULT_LIMIT = 6  # lines shown without --verbose, the last one saying what was left out
_NAMES_SHOWN = 4  # course names listed in a grouped line before "and N more"

_OVERLOAD = re.compile(
    r"^overload: (?P<id>\S+) runs at (?P<rate>[\d.]+) h/week, more than your "
    r"(?P<budget>[\d.]+) h/week, from (?P<first>\S+) to (?P<last>\S+); it is planned alone$"
)
_OVER_BUDGET = re.compile(r"^over budget: the plan needs ")
_UNKNOWN_SESSIONS = re.compile(r"^session dates unknown for (?P<ids>.+?): each is planned")
_WAIT = re.compile(
    r"^(?P<id>\S+) is ready on \S+ and waits (?P<days>\d+) days for its session starting \S+$"
)
_BACKGROUND = re.compile(r"^check the prerequisites? of (?P<ids>.+?): (?P<what>.+)$")
_ESTIMATED = re.compile(r"^estimated figures used: (?P<list>.+)$")
_ESTIMATED_ITEM = re.compile(r"(?P<id>\S+) \([^)]*\)")
_CHOSEN = re.compile(
    r"^(?P<program>\S+): chose (?P<choice>.+) for you; --track/--pick choose yourself$"
)
_SAME = re.compile(r"^(?P<id>\S+) is the same course as (?P<other>\S+): planned once$")
_ADDED = re.compile(r"^added (?P<id>\S+)(?: from \S+)?: it is a .+ and is not completed$")
_RECOMMENDED = re.compile(r"^following the recommended order: (?P<edges>.+) \(--ignore-recommended")


@dataclass
class _Group:
    """The warnings of one kind, and how to say them in one line."""

    pattern: re.Pattern[str]
    say: Callable[[list[re.Match[str]], Callable[[str], str]], str]
    found: list[re.Match[str]] = field(default_factory=list)


def _names(ids: Sequence[str], short: Callable[[str], str]) -> str:
    unique = list(dict.fromkeys(short(i) for i in ids))
    if len(unique) <= _NAMES_SHOWN:
        return ", ".join(unique)
    return ", ".join(unique[: _NAMES_SHOWN - 1]) + f" and {len(unique) - _NAMES_SHOWN + 1} more"


def _courses(count: int) -> str:
    return f"{count} course{'s' if count != 1 else ''}"


def _say_overloads(found: list[re.Match[str]], short: Callable[[str], str]) -> str:
    overloads = [m for m in found if m.re is _OVERLOAD]
    if not overloads:  # the plan's peak alone: its own line says it all
        return found[0].string
    found = overloads
    ids = [m["id"] for m in found]
    top = max(float(m["rate"]) for m in found)
    subject = f"{_courses(len(ids))} need" if len(ids) > 1 else f"{short(ids[0])} needs"
    tail = f" ({_names(ids, short)})" if len(ids) > 1 else ""
    first, last = min(m["first"] for m in found), max(m["last"] for m in found)
    return (
        f"overload: {subject} up to {top:g} h/week, more than your {found[0]['budget']} h/week"
        f"{tail}; {'each is' if len(ids) > 1 else 'it is'} planned alone, {first} to {last}"
    )


def _say_unknown_sessions(found: list[re.Match[str]], short: Callable[[str], str]) -> str:
    ids = [i for m in found for i in m["ids"].split(", ")]
    return (
        f"session dates unknown for {_courses(len(ids))} ({_names(ids, short)}): each starts "
        "when ready; check edX for the real sessions"
    )


def _say_waits(found: list[re.Match[str]], short: Callable[[str], str]) -> str:
    waits = [f"{short(m['id'])} {m['days']} days" for m in found]
    return f"waiting for a session: {_names(waits, str)}"


def _say_background(found: list[re.Match[str]], short: Callable[[str], str]) -> str:
    ids = [i for m in found for i in m["ids"].split(", ")]
    programs = list(dict.fromkeys(i.partition("/")[0] for i in ids))
    shows = " and ".join(f"mmplan show {p}" for p in programs)
    return f"before you start, check the background advised for {_names(ids, short)}: {shows}"


def _say_estimated(found: list[re.Match[str]], short: Callable[[str], str]) -> str:
    ids = [item["id"] for m in found for item in _ESTIMATED_ITEM.finditer(m["list"])]
    return (
        f"estimated figures (marked ~) for {_courses(len(ids))}: {_names(ids, short)}; "
        "the sources publish none"
    )


def _say_chosen(found: list[re.Match[str]], short: Callable[[str], str]) -> str:
    choices = [m["choice"] for m in found]
    return f"chose for you: {_names(choices, str)}; --track/--pick choose yourself"


def _say_same(found: list[re.Match[str]], short: Callable[[str], str]) -> str:
    pairs = [f"{m['id']} = {m['other']}" for m in found]
    return f"shared courses planned once: {_names(pairs, str)}"


def _say_added(found: list[re.Match[str]], short: Callable[[str], str]) -> str:
    ids = [m["id"] for m in found]
    return f"added {_courses(len(ids))} you need first and have not passed: {_names(ids, short)}"


def _say_recommended(found: list[re.Match[str]], short: Callable[[str], str]) -> str:
    firsts = [edge.split(" before ")[0] for m in found for edge in m["edges"].split("; ")]
    return (
        f"following the recommended order: {_names(firsts, short)} first "
        "(--ignore-recommended to drop it)"
    )


def warning_lines(
    warnings: Sequence[str],
    program_ids: Sequence[str],
    *,
    verbose: bool = False,
    limit: int = DEFAULT_LIMIT,
) -> list[str]:
    """The lines to print: every warning when `verbose`, else one line per kind, at most
    `limit` lines, the last saying how many were left out."""
    unique = list(dict.fromkeys(warnings))
    if verbose:
        return unique
    single = program_ids[0] + "/" if len(program_ids) == 1 else None

    def short(course_id: str) -> str:
        return course_id.removeprefix(single) if single else course_id

    # In the order a learner acts on them: what does not fit, then what to choose or check.
    overloads = _Group(_OVERLOAD, _say_overloads)
    groups = [
        overloads,
        _Group(_UNKNOWN_SESSIONS, _say_unknown_sessions),
        _Group(_WAIT, _say_waits),
        _Group(_CHOSEN, _say_chosen),
        _Group(_ADDED, _say_added),
        _Group(_SAME, _say_same),
        _Group(_BACKGROUND, _say_background),
        _Group(_ESTIMATED, _say_estimated),
        _Group(_RECOMMENDED, _say_recommended),
    ]
    others: list[str] = []
    for warning in unique:
        over_budget = _OVER_BUDGET.match(warning)
        if over_budget is not None:  # the same fact as the overloads: said in their line
            overloads.found.append(over_budget)
            continue
        for group in groups:
            match = group.pattern.match(warning)
            if match is not None:
                group.found.append(match)
                break
        else:
            others.append(warning)
    grouped = [group.say(group.found, short) for group in groups if group.found]
    # Warnings of a kind this module does not know are shown as they are, after overloads.
    lines = [*grouped[:1], *others, *grouped[1:]]
    if len(lines) > limit:
        left_out = len(lines) - (limit - 1)
        lines = [*lines[: limit - 1], f"and {left_out} more: --verbose lists every warning"]
    return lines
