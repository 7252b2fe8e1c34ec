"""The skeleton's pieces: models, graph order, lookup."""

from __future__ import annotations

import pytest

from factories import catalog, course, program
from mmplan.catalog.graph import build_graph, find_cycle, topological_order
from mmplan.catalog.lookup import find_program
from mmplan.core.errors import UnknownIdError


def test_topological_order_puts_prerequisites_first_and_keeps_catalog_order() -> None:
    cat = catalog(program("p", course("C", prereqs=["B"]), course("A"), course("B", prereqs=["A"])))
    graph = build_graph(cat)
    assert topological_order(graph, graph) == ("p/A", "p/B", "p/C")


def test_find_cycle_returns_the_whole_cycle() -> None:
    graph = {"a": ("b",), "b": ("c",), "c": ("a",)}
    assert find_cycle(graph) == ("a", "b", "c", "a")


def test_find_program_accepts_case_and_unique_prefix_and_suggests() -> None:
    cat = catalog(program("mitx-scm", course("A")), program("mitx-sds", course("B")))
    assert find_program(cat, "MITX-SCM").id == "mitx-scm"
    assert find_program(cat, "mitx-sc").id == "mitx-scm"
    with pytest.raises(UnknownIdError, match="several"):
        find_program(cat, "mitx")
    with pytest.raises(UnknownIdError, match="did you mean 'mitx-sds'"):
        find_program(cat, "mitx-sdz")
