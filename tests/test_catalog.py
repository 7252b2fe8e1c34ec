"""Loading and layering catalogs: the bundled one, MMPLAN_CATALOG, --catalog, --no-bundled."""

from __future__ import annotations

import importlib.util
import json
import os
import sys
from pathlib import Path
from types import ModuleType

import pytest
import yaml

from conftest import Invoke
from factories import catalog, catalog_data, catalog_yaml, course, program
from mmplan.catalog.load import (
    CatalogSources,
    bundled_catalog_path,
    load_active_catalog,
    load_catalog_file,
    merge_catalogs,
    parse_catalog,
)
from mmplan.core.errors import CatalogError


def write(path: Path, *programs: dict[str, object]) -> Path:
    path.write_text(catalog_yaml(*programs), encoding="utf-8")
    return path


def listed_ids(mmplan: Invoke, *options: str) -> list[str]:
    result = mmplan(*options, "list", "--format", "json")
    assert result.exit_code == 0, result.stderr
    return [p["id"] for p in json.loads(result.stdout)["programs"]]


def test_parse_catalog_is_pure_and_gives_the_models() -> None:
    data = catalog_yaml(program("p", course("A"), course("B", prereqs=["A"]))).encode()
    loaded = parse_catalog(data, "anything.yaml")
    assert loaded == parse_catalog(data, "other-name.yaml")
    assert loaded.catalog.program("p").course("B").prerequisites == ("A",)
    assert (loaded.pacing_defaulted, loaded.warnings) == ((), ())


def test_the_bundled_catalog_is_valid(mmplan: Invoke) -> None:
    result = mmplan("validate")
    assert result.exit_code == 0, result.stdout
    assert result.stdout == ""
    assert result.stderr == "1 file checked, 0 problems\n"
    assert load_catalog_file(bundled_catalog_path()).catalog.programs


def test_a_program_defined_again_replaces_the_earlier_in_its_place() -> None:
    first = catalog(program("a", course("A")), program("b", course("B")), program("c", course("C")))
    second = catalog(program("b", course("B2"), title="B again"), program("d", course("D")))
    merged = merge_catalogs([first, second])
    assert [p.id for p in merged.programs] == ["a", "b", "c", "d"]
    assert merged.program("b").title == "B again"


def test_merging_nothing_says_no_catalog_is_active() -> None:
    with pytest.raises(CatalogError, match="no catalog is active"):
        merge_catalogs([])


def test_layers_bundled_then_environment_then_each_catalog_option(
    mmplan: Invoke, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    bundled = [p.id for p in load_catalog_file(bundled_catalog_path()).catalog.programs]
    replaced = bundled[0]
    env_one = write(tmp_path / "env1.yaml", program("env-one", course("E")))
    env_two = write(tmp_path / "env2.yaml", program(replaced, course("R"), title="Mine"))
    option = write(tmp_path / "opt.yaml", program("env-one", course("O"), title="Option wins"))
    monkeypatch.setenv("MMPLAN_CATALOG", f"{env_one}{os.pathsep}{env_two}")

    assert listed_ids(mmplan, "--catalog", str(option)) == [*bundled, "env-one"]
    sources = CatalogSources.from_environment((option,), include_bundled=True)
    assert sources.paths == (bundled_catalog_path(), env_one, env_two, option)
    merged = load_active_catalog(sources).catalog
    assert merged.program(replaced).title == "Mine"
    assert merged.program("env-one").title == "Option wins"

    assert listed_ids(mmplan, "--no-bundled", "--catalog", str(option)) == ["env-one", replaced]


@pytest.mark.parametrize("command", ["list", "validate"])
def test_no_bundled_and_nothing_else_is_an_error(mmplan: Invoke, command: str) -> None:
    result = mmplan("--no-bundled", command)
    assert result.exit_code == 1
    assert result.stderr == "Error: --no-bundled: no catalog is active; add --catalog FILE\n"


def test_a_prerequisite_may_name_a_program_of_another_active_file(
    mmplan: Invoke, tmp_path: Path
) -> None:
    base = write(tmp_path / "base.yaml", program("base", course("B1")))
    mine = write(tmp_path / "mine.yaml", program("mine", course("M1", prereqs=["base/B1"])))
    assert listed_ids(mmplan, "--no-bundled", "--catalog", str(base), "--catalog", str(mine)) == [
        "base",
        "mine",
    ]
    result = mmplan("--no-bundled", "--catalog", str(mine), "list")
    assert result.exit_code == 1
    assert result.stderr == (
        f"Error: {mine}:15:7: programs[mine].courses[M1].prerequisites[0]: "
        "prerequisite 'base/B1' names unknown program 'base'\n"
    )


def test_a_replaced_program_can_leave_a_reference_dangling_and_says_where_it_came_from(
    mmplan: Invoke, tmp_path: Path
) -> None:
    first = write(
        tmp_path / "first.yaml",
        program("p1", course("A", prereqs=["p2/X"])),
        program("p2", course("X")),
    )
    second = write(tmp_path / "second.yaml", program("p2", course("Y")))
    result = mmplan("--no-bundled", "--catalog", str(first), "--catalog", str(second), "list")
    assert result.exit_code == 1
    assert result.stderr == (
        f"Error: {first}:15:7: programs[p1].courses[A].prerequisites[0]: prerequisite 'p2/X' "
        f"names unknown course 'X' of 'p2' (program 'p2' comes from {second})\n"
    )


def test_every_reference_into_another_file_is_checked_not_only_the_first(tmp_path: Path) -> None:
    base = write(tmp_path / "base.yaml", program("p", course("A")))
    mine = write(
        tmp_path / "mine.yaml",
        program("q", course("B", prereqs=["p/A"]), course("C", prereqs=["p/A", "p/Z"])),
    )
    with pytest.raises(CatalogError) as caught:
        load_active_catalog(CatalogSources(extra=(base, mine), include_bundled=False))
    assert [str(p) for p in caught.value.problems] == [
        f"{mine}:24:7: programs[q].courses[C].prerequisites[1]: "
        f"prerequisite 'p/Z' names unknown course 'Z' of 'p' (program 'p' comes from {base})"
    ]


def test_a_cycle_across_files_is_found_after_merging(tmp_path: Path) -> None:
    one = write(tmp_path / "one.yaml", program("p1", course("A", prereqs=["p2/B"])))
    two = write(tmp_path / "two.yaml", program("p2", course("B", prereqs=["p1/A"])))
    with pytest.raises(CatalogError) as caught:
        load_active_catalog(CatalogSources(extra=(one, two), include_bundled=False))
    assert [str(p) for p in caught.value.problems] == [
        f"{one}:15:7: programs[p1].courses[A].prerequisites[0]: "
        "prerequisite cycle: p1/A -> p2/B -> p1/A"
    ]


def test_a_bundled_program_can_be_named_from_a_user_file(mmplan: Invoke, tmp_path: Path) -> None:
    bundled = load_catalog_file(bundled_catalog_path()).catalog.programs[0]
    reference = f"{bundled.id}/{bundled.courses[0].code}"
    mine = write(tmp_path / "mine.yaml", program("mine", course("M1", prereqs=[reference])))
    assert mmplan("validate", str(mine)).exit_code == 0
    result = mmplan("--no-bundled", "validate", str(mine))
    assert result.exit_code == 1
    assert f"names unknown program '{bundled.id}'" in result.stdout
    write(tmp_path / "mine.yaml", program("mine", course("M1", prereqs=[reference + "zz"])))
    result = mmplan("validate", str(mine))
    assert result.exit_code == 1
    assert result.stdout.endswith(f"(program '{bundled.id}' comes from the bundled catalog)\n")


def test_merge_keys_are_allowed_and_are_not_duplicates() -> None:
    text = """\
schema_version: 1
as_of: 2026-11-01
programs:
  - id: p
    title: P
    institution: TestX
    field: Testing
    sources: [https://example.org]
    courses:
      - &base {code: A, title: T, weeks: 4, hours_per_week: 5}
      - {<<: *base, code: B}
"""
    parsed = parse_catalog(text.encode(), "merge.yaml").catalog
    assert [c.code for c in parsed.programs[0].courses] == ["A", "B"]
    with pytest.raises(CatalogError) as caught:
        parse_catalog(text.replace("code: B}", "code: B, code: C}").encode(), "merge.yaml")
    assert [(p.line, p.message) for p in caught.value.problems] == [
        (11, "duplicate key 'code' (first at line 11); YAML would silently keep only the last")
    ]


def test_load_catalog_file_raises_every_problem_of_the_file(tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(catalog_yaml(program("p", course("A", weeks=-1), course("B", hours=0))))
    with pytest.raises(CatalogError) as caught:
        load_catalog_file(path)
    assert [p.path for p in caught.value.problems] == [
        "programs[p].courses[A].weeks",
        "programs[p].courses[B].hours_per_week",
    ]


def test_shared_anchors_within_the_limit_load(tmp_path: Path) -> None:
    data = catalog_data(*(program(f"p{n}", course("A")) for n in range(30)))
    text = yaml.safe_dump(data, sort_keys=False)
    text = text.replace("sources:\n  - https://example.org/source", "sources: &s [https://x]", 1)
    text = text.replace("sources:\n  - https://example.org/source", "sources: *s")
    parsed = parse_catalog(text.encode(), "anchors.yaml").catalog
    assert all(p.sources == ("https://x",) for p in parsed.programs)


def _pure_python_yaml_nodes(monkeypatch: pytest.MonkeyPatch) -> ModuleType:
    """A private copy of yaml_nodes built as if libyaml were missing."""
    monkeypatch.delattr(yaml, "CSafeLoader")
    spec = importlib.util.find_spec("mmplan.catalog.yaml_nodes")
    assert spec is not None
    assert spec.origin is not None
    copy_spec = importlib.util.spec_from_file_location("yaml_nodes_pure", spec.origin)
    assert copy_spec is not None
    assert copy_spec.loader is not None
    module = importlib.util.module_from_spec(copy_spec)
    monkeypatch.setitem(sys.modules, "yaml_nodes_pure", module)
    copy_spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ("a: " + "[" * 5000 + "]" * 5000, 1, "nested more than 50 levels"),
        ("a: 1\nb: 2\na: 3\n", 3, None),
        ("a: 1\n? [b]\n: c\n", 2, "found an unhashable key"),
        ("a: !!python/name:os.system ''\n", 1, "tag '!!python/name:os.system' is not allowed"),
    ],
    ids=["deep", "duplicate key", "unhashable key", "python tag"],
)
def test_the_pure_python_fallback_is_as_safe(
    monkeypatch: pytest.MonkeyPatch, text: str, line: int, message: str | None
) -> None:
    pure = _pure_python_yaml_nodes(monkeypatch)
    assert pure._CatalogLoader.__mro__[1] is yaml.SafeLoader
    if message is None:
        document = pure.load_yaml(text.encode())
        assert [(d.key, d.line, d.first_line) for d in document.duplicate_keys] == [("a", 3, 1)]
        return
    with pytest.raises(pure.YamlProblem) as caught:
        pure.load_yaml(text.encode())
    assert caught.value.line == line
    assert message in caught.value.message


def test_a_cycle_through_a_recommended_course_across_files_is_found(tmp_path: Path) -> None:
    one = write(tmp_path / "one.yaml", program("p1", course("A", recommended=["p2/B"])))
    two = write(tmp_path / "two.yaml", program("p2", course("B", prereqs=["p1/A"])))
    with pytest.raises(CatalogError) as caught:
        load_active_catalog(CatalogSources(extra=(one, two), include_bundled=False))
    assert [str(p) for p in caught.value.problems] == [
        f"{one}:16:7: programs[p1].courses[A].recommended[0]: "
        "cycle over prerequisites and recommended courses: p1/A -> p2/B -> p1/A"
    ]


def test_recommended_courses_are_read_and_may_be_marked_estimated() -> None:
    loaded = catalog(
        program("p", course("A"), course("B", recommended=["A"], estimated=["recommended"]))
    )
    second = loaded.program("p").course("B")
    assert second.recommended == ("A",)
    assert second.is_estimated("recommended")
    assert second.prerequisites == ()
