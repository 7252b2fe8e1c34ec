"""The learner's records, as the `mmplan progress` commands keep them: add, start, remove,
show, export and import, each checked against the catalog and written to the store."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from mmplan.catalog.model import Catalog
    from mmplan.progress.model import ProgressChange, ProgressReport


@dataclass(frozen=True)
class Stored:
    """What a command changed in the progress store, and how messages name the store."""

    change: ProgressChange
    where: str


def add_completed(
    catalog: Catalog,
    program: str,
    codes: Iterable[str],
    *,
    day: str,
    today: date,
    verified: bool = True,
    grade: float | None = None,
    hours_spent: float | None = None,
) -> Stored:
    """Record passed courses (`day`: YYYY-MM-DD or `today`); `hours_spent` is for one."""
    from mmplan.core.errors import UsageError
    from mmplan.progress.model import (
        Certificate,
        CompletedCourse,
        new_record,
        parse_day,
        record_completed,
        resolve_courses,
    )
    from mmplan.progress.store import ProgressStore

    ids = resolve_courses(catalog, program, codes)
    if hours_spent is not None and len(ids) > 1:
        raise UsageError("--hours-spent applies to one course; record each course on its own")
    completed_on = parse_day(day, today=today, what="--date")
    certificate = Certificate.VERIFIED if verified else Certificate.AUDIT
    records = [
        new_record(
            CompletedCourse,
            program=program_id,
            code=code,
            completed_on=completed_on,
            certificate=certificate,
            grade=grade,
            hours_spent=hours_spent,
        )
        for program_id, _, code in (i.partition("/") for i in ids)
    ]
    store = ProgressStore.default()
    change = store.change(lambda progress: record_completed(progress, records))
    return Stored(change, store.shown_as)


def add_started(
    catalog: Catalog, program: str, code: str, *, day: str, today: date, percent: float = 0
) -> Stored:
    """Record a course under way since `day`, `percent` done."""
    from mmplan.progress.model import (
        StartedCourse,
        new_record,
        parse_day,
        record_started,
        resolve_courses,
    )
    from mmplan.progress.store import ProgressStore

    (course,) = resolve_courses(catalog, program, [code])
    program_id, _, course_code = course.partition("/")
    record = new_record(
        StartedCourse,
        program=program_id,
        code=course_code,
        started_on=parse_day(day, today=today, what="--date"),
        percent_done=percent,
    )
    store = ProgressStore.default()
    return Stored(store.change(lambda progress: record_started(progress, record)), store.shown_as)


def remove(catalog: Catalog, program: str, codes: Iterable[str]) -> Stored:
    """Forget recorded courses, completed or under way."""
    from mmplan.progress.model import remove_courses, resolve_recorded
    from mmplan.progress.store import ProgressStore

    store = ProgressStore.default()
    change = store.change(
        lambda progress: remove_courses(
            progress, resolve_recorded(catalog, progress, program, codes)
        )
    )
    return Stored(change, store.shown_as)


def report(catalog: Catalog, program: str | None = None) -> tuple[ProgressReport, str]:
    """The records (of `program` only, when given) as `progress show` gives them, and how
    messages name the store."""
    from mmplan.catalog.lookup import find_program
    from mmplan.progress.model import progress_report
    from mmplan.progress.store import ProgressStore

    program_id = find_program(catalog, program).id if program is not None else None
    store = ProgressStore.default()
    return progress_report(store.load(), catalog, program_id), store.shown_as


def export() -> str:
    """The recorded progress as the YAML `progress import` reads."""
    from mmplan.progress.store import ProgressStore, dump_progress

    return dump_progress(ProgressStore.default().load())


def import_file(catalog: Catalog, file: Path, *, today: date, replace: bool = False) -> Stored:
    """Merge in (or, with `replace`, replace the progress with) a file `export` wrote,
    checked in full against the catalog before anything is written."""
    from mmplan.progress.model import check_against_catalog, merge_progress, replace_progress
    from mmplan.progress.store import ProgressStore, read_progress_file

    incoming = read_progress_file(file)
    check_against_catalog(incoming, catalog, today=today, source=str(file))
    apply = replace_progress if replace else merge_progress
    store = ProgressStore.default()
    return Stored(store.change(lambda progress: apply(progress, incoming)), store.shown_as)
