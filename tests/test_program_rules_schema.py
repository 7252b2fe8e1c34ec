"""The program-rule keys of a course: `after_all` and exam windows (`window_days`)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from conftest import Invoke
from factories import catalog_data, cli_on, course, program
from mmplan.catalog.load import parse_catalog
from mmplan.core.errors import CatalogError


def problems(*courses: dict[str, object]) -> list[str]:
    """The problems `parse_catalog` finds in one program of these courses, one line each."""
    data = yaml.safe_dump(catalog_data(program("p", *courses)), sort_keys=False).encode()
    try:
        parse_catalog(data, "rules.yaml")
    except CatalogError as error:
        return [str(p) for p in error.problems]
    return []


def exam(code: str = "EX", **extra: object) -> dict[str, object]:
    return course(code, weeks=1, pacing="instructor", kind="exam", **extra)


def test_after_all_and_window_days_load() -> None:
    data = catalog_data(
        program(
            "p",
            course("A"),
            course("CAP", kind="capstone", after_all=True),
            exam(session_starts=["09-01"], window_days=14, after_all=True),
        )
    )
    loaded = parse_catalog(yaml.safe_dump(data).encode(), "rules.yaml").catalog.program("p")
    assert (loaded.course("A").after_all, loaded.course("A").window_days) == (False, None)
    assert loaded.course("CAP").after_all
    assert (loaded.course("EX").after_all, loaded.course("EX").window_days) == (True, 14)


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("yes", "after_all: expected true or false, got 'yes'"),
        (1, "after_all: expected true or false, got 1"),
    ],
)
def test_after_all_takes_only_true_or_false(value: object, message: str) -> None:
    [problem] = problems(course("A", after_all=value))
    assert problem.endswith(message)


def test_an_after_all_course_another_course_needs_is_a_cycle_named_whole() -> None:
    found = problems(
        course("A"),
        course("B", prereqs=["A", "CAP"]),
        course("C", prereqs=["B"]),
        course("CAP", after_all=True),
    )
    [problem] = found
    assert "courses[CAP].after_all: after_all cycle: 'CAP' starts after every " in problem
    assert "but 'B' needs it first (B -> CAP)" in problem


def test_an_after_all_cycle_through_a_recommended_course_and_another_program() -> None:
    data = catalog_data(
        program("p", course("A", prereqs=["q/Z"]), course("CAP", after_all=True)),
        program("q", course("Z", recommended=["p/CAP"])),
    )
    with pytest.raises(CatalogError) as error:
        parse_catalog(yaml.safe_dump(data).encode(), "rules.yaml")
    [problem] = [str(p) for p in error.value.problems]
    assert "'A' needs it first (A -> q/Z -> CAP)" in problem


def test_after_all_courses_may_need_each_other_and_anything_else() -> None:
    assert not problems(
        course("A"),
        course("CAP", after_all=True, prereqs=["A"]),
        exam(after_all=True, prereqs=["CAP"]),
    )


def test_a_window_needs_the_starts_that_open_it() -> None:
    [problem] = problems(exam(window_days=14))
    assert problem.endswith(
        "window_days: window_days needs runs or session_starts: each start opens a window, "
        "and 'EX' lists none"
    )
    assert not problems(exam(window_days=14, runs=["2027-03-01"]))


def test_a_window_bounds_the_start_so_it_may_be_shorter_than_the_course() -> None:
    assert not problems(exam(window_days=4, session_starts=["09-01"]))


@pytest.mark.parametrize(("value", "expected"), [(0, "greater than or equal to 1"), ("14", "text")])
def test_window_days_is_a_whole_number_of_days(value: object, expected: str) -> None:
    [problem] = problems(exam(window_days=value, session_starts=["09-01"]))
    assert "window_days" in problem
    assert expected in problem


def test_one_exam_in_two_programs_has_one_window() -> None:
    data = catalog_data(
        program("p", exam(session_starts=["09-01"], window_days=14)),
        program("q", exam(session_starts=["09-01"], window_days=21)),
    )
    with pytest.raises(CatalogError) as error:
        parse_catalog(yaml.safe_dump(data).encode(), "rules.yaml")
    [problem] = [str(p) for p in error.value.problems]
    assert "its window_days '21' differs from '14' in 'p/EX'" in problem


def test_show_draws_after_all_in_the_tree_and_gives_both_keys(
    mmplan: Invoke, tmp_path: Path
) -> None:
    data = catalog_data(
        program(
            "p",
            course("A"),
            course("CAP", kind="capstone", after_all=True),
            exam(session_starts=["09-01"], window_days=14, estimated=["window_days"]),
        )
    )
    run = cli_on(mmplan, tmp_path / "rules.yaml", text=yaml.safe_dump(data, sort_keys=False))
    text = run("show", "p")
    assert text.exit_code == 0, text.stderr
    assert "CAP  Course CAP  (after every other course)" in text.stdout
    assert "Sep 1 (~14-day window)" in text.stdout
    shown = json.loads(run("show", "p", "--format", "json").stdout)
    facts = {c["code"]: c for c in shown["courses"]}
    assert (facts["CAP"]["after_all"], facts["CAP"]["window_days"]) == (True, None)
    assert (facts["EX"]["after_all"], facts["EX"]["window_days"]) == (False, 14)
    tree = {line["id"]: line["after_all"] for line in shown["prerequisite_tree"]}
    assert tree == {"p/A": False, "p/CAP": True, "p/EX": False}
