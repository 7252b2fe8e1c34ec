"""Option values from the command line: one pace range, finite numbers, dates in range.

Every bad value is a usage error (exit 2) on one line that names the option; random values
(hypothesis) never reach the domain as something it cannot plan with.
"""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import Invoke, bounded
from mmplan.core.limits import EARLIEST_DATE, LATEST_DATE, read_date

PACE_COMMANDS = {
    "plan": ("plan", "mitx-scm"),
    "cost": ("cost", "mitx-scm", "--by-month"),
    "list": ("list",),
    "show": ("show", "mitx-scm"),
    "compare": ("compare", "mitx-scm", "mitx-sds"),
}


@pytest.fixture(autouse=True)
def fixed_today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MMPLAN_TODAY", "2026-06-01")


@pytest.mark.parametrize("command", sorted(PACE_COMMANDS))
@pytest.mark.parametrize(
    ("pace", "message"),
    [
        ("0.4", "0.4 is not in the range 0.5 to 168"),
        ("0.01", "0.01 is not in the range 0.5 to 168"),
        ("168.5", "168.5 is not in the range 0.5 to 168"),
        ("nan", "'nan' is not a finite number"),
        ("-inf", "'-inf' is not a finite number"),
        ("fast", "'fast' is not a number"),
    ],
)
def test_every_command_takes_one_pace_range(
    mmplan: Invoke, command: str, pace: str, message: str
) -> None:
    result = mmplan(*PACE_COMMANDS[command], "-H", pace)
    assert result.exit_code == 2
    assert result.stderr == f"Error: --hours-per-week: {message}\n"
    assert result.stdout == ""


@pytest.mark.parametrize("command", sorted(PACE_COMMANDS))
@pytest.mark.parametrize("pace", ["0.5", "168"])
def test_the_ends_of_the_pace_range_plan(mmplan: Invoke, command: str, pace: str) -> None:
    result = mmplan(*PACE_COMMANDS[command], "-H", pace, "--format", "json")
    assert result.exit_code == 0, result.stderr


@pytest.mark.parametrize("command", sorted(PACE_COMMANDS))
def test_every_pace_help_states_the_range(mmplan: Invoke, command: str) -> None:
    result = mmplan(PACE_COMMANDS[command][0], "--help")
    assert "-H, --hours-per-week HOURS" in result.stdout
    assert "0.5 to 168" in " ".join(result.stdout.split())


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("cost", "mitx-scm", "--aid", "nan"), "--aid: 'nan' is not a finite number"),
        (("cost", "mitx-scm", "--aid", "101"), "--aid: 101 is not in the range 0 to 100"),
        (("list", "--max-price", "nan"), "--max-price: 'nan' is not a finite number"),
        (("list", "--max-price", "-1"), "--max-price: -1 is not in the range 0 to 10000000"),
        (("list", "--max-weeks", "nan"), "--max-weeks: 'nan' is not a finite number"),
        (("list", "--max-weeks", "inf"), "--max-weeks: 'inf' is not a finite number"),
        (
            ("progress", "start", "mitx-scm", "CTL.SC1x", "--percent", "nan"),
            "--percent: 'nan' is not a finite number",
        ),
    ],
)
def test_numbers_must_be_finite_and_in_range(
    mmplan: Invoke, args: tuple[str, ...], message: str
) -> None:
    result = mmplan(*args)
    assert result.exit_code == 2
    assert result.stderr == f"Error: {message}\n"


OUT_OF_RANGE = "is outside the dates mmplan handles (2000-01-01 to 2100-12-31)"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("plan", "mitx-scm", "--start", "20270104"), "--start: '20270104' is not a date written"),
        (("plan", "mitx-scm", "--start", "2027-W01-1"), "--start: '2027-W01-1' is not a date"),
        (("plan", "mitx-scm", "--start", "2027-02-30"), "is not a day of the calendar"),
        (("plan", "mitx-scm", "--start", "9999-12-25"), f"--start: '9999-12-25' {OUT_OF_RANGE}"),
        (
            ("plan", "mitx-scm", "--break", "2026-06-01:9999-12-31"),
            f"--break: '9999-12-31' {OUT_OF_RANGE} (in '2026-06-01:9999-12-31')",
        ),
        (
            ("plan", "mitx-scm", "--finish-by", "9999-01-01"),
            f"--finish-by: '9999-01-01' {OUT_OF_RANGE}",
        ),
        (
            ("cost", "mitx-scm", "--by-month", "--start", "1999-12-31"),
            f"--start: '1999-12-31' {OUT_OF_RANGE}",
        ),
        (("progress", "add", "mitx-scm", "CTL.SC0x", "--date", "20250101"), "is not a date"),
    ],
)
def test_dates_are_yyyy_mm_dd_within_range(
    mmplan: Invoke, args: tuple[str, ...], message: str
) -> None:
    result = mmplan(*args)
    assert result.exit_code == 2
    assert result.stderr.startswith("Error: ")
    assert message in result.stderr
    assert result.stderr.count("\n") == 1


@pytest.mark.parametrize("today", ["9999-12-31", "1999-12-31", "20260601"])
def test_mmplan_today_takes_the_same_dates(
    mmplan: Invoke, monkeypatch: pytest.MonkeyPatch, today: str
) -> None:
    monkeypatch.setenv("MMPLAN_TODAY", today)
    result = mmplan("plan", "mitx-scm")
    assert result.exit_code == 2
    assert result.stderr.startswith(f"Error: MMPLAN_TODAY='{today}' is ")


def test_the_edges_of_the_date_range_are_dates() -> None:
    assert read_date("2000-01-01") == EARLIEST_DATE
    assert read_date("2100-12-31") == LATEST_DATE
    with pytest.raises(ValueError, match="outside"):
        read_date("2101-01-01")


def test_a_long_or_hostile_value_is_shown_escaped_and_short(mmplan: Invoke) -> None:
    result = mmplan("plan", "mitx-scm", "--start", "\x1b[2J" + "9" * 5000)
    assert result.exit_code == 2
    assert "\x1b" not in result.stderr
    assert "'\\x1b[2J999" in result.stderr
    assert len(result.stderr) < 300


# ----- random values: every call ends, with a usage or data error at worst -----------------


_SPECIAL_FLOATS = [0.0, -0.0, 0.49, 0.5, 168.0, 168.01, 1e-300, 5e-324, 1e300, -1.0, 90.0, 95.0]
numbers = st.one_of(
    st.sampled_from(_SPECIAL_FLOATS),
    st.floats(allow_nan=True, allow_infinity=True),
    st.floats(min_value=0.5, max_value=168),
)
_EDGE_DATES = [
    date(1, 1, 1),
    date(1999, 12, 31),
    EARLIEST_DATE,
    LATEST_DATE,
    date(2101, 1, 1),
    date(9999, 12, 31),
]
days = st.one_of(
    st.sampled_from(_EDGE_DATES), st.dates(min_value=date(1999, 1, 1), max_value=date(2102, 1, 1))
)


def _run_bounded(mmplan: Invoke, *args: str) -> None:
    with bounded(30):
        result = mmplan(*args)
    assert result.exit_code in {0, 1, 2}, (args, result.stderr, result.exception)
    assert "internal error" not in result.stderr, (args, result.stderr)
    assert result.exception is None or isinstance(result.exception, SystemExit), args


_RANDOM = settings(
    max_examples=25,
    deadline=None,  # a loaded machine must not fail it; bounded() catches a hang
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@_RANDOM
@given(pace=numbers, start=days, break_end=days, today=days)
def test_random_plan_options_never_crash(
    mmplan: Invoke,
    monkeypatch: pytest.MonkeyPatch,
    pace: float,
    start: date,
    break_end: date,
    today: date,
) -> None:
    monkeypatch.setenv("MMPLAN_TODAY", today.isoformat())
    _run_bounded(
        mmplan,
        "plan",
        "mitx-scm",
        "-H",
        repr(pace),
        "--start",
        start.isoformat(),
        "--break",
        f"{start.isoformat()}:{break_end.isoformat()}",
        "--format",
        "json",
    )


@_RANDOM
@given(pace=numbers, aid=numbers, start=days)
def test_random_cost_options_never_crash(
    mmplan: Invoke, pace: float, aid: float, start: date
) -> None:
    _run_bounded(
        mmplan,
        "cost",
        "mitx-sds",
        "--aid",
        repr(aid),
        "--by-month",
        "-H",
        repr(pace),
        "--start",
        start.isoformat(),
        "--format",
        "json",
    )


@_RANDOM
@given(pace=numbers, max_price=numbers, max_weeks=numbers)
def test_random_list_options_never_crash(
    mmplan: Invoke, pace: float, max_price: float, max_weeks: float
) -> None:
    _run_bounded(
        mmplan,
        "list",
        "-H",
        repr(pace),
        "--max-price",
        repr(max_price),
        "--max-weeks",
        repr(max_weeks),
        "--format",
        "json",
    )


def test_an_unknown_id_is_echoed_escaped_and_short(mmplan: Invoke) -> None:
    result = mmplan("show", "\x1b[2J\x1b[31mred\u202e" + "x" * 5000)
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: unknown program '\\x1b[2J\\x1b[31mred\\u202exxx")
    assert "\x1b" not in result.stderr
    assert "\u202e" not in result.stderr
    assert "more characters)" in result.stderr
    assert len(result.stderr) < 300


@pytest.mark.parametrize("option", ["--pick", "--track"])
@pytest.mark.parametrize("command", ["plan", "cost", "status"])
def test_an_unknown_choice_is_echoed_short_and_exits_like_an_unknown_id(
    mmplan: Invoke, command: str, option: str
) -> None:
    result = mmplan(command, "mitx-sds", option, "\x1b[2J" + "z" * 100_000)
    assert result.exit_code == 1  # as an unknown program id: README, exit codes
    assert f"{option} '\\x1b[2Jzzz" in result.stderr
    assert "more characters)" in result.stderr
    assert len(result.stderr) < 500
