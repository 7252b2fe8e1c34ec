"""The catalog overlay: applied over the catalog files, named, cached, refused when broken."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from factories import catalog, course, program
from mmplan.catalog.load import CatalogSources, load_active_catalog
from mmplan.catalog.model import Pacing, PriceRange, ProgramStatus
from mmplan.catalog.overlay import (
    OVERLAY_FILE_NAME,
    PREVIOUS_FILE_NAME,
    apply_overlay,
    parse_overlay,
    write_overlay,
)
from mmplan.core.errors import CatalogError

API = "https://mitxonline.mit.edu/api/v2"
COURSES_PAGE = f"{API}/courses/?page=1"
PROGRAMS_PAGE = f"{API}/programs/?page=1"


def sourced(value: Any, source: str = COURSES_PAGE, **extra: Any) -> dict[str, Any]:
    return {"value": value, "source": source, "retrieved": "2026-12-07", **extra}


def course_patch(code: str, **facts: Any) -> dict[str, Any]:
    return {
        "code": code,
        "key": f"course-v1:MITx+{code}",
        "source": COURSES_PAGE,
        "retrieved": "2026-12-07",
        **facts,
    }


def overlay(*courses: dict[str, Any], programs: tuple[dict[str, Any], ...] = ()) -> dict[str, Any]:
    return {
        "overlay_version": 1,
        "platform": "MITx Online",
        "base_url": "https://mitxonline.mit.edu",
        "retrieved": "2026-12-07",
        "programs": list(programs),
        "courses": list(courses),
    }


def run(start: str, *, self_paced: bool = False) -> dict[str, Any]:
    return {"key": f"course-v1:MITx+X+{start}", "start": start, "self_paced": self_paced}


def write(home: Path, document: dict[str, Any]) -> Path:
    home.mkdir(parents=True, exist_ok=True)
    path = home / OVERLAY_FILE_NAME
    path.write_text(json.dumps(document), encoding="utf-8")
    return path


DEDP_RUNS = course_patch(
    "14.310x",
    runs=sourced([run("2026-09-01"), run("2027-02-02"), run("2027-06-01")]),
    price_usd=sourced([150, 1000]),
)


def test_course_facts_replace_the_curated_ones_in_every_program_that_lists_the_course() -> None:
    curated = catalog(
        program(
            "a",
            course(
                "X", pacing="self", session_starts=["02-01"], estimated=["pacing", "session_starts"]
            ),
        ),
        program(
            "b",
            course("X", pacing="self", session_starts=["02-01"], estimated=["session_starts"]),
            course("Y"),
        ),
    )
    patch = course_patch(
        "X",
        runs=sourced([run("2026-09-01"), run("2027-03-01")]),
        pacing=sourced("instructor"),
        price_usd=sourced(250),
    )
    merged, refreshed = apply_overlay(
        curated, parse_overlay(json.dumps(overlay(patch)).encode(), "o")
    )
    for program_id in ("a", "b"):
        x = merged.program(program_id).course("X")
        assert x.runs == (date(2026, 9, 1), date(2027, 3, 1))
        # The estimated yearly pattern stays: the planner continues it after the last run.
        assert x.session_starts == ("02-01",)
        assert x.pacing is Pacing.INSTRUCTOR
        assert x.price_usd == PriceRange(lo=250, hi=250)
        assert x.estimated == ("session_starts",)
        assert COURSES_PAGE in merged.program(program_id).sources
    assert merged.program("b").course("Y") == curated.program("b").course("Y")
    assert [r.program_id for r in refreshed] == ["a", "b"]
    assert refreshed[0].text == "runs and prices from MITx Online, retrieved 2026-12-07"


def test_past_runs_keep_the_yearly_pattern_and_self_paced_runs_set_no_start() -> None:
    curated = catalog(program("a", course("X", session_starts=["02-01"]), course("Y")))
    document = overlay(
        course_patch("X", runs=sourced([run("2025-02-03")])),
        course_patch("Y", runs=sourced([run("2027-01-05", self_paced=True)])),
    )
    merged, _ = apply_overlay(curated, parse_overlay(json.dumps(document).encode(), "o"))
    x, y = merged.program("a").courses
    assert x.runs == (date(2025, 2, 3),)
    assert x.session_starts == ("02-01",)
    assert y.runs == ()


def test_a_requirement_tree_naming_a_course_the_program_lacks_is_left_out() -> None:
    curated = catalog(program("a", course("X"), course("Y"), course("Z")))
    good = {
        "id": "a",
        "key": "program-v1:MITx+A",
        "matched_by": "readable id",
        "source": PROGRAMS_PAGE,
        "retrieved": "2026-12-07",
        "requirements": {
            "electives": [{"choose": 1, "from": ["Y", "Z"]}],
            "source": PROGRAMS_PAGE,
            "retrieved": "2026-12-07",
        },
        "status": sourced("retired", PROGRAMS_PAGE, note="not live on MITx Online"),
    }
    merged, _ = apply_overlay(
        curated, parse_overlay(json.dumps(overlay(programs=(good,))).encode(), "o")
    )
    assert merged.program("a").electives[0].from_ == ("Y", "Z")
    assert merged.program("a").status is ProgramStatus.RETIRED
    bad = {
        **good,
        "requirements": {**good["requirements"], "electives": [{"choose": 1, "from": ["Q"]}]},
    }
    merged, refreshed = apply_overlay(
        curated, parse_overlay(json.dumps(overlay(programs=(bad,))).encode(), "o")
    )
    assert merged.program("a") == curated.program("a")
    assert refreshed == ()


def test_a_new_program_comes_in_whole_unless_its_id_is_taken() -> None:
    curated = catalog(program("a", course("X")))
    new = {
        "id": "mitxonline-new",
        "key": "program-v1:MITx+NEW",
        "matched_by": "new",
        "source": PROGRAMS_PAGE,
        "retrieved": "2026-12-07",
        "new": {**program("mitxonline-new", course("N")), "platform": "MITx Online"},
    }
    taken = {**new, "id": "a", "new": program("a", course("Q"))}
    document = overlay(programs=(new, taken))
    merged, refreshed = apply_overlay(curated, parse_overlay(json.dumps(document).encode(), "o"))
    assert [p.id for p in merged.programs] == ["a", "mitxonline-new"]
    assert merged.program("a") == curated.program("a")
    assert refreshed[0].new
    assert refreshed[0].text == "from MITx Online, retrieved 2026-12-07"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("{", "not JSON"),
        ('{"overlay_version": 2}', "overlay_version"),
        (json.dumps({**overlay(), "retrieved": "yesterday"}), "retrieved"),
        (json.dumps(overlay(course_patch("X", price_usd=sourced("$5")))), "courses.0.price_usd"),
        (
            json.dumps(overlay(course_patch("X", runs=sourced([run("2027-02-30")])))),
            "courses.0.runs",
        ),
        (json.dumps({**overlay(), "base_url": "ftp://example.org"}), "base_url"),
    ],
)
def test_a_broken_overlay_is_one_error_naming_the_file_and_place(text: str, expected: str) -> None:
    with pytest.raises(CatalogError) as raised:
        parse_overlay(text.encode(), "overlay.json")
    message = str(raised.value)
    assert message.startswith("overlay.json: catalog overlay: ")
    assert expected in message
    assert "--no-overlay" in message


def test_the_loader_applies_the_overlay_and_its_cache_follows_the_file(tmp_path: Path) -> None:
    path = write(tmp_path, overlay(DEDP_RUNS))
    sources = CatalogSources(overlay=path)
    loaded = load_active_catalog(sources)
    assert loaded.catalog.program("mitx-dedp").course("14.310x").runs[-1] == date(2027, 6, 1)
    assert loaded.catalog.program("mitx-sds").course("14.310x").runs[-1] == date(2027, 6, 1)
    assert {r.program_id for r in loaded.refreshed} == {"mitx-dedp", "mitx-sds"}
    assert load_active_catalog(sources) == loaded  # from the cache, the same
    changed = course_patch("14.310x", runs=sourced([run("2028-01-04")]))
    write(tmp_path, overlay(changed))
    assert load_active_catalog(sources).catalog.program("mitx-dedp").course("14.310x").runs == (
        date(2028, 1, 4),
    )
    assert load_active_catalog(CatalogSources()).refreshed == ()


def test_writing_an_overlay_keeps_the_previous_one(tmp_path: Path) -> None:
    write_overlay(tmp_path, b"first")
    assert not (tmp_path / PREVIOUS_FILE_NAME).exists()
    write_overlay(tmp_path, b"second")
    assert (tmp_path / OVERLAY_FILE_NAME).read_bytes() == b"second"
    assert (tmp_path / PREVIOUS_FILE_NAME).read_bytes() == b"first"


def test_commands_use_the_overlay_and_no_overlay_leaves_it_out(mmplan: Any) -> None:
    home = Path(__import__("os").environ["MMPLAN_HOME"])
    write(home, overlay(DEDP_RUNS))
    shown = mmplan("show", "mitx-dedp", "--format", "json")
    assert shown.exit_code == 0, shown.stderr
    assert "2027-06-01" in shown.stdout
    plain = mmplan("--no-overlay", "show", "mitx-dedp", "--format", "json")
    assert plain.exit_code == 0
    assert "2027-06-01" not in plain.stdout
    (home / OVERLAY_FILE_NAME).write_text("{broken", encoding="utf-8")
    broken = mmplan("list")
    assert broken.exit_code == 1
    assert broken.stderr.startswith("Error: ")
    assert OVERLAY_FILE_NAME in broken.stderr
    assert len(broken.stderr.strip().splitlines()) == 1
    assert mmplan("--no-overlay", "list").exit_code == 0


def test_json_of_plan_list_and_show_names_the_overlay_source_and_day(mmplan: Any) -> None:
    home = Path(__import__("os").environ["MMPLAN_HOME"])
    expected = {
        "program": "mitx-dedp",
        "what": "runs and prices",
        "platform": "MITx Online",
        "source": COURSES_PAGE,
        "retrieved": "2026-12-07",
    }
    commands = {
        "show": ("show", "mitx-dedp"),
        "list": ("list",),
        "plan": ("plan", "mitx-dedp", "--start", "2027-01-04", "--solver-seconds", "0"),
    }
    for name, args in commands.items():
        plain = mmplan(*args, "--format", "json")
        assert plain.exit_code == 0, plain.stderr
        assert "data_sources" not in json.loads(plain.stdout), name
    write(home, overlay(DEDP_RUNS))
    for name, args in commands.items():
        result = mmplan(*args, "--format", "json")
        assert result.exit_code == 0, result.stderr
        sources = json.loads(result.stdout)["data_sources"]
        assert expected in sources, name
        assert {s["program"] for s in sources} <= {"mitx-dedp", "mitx-sds"}, name
    shown = json.loads(mmplan("show", "mitx-scm", "--format", "json").stdout)
    assert "data_sources" not in shown  # the overlay has no fact of this program
    left_out = mmplan("--no-overlay", "show", "mitx-dedp", "--format", "json")
    assert "data_sources" not in json.loads(left_out.stdout)


def test_the_python_api_applies_an_overlay_only_when_asked(tmp_path: Path) -> None:
    import os

    import mmplan

    home = Path(os.environ["MMPLAN_HOME"])
    write(home, overlay(DEDP_RUNS))
    newest = date(2027, 6, 1)
    assert newest not in mmplan.load_catalog().program("mitx-dedp").course("14.310x").runs
    mine = mmplan.load_catalog(overlay=True)
    assert mine.program("mitx-dedp").course("14.310x").runs[-1] == newest
    other = write(tmp_path, overlay(course_patch("14.310x", runs=sourced([run("2028-01-04")]))))
    named = mmplan.load_catalog(overlay=other)
    assert named.program("mitx-dedp").course("14.310x").runs == (date(2028, 1, 4),)
    with pytest.raises(mmplan.MmplanError, match="catalog overlay: no such file"):
        mmplan.load_catalog(overlay=tmp_path / "missing.json")
