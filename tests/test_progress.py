"""The progress model: pure changes, the file format, pace, and checks against the catalog."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from factories import catalog, course, program
from mmplan.core.errors import ProgressError, UnknownIdError, UsageError
from mmplan.progress.model import (
    Certificate,
    CompletedCourse,
    Progress,
    StartedCourse,
    check_against_catalog,
    merge_progress,
    new_record,
    pace_ratio,
    parse_day,
    progress_report,
    record_completed,
    record_started,
    remove_courses,
    replace_progress,
    resolve_courses,
)
from mmplan.progress.store import ProgressStore, dump_progress, parse_progress, progress_directory

TODAY = date(2026, 11, 15)
CATALOG = catalog(
    program("p", course("A", weeks=10, hours=[4, 6]), course("B"), course("C")),
    program("q", course("X", weeks=2, hours=10)),
)


def done(code: str, program_id: str = "p", **extra: object) -> CompletedCourse:
    return CompletedCourse.model_validate(
        {"program": program_id, "code": code, "completed_on": date(2026, 1, 5), **extra}
    )


def started(code: str, percent: float = 0) -> StartedCourse:
    return StartedCourse(program="p", code=code, started_on=date(2026, 10, 1), percent_done=percent)


def test_adding_records_a_course_and_readding_replaces_it() -> None:
    progress, change = record_completed(Progress(), [done("B"), done("A")])
    assert [r.id for r in progress.completed] == ["p/A", "p/B"]
    assert change.added == ("p/B", "p/A")

    progress, change = record_completed(progress, [done("A", grade=0.9)])
    assert progress.completed_record("p/A") == done("A", grade=0.9)
    assert change.updated == ("p/A",)
    assert len(progress.completed) == 2

    _, change = record_completed(progress, [done("A", grade=0.9)])
    assert change.unchanged == ("p/A",)


def test_completing_a_started_course_moves_it_out_of_in_progress() -> None:
    progress, _ = record_started(Progress(), started("A", 40))
    progress, change = record_completed(progress, [done("A")])
    assert progress.in_progress == ()
    assert progress.passed_ids == {"p/A"}
    assert change.updated == ("p/A",)


def test_starting_a_completed_course_is_refused() -> None:
    progress, _ = record_completed(Progress(), [done("A")])
    with pytest.raises(UsageError, match=r"already recorded as completed.*progress remove p A"):
        record_started(progress, started("A"))


def test_audited_courses_do_not_count() -> None:
    progress, _ = record_completed(Progress(), [done("A", certificate="audit"), done("B")])
    assert progress.passed_ids == {"p/B"}
    assert progress.completed_record("p/A") is not None
    assert progress.completed_record("p/A").certificate is Certificate.AUDIT  # type: ignore[union-attr]


def test_removing_an_unrecorded_course_suggests_a_recorded_one() -> None:
    progress, _ = record_completed(Progress(), [done("A"), done("B")])
    with pytest.raises(
        UnknownIdError, match=r"p/AA is not in your progress \(did you mean 'p/A'\?\)"
    ):
        remove_courses(progress, ["p/AA"])
    progress, change = remove_courses(progress, ["p/A"])
    assert [r.id for r in progress.completed] == ["p/B"]
    assert change.removed == ("p/A",)


def test_a_course_recorded_twice_is_invalid() -> None:
    with pytest.raises(ValueError, match="p/A is recorded more than once"):
        Progress(completed=(done("A"),), in_progress=(started("A"),))


def test_merge_keeps_other_records_and_lets_the_file_win() -> None:
    current, _ = record_completed(Progress(), [done("A"), done("B")])
    incoming = Progress(completed=(done("B", grade=0.5), done("X", "q")))
    merged, change = merge_progress(current, incoming)
    assert [r.id for r in merged.completed] == ["p/A", "p/B", "q/X"]
    assert merged.completed_record("p/B") == done("B", grade=0.5)
    assert (change.added, change.updated, change.removed) == (("q/X",), ("p/B",), ())


def test_replace_makes_the_file_the_whole_progress_and_says_what_went() -> None:
    current, _ = record_completed(Progress(), [done("A"), done("B")])
    incoming = Progress(completed=(done("B"),), in_progress=(started("C"),))
    replaced, change = replace_progress(current, incoming)
    assert replaced == incoming
    assert (change.added, change.unchanged, change.removed) == (("p/C",), ("p/B",), ("p/A",))


def test_resolve_accepts_any_case_prefixes_and_other_programs() -> None:
    assert resolve_courses(CATALOG, "P", ["a", "q/x", "B", "A"]) == ("p/A", "q/X", "p/B")
    with pytest.raises(UnknownIdError, match="unknown course in p 'D'"):
        resolve_courses(CATALOG, "p", ["D"])
    with pytest.raises(UnknownIdError, match="did you mean 'q'"):
        resolve_courses(CATALOG, "qq", ["X"])


def test_dates_in_the_future_or_before_edx_are_refused() -> None:
    assert parse_day("today", today=TODAY, what="--date") == TODAY
    assert parse_day("2026-11-15", today=TODAY, what="--date") == TODAY
    with pytest.raises(UsageError, match="--date 2026-11-16 is in the future"):
        parse_day("2026-11-16", today=TODAY, what="--date")
    with pytest.raises(UsageError, match="before edX"):
        parse_day("1999-01-01", today=TODAY, what="--date")
    with pytest.raises(UsageError, match="'15/11/2026' is not a date"):
        parse_day("15/11/2026", today=TODAY, what="--date")


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"grade": 1.5}, "grade 1.5: Input should be less than or equal to 1"),
        ({"grade": -0.1}, "grade -0.1"),
        ({"hours_spent": 0}, "hours-spent 0"),
        ({"hours_spent": 9000}, "hours-spent 9000"),
        ({"hours_spent": float("nan")}, "hours-spent nan"),
    ],
)
def test_absurd_values_are_usage_errors(values: dict[str, object], message: str) -> None:
    with pytest.raises(UsageError, match=message):
        new_record(CompletedCourse, program="p", code="A", completed_on=TODAY, **values)


def test_absurd_percent_is_a_usage_error() -> None:
    with pytest.raises(UsageError, match="percent-done 100"):
        new_record(StartedCourse, program="p", code="A", started_on=TODAY, percent_done=100)


def test_import_check_names_the_file_the_course_and_the_problem() -> None:
    good = Progress(completed=(done("A"),))
    check_against_catalog(good, CATALOG, today=TODAY, source="f.yaml")
    with pytest.raises(UnknownIdError, match=r"f.yaml: p/Z: unknown course in p 'Z'"):
        check_against_catalog(
            Progress(completed=(done("Z"),)), CATALOG, today=TODAY, source="f.yaml"
        )
    with pytest.raises(UnknownIdError, match=r"unknown program 'pp' .did you mean 'p'"):
        check_against_catalog(
            Progress(completed=(done("A", "pp"),)), CATALOG, today=TODAY, source="f.yaml"
        )
    future = Progress(completed=(done("A", completed_on=date(2027, 1, 1)),))
    with pytest.raises(ProgressError, match=r"f\.yaml: p/A: date 2027-01-01 is in the future"):
        check_against_catalog(future, CATALOG, today=TODAY, source="f.yaml")


def test_pace_is_real_hours_over_published_mid_hours() -> None:
    progress = Progress(
        completed=(
            done("A", hours_spent=75),  # 10 weeks x 5 h = 50 h published
            done("X", "q", hours_spent=15, certificate="audit"),  # 2 x 10 = 20 h
            done("B"),  # no hours: not part of the ratio
            done("GONE", hours_spent=500),  # left the catalog: ignored
        )
    )
    pace = pace_ratio(progress, CATALOG)
    assert pace is not None
    assert (pace.hours_spent, pace.published_hours, pace.courses) == (90, 70, 2)
    assert pace.ratio == pytest.approx(90 / 70)
    assert pace_ratio(Progress(completed=(done("B"),)), CATALOG) is None


def test_report_filters_by_program_and_lists_records_not_in_the_catalog() -> None:
    progress = Progress(
        completed=(done("A"), done("X", "q"), done("GONE")), in_progress=(started("B", 40),)
    )
    report = progress_report(progress, CATALOG, "p")
    assert [r.id for r in report.completed] == ["p/A", "p/GONE"]
    assert report.completed[0].title == "Course A"
    assert report.completed[0].published_hours == 50
    assert [r.id for r in report.in_progress] == ["p/B"]
    assert report.not_in_catalog == ("p/GONE",)


def test_the_file_is_readable_yaml_with_a_version_and_no_anchors() -> None:
    progress, _ = record_completed(
        Progress(), [done("A", grade=0.87, hours_spent=150), done("B", certificate="audit")]
    )
    progress, _ = record_started(progress, started("C", 40))
    text = dump_progress(progress)
    assert text.startswith("# mmplan progress")
    assert "schema_version: 1\n" in text
    assert "  hours_spent: 150\n" in text  # whole numbers without .0
    assert "certificate: audit" in text
    assert "&id" not in text  # two records on one date spell it out twice
    assert parse_progress(text.encode(), "x") == progress


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("schema_version: [1\n", r"x:2:1: invalid YAML: did not find expected ','"),
        ("", "x: the file is empty"),
        ("- 1\n- 2\n", "x: expected a mapping .* found list"),
        ("completed: []\n", "x: schema_version is missing"),
        ("schema_version: 2\n", "x: schema_version 2 is not supported .* upgrade mmplan"),
        (
            "schema_version: 1\ncompleted:\n"
            "- {program: p, code: A, completed_on: 2026-01-01, grade: high}\n",
            r"x:3:58: completed\[0\]\.grade: Input should be a valid number.* \(got 'high'\)",
        ),
        ("schema_version: 1\nfinished: []\n", "x:2:1: finished: Extra inputs are not permitted"),
    ],
)
def test_unreadable_documents_say_which_file_and_what(text: str, message: str) -> None:
    with pytest.raises(ProgressError, match=message):
        parse_progress(text.encode(), "x")


def test_mmplan_home_overrides_the_data_directory() -> None:
    assert str(progress_directory({"MMPLAN_HOME": "/some/where"})) == "/some/where"
    assert progress_directory({}).name == "mmplan"


records = st.builds(
    CompletedCourse,
    program=st.sampled_from(["p", "q", "data-science"]),
    code=st.from_regex(r"[ABCxyz0-3][ABCxyz0-3._-]{0,7}", fullmatch=True),
    completed_on=st.dates(date(2012, 1, 1), TODAY),
    certificate=st.sampled_from(Certificate),
    grade=st.none() | st.floats(0, 1),
    hours_spent=st.none() | st.floats(0.5, 2000),
)


@settings(max_examples=60, deadline=None)
@given(st.lists(records, max_size=8, unique_by=lambda r: r.id))
def test_any_progress_survives_a_round_trip_through_the_file(
    completed: list[CompletedCourse],
) -> None:
    progress, _ = record_completed(Progress(), completed)
    assert parse_progress(dump_progress(progress).encode(), "x") == progress


def test_the_default_store_is_in_the_user_data_directory_unless_mmplan_home_says(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = ProgressStore.default()
    assert store.path == tmp_path / "home" / "progress.yaml"  # conftest sets MMPLAN_HOME
    assert store.shown_as == "$MMPLAN_HOME/progress.yaml"
    monkeypatch.delenv("MMPLAN_HOME")
    store = ProgressStore.default()
    assert store.path == tmp_path / "data" / "mmplan" / "progress.yaml"  # XDG_DATA_HOME
    assert store.shown_as == str(store.path)


def test_a_lock_that_cannot_be_taken_is_one_clear_error(tmp_path: Path) -> None:
    store = ProgressStore(tmp_path / "progress.yaml")
    store.lock_path.mkdir()  # a directory where the lock file should be
    with pytest.raises(ProgressError, match=r"progress\.yaml\.lock: cannot lock"):
        store.change(lambda progress: record_completed(progress, [done("A")]))
    assert not store.path.exists()
