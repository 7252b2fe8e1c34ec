"""An exam that `assesses` a course is taken when, and only when, that course is (SDS's
14.310Fx with the 14.310x elective): selection, validation, and the bundled plan."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest
import yaml

from conftest import Invoke
from factories import catalog, catalog_data, course, program
from mmplan.catalog.load import parse_catalog
from mmplan.core.errors import CatalogError
from mmplan.selection import parse_choices, select_courses


def exam(code: str, of: str, weeks: float = 1, **extra: object) -> dict[str, object]:
    return course(code, weeks=weeks, kind="exam", assesses=of, prereqs=[of], **extra)


SDS_LIKE = catalog(
    program(
        "p",
        course("CORE"),
        course("E1", weeks=2),
        exam("E1F", "E1"),
        course("E2", weeks=3),
        course("T1", weeks=8),
        course("T2", weeks=9),
        exam("T2F", "T2"),
        exam("T2FF", "T2F"),  # an exam of an exam comes along too
        electives=[{"choose": 1, "from": ["E1", "E2"]}],
        tracks=[{"name": "One", "courses": ["T1"]}, {"name": "Two", "courses": ["T2"]}],
    )
).program("p")


def test_an_exam_comes_with_its_elective_chosen_and_not_without_it() -> None:
    chosen = select_courses(SDS_LIKE, picks=["E1"], track="One")
    assert chosen.codes == ("CORE", "E1", "E1F", "T1")
    assert {c.code: c.reason for c in chosen.courses}["E1F"] == "exam of E1"
    assert select_courses(SDS_LIKE, picks=["E2"], track="One").codes == ("CORE", "E2", "T1")


def test_an_exam_comes_with_its_track_course_and_through_a_pick() -> None:
    with_track = select_courses(SDS_LIKE, picks=["E2"], track="Two")
    assert with_track.codes == ("CORE", "E2", "T2", "T2F", "T2FF")
    [choice] = parse_choices([SDS_LIKE], picks=["p/E1"]).values()
    assert "E1F" in select_courses(SDS_LIKE, track="one", picks=choice.picks).codes


def test_an_exam_counts_in_the_hours_of_its_course_when_choosing_for_you() -> None:
    # E1 (2 weeks) plus its 1-week exam is no shorter than E2 (3 weeks): catalog order wins;
    # a longer exam makes E2 the fewer hours.
    assert "E1" in select_courses(SDS_LIKE, track="One").codes
    longer = catalog(
        program(
            "p",
            course("E1", weeks=2),
            exam("E1F", "E1", weeks=2),
            course("E2", weeks=3),
            electives=[{"choose": 1, "from": ["E1", "E2"]}],
        )
    ).program("p")
    assert select_courses(longer).codes == ("E2",)
    assert longer.required_codes == ()


def problems(*courses: dict[str, object], **extra: object) -> list[str]:
    data = yaml.safe_dump(catalog_data(program("p", *courses, **extra)), sort_keys=False)
    try:
        parse_catalog(data.encode(), "exams.yaml")
    except CatalogError as error:
        return [str(p) for p in error.problems]
    return []


def test_assesses_names_a_course_of_the_program_and_is_located() -> None:
    [problem] = problems(course("A"), course("AF", assesses="a", prereqs=["A"]))
    assert "exams.yaml:" in problem
    assert problem.endswith(
        "programs[p].courses[AF].assesses: assesses unknown course 'a' (did you mean 'A'?)"
    )
    [problem] = problems(course("A", assesses="A"))
    assert problem.endswith("courses[A].assesses: 'A' assesses itself")


def test_an_exam_lists_its_course_first_and_stays_out_of_the_choices() -> None:
    [problem] = problems(course("A"), course("AF", assesses="A"))
    assert problem.endswith(
        "'AF' assesses 'A': list 'A' in its prerequisites too, so it comes after it"
    )
    [problem] = problems(
        course("A"), exam("AF", "A"), electives=[{"choose": 1, "from": ["A", "AF"]}]
    )
    assert problem.endswith(
        "'AF' is taken with 'A', the course it assesses: leave it out of electives and tracks"
    )


def test_exams_assessing_each_other_are_a_prerequisite_cycle() -> None:
    found = problems(exam("A", "B"), exam("B", "A"))
    assert any("prerequisite cycle: p/A -> p/B -> p/A" in line for line in found), found


def test_sds_plan_with_14_310x_sits_its_exam_after_it_inside_its_window(
    mmplan: Invoke,
) -> None:
    result = mmplan(
        "plan", "mitx-sds", "--pick", "14.310x", "--start", "2027-01-04", "--format", "json"
    )
    assert result.exit_code == 0, result.stderr
    courses = {c["code"]: c for c in json.loads(result.stdout)["courses"]}
    content, assessed = courses["14.310x"], courses["14.310Fx"]
    assert assessed["reason"] == "exam of 14.310x"
    assert content["end"] < assessed["start"]
    opens = date.fromisoformat(assessed["start"]).replace(month=8, day=23)
    assert opens <= date.fromisoformat(assessed["start"]) < opens + timedelta(days=5)
    assert courses["14.310Fx"]["end"] < courses["DS.CFx"]["start"]
    without = mmplan(
        "plan", "mitx-sds", "--pick", "6.419x", "--pick", "18.6501x", "--format", "json"
    )
    assert "14.310Fx" not in {c["code"] for c in json.loads(without.stdout)["courses"]}


@pytest.mark.parametrize("output", ["table", "json"])
def test_show_sds_lists_the_exam_of_14_310x(mmplan: Invoke, output: str) -> None:
    result = mmplan("show", "mitx-sds", "--format", output)
    assert result.exit_code == 0, result.stderr
    if output == "table":
        assert "14.310Fx  Data Analysis for Social Scientists: SDS assessment exam" in result.stdout
        assert "Sessions: ~Aug 23 (~5-day window)" in result.stdout
        assert "Role: exam of 14.310x" in result.stdout
        return
    [facts] = [c for c in json.loads(result.stdout)["courses"] if c["code"] == "14.310Fx"]
    assert (facts["assesses"], facts["window_days"], facts["role"]) == (
        "14.310x",
        5,
        "exam of 14.310x",
    )
