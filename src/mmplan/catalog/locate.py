"""Catalog problems located: a place in the data (`loc`) becomes FILE:LINE:COL and a path.

Problems are found on parsed data, where a place is a pydantic-style `loc` tuple
(`("programs", 3, "courses", 1, "weeks")`). Only when a file has problems is its text
composed again into YAML nodes (`yaml_nodes.NodeTree`) and each `loc` walked down them to
its line, column and readable path (`programs[mitx-scm].courses[CTL.SC0x].weeks`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, fields, is_dataclass
from datetime import date
from typing import TYPE_CHECKING, Any, get_args, get_type_hints

from mmplan.catalog.lookup import did_you_mean
from mmplan.catalog.model import Catalog
from mmplan.core.errors import Problem, escaped, shown
from mmplan.core.limits import CODE_PATTERN, DATE_RANGE_TEXT, SLUG_PATTERN

if TYPE_CHECKING:
    from mmplan.catalog.yaml_nodes import Step, YamlProblem

Loc = tuple[str | int, ...]

# List items named by one of their keys in problem paths; other items by position.
_ITEM_LABEL_KEYS = {"programs": "id", "courses": "code"}
_FRIENDLY_PATTERNS = {
    SLUG_PATTERN: "must be lowercase letters and digits in words joined by "
    "single hyphens, like 'mitx-scm'",
    CODE_PATTERN: "must be letters, digits and '. _ + -', starting with a letter or digit, "
    "like 'CTL.SC0x'",
}


def yaml_problem(problem: YamlProblem, data: bytes, source_name: str) -> Problem:
    """A YAML-level problem; its path too when the text composed (bad tags, dates, aliases)."""
    from mmplan.catalog.yaml_nodes import NodeTree

    path = ""
    if problem.line and problem.composed:
        tree = NodeTree(data)
        path = display_path(tree.walk(tree.loc_at(problem.line, problem.column)))
    message = escaped(problem.message)
    return Problem(source_name, problem.line, problem.column, escaped(path), message)


@dataclass(frozen=True)
class Issue:
    """A problem before it has a line: where in the data (`loc`), and what.

    `key`: the problem is the key of that name in the mapping at `loc` (unknown keys).
    `place`: an explicit (line, column) already known (duplicate keys).
    `first`: where the earlier twin of a duplicate is, shown as "first at line N".
    `other`: where a conflicting value of the same file is, shown as "(FILE:LINE)".
    """

    loc: Loc
    message: str
    key: str | None = None
    place: tuple[int, int] | None = None
    first: Loc | None = None
    other: Loc | None = None
    note: str = ""  # added after the message (where a named program comes from)


def echo_of_items(error: Any) -> bool:
    """Pydantic adds "at least 1 item" when every item of a non-empty list failed: noise."""
    if error["type"] != "too_short":
        return False
    minimum = (error.get("ctx") or {}).get("min_length", 0)
    given = error.get("input")
    return isinstance(given, list | tuple) and len(given) >= minimum


def schema_issue(error: Any) -> Issue:
    """A pydantic error as an issue with a message for people."""
    loc = tuple(error["loc"])
    kind = error["type"]
    if kind == "missing":
        return Issue(loc[:-1], f"missing required key '{loc[-1]}'")
    if kind == "unexpected_keyword_argument":  # a key that is no field
        key = str(loc[-1])
        suggestion = did_you_mean(key, _keys_of(_class_at(loc[:-1])))
        return Issue(loc[:-1], f"unknown key {shown(key)}{suggestion}", key=key)
    message = str(error["msg"])
    if kind == "string_pattern_mismatch":
        pattern = str((error.get("ctx") or {}).get("pattern", ""))
        message = _FRIENDLY_PATTERNS.get(pattern, message)
    elif kind == "value_error":
        return Issue(loc, message.removeprefix("Value error, "))
    given = error.get("input")
    if isinstance(given, date) and kind in ("less_than_equal", "greater_than_equal"):
        return Issue(loc, f"{given} is outside the dates mmplan handles ({DATE_RANGE_TEXT})")
    if isinstance(given, str):
        message += f" (got {shown(given, limit=40)})"
    elif isinstance(given, int | float | date) and not isinstance(given, bool):
        message += f" (got {given})"
    return Issue(loc, message)


def _class_at(loc: Loc) -> type | None:
    """The catalog class that validates the mapping at `loc` (for key suggestions)."""
    cls: type = Catalog
    for item in loc:
        if isinstance(item, int):
            continue
        hints = {_key(name): hint for name, hint in get_type_hints(cls).items()}
        inner = _class_in(hints[item]) if item in hints else None
        if inner is None:
            return None
        cls = inner
    return cls


def _class_in(annotation: Any) -> type | None:
    if is_dataclass(annotation) and isinstance(annotation, type):
        return annotation
    for argument in get_args(annotation):
        found = _class_in(argument)
        if found is not None:
            return found
    return None


def _keys_of(cls: type | None) -> list[str]:
    return [_key(f.name) for f in fields(cls)] if cls is not None and is_dataclass(cls) else []


def _key(field_name: str) -> str:
    """A field's YAML key: `from_` is written `from` (a trailing _ escapes a Python keyword)."""
    return field_name.removesuffix("_")


def located(issues: Sequence[Issue], data: bytes, source_name: str) -> list[Problem]:
    """Give each issue its line, column and readable path; sorted by place, no repeats."""
    from mmplan.catalog.yaml_nodes import NodeTree, find_key_node

    tree = NodeTree(data)
    problems: dict[Problem, None] = {}
    for issue in issues:
        loc = issue.loc
        if issue.place is not None and not loc:
            loc = tree.loc_at(*issue.place)[:-1]
        steps = tree.walk(loc)
        node = steps[-1].node if steps else tree.root
        if issue.key is not None and node is not None:
            node = find_key_node(node, issue.key) or node
        if issue.place is not None:
            line, column = issue.place
        elif node is not None:
            line, column = node.start_mark.line + 1, node.start_mark.column + 1
        else:
            line, column = 1, 1
        message = issue.message
        if issue.first is not None:
            first_steps = tree.walk(issue.first)
            if first_steps:
                message += f" (first at line {first_steps[-1].node.start_mark.line + 1})"
        if issue.other is not None:
            other_steps = tree.walk(issue.other)
            if other_steps:
                message += f" ({source_name}:{other_steps[-1].node.start_mark.line + 1})"
        message += issue.note
        path = escaped(display_path(steps))
        problem = Problem(source_name, line, column, path, escaped(message))
        problems.setdefault(problem)
    return sorted(problems, key=lambda p: (p.line, p.column))


def display_path(steps: Sequence[Step]) -> str:
    """`programs[mitx-scm].courses[CTL.SC0x].weeks` from the steps of a walk."""
    from mmplan.catalog.yaml_nodes import scalar_value

    parts: list[str] = []
    parent_key: str | int | None = None
    for step in steps:
        if isinstance(step.key, int):
            label_key = _ITEM_LABEL_KEYS.get(parent_key) if isinstance(parent_key, str) else None
            label = scalar_value(step.node, label_key) if label_key else None
            usable = label and not any(c.isspace() or c in "[]" for c in label)
            parts.append(f"[{label if usable else step.key}]")
        else:
            parts.append(("." if parts else "") + step.key)
        parent_key = step.key
    return "".join(parts)
