"""Schema versions 1 and 2, and the keys version 2 brought (pacing, sessions, status, as_of)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
import yaml

from conftest import Invoke
from factories import catalog_data, cli_on, course, program
from mmplan.catalog.as_of import Period
from mmplan.catalog.load import parse_catalog
from mmplan.catalog.model import AsOf, Pacing, ProgramStatus, session_start_in
from mmplan.core.errors import CatalogError


def write(path: Path, data: dict[str, object]) -> Path:
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    return path


def listing(mmplan: Invoke, path: Path, data: dict[str, object]) -> Invoke:
    """`mmplan list --format json` over the catalog `data` alone, written to `path`."""
    text = yaml.safe_dump(data, sort_keys=False)
    return cli_on(mmplan, path, text=text, command=("list", "--format", "json"))


def version_1(*courses: dict[str, object]) -> dict[str, object]:
    """A version-1 catalog of one program; `pacing=None` leaves the key out."""
    for entry in courses:
        if entry["pacing"] is None:
            del entry["pacing"]
    return {**catalog_data(program("old", *courses)), "schema_version": 1}


def test_a_version_1_file_loads_with_one_warning_naming_the_file(
    mmplan: Invoke, tmp_path: Path
) -> None:
    path = tmp_path / "old.yaml"
    data = version_1(course("A", pacing=None), course("B", pacing=None), course("C"))
    result = listing(mmplan, path, data)()
    assert result.exit_code == 0, result.stderr
    assert result.stderr == (
        f"Warning: {path}: 2 courses leave pacing to the default 'self' (old/A, old/B); "
        "add pacing: self or instructor to each, and schema_version: 2\n"
    )
    loaded = parse_catalog(path.read_bytes(), str(path))
    assert loaded.catalog.schema_version == 1
    assert loaded.catalog.program("old").course("A").pacing is Pacing.SELF
    assert loaded.pacing_defaulted == ("old/A", "old/B")
    assert loaded.warnings == (result.stderr.removeprefix("Warning: ").rstrip("\n"),)


def test_a_cached_version_1_file_warns_the_same(mmplan: Invoke, tmp_path: Path) -> None:
    data = version_1(*(course(f"C{i}", pacing=None) for i in range(5)))
    run = listing(mmplan, tmp_path / "old.yaml", data)
    cold, warm = run(), run()
    assert warm.stderr == cold.stderr
    assert cold.stderr.count("Warning:") == 1
    assert "(old/C0, old/C1, old/C2 and 2 more)" in cold.stderr


def test_a_version_1_file_that_states_every_pacing_gives_no_warning(
    mmplan: Invoke, tmp_path: Path
) -> None:
    result = listing(mmplan, tmp_path / "old.yaml", version_1(course("A", pacing="instructor")))()
    assert (result.exit_code, result.stderr) == (0, "")


def test_version_2_keys_load() -> None:
    data = catalog_data(
        program(
            "moved",
            course(
                "A", pacing="instructor", session_starts=["09-01", "02-01"], runs=["2027-01-04"]
            ),
            status="moved",
            status_note="moved to MITx Online in fall 2021",
            platform="MITx Online",
            as_of="2021-09",
        ),
        program("gone", course("B"), status="retired", status_note="last session summer 2021"),
    )
    data["as_of"] = 2020
    parsed = parse_catalog(yaml.safe_dump(data).encode(), "v2.yaml").catalog
    moved = parsed.program("moved")
    assert (moved.status, moved.platform, str(moved.as_of)) == (
        ProgramStatus.MOVED,
        "MITx Online",
        "2021-09",
    )
    assert moved.course("A").session_starts == ("09-01", "02-01")
    assert moved.course("A").runs == (date(2027, 1, 4),)
    assert parsed.program("gone").platform == "edX"  # the default platform
    assert str(parsed.as_of) == "2020"


def test_a_period_is_a_date_or_the_span_of_an_undated_copy() -> None:
    """#25: the bundle price's own date: `2016/2018` (ISO 8601's interval), or one date."""
    span = Period.parse("2016/2018")
    assert (str(span), span.words("–")) == ("2016/2018", "2016–2018")
    assert str(Period.parse(date(2021, 9, 30))) == "2021-09-30"
    assert Period.parse("2020-03/2020-06").last == AsOf.parse("2020-06")
    with pytest.raises(ValueError, match="must end after it starts"):
        Period.parse("2018/2016")
    with pytest.raises(ValueError, match="not a real date"):
        Period.parse("2016/2018-02-30")


def test_as_of_keeps_its_precision_and_orders_by_the_start_of_its_period() -> None:
    year, month, day = AsOf.parse(2021), AsOf.parse("2021-09"), AsOf.parse(date(2021, 9, 30))
    assert [str(year), str(month), str(day)] == ["2021", "2021-09", "2021-09-30"]
    assert year < AsOf.parse("2021-01") < month < day < AsOf.parse("2022")
    assert max([day, AsOf.parse(2022), month]) == AsOf.parse("2022")
    with pytest.raises(ValueError, match="'2021-02-30' is not a real date"):
        AsOf.parse("2021-02-30")


def test_a_session_start_falls_on_its_day_each_year() -> None:
    assert session_start_in("09-01", 2027) == date(2027, 9, 1)
    assert session_start_in("02-28", 2028) == date(2028, 2, 28)


def test_a_shared_course_conflict_across_files_names_both_places(
    mmplan: Invoke, tmp_path: Path
) -> None:
    first = write(tmp_path / "first.yaml", catalog_data(program("p", course("X", price=100))))
    second = write(tmp_path / "second.yaml", catalog_data(program("q", course("X", price=200))))
    result = mmplan("--no-bundled", "validate", str(first), str(second))
    assert result.exit_code == 1
    assert result.stdout == (
        f"{second}:15:16: programs[q].courses[X].price_usd: 'X' is one course in every "
        f"program that lists it, but its price_usd $200 differs from $100 in 'p/X' "
        f"({first}:15)\n"
    )


def test_a_shared_course_may_leave_a_fact_unstated_in_one_program() -> None:
    data = catalog_data(
        program("p", course("X", price=None, pacing="instructor", session_starts=["09-01"])),
        program("q", course("X", price=150, pacing="instructor")),
    )
    parsed = parse_catalog(yaml.safe_dump(data).encode(), "shared.yaml").catalog
    assert parsed.program("q").course("X").session_starts == ()


def test_a_bad_version_2_file_reports_every_course_without_pacing() -> None:
    data = catalog_data(program("p", course("A"), course("B")))
    for entry in data["programs"][0]["courses"]:
        del entry["pacing"]
    with pytest.raises(CatalogError) as raised:
        parse_catalog(yaml.safe_dump(data, sort_keys=False).encode(), "v2.yaml")
    assert [p.path for p in raised.value.problems] == [
        "programs[p].courses[A]",
        "programs[p].courses[B]",
    ]


def test_validate_warns_about_a_version_1_file_and_still_passes_it(
    mmplan: Invoke, tmp_path: Path
) -> None:
    path = write(tmp_path / "old.yaml", version_1(course("A", pacing=None)))
    result = mmplan("--no-bundled", "validate", str(path))
    assert (result.exit_code, result.stdout) == (0, "")
    assert result.stderr == (
        f"Warning: {path}: 1 course leaves pacing to the default 'self' (old/A); add pacing: "
        "self or instructor to each, and schema_version: 2\n1 file checked, 0 problems\n"
    )


def test_a_cached_version_1_file_read_by_another_name_warns_with_that_name(
    mmplan: Invoke, tmp_path: Path
) -> None:
    """The cache is keyed by the bytes; the warning names the file it is read from."""
    data = version_1(course("A", pacing=None))
    for path in (tmp_path / "first.yaml", tmp_path / "second.yaml"):
        result = listing(mmplan, path, data)()
        assert result.stderr.startswith(f"Warning: {path}: 1 course leaves pacing"), result.stderr
