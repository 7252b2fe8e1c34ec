"""The bundled catalog's data: every value traceable to a source or flagged estimated.

These read data/programs.yaml as text as well as through the loader, because what makes a
value traceable is the comment beside it: the source ids of catalog-evidence.yaml
(`ds_edx_2021`, `scm_mm_2019`, ...) or an `estimated:` mark.
"""

from __future__ import annotations

import re

import pytest

from mmplan.catalog.load import bundled_catalog_path, load_catalog_file
from mmplan.catalog.model import Catalog, Course, Pacing, ProgramStatus, UpgradeDeadline

TEXT = bundled_catalog_path().read_text(encoding="utf-8")
CATALOG = load_catalog_file(bundled_catalog_path()).catalog
SOURCE_ID = re.compile(r"\b[a-z][a-z0-9]*_[a-z0-9_]+\b")  # scm_mm_2019, ds_edx_c2020, pom_faq


def course_blocks() -> list[tuple[str, str, str]]:
    """(program id, course code, the course's lines) for every course of the file."""
    blocks = []
    for program_text in re.split(r"\n(?=  - id: )", TEXT)[1:]:
        program_id = program_text.split("\n", 1)[0].removeprefix("  - id: ")
        for course_text in re.split(r"\n(?=      - code: )", program_text)[1:]:
            code = re.match(r'      - code: "([^"]+)"', course_text)
            assert code, course_text[:60]
            blocks.append((program_id, code[1], course_text))
    return blocks


BLOCKS = course_blocks()
IDS = [f"{p}/{c}" for p, c, _ in BLOCKS]


def course(catalog: Catalog, program_id: str, code: str) -> Course:
    return catalog.program(program_id).course(code)


def test_the_blocks_cover_every_course() -> None:
    assert len(BLOCKS) == sum(len(p.courses) for p in CATALOG.programs)


@pytest.mark.parametrize(("program_id", "code", "block"), BLOCKS, ids=IDS)
def test_pacing_is_written_with_its_source_or_flagged_estimated(
    program_id: str, code: str, block: str
) -> None:
    line = re.search(r"^        pacing: (\w+)  # (.+)$", block, re.M)
    assert line, f"{program_id}/{code}: pacing without a comment giving its source"
    paced = course(CATALOG, program_id, code)
    assert paced.pacing is Pacing(line[1])
    if line[2].startswith("estimated"):
        assert paced.is_estimated("pacing")
    else:
        assert SOURCE_ID.search(line[2]), line[2]


@pytest.mark.parametrize(("program_id", "code", "block"), BLOCKS, ids=IDS)
def test_sessions_carry_a_source_and_month_patterns_are_estimated(
    program_id: str, code: str, block: str
) -> None:
    dated = course(CATALOG, program_id, code)
    for key in ("runs", "session_starts"):
        line = re.search(rf"^        {key}: .*$", block, re.M)
        assert (line is not None) == bool(getattr(dated, key)), f"{key} of {program_id}/{code}"
        if line:
            comment = line[0].partition("  # ")[2]
            assert SOURCE_ID.search(comment), f"{program_id}/{code}: {key} without a source id"
    if dated.session_starts:
        assert dated.is_estimated("session_starts"), f"{program_id}/{code}"


@pytest.mark.parametrize(("program_id", "code", "block"), BLOCKS, ids=IDS)
def test_converted_prices_are_marked_estimated(program_id: str, code: str, block: str) -> None:
    line = re.search(r"^        price_usd: .*# estimated: ds_edx_2021 MX\$([\d,]+)", block, re.M)
    if line:
        priced = course(CATALOG, program_id, code)
        assert priced.is_estimated("price_usd")
        assert priced.price_usd is not None
        pesos = int(line[1].replace(",", ""))
        assert abs(pesos / 20.48 - float(priced.price_usd.lo)) < 1  # the evidence's conversion


def test_every_fixed_window_exam_is_instructor_paced() -> None:
    for program_id, code in [
        ("mitx-scm", "CTL.CFx"),
        ("mitx-finance", "FIN.CFx"),
        *(("mitx-pom", f"exam-{n}") for n in range(1, 5)),
    ]:
        assert course(CATALOG, program_id, code).pacing is Pacing.INSTRUCTOR, code


def test_the_scm_exam_fee_is_the_september_2019_one() -> None:
    fee = course(CATALOG, "mitx-scm", "CTL.CFx").price_usd
    assert fee is not None
    assert (fee.lo, fee.hi) == (200, 200)


def test_dedp_moved_to_mitx_online_and_business_analytics_is_retired() -> None:
    dedp = CATALOG.program("mitx-dedp")
    assert (dedp.status, dedp.platform) == (ProgramStatus.MOVED, "MITx Online")
    assert dedp.status_note is not None
    assert "fall 2021" in dedp.status_note
    retired = CATALOG.program("columbiax-business-analytics")
    assert retired.status is ProgramStatus.RETIRED
    assert retired.status_note is not None
    assert "summer 2021" in retired.status_note


def test_every_program_states_its_status_and_platform_with_a_source() -> None:
    for program_text in re.split(r"\n(?=  - id: )", TEXT)[1:]:
        program_id = program_text.split("\n", 1)[0]
        status = re.search(r"^    status: \w+  # (.+)$", program_text, re.M)
        assert status, program_id
        assert SOURCE_ID.search(status[1]), program_id
        assert re.search(r"^    platform: ", program_text, re.M), program_id


def test_the_shared_course_is_one_course_in_both_programs() -> None:
    sds, dedp = (course(CATALOG, p, "14.310x") for p in ("mitx-sds", "mitx-dedp"))
    assert sds.pacing is dedp.pacing is Pacing.INSTRUCTOR
    assert sds.session_starts == dedp.session_starts == ("02-01", "06-01", "09-01")


def test_platform_rules_give_the_edx_upgrade_deadline_and_none_for_mitx_online() -> None:
    edx, mitx_online = CATALOG.platform("edX"), CATALOG.platform("MITx Online")
    assert edx is not None
    assert edx.deadline == UpgradeDeadline(days_after_start=14)
    assert mitx_online is not None
    assert mitx_online.deadline is None
    for program in CATALOG.programs:
        assert CATALOG.platform(program.platform) is not None, program.id


def test_as_of_is_only_as_precise_as_its_source() -> None:
    # c. 2020 dataset facts give the year, PennX's 2017 runs the year; the 2021 scrape a day.
    for program_id in (
        "columbiax-ai",
        "columbiax-business-analytics",
        "berkeleyx-marketing-analytics",
    ):
        assert str(CATALOG.program(program_id).as_of) == "2020", program_id
    assert str(CATALOG.program("pennx-robotics").as_of) == "2017"
    assert str(CATALOG.program("mitx-scm").as_of) == "2021-09-30"
