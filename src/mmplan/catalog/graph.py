"""The prerequisite graph: courses of every program as `program/CODE` ids.

Edges point from a course to its prerequisites (and, in the ordering graph, also to the
courses recommended first). Orders are stable: ties are broken by
catalog position, so the same catalog always gives the same order.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable, Mapping, Sequence

from mmplan.catalog.model import Catalog, Program, course_id, split_course_id

Graph = Mapping[str, tuple[str, ...]]


def prerequisite_ids(program: Program, prerequisites: Iterable[str]) -> tuple[str, ...]:
    """Qualify a course's prerequisite references: `CODE` -> `program/CODE`."""
    return tuple(course_id(*split_course_id(ref, program.id)) for ref in prerequisites)


def build_graph(catalog: Catalog, *, with_recommended: bool = False) -> dict[str, tuple[str, ...]]:
    """Every course id of the catalog, in catalog order, mapped to its prerequisite ids.

    `with_recommended` gives the ordering graph instead: each course's prerequisites, then
    the courses recommended first (soft edges, for ordering only: they are never required).
    """
    if not with_recommended:
        return {
            course_id(program.id, course.code): prerequisite_ids(program, course.prerequisites)
            for program in catalog.programs
            for course in program.courses
        }
    return {
        course_id(program.id, course.code): tuple(
            dict.fromkeys(prerequisite_ids(program, (*course.prerequisites, *course.recommended)))
        )
        for program in catalog.programs
        for course in program.courses
    }


def same_course_ids(catalog: Catalog) -> dict[str, tuple[str, ...]]:
    """Each course id whose code (case-insensitive) another program also lists -> every id
    of that one course, in catalog order. edX course codes name one course."""
    by_code: dict[str, list[str]] = {}
    shared: dict[str, None] = {}  # codes listed by more than one program, in catalog order
    for program in catalog.programs:
        prefix = program.id + "/"
        for course in program.courses:
            key = course.code.casefold()
            ids = by_code.get(key)
            if ids is None:
                by_code[key] = [prefix + course.code]
                continue
            if not ids[-1].startswith(prefix):  # programs come one after another
                shared[key] = None
            ids.append(prefix + course.code)
    same: dict[str, tuple[str, ...]] = {}
    for key in shared:
        group = tuple(by_code[key])
        same.update(dict.fromkeys(group, group))
    return same


def canonical_course_id(ids: Sequence[str], program_ids: Sequence[str]) -> str:
    """The id one course is planned under: its id in the first of `program_ids` that lists
    it, else its first id (catalog order)."""
    for program_id in program_ids:
        for identifier in ids:
            if identifier.partition("/")[0] == program_id:
                return identifier
    return ids[0]


def find_cycle(graph: Graph) -> tuple[str, ...] | None:
    """One prerequisite cycle as `(A, B, C, A)`, or None; unknown ids are ignored."""
    state: dict[str, int] = {}  # 1 = on the current path, 2 = done
    for root in graph:
        if root in state:
            continue
        path: list[str] = [root]
        pending: list[list[str]] = [[p for p in graph[root] if p in graph]]
        state[root] = 1
        while path:
            if not pending[-1]:
                state[path.pop()] = 2
                pending.pop()
                continue
            nxt = pending[-1].pop(0)
            if state.get(nxt) == 1:
                return (*path[path.index(nxt) :], nxt)
            if nxt not in state:
                state[nxt] = 1
                path.append(nxt)
                pending.append([p for p in graph[nxt] if p in graph])
    return None


def with_prerequisites(ids: Iterable[str], graph: Graph) -> set[str]:
    """`ids` and everything they need first, transitively."""
    seen: set[str] = set()
    stack = list(ids)
    while stack:
        current = stack.pop()
        if current in seen:
            continue
        seen.add(current)
        stack.extend(p for p in graph.get(current, ()) if p not in seen)
    return seen


def topological_order(ids: Iterable[str], graph: Graph) -> tuple[str, ...]:
    """`ids` ordered so that every prerequisite comes first; ties keep the given order.

    Prerequisites outside `ids` are ignored. Raises ValueError on a cycle.
    """
    position = {course: index for index, course in enumerate(dict.fromkeys(ids))}
    waiting = {c: sum(1 for p in set(graph.get(c, ())) if p in position) for c in position}
    dependants: dict[str, list[str]] = {c: [] for c in position}
    for course in position:
        for prerequisite in set(graph.get(course, ())):
            if prerequisite in position:
                dependants[prerequisite].append(course)
    ready = [(position[c], c) for c, count in waiting.items() if count == 0]
    heapq.heapify(ready)
    order: list[str] = []
    while ready:
        _, course = heapq.heappop(ready)
        order.append(course)
        for dependant in dependants[course]:
            waiting[dependant] -= 1
            if waiting[dependant] == 0:
                heapq.heappush(ready, (position[dependant], dependant))
    if len(order) != len(position):
        raise ValueError("prerequisite cycle")
    return tuple(order)
