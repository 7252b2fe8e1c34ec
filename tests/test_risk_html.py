"""The page's S-curve (`plan --risk --format html`): its labels never meet, on any plan."""

from __future__ import annotations

import itertools
from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from mmplan.render.risk import (
    CHAR_WIDTH,
    CURVE_LEFT,
    CURVE_RIGHT,
    CURVE_WIDTH,
    _ticks,
    place_marks,
)

RIGHT = CURVE_LEFT + CURVE_WIDTH + CURVE_RIGHT
LABELS = ("plan 2029-03-14", "50% 2030-03-14", "90% 2031-03-14")


def span(x: float, label: str, anchor: str) -> tuple[float, float]:
    """Where a label's text lies, as the page draws it (4 units from its line)."""
    width = len(label) * CHAR_WIDTH
    return (x + 4, x + 4 + width) if anchor == "start" else (x - 4 - width, x - 4)


@given(st.lists(st.floats(CURVE_LEFT, CURVE_LEFT + CURVE_WIDTH), min_size=1, max_size=3))
def test_the_marks_labels_meet_no_label_and_no_line(xs: list[float]) -> None:
    wanted = [(round(x, 1), LABELS[i], f"k{i}") for i, x in enumerate(xs)]
    marks = place_marks(wanted, RIGHT)
    assert [(m.x, m.label) for m in marks] == [(x, label) for x, label, _ in wanted]
    for mark in marks:
        low, high = span(mark.x, mark.label, mark.anchor)
        assert low >= 0  # on the chart
        assert high <= RIGHT
        for other in marks:
            if other is mark:
                continue
            if other.label_y == mark.label_y:  # one row: the texts do not meet
                a, b = span(other.x, other.label, other.anchor)
                assert high <= a or low >= b, (mark, other)
            if other.label_y <= mark.label_y:  # the other's line runs down past this row
                assert not low - 1 <= other.x <= high + 1, (mark, other)


@given(
    first=st.dates(date(2026, 1, 1), date(2030, 1, 1)),
    days=st.integers(30, 20 * 365),
)
def test_the_axis_labels_never_meet_nor_run_off(first: date, days: int) -> None:
    last = first + timedelta(days=days)

    def x_of(when: date) -> float:
        return CURVE_LEFT + (when - first).days * CURVE_WIDTH / days

    labelled = [(x, label) for x, label in _ticks(first, last, x_of) if label]
    assert labelled or days < 400  # a long plan has its years named
    for (x, label), (next_x, _) in itertools.pairwise(labelled):
        assert x + 3 + len(label) * CHAR_WIDTH < next_x + 3
    for x, label in labelled:
        assert x + 3 + len(label) * CHAR_WIDTH <= RIGHT
