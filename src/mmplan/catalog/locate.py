"""Catalog problems located: a place in the data (`loc`) becomes FILE:LINE:COL and a path.

Problems are found on parsed data, where a place is a pydantic-style `loc` tuple
(`("programs", 3, "courses", 1, "weeks")`). Only when a file has problems is its text
composed again into YAML nodes (`yaml_nodes.NodeTree`) and each `loc` walked down them to
its line, column and readable path (`programs[mitx-scm].courses[CTL.SC0x].weeks`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import fields, is_dataclass
from datetime import date
from typing import TYPE_CHECKING, Any, get_args, get_type_hints

from mmplan.catalog.lookup import did_you_mean
from mmplan.catalog.model import Catalog
from mmplan.core.errors import CatalogProblem, Loc, escaped, shown
from mmplan.core.limits import CODE_PATTERN, DATE_RANGE_TEXT, SLUG_PATTERN

if TYPE_CHECKING:
    from mmplan.catalog.yaml_nodes import Step, YamlProblem

# List items named by one of their keys in problem paths; other items by position.
_ITEM_LABEL_KEYS = {"programs": "id", "courses": "code"}
_FRIENDLY_PATTERNS = {
    SLUG_PATTERN: "must be lowercase letters and digits in words joined by "
    "single hyphens, like 'mitx-scm'",
    CODE_PATTERN: "must be letters, digits and '. _ + -', starting with a letter or digit, "
    "like 'CTL.SC0x'",
}


def yaml_problem(problem: YamlProblem, data: bytes, source_name: str) -> CatalogProblem:
    """A YAML-level problem; its path too when the text composed (bad tags, dates, aliases)."""
    from mmplan.catalog.yaml_nodes import NodeTree

    path = ""
    if problem.line and problem.composed:
        tree = NodeTree(data)
        path = display_path(tree.walk(tree.loc_at(problem.line, problem.column)))
    message = escaped(problem.message)
    return CatalogProblem(source_name, problem.line, problem.column, escaped(path), message)


def echo_of_items(error: Any) -> bool:
    """Pydantic adds "at least 1 item" when every item of a non-empty list failed: noise."""
    if error["type"] != "too_short":
        return False
    minimum = (error.get("ctx") or {}).get("min_length", 0)
    given = error.get("input")
    return isinstance(given, list | tuple) and len(given) >= minimum


def schema_problem(error: Any) -> CatalogProblem:
    """A pydantic error as a problem with a message for people, not located yet."""
    loc = tuple(error["loc"])
    kind = error["type"]
    if kind == "missing":
        return CatalogProblem.at(loc[:-1], f"missing required key '{loc[-1]}'")
    if kind == "unexpected_keyword_argument":  # a key that is no field
        key = str(loc[-1])
        suggestion = did_you_mean(key, _keys_of(_class_at(loc[:-1])))
        return CatalogProblem.at(loc[:-1], f"unknown key {shown(key)}{suggestion}", key=key)
    message = str(error["msg"])
    if kind == "string_pattern_mismatch":
        pattern = str((error.get("ctx") or {}).get("pattern", ""))
        message = _FRIENDLY_PATTERNS.get(pattern, message)
    elif kind == "value_error":
        return CatalogProblem.at(loc, message.removeprefix("Value error, "))
    given = error.get("input")
    if isinstance(given, date) and kind in ("less_than_equal", "greater_than_equal"):
        return CatalogProblem.at(
            loc, f"{given} is outside the dates mmplan handles ({DATE_RANGE_TEXT})"
        )
    if isinstance(given, str):
        message += f" (got {shown(given, limit=40)})"
    elif isinstance(given, int | float | date) and not isinstance(given, bool):
        message += f" (got {given})"
    return CatalogProblem.at(loc, message)


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


def located(found: Sequence[CatalogProblem], data: bytes, source_name: str) -> list[CatalogProblem]:
    """Give each problem found its file, line, column and readable path; sorted by place,
    no repeats."""
    from mmplan.catalog.yaml_nodes import NodeTree, find_key_node

    tree = NodeTree(data)
    placed: dict[CatalogProblem, None] = {}
    for problem_found in found:
        loc = problem_found.loc
        if problem_found.place is not None and not loc:
            loc = tree.loc_at(*problem_found.place)[:-1]
        steps = tree.walk(loc)
        node = steps[-1].node if steps else tree.root
        if problem_found.key is not None and node is not None:
            node = find_key_node(node, problem_found.key) or node
        if problem_found.place is not None:
            line, column = problem_found.place
        elif node is not None:
            line, column = node.start_mark.line + 1, node.start_mark.column + 1
        else:
            line, column = 1, 1
        message = problem_found.message
        if problem_found.first is not None:
            first_steps = tree.walk(problem_found.first)
            if first_steps:
                message += f" (first at line {first_steps[-1].node.start_mark.line + 1})"
        if problem_found.other is not None:
            other_steps = tree.walk(problem_found.other)
            if other_steps:
                message += f" ({source_name}:{other_steps[-1].node.start_mark.line + 1})"
        message += problem_found.note
        path = escaped(display_path(steps))
        problem = CatalogProblem(source_name, line, column, path, escaped(message))
        placed.setdefault(problem)
    return sorted(placed, key=lambda p: (p.line, p.column))


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
