"""Eligibility: earned or not, what is missing, available, blocked; credit caveats."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import Invoke
from factories import catalog, cli_on, course, program
from mmplan.core.errors import UnknownIdError
from mmplan.render.status import course_state
from mmplan.reports.eligibility import CREDIT_CAVEATS, Status, program_status
from mmplan.selection import select_with_progress

PATHWAY = {"institution": "Uni", "degree": "MSc Data", "credit": "25%"}
PROGRAMS = (
    program(
        "ds",
        course("PROB"),
        course("STATS", prereqs=["PROB"]),
        course("LONG", weeks=10),
        course("SHORT", weeks=2),
        course("E1", weeks=6),
        course("E2", weeks=3),
        course("E3", weeks=4, prereqs=["base/INTRO"]),
        course("CAP", kind="capstone", prereqs=["STATS"], external_prerequisites=["calculus"]),
        tracks=[{"name": "Long", "courses": ["LONG"]}, {"name": "Short", "courses": ["SHORT"]}],
        electives=[{"choose": 2, "from": ["E1", "E2", "E3"]}],
        credit_pathways=[PATHWAY],
    ),
    program("base", course("INTRO")),
)
CATALOG = catalog(*PROGRAMS)
DS = CATALOG.program("ds")


def status(
    passed: tuple[str, ...] = (), started: tuple[str, ...] = (), audited: tuple[str, ...] = ()
) -> Status:
    """The status of `ds` for courses given by code (or full id, for other programs)."""
    return program_status(
        CATALOG,
        DS,
        passed=[c if "/" in c else f"ds/{c}" for c in passed],
        started=[f"ds/{c}" for c in started],
        audited=[f"ds/{c}" for c in audited],
    )


def test_from_scratch_nothing_is_earned_and_roots_are_available() -> None:
    result = status()
    assert not result.earned
    assert result.completed == ()
    # Fewest hours: track Short, electives E2 and E3.
    assert result.missing == ("ds/PROB", "ds/STATS", "ds/SHORT", "ds/E2", "ds/E3", "ds/CAP")
    assert result.available_now == ("ds/PROB", "ds/SHORT", "ds/E2")
    assert result.blocked == {
        "ds/STATS": ("ds/PROB",),
        "ds/E3": ("base/INTRO",),  # a prerequisite from another program
        "ds/CAP": ("ds/STATS",),
    }
    assert [e.course for e in result.external_prerequisites] == ["ds/CAP"]


def test_everything_passed_earns_the_credential_through_any_track() -> None:
    result = status(("PROB", "STATS", "LONG", "E1", "E3", "CAP"))
    assert result.earned
    assert result.missing == ()
    assert result.track is not None
    assert (result.track.name, result.track.satisfied) == ("Long", True)
    assert all(group.satisfied for group in result.electives)


def test_passed_electives_are_counted_before_cheaper_ones() -> None:
    result = status(("E1",), started=("E3",))
    assert result.missing == ("ds/PROB", "ds/STATS", "ds/SHORT", "ds/E3", "ds/CAP")
    assert result.in_progress == ("ds/E3",)
    assert "ds/E3" not in result.available_now  # started, not "to start"
    assert "ds/E3" not in result.blocked


def test_audited_courses_count_for_nothing() -> None:
    result = status(audited=("PROB",))
    assert "ds/PROB" in result.missing
    assert result.audited == ("ds/PROB",)
    assert result.blocked["ds/STATS"] == ("ds/PROB",)


def test_closest_track_is_reported_with_its_missing_courses() -> None:
    two_course_tracks = catalog(
        program(
            "t",
            course("A1", weeks=1),
            course("A2", weeks=1),
            course("B1", weeks=3),
            course("B2", weeks=1),
            tracks=[{"name": "A", "courses": ["A1", "A2"]}, {"name": "B", "courses": ["B1", "B2"]}],
        )
    )
    t = two_course_tracks.program("t")
    result = program_status(two_course_tracks, t, passed=["t/B1"])
    assert result.track is not None
    assert (result.track.name, result.track.satisfied, result.track.missing) == (
        "B",
        False,
        ("t/B2",),
    )
    chosen = program_status(two_course_tracks, t, passed=["t/B1"], track="a")
    assert chosen.track is not None
    assert chosen.track.missing == ("t/A1", "t/A2")
    with pytest.raises(UnknownIdError, match="did you mean 'A'"):
        program_status(two_course_tracks, t, track="AA")


def test_select_with_progress_keeps_passed_and_started_electives() -> None:
    selection = select_with_progress(DS, passed={"ds/E1"}, started={"ds/E3"})
    assert selection.codes == ("PROB", "STATS", "SHORT", "E1", "E3", "CAP")


def test_credit_pathways_come_with_honest_caveats() -> None:
    result = status()
    assert result.credit_pathways[0].institution == "Uni"
    assert result.credit_caveats == CREDIT_CAVEATS
    assert "admission is never guaranteed" in CREDIT_CAVEATS[0]
    assert "offering university only" in CREDIT_CAVEATS[1]
    bare = catalog(program("x", course("A")))
    assert program_status(bare, bare.program("x")).credit_caveats == ()


@pytest.fixture
def run(mmplan: Invoke, tmp_path: Path) -> Invoke:
    return cli_on(mmplan, tmp_path / "catalog.yaml", *PROGRAMS)


def test_status_json_has_the_documented_shape_and_uses_progress(run: Invoke) -> None:
    run("progress", "add", "ds", "PROB", "--date", "2026-01-05")
    document = json.loads(run("status", "ds", "--format", "json").stdout)
    assert list(document)[:7] == [
        "program",
        "earned",
        "completed",
        "missing",
        "available_now",
        "blocked",
        "credit_pathways",
    ]
    assert document["program"] == "ds"
    assert document["earned"] is False
    assert document["completed"] == ["ds/PROB"]
    assert document["available_now"] == ["ds/STATS", "ds/SHORT", "ds/E2"]
    assert document["blocked"] == {"ds/E3": ["base/INTRO"], "ds/CAP": ["ds/STATS"]}
    assert document["credit_pathways"][0]["degree"] == "MSc Data"

    scratch = json.loads(run("status", "ds", "--format", "json", "--ignore-progress").stdout)
    assert scratch["completed"] == []


def test_status_table_tells_the_verdict_states_and_caveats(run: Invoke) -> None:
    run("progress", "add", "ds", "PROB", "--date", "2026-01-05")
    run("progress", "start", "ds", "STATS", "--date", "2026-02-01")
    result = run("status", "ds")
    assert result.exit_code == 0, result.stderr
    out = result.stdout
    assert "Credential: not earned yet: 1 of 6 courses passed, 5 to go." in out
    assert "in progress" in out
    assert "blocked by base/INTRO" in out
    assert "not needed" in out
    assert "Track: Short (closest to done unless you chose it); missing ds/SHORT." in out
    assert "ds/CAP: calculus" in out
    assert "admission is never guaranteed" in " ".join(out.split())


def test_status_of_an_unknown_program_suggests_one(run: Invoke) -> None:
    result = run("status", "dss")
    assert result.exit_code == 1
    assert result.stderr == "Error: unknown program 'dss' (did you mean 'ds'?)\n"


def test_a_course_passed_in_another_program_under_the_same_code_counts() -> None:
    both = catalog(
        program("sds", course("14.310x"), course("6.431x")),
        program("dedp", course("14.310X"), course("14.100x")),
    )
    result = program_status(both, both.program("dedp"), passed=["sds/14.310x"])
    assert result.completed == ("dedp/14.310X",)
    assert result.missing == ("dedp/14.100x",)


def test_a_course_recommended_first_is_noted_but_never_blocks() -> None:
    advised = catalog(program("p", course("REF"), course("A", recommended=["REF"])))
    fresh = program_status(advised, advised.program("p"))
    assert fresh.available_now == ("p/REF", "p/A")
    assert fresh.blocked == {}
    assert fresh.recommended_first == {"p/A": ("p/REF",)}
    assert course_state(fresh, "p/A") == "available now; recommended first: REF"
    after = program_status(advised, advised.program("p"), passed=["p/REF"])
    assert after.recommended_first == {}
    assert course_state(after, "p/A") == "available now"


def test_blocked_courses_name_own_prerequisites_by_code_and_others_by_id(run: Invoke) -> None:
    out = run("status", "ds").stdout
    assert "blocked by PROB" in out
    assert "blocked by base/INTRO" in out


def test_picked_electives_replace_the_default_ones(run: Invoke) -> None:
    document = json.loads(run("status", "ds", "--pick", "E1", "--format", "json").stdout)
    assert "ds/E1" in document["missing"]
    assert "ds/E2" in document["missing"]  # the second: still the fewest hours left
    assert "ds/E3" not in document["missing"]  # a default choice, now displaced


def test_select_with_progress_counts_courses_taken_anyway_after_passed_and_started_ones() -> None:
    assert select_with_progress(DS, (), already_taken=["E1", "LONG"]).codes == (
        "PROB",
        "STATS",
        "LONG",
        "E1",
        "E2",
        "CAP",
    )
    # Passed, then started electives come before those taken anyway.
    selection = select_with_progress(DS, passed={"ds/E2"}, started={"ds/E3"}, already_taken=["E1"])
    assert selection.codes == ("PROB", "STATS", "SHORT", "E2", "E3", "CAP")
