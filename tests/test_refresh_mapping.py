"""The mapping of MITx Online's answers onto the catalog: pure, on payloads in memory."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from factories import catalog, course, program
from mitxonline import FLEX_90, catalog_courses, catalog_programs, choose, node, required, run
from mitxonline import course as api_course
from mitxonline import program as api_program
from mmplan.catalog.api_read import Record, read_course, read_program
from mmplan.catalog.refresh import ApiData, build_overlay, program_slug
from mmplan.core.errors import RefreshError

TODAY = date(2026, 12, 7)
PAGE = "https://mitxonline.mit.edu/api/v2/programs/"


def api(programs: list[Any], courses: list[Any]) -> ApiData:
    return ApiData(
        tuple(read_program(Record(p, "program", PAGE)) for p in programs),
        tuple(read_course(Record(c, "course", PAGE)) for c in courses),
    )


def mapped(programs: list[Any], courses: list[Any], curated: Any) -> Any:
    return build_overlay(
        api(programs, courses), curated, base_url="https://mitxonline.mit.edu", retrieved=TODAY
    )


def test_a_flexible_price_makes_a_range_and_the_curated_tiers_stay_under_a_list_price() -> None:
    curated = catalog(program("p", course("A", price=[100, 1000]), course("B", price=500)))
    courses = [
        api_course(1, "A", "A", [run("course-v1:MITx+A+1T2027", "2027-02-02")]),
        api_course(2, "B", "B", [run("course-v1:MITx+B+1T2027", "2027-02-02", flexible=FLEX_90)]),
    ]
    document = mapped([], courses, curated).document
    prices = {c["code"]: c["price_usd"]["value"] for c in document["courses"]}
    assert prices == {"A": [100, 1000], "B": [100, 1000]}


def test_the_next_run_sets_pacing_and_price() -> None:
    curated = catalog(program("p", course("A")))
    runs = [
        run("course-v1:MITx+A+old", "2026-01-05", self_paced=False, price="100.00"),
        run("course-v1:MITx+A+next", "2027-01-05", self_paced=True, price="250.00"),
        run("course-v1:MITx+A+later", "2027-06-01", self_paced=False, price="300.00"),
    ]
    (patch,) = mapped([], [api_course(1, "A", "A", runs)], curated).document["courses"]
    assert patch["pacing"]["value"] == "self"
    assert patch["price_usd"]["value"] == 250
    assert [r["start"] for r in patch["runs"]["value"]] == [
        "2026-01-05",
        "2027-01-05",
        "2027-06-01",
    ]


def test_a_course_series_sharing_a_course_does_not_match_a_curated_program() -> None:
    curated = catalog(program("p", course("A"), course("B"), course("C")))
    courses = [api_course(i, code, code, []) for i, code in enumerate("ABC", start=1)]
    series = api_program(9, "program-v1:MITx+S", "Series", required(1, 2), program_type="Series")
    micro = api_program(8, "program-v1:MITx+M", "Micro", required(1, 2))
    result = mapped([series, micro], courses, curated)
    assert [p["id"] for p in result.document["programs"]] == ["p"]
    assert result.document["programs"][0]["key"] == "program-v1:MITx+M"
    assert result.document["programs"][0]["matched_by"] == "course keys"


def test_nested_choices_and_unread_operators_are_noted() -> None:
    curated = catalog(program("p", course("A"), course("B"), course("C"), course("D")))
    courses = [api_course(i, code, code, []) for i, code in enumerate("ABCD", start=1)]
    nested = choose(2, 1, 2, choose(1, 3, 4))
    tree = api_program(8, "program-v1:MITx+M", "Micro", nested)
    result = mapped([tree], courses, curated)
    (patch,) = result.document["programs"]
    assert patch["requirements"]["electives"] == [{"choose": 2, "from": ["A", "B", "C", "D"]}]
    assert any("nested" in note for note in result.notes)
    odd = node("operator", node("course", course=1), operator="any_of", title="?")
    result = mapped(
        [api_program(8, "program-v1:MITx+M", "Micro", required(1, 2), odd)], courses, curated
    )
    assert "requirements" not in result.document["programs"][0]
    assert any("'any_of' is not read" in note for note in result.notes)


def test_a_new_program_without_weekly_hours_is_left_out_with_a_note() -> None:
    courses = [api_course(1, "X", "X", [run("course-v1:MITx+X+1", "2027-01-05", "2027-03-01")])]
    result = mapped([api_program(5, "program-v1:MITx+NEW", "New", required(1))], courses, catalog())
    assert result.document["programs"] == []
    assert result.notes == (
        "program-v1:MITx+NEW: new program left out: course-v1:MITx+X gives no weekly hours "
        "(min_weekly_hours, max_weekly_hours)",
    )


def test_a_new_program_takes_its_weeks_from_a_run_when_the_page_gives_none() -> None:
    dated = [run("course-v1:MITx+X+1", "2027-01-05", "2027-03-02")]
    courses = [api_course(1, "X", "X", dated, min_weekly_hours="5", max_weekly_hours="7")]
    result = mapped([api_program(5, "program-v1:MITx+NEW", "New", required(1))], courses, catalog())
    (entry,) = result.document["programs"]
    (new_course,) = entry["new"]["courses"]
    assert new_course["weeks"] == 8.0
    assert new_course["estimated"] == ["weeks"]
    assert new_course["hours_per_week"] == [5.0, 7.0]
    assert entry["id"] == program_slug("program-v1:MITx+NEW") == "mitxonline-mitx-new"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda c: c.update(id="7"), "field 'id' should be a number, got text '7'"),
        (lambda c: c.update(id=True), "field 'id' should be a number, got true or false"),
        (lambda c: c.update(title=None), "required field 'title' is null"),
        (
            lambda c: c["courseruns"][0]["products"][0].update(price="free"),
            "field 'price' should be an amount, got 'free'",
        ),
        (
            lambda c: c["courseruns"][0]["products"][0].update(price="-5"),
            "field 'price' is not a price: -5",
        ),
        (
            lambda c: c["courseruns"][0].update(
                products=[{"price": "1", "product_flexible_price": []}]
            ),
            "field 'product_flexible_price' should be an object, got a list",
        ),
    ],
)
def test_a_wrong_field_names_itself_and_its_record(change: Any, message: str) -> None:
    payload = catalog_courses()[0]
    change(payload)
    with pytest.raises(
        RefreshError, match=message.replace("(", r"\(").replace(")", r"\)")
    ) as raised:
        read_course(Record(payload, "courses page X, result 0", PAGE))
    assert str(raised.value).startswith("courses page X, result 0 ('course-v1:MITx+14.100x')")


def test_the_fixture_program_with_tracks_maps_to_tracks_and_electives() -> None:
    result = mapped(catalog_programs(), catalog_courses(), catalog())
    new = next(p for p in result.document["programs"] if p["id"] == "mitxonline-mitx-ntp")["new"]
    assert new["tracks"] == [
        {"name": "Track A", "courses": ["NT.201x", "NT.202x"]},
        {"name": "Track B", "courses": ["NT.301x", "NT.302x"]},
    ]
    assert new["electives"] == [{"choose": 1, "from": ["NT.401x", "NT.402x"]}]
    self_paced = next(c for c in new["courses"] if c["code"] == "NT.401x")
    assert (self_paced["pacing"], self_paced["runs"]) == ("self", [])


def deadline_of(runs: list[Any]) -> Any:
    curated = catalog(program("p", course("A", pacing="instructor")))
    (patch,) = mapped([], [api_course(1, "A", "A", runs)], curated).document["courses"]
    fact = patch.get("upgrade_deadline")
    if fact is not None:
        assert fact["source"] == PAGE
        assert fact["retrieved"] == TODAY.isoformat()
    return None if fact is None else fact["value"]


def test_the_next_runs_upgrade_deadline_becomes_days_from_its_start() -> None:
    key = "course-v1:MITx+A+"
    past = run(key + "old", "2026-02-03", "2026-05-12", upgrade="2026-02-20")
    after = run(key + "next", "2027-02-02", "2027-05-11", upgrade="2027-03-02")
    later = run(key + "later", "2027-06-01", "2027-08-17", upgrade="2027-06-29")
    assert deadline_of([after, later]) == {"days_after_start": 28, "estimated": False}
    # another run's deadline sits elsewhere: the next run's rule, marked estimated
    assert deadline_of([past, after]) == {"days_after_start": 28, "estimated": True}
    before = run(key + "next", "2027-02-02", "2027-05-11", upgrade="2027-01-26")
    assert deadline_of([before]) == {"days_before_start": 7, "estimated": False}
    # the next run gives none, is self-paced, or gives one over a year away: no rule
    assert deadline_of([run(key + "next", "2027-02-02", "2027-05-11"), later]) is None
    own_pace = run(key + "sp", "2027-01-05", "2027-12-31", upgrade="2027-12-01", self_paced=True)
    assert deadline_of([own_pace]) is None
    far = run(key + "next", "2027-02-02", "2028-05-11", upgrade="2028-04-01")
    assert deadline_of([far]) is None


def test_a_program_the_catalog_places_on_mitx_online_that_the_api_omits_becomes_unknown() -> None:
    on_platform = program("on", course("A"), course("B"), platform="MITx Online")
    moved = program(
        "gone",
        course("C"),
        course("D"),
        platform="MITx Online",
        status="moved",
        status_note="moved in 2022",
    )
    retired = program(
        "old",
        course("E"),
        course("F"),
        platform="MITx Online",
        status="retired",
        status_note="retired in 2023",
    )
    elsewhere = program("edx", course("G"), course("H"))
    curated = catalog(on_platform, moved, retired, elsewhere)
    listed = api_program(8, "program-v1:MITx+ON", "On", required(1, 2))
    courses = [api_course(i, code, code, []) for i, code in enumerate("AB", start=1)]
    document = mapped([listed], courses, curated).document
    patches = {p["id"]: p for p in document["programs"]}
    assert patches["on"]["matched_by"] == "course keys"
    assert patches["on"]["status"]["value"] == "active"
    unlisted = patches["gone"]
    assert unlisted["matched_by"] == "not listed"
    assert unlisted["source"] == PAGE
    assert unlisted["status"]["value"] == "unknown"
    assert "did not list it on 2026-12-07" in unlisted["status"]["note"]
    assert "old" not in patches  # retired says more than unknown
    assert "edx" not in patches  # the catalog does not place it on MITx Online
    nothing = mapped([], courses, curated).document  # an answer listing no program at all
    assert nothing["programs"] == []
