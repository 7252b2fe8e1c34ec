"""Rendering `status`: the verdict, each course's state, and the credit pathways."""

from __future__ import annotations

from typing import TYPE_CHECKING

from mmplan.catalog.model import ProgramStatus
from mmplan.render.formatting import moved_line, unknown_status_line
from mmplan.render.tabular import Column, TableView, stacked, whole_word_table

if TYPE_CHECKING:
    from rich.console import RenderableType

    from mmplan.catalog.model import Program
    from mmplan.reports.eligibility import Status


def course_state(status: Status, identifier: str) -> str:
    """One course's state in words."""
    if identifier in status.completed:
        return "passed"
    parts = []
    if identifier in status.audited:
        parts.append("audited (not counted)")
    if identifier in status.in_progress:
        parts.append("in progress")
    elif identifier in status.available_now:
        parts.append("available now")
        if identifier in status.recommended_first:
            own = f"{status.program}/"
            first = [i.removeprefix(own) for i in status.recommended_first[identifier]]
            parts.append("recommended first: " + ", ".join(first))
    elif identifier in status.blocked:
        own = f"{status.program}/"  # the program's own courses by code, others by id
        needs = [i.removeprefix(own) for i in status.blocked[identifier]]
        parts.append("blocked by " + ", ".join(needs))
    if identifier not in status.missing:
        parts.append("not needed")
    return "; ".join(parts)


def status_table(status: Status, program: Program) -> TableView:
    """Every course of the program with its state; courses not needed are marked so."""
    rows = tuple(
        (
            course.code,  # the title names the program
            course.title,
            course.kind.value,
            course_state(status, f"{program.id}/{course.code}"),
        )
        for course in program.courses
    )
    return TableView(
        title=f"{status.program}: {status.title}",
        columns=(
            Column("Course", no_wrap=True),
            Column("Title"),
            Column("Kind", no_wrap=True),
            Column("State"),
        ),
        rows=rows,
    )


_STATE_WIDTH = len("available now")  # the longest one-word-pair state stays on one line


def _status_table(status: Status, program: Program, width: int) -> RenderableType:
    """The table, when every column has room for its longest word; else a block per course
    (long slug ids such as `lei-improvement-science` leave the titles no room)."""
    view = status_table(status, program)
    return whole_word_table(view, width, (0, 0, 0, _STATE_WIDTH)) or stacked(view, width)


def _pathways_table(status: Status, width: int) -> RenderableType:
    """The credit pathways: a table, or a block per pathway where a word would be cut."""
    view = TableView(
        title="Credit pathways",
        columns=(Column("Institution"), Column("Degree"), Column("Credit")),
        rows=tuple((p.institution, p.degree, p.credit) for p in status.credit_pathways),
    )
    return whole_word_table(view, width) or stacked(view, width)


def verdict(status: Status) -> str:
    """The one-line answer: earned, or how much is left."""
    if status.earned:
        return "Credential: earned (every course it needs passed with a verified certificate)."
    needed = len(status.needed)
    return (
        f"Credential: not earned yet: {needed - len(status.missing)} of {needed} courses "
        f"passed, {len(status.missing)} to go."
    )


def status_view(status: Status, program: Program, width: int) -> list[RenderableType]:
    """The verdict, the course table (for a terminal `width` wide), tracks and electives,
    external checks, credit."""
    from rich.padding import Padding
    from rich.text import Text

    out: list[RenderableType] = [Text(verdict(status))]
    if program.status is ProgramStatus.RETIRED:
        out.append(
            Text(
                f"{program.id} is {program.status_text}: its courses can no longer be "
                "taken; this shows what you passed before."
            )
        )
    elif program.status is ProgramStatus.MOVED:
        out.append(Text(moved_line(program.id, program.platform, program.status_text)))
    elif program.status is ProgramStatus.UNKNOWN:
        out.append(Text(unknown_status_line(program.id, program.status_text)))
    out.append(_status_table(status, program, width))
    if status.track is not None:
        if status.track.satisfied:
            out.append(Text(f"Track: {status.track.name}, complete."))
        else:
            out.append(
                Text(
                    f"Track: {status.track.name} (closest to done unless you chose it); "
                    f"missing {', '.join(status.track.missing)}."
                )
            )
    for group in status.electives:
        state = "satisfied" if group.satisfied else f"{group.choose - len(group.passed)} more"
        passed = ", ".join(group.passed) or "none"
        out.append(
            Text(
                f"Electives: choose {group.choose} of {', '.join(group.options)}; "
                f"passed: {passed}; {state}."
            )
        )
    if status.audited:
        out.append(
            Text(
                "Audited, so not counted: "
                + ", ".join(status.audited)
                + ". The credential needs a verified certificate for each."
            )
        )
    if status.external_prerequisites:
        out.append(Text("Check these prerequisites yourself:"))
        out.extend(  # indented as a block, so a wrapped requirement stays under its course
            Padding(Text(f"{item.course}: {item.requirement}"), (0, 0, 0, 2))
            for item in status.external_prerequisites
        )
    if status.credit_pathways:
        out.append(_pathways_table(status, width))
        out.extend(Text(caveat) for caveat in status.credit_caveats)
    else:
        out.append(Text("Credit pathways: none recorded in the catalog for this program."))
    return out
