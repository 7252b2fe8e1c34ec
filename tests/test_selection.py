"""Which courses a learner takes: required, one track, chosen electives."""

from __future__ import annotations

import pytest

from factories import catalog, course, program
from mmplan.core.errors import UnknownIdError, UsageError
from mmplan.selection import (
    Choice,
    parse_choices,
    select_courses,
    select_programs,
    select_with_progress,
)

SDS_LIKE = catalog(
    program(
        "sds",
        course("CORE"),
        course("LONG", weeks=10),
        course("SHORT", weeks=2),
        course("E1", weeks=6),
        course("E2", weeks=3),
        course("E3", weeks=4),
        tracks=[{"name": "Long", "courses": ["LONG"]}, {"name": "Short", "courses": ["SHORT"]}],
        electives=[{"choose": 2, "from": ["E1", "E2", "E3"]}],
    )
).program("sds")


def test_without_choices_the_fewest_hours_are_chosen_and_said() -> None:
    selection = select_courses(SDS_LIKE)
    assert selection.codes == ("CORE", "SHORT", "E2", "E3")
    assert selection.track == "Short"
    assert "track 'Short' (fewest hours)" in selection.chosen_for_you
    assert {c.code: c.reason for c in selection.courses}["E2"] == "elective: choose 2 of 3"


def test_track_and_picks_are_honoured_case_insensitively() -> None:
    selection = select_courses(SDS_LIKE, track="long", picks=["E1"])
    assert selection.codes == ("CORE", "LONG", "E1", "E2")
    assert selection.chosen_for_you == ("elective E2 (fewest hours)",)


def test_unknown_track_and_pick_suggest_the_right_name() -> None:
    with pytest.raises(UnknownIdError, match="did you mean 'Short'"):
        select_courses(SDS_LIKE, track="Shrt")
    with pytest.raises(UnknownIdError, match="did you mean 'E1'"):
        select_courses(SDS_LIKE, picks=["E11"])


def test_too_many_picks_are_refused() -> None:
    with pytest.raises(UsageError, match="allows only 2"):
        select_courses(SDS_LIKE, picks=["E1", "E2", "E3"])


def test_an_elective_taken_anyway_is_preferred_over_a_shorter_one_and_said() -> None:
    selection = select_courses(SDS_LIKE, already_taken=["E1"])
    assert selection.codes == ("CORE", "SHORT", "E1", "E2")
    assert "elective E1 (already in your plan)" in selection.chosen_for_you
    assert "elective E2 (fewest hours)" in selection.chosen_for_you


def test_a_track_whose_courses_are_taken_anyway_costs_no_extra_hours() -> None:
    selection = select_courses(SDS_LIKE, already_taken=["LONG"])
    assert selection.track == "Long"
    assert "track 'Long' (fewest extra hours: LONG already in your plan)" in (
        selection.chosen_for_you
    )


def test_several_electives_taken_anyway_tie_in_catalog_order() -> None:
    selection = select_courses(SDS_LIKE, already_taken=["E3", "E1", "E2"])
    assert selection.codes == ("CORE", "SHORT", "E1", "E2")


def test_explicit_track_and_picks_win_over_courses_taken_anyway() -> None:
    selection = select_courses(
        SDS_LIKE, track="Short", picks=["E2", "E3"], already_taken=["LONG", "E1"]
    )
    assert selection.codes == ("CORE", "SHORT", "E2", "E3")
    assert selection.chosen_for_you == ()


def test_courses_taken_anyway_outside_the_choices_change_nothing() -> None:
    assert select_courses(SDS_LIKE, already_taken=["CORE", "NOT-HERE"]) == select_courses(SDS_LIKE)


# Two programs that share a code: q requires E1, which p offers as an elective.
TWO = catalog(
    program(
        "p",
        course("CORE"),
        course("E1", weeks=6),
        course("E2", weeks=3),
        electives=[{"choose": 1, "from": ["E1", "E2"]}],
    ),
    program("q", course("e1", weeks=6), course("Q")),
)


def first_id(identifier: str) -> str:
    """Counts p/E1 and q/e1 as one course, as the commands do."""
    return {"q/e1": "p/E1"}.get(identifier, identifier)


def test_select_programs_prefers_what_another_program_takes_anyway() -> None:
    programs = list(TWO.programs)
    choices = parse_choices(programs)
    alone = select_programs(programs[:1], choices, counted_as=first_id)
    together = select_programs(programs, choices, counted_as=first_id)
    assert alone["p"].codes == ("CORE", "E2")  # fewest hours
    assert together["p"].codes == ("CORE", "E1")  # q requires it: no extra hours
    assert together["p"].chosen_for_you == ("elective E1 (already in your plan)",)


def test_select_programs_keeps_passed_electives_and_explicit_picks() -> None:
    programs = list(TWO.programs)[:1]
    passed = select_programs(
        programs, parse_choices(programs), counted_as=first_id, passed={"p/E1"}
    )
    assert passed["p"].codes == ("CORE", "E1")
    picked = select_programs(
        programs, parse_choices(programs, picks=["E2"]), counted_as=first_id, passed={"p/E1"}
    )
    assert picked["p"].codes == ("CORE", "E2")  # the learner's pick wins over a passed course


def test_select_with_progress_says_which_track_it_chose_until_one_is_begun() -> None:
    fresh = select_with_progress(SDS_LIKE, passed=())
    assert fresh.track == "Short"
    assert "track 'Short' (fewest hours)" in fresh.chosen_for_you
    begun = select_with_progress(SDS_LIKE, passed={"sds/LONG"})
    assert begun.track == "Long"  # the closest to done
    assert not any(note.startswith("track") for note in begun.chosen_for_you)


def test_parse_choices_gives_each_program_its_track_and_picks() -> None:
    programs = [SDS_LIKE, *TWO.programs]
    choices = parse_choices(programs, tracks=["long"], picks=["E2", "p/E1", "sds/E3"])
    assert choices["sds"] == Choice(track="Long", picks=("E2", "E3"))
    assert choices["p"] == Choice(picks=("E1",))
    assert choices["q"] == Choice()
