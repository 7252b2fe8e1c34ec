"""`mmplan plan --risk` from the command line: bad option values, the options it needs,
--finish-by, the formats that show the odds, and byte-identical output."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import Invoke
from factories import cli_on, course, program
from mmplan.render.risk import percent

START = ("--start", "2027-01-04")


@pytest.fixture
def run(mmplan: Invoke, tmp_path: Path) -> Invoke:
    """`plan p` over a small catalog: a self-paced course, then one in two sessions a year
    that allows two attempts."""
    exam = course(
        "X",
        weeks=2,
        pacing="instructor",
        session_starts=["01-15", "07-15"],
        prereqs=["A"],
        attempts={"per_payment": 1, "limit": 2, "retake_fee_usd": "same"},
    )
    made = program("p", course("A", weeks=6), exam)
    return cli_on(mmplan, tmp_path / "catalog.yaml", made, command=("plan", "p", *START))


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--pass-rate", "0"), "--pass-rate: 0 is not in the range 0.05 to 1"),
        (("--pass-rate", "1.5"), "--pass-rate: 1.5 is not in the range 0.05 to 1"),
        (("--pass-rate", "often"), "--pass-rate: 'often' is not a number"),
        (("--pass-rate", "nan"), "--pass-rate: 'nan' is not a finite number"),
        (("--effort-spread", "-0.1"), "--effort-spread: -0.1 is not in the range 0 to 2"),
        (("--effort-spread", "inf"), "--effort-spread: 'inf' is not a finite number"),
        (("--effort-correlation", "1.2"), "--effort-correlation: 1.2 is not in the range 0 to 1"),
        (("--missed-weeks", "0.6"), "--missed-weeks: 0.6 is not in the range 0 to 0.5"),
        (("--missed-weeks", "-1"), "--missed-weeks: -1 is not in the range 0 to 0.5"),
        (("--samples", "99"), "--samples: 99 is not in the range 100 to 1000000"),
        (("--samples", "2000000"), "--samples: 2000000 is not in the range 100 to 1000000"),
        (("--samples", "1e4"), "--samples: '1e4' is not a whole number"),
        (("--samples", "many"), "--samples: 'many' is not a whole number"),
        (("--seed", "-1"), "--seed: -1 is not in the range 0 to 4294967295"),
        (("--seed", "4294967296"), "--seed: 4294967296 is not in the range 0 to 4294967295"),
        (("--seed", "1.5"), "--seed: '1.5' is not a whole number"),
    ],
)
def test_a_bad_risk_option_is_one_error_line_naming_it(
    run: Invoke, args: tuple[str, ...], message: str
) -> None:
    result = run("--risk", *args)
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == f"Error: {message}\n"


@pytest.mark.parametrize(
    "args",
    [
        ("--pass-rate", "0.5"),
        ("--effort-spread", "0"),
        ("--effort-correlation", "1"),
        ("--missed-weeks", "0.1"),
        ("--samples", "500"),
        ("--seed", "7"),
    ],
)
def test_a_risk_option_without_risk_is_refused(run: Invoke, args: tuple[str, ...]) -> None:
    result = run(*args)
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == f"Error: {args[0]} works with --risk: add --risk\n"


@pytest.mark.parametrize("output_format", ["csv", "markdown", "ics"])
def test_risk_in_a_format_without_odds_is_refused(run: Invoke, output_format: str) -> None:
    result = run("--risk", "--format", output_format)
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == (
        f"Error: --risk: --format {output_format} has no odds; use table, json, html\n"
    )


def test_risk_with_finish_by_gives_the_chance_of_that_date(run: Invoke) -> None:
    finish_by = ("-H", "8", "--finish-by", "2028-03-01")  # can I finish by then at 8 h/week?
    result = run("--risk", "--samples", "2000", *finish_by, "--format", "json")
    assert result.exit_code == 0, result.stderr
    risk = json.loads(result.stdout)["risk"]
    # The exam sits on 2027-07-15 at the earliest: a pass then, or at the next session.
    assert risk["p_plan_date"] == pytest.approx(0.8, abs=0.03)
    assert risk["p_finish_by"] == pytest.approx(1 - 0.2**2, abs=0.02)
    assert risk["not_finished"] == pytest.approx(0.2**2, abs=0.02)
    assert risk["p_finish_by"] + risk["not_finished"] == pytest.approx(1, abs=0.005)
    text = run("--risk", "--samples", "2000", *finish_by)
    assert text.exit_code == 0, text.stderr
    words = " ".join(text.stdout.split())  # the lines as one, however they wrap
    assert f"--finish-by's date {percent(risk['p_finish_by'])}" in words
    assert f"Not finished within the attempts allowed: {percent(risk['not_finished'])}" in words


@pytest.mark.untraced  # three runs of code other tests cover
def test_the_same_options_give_byte_identical_output(run: Invoke) -> None:
    first = run("--risk", "--samples", "1000", "--format", "json")
    assert first.exit_code == 0, first.stderr
    assert run("--risk", "--samples", "1000", "--format", "json").stdout == first.stdout
    other = run("--risk", "--samples", "1000", "--seed", "9", "--format", "json")
    assert other.stdout != first.stdout
