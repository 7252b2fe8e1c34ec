"""One index of a catalog per command: what the stages look up in it, each built once.

The API builds a `CatalogIndex` when a command starts and hands it to every stage it calls
(the plan request, the planner, the cost report, the credential's status), so that one
command builds the prerequisite graph, the ordering graph and the same-course map once,
however many stages read them. A stage given a bare `Catalog` (a test, a script) builds
its own index (`CatalogIndex.of`).
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cached_property

from mmplan.catalog.graph import build_graph, same_course_ids
from mmplan.catalog.lookup import find_programs
from mmplan.catalog.model import Catalog, Program


class CatalogIndex:
    """A catalog, and its graphs and maps, each built on first use and then kept."""

    def __init__(self, catalog: Catalog) -> None:
        self.catalog = catalog

    @classmethod
    def of(cls, catalog: Catalog | CatalogIndex) -> CatalogIndex:
        """`catalog` itself when it is an index already, else a new index of it."""
        return catalog if isinstance(catalog, CatalogIndex) else cls(catalog)

    @cached_property
    def graph(self) -> dict[str, tuple[str, ...]]:
        """Each course id -> the ids of its prerequisites (`graph.build_graph`)."""
        return build_graph(self.catalog)

    @cached_property
    def ordering(self) -> dict[str, tuple[str, ...]]:
        """Each course id -> its prerequisites, then the courses recommended first."""
        return build_graph(self.catalog, with_recommended=True)

    @cached_property
    def same_courses(self) -> dict[str, tuple[str, ...]]:
        """Each id of a course several programs list -> all its ids (`same_course_ids`)."""
        return same_course_ids(self.catalog)

    @cached_property
    def _programs(self) -> dict[str, Program]:
        return {program.id: program for program in self.catalog.programs}

    def program(self, program_id: str) -> Program:
        """The program with exactly this id (an id a lookup already resolved)."""
        return self._programs[program_id]

    def find_programs(self, typed: Iterable[str], *, open_only: bool = False) -> list[Program]:
        """The programs `typed` names, as `lookup.find_programs` finds them: the one lookup
        of what a command was given."""
        return find_programs(self.catalog, typed, open_only=open_only)
