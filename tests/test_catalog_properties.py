"""Properties of the loader: random valid catalogs load; corrupted ones give a CatalogError.

Catalogs are generated as Python data and written with `yaml.safe_dump`, like a person's
file. A corruption that must break the catalog (a missing key, a wrong type, a broken
reference, a cycle...) must give a CatalogError; random junk bytes or a truncation may
happen to leave a valid catalog, but must never raise anything else.
"""

from __future__ import annotations

import copy
from datetime import date
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mmplan.catalog.load import check_catalog_data, parse_catalog

SLUGS = st.from_regex(r"[a-z][a-z0-9]{0,5}(-[a-z0-9]{1,3}){0,2}", fullmatch=True)
CODES = st.from_regex(r"[A-Z][A-Za-z0-9.]{0,5}x", fullmatch=True)
# Any text a terminal shows as it is: control, format (bidi) and line-separator characters
# are refused in catalogs (tests/test_catalog_bad.py).
TEXT = st.text(
    st.characters(exclude_categories=("Cc", "Cs", "Cf", "Zl", "Zp")), min_size=1, max_size=12
)
WEEKS = st.integers(1, 52) | st.floats(0.5, 520, allow_nan=False, allow_infinity=False)
RATE = st.floats(0.5, 168, allow_nan=False, allow_infinity=False)
PRICE = st.integers(0, 5000)
DATES = st.dates(date(2020, 1, 1), date(2035, 12, 31))
MONTH_DAYS = st.dates(date(2001, 1, 1), date(2001, 12, 31)).map(lambda d: d.strftime("%m-%d"))
SHARED_KEYS = ("pacing", "runs", "session_starts", "price_usd")
# The three properties over whole random catalogs run untraced (tests/conftest.py): line
# tracing made them three times slower, and the branches they reach are covered by example
# tests too (test_catalog_bad.py, test_catalog.py), so coverage no longer depends on the
# examples drawn. The arbitrary bytes stay traced: cheap, and check_catalog_data's one traced test.
PROPERTY_SETTINGS = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)


@st.composite
def hours(draw: st.DrawFn) -> float | list[float]:
    low, high = sorted((draw(RATE), draw(RATE)))
    return draw(st.sampled_from([low, [low, high]]))


@st.composite
def price(draw: st.DrawFn) -> int | list[int] | None:
    low, high = sorted((draw(PRICE), draw(PRICE)))
    return draw(st.sampled_from([None, low, [low, high]]))


@st.composite
def catalog_data(draw: st.DrawFn) -> dict[str, Any]:
    """A valid catalog: unique ids and codes, prerequisites only on earlier courses."""
    ids = draw(st.lists(SLUGS, min_size=1, max_size=4, unique=True))
    programs: list[dict[str, Any]] = []
    shared: dict[str, dict[str, Any]] = {}  # a code listed again is one course: same facts
    for program_id in ids:
        codes = draw(st.lists(CODES, min_size=1, max_size=6, unique=True))
        courses = []
        for index, code in enumerate(codes):
            earlier = (
                st.lists(st.sampled_from(codes[:index]), unique=True) if index else st.just([])
            )
            prerequisites = draw(earlier)
            if index and not prerequisites and programs and draw(st.booleans()):
                other = draw(st.sampled_from(programs))
                other_code = draw(st.sampled_from([c["code"] for c in other["courses"]]))
                prerequisites.append(f"{other['id']}/{other_code}")
            course: dict[str, Any] = {
                "code": code,
                "title": draw(TEXT),
                "weeks": draw(WEEKS),
                "hours_per_week": draw(hours()),
                "kind": draw(st.sampled_from(["course", "exam", "capstone"])),
                "pacing": draw(st.sampled_from(["self", "instructor"])),
                "runs": draw(st.lists(DATES, max_size=2)),
                "session_starts": draw(st.lists(MONTH_DAYS, max_size=3)),
                "prerequisites": prerequisites,
                "external_prerequisites": draw(st.lists(TEXT, max_size=2)),
                "estimated": draw(st.lists(st.sampled_from(["weeks", "price_usd"]), unique=True)),
            }
            cost = draw(price())
            if cost is not None:
                course["price_usd"] = cost
            same = shared.setdefault(code.casefold(), course)
            course.update({key: same.get(key) for key in SHARED_KEYS if key in same})
            courses.append(course)
        program: dict[str, Any] = {
            "id": program_id,
            "title": draw(TEXT),
            "institution": draw(TEXT),
            "field": draw(TEXT),
            "courses": courses,
            "sources": draw(st.lists(TEXT, min_size=1, max_size=2)),
        }
        if len(codes) >= 2 and draw(st.booleans()):
            offered = draw(st.lists(st.sampled_from(codes), min_size=1, unique=True))
            program["electives"] = [{"choose": draw(st.integers(1, len(offered))), "from": offered}]
        if draw(st.booleans()):
            program["tracks"] = [{"name": draw(TEXT), "courses": [codes[-1]]}]
        programs.append(program)
    as_of = draw(DATES)
    written = draw(st.sampled_from([as_of, as_of.year, as_of.isoformat()[:7]]))
    return {"schema_version": 2, "as_of": written, "programs": programs}


def dump(data: dict[str, Any]) -> bytes:
    return yaml.safe_dump(data, sort_keys=False).encode()


@pytest.mark.untraced
@PROPERTY_SETTINGS
@given(catalog_data())
def test_valid_catalogs_load(data: dict[str, Any]) -> None:
    parsed = parse_catalog(dump(data), "random.yaml").catalog
    assert [p.id for p in parsed.programs] == [p["id"] for p in data["programs"]]
    for program, raw in zip(parsed.programs, data["programs"], strict=True):
        assert [c.code for c in program.courses] == [c["code"] for c in raw["courses"]]


def _some_program(draw: st.DrawFn, data: dict[str, Any]) -> dict[str, Any]:
    program: dict[str, Any] = draw(st.sampled_from(data["programs"]))
    return program


def _some_course(draw: st.DrawFn, data: dict[str, Any]) -> dict[str, Any]:
    course: dict[str, Any] = draw(st.sampled_from(_some_program(draw, data)["courses"]))
    return course


def delete_required_key(draw: st.DrawFn, data: dict[str, Any]) -> None:
    if draw(st.booleans()):
        program = _some_program(draw, data)
        del program[draw(st.sampled_from(["id", "title", "institution", "courses", "sources"]))]
    else:
        course = _some_course(draw, data)
        del course[draw(st.sampled_from(["code", "title", "weeks", "hours_per_week"]))]


def wrong_type(draw: st.DrawFn, data: dict[str, Any]) -> None:
    course = _some_course(draw, data)
    key = draw(st.sampled_from(["weeks", "hours_per_week", "runs", "kind", "prerequisites"]))
    course[key] = draw(st.sampled_from([{"a": 1}, "lots", [[1]], -1, 10**6]))


def break_a_reference(draw: st.DrawFn, data: dict[str, Any]) -> None:
    course = _some_course(draw, data)
    missing = draw(st.sampled_from(["no_such_code", "no-such-program/x", "__"]))
    course["prerequisites"] = [*course["prerequisites"], missing]


def add_a_cycle(draw: st.DrawFn, data: dict[str, Any]) -> None:
    courses = _some_program(draw, data)["courses"]
    first, last = courses[0], courses[-1]
    first["prerequisites"] = [*first["prerequisites"], last["code"]]
    last["prerequisites"] = [*last["prerequisites"], first["code"]]


def add_an_unknown_key(draw: st.DrawFn, data: dict[str, Any]) -> None:
    target = _some_course(draw, data) if draw(st.booleans()) else _some_program(draw, data)
    target[draw(st.sampled_from(["prerequisite", "hours", "titel", "wekks"]))] = 1


def duplicate_an_id(draw: st.DrawFn, data: dict[str, Any]) -> None:
    if draw(st.booleans()):
        data["programs"].append(copy.deepcopy(_some_program(draw, data)))
    else:
        courses = _some_program(draw, data)["courses"]
        courses.append(copy.deepcopy(courses[-1]) | {"prerequisites": []})


def overflow_an_elective(draw: st.DrawFn, data: dict[str, Any]) -> None:
    program = _some_program(draw, data)
    codes = [c["code"] for c in program["courses"]]
    program["electives"] = [{"choose": len(codes) + 1, "from": codes}]


BREAKING = [
    delete_required_key,
    wrong_type,
    break_a_reference,
    add_a_cycle,
    add_an_unknown_key,
    duplicate_an_id,
    overflow_an_elective,
]


@pytest.mark.untraced
@PROPERTY_SETTINGS
@given(catalog_data(), st.sampled_from(BREAKING), st.data())
def test_a_breaking_corruption_gives_a_located_catalog_error(
    data: dict[str, Any], corrupt: Any, draw: st.DataObject
) -> None:
    corrupt(draw.draw, data)
    # As `mmplan validate` checks a file: a reference to an unknown program is found only
    # once the file is merged with the other active files (here: none).
    problems = check_catalog_data([("broken.yaml", dump(data))])
    assert problems, f"{corrupt.__name__} was not caught"
    assert all(p.file == "broken.yaml" and p.line >= 1 for p in problems)
    assert all("\n" not in str(p) for p in problems)


@pytest.mark.untraced
@PROPERTY_SETTINGS
@given(catalog_data(), st.data())
def test_junk_bytes_or_a_truncation_never_escape_as_another_exception(
    data: dict[str, Any], draw: st.DataObject
) -> None:
    text = dump(data)
    cut = draw.draw(st.integers(0, len(text)))
    if draw.draw(st.booleans()):
        text = text[:cut]
    else:
        junk = draw.draw(
            st.binary(min_size=1, max_size=8) | st.sampled_from([b"\0", b"\xff", b": ["])
        )
        text = text[:cut] + junk + text[cut:]
    problems = check_catalog_data([("junk.yaml", text)])  # raises nothing, whatever the bytes
    assert all("\n" not in str(p) and p.file == "junk.yaml" for p in problems)


@settings(max_examples=150, deadline=None)
@given(st.binary(max_size=300))
def test_arbitrary_bytes_give_problems_not_exceptions(data: bytes) -> None:
    problems = check_catalog_data([("random.bin", data)])
    assert all("\n" not in str(p) for p in problems)
