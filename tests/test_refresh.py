"""`mmplan catalog refresh`, `diff` and `status` against a real HTTP server on 127.0.0.1.

No test touches the internet: the server (tests/mitxonline.py) serves payloads written
from the fields MITx Online's API documents, and hostile answers beside them.
"""

from __future__ import annotations

import json
import os
import socket
from collections.abc import Iterator
from datetime import date, timedelta
from itertools import pairwise
from pathlib import Path
from typing import Any

import pytest

from mitxonline import (
    Server,
    catalog_courses,
    catalog_programs,
    cut_short,
    pages,
    stall,
    start_server,
)
from mmplan.catalog.fetch import HttpPolicy, _connection_problem, fetch_api
from mmplan.catalog.overlay import OVERLAY_FILE_NAME, PREVIOUS_FILE_NAME, parse_overlay
from mmplan.core.errors import RefreshError

TODAY = "2026-12-07"


@pytest.fixture
def api() -> Iterator[Server]:
    server, stop = start_server()
    server.serve_api(catalog_programs(), catalog_courses())
    yield server
    stop()


@pytest.fixture
def home(monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("MMPLAN_TODAY", TODAY)
    return Path(os.environ["MMPLAN_HOME"])


def refresh(mmplan: Any, api: Server, *args: str) -> Any:
    return mmplan("catalog", "refresh", "--base-url", api.base_url, *args)


def test_refresh_follows_every_page_and_writes_an_overlay_with_sources(
    mmplan: Any, api: Server, home: Path
) -> None:
    result = refresh(mmplan, api)
    assert result.exit_code == 0, result.stderr
    assert "/api/v2/programs/?page=2" in api.hits
    assert "/api/v2/courses/?page=5" in api.hits
    lines = result.stdout.splitlines()
    assert "mitx-dedp/14.310x: new runs 2026-02-03, 2027-02-02, 2027-06-01" in lines
    assert "mitx-dedp/JPAL102x: price $100–$1,000 -> $1,200" in lines
    assert any(
        line == "mitx-dedp: status moved -> active" and line.endswith("-> active") for line in lines
    )
    assert "mitxonline-mitx-ntp: new program 'New Test Program' (MITx Online)" in lines
    assert not any("SERIES" in line for line in lines)  # not a MicroMasters program
    assert "Wrote " in result.stderr
    overlay = parse_overlay((home / OVERLAY_FILE_NAME).read_bytes(), "overlay")
    assert overlay.retrieved.isoformat() == TODAY
    for patch in overlay.courses:
        for fact in (patch, patch.runs, patch.pacing, patch.price_usd):
            if fact is not None:
                assert fact.source.startswith(f"{api.base_url}/api/v2/courses/")
                assert fact.retrieved.isoformat() == TODAY
    by_code = {patch.code: patch for patch in overlay.courses}
    assert by_code["14.310x"].runs is not None
    assert [r.upgrade_deadline for r in by_code["14.310x"].runs.value][1:] == [
        __import__("datetime").date(2027, 3, 2),
        __import__("datetime").date(2027, 6, 29),
    ]
    new = next(p for p in overlay.programs if p.new is not None)
    assert new.new is not None
    assert [t.name for t in new.new.tracks] == ["Track A", "Track B"]
    assert new.new.electives[0].from_ == ("NT.401x", "NT.402x")


def test_commands_name_the_overlay_and_plan_a_new_program(
    mmplan: Any, api: Server, home: Path
) -> None:
    assert refresh(mmplan, api).exit_code == 0
    note = "runs and prices from MITx Online, retrieved 2026-12-07"
    shown = mmplan("show", "mitx-dedp")
    assert shown.exit_code == 0, shown.stderr
    assert note in shown.stdout
    listed = mmplan("list")
    assert note in listed.stdout
    planned = mmplan("plan", "mitx-dedp", "--start", "2026-12-07", "--solver-seconds", "0")
    assert planned.exit_code == 0, planned.stderr
    assert note in planned.stdout
    assert "2027-02-02" in planned.stdout  # a run the API listed
    new = mmplan("plan", "mitxonline-mitx-ntp", "--start", "2026-12-07", "--solver-seconds", "0")
    assert new.exit_code == 0, new.stderr
    assert "from MITx Online, retrieved 2026-12-07" in new.stdout
    plain = mmplan("--no-overlay", "show", "mitx-dedp")
    assert note not in plain.stdout
    assert mmplan("--no-overlay", "show", "mitxonline-mitx-ntp").exit_code == 1


def test_a_refreshed_program_keeps_its_yearly_sessions_after_the_listed_runs(
    mmplan: Any, api: Server, home: Path
) -> None:
    assert refresh(mmplan, api).exit_code == 0
    args = ("--start", TODAY, "--hours-per-week", "8", "--solver-seconds", "0")
    result = mmplan("plan", "mitx-dedp", *args, "--format", "json")
    assert result.exit_code == 0, result.stderr
    plan = json.loads(result.stdout)
    courses = sorted(plan["courses"], key=lambda c: c["start"])
    # Each course runs at its own rate (above 8 h/week: planned alone), one after another:
    # the API's next runs first, then the yearly sessions after them, not all in one run.
    assert plan["peak_hours_per_week"] == max(c["hours_per_week"] for c in courses)
    assert all(a["end"] < b["start"] for a, b in pairwise(courses))
    assert courses[0]["start"] == "2027-02-02"  # a run the API listed
    assert len({c["start"] for c in courses}) == len(courses)
    shown = " ".join(mmplan("show", "mitx-dedp").stdout.split())
    assert "2027-02-02, 2027-06-01, then ~Feb 1, Jun 1, Sep 1" in shown


def test_diff_and_status_read_the_overlay(mmplan: Any, api: Server, home: Path) -> None:
    assert mmplan("catalog", "diff").stdout == "no changes\n"
    assert refresh(mmplan, api).exit_code == 0
    diff = mmplan("catalog", "diff")
    assert diff.exit_code == 0
    assert (
        "mitx-dedp/14.310x: new runs 2026-02-03, 2027-02-02, 2027-06-01" in diff.stdout.splitlines()
    )
    status = mmplan("catalog", "status", "--format", "json")
    assert status.exit_code == 0
    document = json.loads(status.stdout)
    rows = {row["program"]: row for row in document["programs"]}
    assert rows["mitx-dedp"]["source"].startswith(
        "runs and prices from MITx Online, retrieved 2026-12-07; curated facts as of"
    )
    assert rows["mitx-dedp"]["age_days"] == 0
    assert rows["mitx-scm"]["source"] == "curated catalog"
    assert rows["mitx-scm"]["age_days"] > 365
    assert document["overlay"].endswith(OVERLAY_FILE_NAME)
    table = mmplan("catalog", "status")
    assert "mitxonline-mitx-ntp" in table.stdout


def test_a_dry_run_writes_nothing_and_a_second_refresh_keeps_the_first(
    mmplan: Any, api: Server, home: Path
) -> None:
    dry = refresh(mmplan, api, "--dry-run")
    assert dry.exit_code == 0
    assert "mitx-dedp/14.310x: new runs 2026-02-03, 2027-02-02, 2027-06-01" in dry.stdout
    assert "Dry run" in dry.stderr
    assert not (home / OVERLAY_FILE_NAME).exists()
    assert refresh(mmplan, api).exit_code == 0
    first = (home / OVERLAY_FILE_NAME).read_bytes()
    again = refresh(mmplan, api)
    assert again.exit_code == 0
    assert again.stdout == "no changes\n"
    assert (home / PREVIOUS_FILE_NAME).read_bytes() == first


def test_from_file_reads_a_saved_dump(mmplan: Any, home: Path, tmp_path: Path) -> None:
    base = "https://mitxonline.mit.edu"
    course_pages = [page for _, page in pages(base, "/api/v2/courses/", catalog_courses(), 100)]
    dump = tmp_path / "dump.json"
    document = {
        "retrieved": "2026-11-30",
        "programs": catalog_programs(),
        "courses": course_pages[0],
    }
    dump.write_text(json.dumps(document), encoding="utf-8")
    result = mmplan("catalog", "refresh", "--from-file", str(dump))
    assert result.exit_code == 0, result.stderr
    overlay = parse_overlay((home / OVERLAY_FILE_NAME).read_bytes(), "overlay")
    assert overlay.retrieved.isoformat() == "2026-11-30"
    assert all(patch.source == dump.resolve().as_uri() for patch in overlay.courses)
    shown = mmplan("show", "mitx-dedp")
    assert "runs and prices from MITx Online, retrieved 2026-11-30" in shown.stdout


def _page(server: Server, path: str, document: Any) -> None:
    server.json(path, document)


def _html(server: Server) -> None:
    server.routes["/api/v2/programs/"] = (200, {"Content-Type": "text/html"}, b"<html>hi</html>")


def _not_json(server: Server) -> None:
    server.routes["/api/v2/programs/"] = (200, {"Content-Type": "application/json"}, b"{nope")


def _status(code: int) -> Any:
    def setup(server: Server) -> None:
        server.routes["/api/v2/courses/?page=2"] = (code, {"Content-Type": "text/plain"}, b"no")

    return setup


def _huge(server: Server) -> None:
    body = b'{"count": 1, "next": null, "results": [' + b" " * (21 * 1024 * 1024) + b"]}"
    server.routes["/api/v2/programs/"] = (200, {"Content-Type": "application/json"}, body)


def _cut(server: Server) -> None:
    server.routes["/api/v2/programs/"] = lambda handler: cut_short(handler)


def _wrong_count(server: Server) -> None:
    _page(server, "/api/v2/programs/", {"count": "3", "next": None, "results": []})


def _result_not_object(server: Server) -> None:
    _page(server, "/api/v2/programs/", {"count": 1, "next": None, "results": [7]})


def _missing_readable_id(server: Server) -> None:
    courses = catalog_courses()
    del courses[0]["readable_id"]
    server.serve_api(catalog_programs(), courses)


def _bad_start(server: Server) -> None:
    courses = catalog_courses()
    courses[1]["courseruns"][0]["start_date"] = "soon"
    server.serve_api(catalog_programs(), courses)


def _runs_not_a_list(server: Server) -> None:
    courses = catalog_courses()
    courses[2]["courseruns"] = {"0": "x"}
    server.serve_api(catalog_programs(), courses)


def _other_scheme(server: Server) -> None:
    secure = server.base_url.replace("http://", "https://") + "/api/v2/programs/"
    server.routes["/api/v2/programs/"] = (302, {"Location": secure}, b"")


def _other_host(server: Server) -> None:
    elsewhere = "http://example.invalid/api/v2/programs/?page=2"
    _page(server, "/api/v2/programs/", {"count": 9, "next": elsewhere, "results": []})


def _loop(server: Server) -> None:
    _page(
        server,
        "/api/v2/programs/",
        {"count": 9, "next": server.base_url + "/api/v2/programs/", "results": []},
    )


HOSTILE = {
    "http 500": (_status(500), "HTTP 500 Internal Server Error (after 3 attempts)"),
    "http 404": (_status(404), "HTTP 404 Not Found"),
    "html": (_html, "answered with text/html, not JSON"),
    "not json": (_not_json, "the response is not valid JSON"),
    "huge": (_huge, "larger than 20 MB"),
    "truncated": (_cut, "the response was cut short"),
    "wrong type": (_wrong_count, "field 'count' should be a number, got text '3'"),
    "not an object": (_result_not_object, "result 0 is a number, not an object"),
    "missing field": (_missing_readable_id, "required field 'readable_id' is missing"),
    "bad date": (_bad_start, "field 'start_date' should be a date-time, got 'soon'"),
    "runs not a list": (_runs_not_a_list, "field 'courseruns' should be a list, got an object"),
    "other scheme": (_other_scheme, "redirected from http to https"),
    "other host": (_other_host, "its next page is at another address"),
    "loop": (_loop, "the list loops back"),
}


@pytest.mark.parametrize("case", HOSTILE)
def test_a_hostile_answer_is_one_line_exit_1_and_the_overlay_untouched(
    mmplan: Any, api: Server, home: Path, case: str
) -> None:
    assert refresh(mmplan, api).exit_code == 0
    before = (home / OVERLAY_FILE_NAME).read_bytes()
    setup, expected = HOSTILE[case]
    setup(api)
    result = refresh(mmplan, api)
    assert result.exit_code == 1
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("Error: catalog refresh: ")
    assert lines[0].endswith("; the overlay was not changed")
    assert expected in lines[0]
    assert (home / OVERLAY_FILE_NAME).read_bytes() == before
    assert not (home / PREVIOUS_FILE_NAME).exists()


def test_no_server_is_a_clear_line(mmplan: Any, home: Path) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]  # free, and nothing listens once the probe closes
    result = mmplan("catalog", "refresh", "--base-url", f"http://127.0.0.1:{port}")
    assert result.exit_code == 1
    assert "cannot connect to 127.0.0.1" in result.stderr
    assert result.stderr.count("\n") == 1


def test_a_stalled_server_times_out_after_the_attempts(api: Server) -> None:
    api.routes["/api/v2/programs/"] = stall(1.0)
    with pytest.raises(RefreshError, match=r"no answer within 0.2 s \(after 2 attempts\)"):
        fetch_api(api.base_url, HttpPolicy(timeout=0.2, attempts=2, backoff=0.01))


def test_a_failing_dns_lookup_is_named() -> None:
    message = _connection_problem("https://nowhere.invalid/x", socket.gaierror(-2, "Name unknown"))
    assert message == (
        "https://nowhere.invalid/x: cannot find the host nowhere.invalid "
        "(offline, or a wrong --base-url?)"
    )


def test_a_bad_base_url_is_a_usage_error(mmplan: Any) -> None:
    result = mmplan("catalog", "refresh", "--base-url", "ftp://example.org")
    assert result.exit_code == 2
    assert "is not an http or https address" in result.stderr


def test_the_request_names_mmplan(api: Server, mmplan: Any, home: Path) -> None:
    agents: list[str] = []

    def record(handler: Any) -> Any:
        agents.append(handler.headers["User-Agent"])
        return api_first_page

    api_first_page = api.routes["/api/v2/programs/"]
    api.routes["/api/v2/programs/"] = record
    assert refresh(mmplan, api).exit_code == 0
    assert agents[0].startswith("mmplan/")


def test_fields_the_api_adds_later_are_ignored(mmplan: Any, api: Server, home: Path) -> None:
    programs, courses = catalog_programs(), catalog_courses()
    novelty = {"field_from_2030": {"nested": [1, "two", None]}}
    for program in programs:
        program.update(novelty)
        program["req_tree"][0]["data"].update(novelty)
    for course in courses:
        course.update(novelty)
        for run in course["courseruns"]:
            run.update(novelty)
            for product in run["products"]:
                product.update(novelty)
    api.serve_api(programs, courses)
    result = refresh(mmplan, api)
    assert result.exit_code == 0, result.stderr
    assert "mitxonline-mitx-ntp: new program 'New Test Program' (MITx Online)" in result.stdout


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (None, "no such file"),
        ("{nope", "the response is not valid JSON"),
        (json.dumps({"programs": []}), "required field 'courses' is missing"),
        (json.dumps({"programs": [], "courses": []}), "listed no program and no course; refused"),
        (json.dumps({"programs": [], "courses": [], "retrieved": "soon"}), "'retrieved' should be"),
    ],
)
def test_a_bad_dump_is_one_line_and_nothing_written(
    mmplan: Any, home: Path, tmp_path: Path, content: str | None, expected: str
) -> None:
    dump = tmp_path / "dump.json"
    if content is not None:
        dump.write_text(content, encoding="utf-8")
    result = mmplan("catalog", "refresh", "--from-file", str(dump))
    assert result.exit_code == 1
    assert result.stderr.startswith(f"Error: catalog refresh: {dump}")
    assert result.stderr.count("\n") == 1
    assert expected in result.stderr
    assert not (home / OVERLAY_FILE_NAME).exists()


def test_refreshed_upgrade_deadlines_date_the_payments(
    mmplan: Any, api: Server, home: Path
) -> None:
    args = ("cost", "mitx-dedp", "--by-month", "--start", "2026-12-07", "--format", "json")

    def payments(*options: str) -> dict[str, Any]:
        result = mmplan(*options, *args)
        assert result.exit_code == 0, result.stderr
        months = json.loads(result.stdout)["by_month"]
        return {p["course"]: p for month in months for p in month["payments"]}

    assert refresh(mmplan, api).exit_code == 0
    due = payments()
    # the API's runs start 2027-02-02 and 2027-06-01, deadlines 2027-03-02 and 2027-06-29;
    # a course in a yearly session after them pays 28 days after its start too
    expected = {"2027-02-02": "2027-03-02", "2027-06-01": "2027-06-29"}
    assert set(expected.values()) <= {p["due_on"] for p in due.values()}
    for payment in due.values():
        start = date.fromisoformat(payment["course_start"])
        assert payment["due_on"] == (start + timedelta(days=28)).isoformat()
        assert payment["due_at"] == "upgrade deadline"
        assert payment["rule"] == "28 days after the course starts (course rule)"
    curated = payments("--no-overlay")
    assert all(p["due_on"] not in expected.values() for p in curated.values())
    diff = mmplan("catalog", "diff").stdout.splitlines()
    assert "mitx-dedp/14.310x: upgrade deadline none -> 28 days after the course starts" in diff
    table = mmplan("cost", "mitx-dedp", "--by-month", "--start", "2026-12-07")
    assert "2027-03" in table.stdout
    assert "28 days after the course starts (course rule)" in " ".join(table.stdout.split())


def test_a_program_on_mitx_online_the_api_no_longer_lists_becomes_unknown(
    mmplan: Any, home: Path
) -> None:
    server, stop = start_server()
    try:
        listed = [p for p in catalog_programs() if p["readable_id"] != "program-v1:MITx+DEDP"]
        server.serve_api(listed, catalog_courses())
        result = refresh(mmplan, server)
        assert result.exit_code == 0, result.stderr
    finally:
        stop()
    assert "mitx-dedp: status moved -> unknown" in result.stdout.splitlines()
    diff = mmplan("catalog", "diff").stdout.splitlines()
    assert "mitx-dedp: missing the API no longer lists it" in diff
    assert "mitx-dedp: status moved -> unknown" in diff
    shown = json.loads(mmplan("show", "mitx-dedp", "--format", "json").stdout)
    assert shown["summary"]["status"] == "unknown"
    assert "did not list it on 2026-12-07" in mmplan("show", "mitx-dedp").stdout
    # a program the catalog places on edX keeps its status
    scm = json.loads(mmplan("show", "mitx-scm", "--format", "json").stdout)
    assert scm["summary"]["status"] == "active"
    plain = mmplan("--no-overlay", "show", "mitx-dedp", "--format", "json").stdout
    assert json.loads(plain)["summary"]["status"] == "moved"


def test_status_names_the_refresh_that_made_a_program_unknown(mmplan: Any, home: Path) -> None:
    """Replaying #25: when the API listed neither DEDP nor its courses, `catalog status` gave
    mitx-dedp as 'curated catalog', though the refresh had made its status unknown."""
    server, stop = start_server()
    try:
        listed = [p for p in catalog_programs() if p["readable_id"] != "program-v1:MITx+DEDP"]
        courses = [c for c in catalog_courses() if c["readable_id"].startswith("course-v1:MITx+")]
        courses = [c for c in courses if "14." not in c["readable_id"]]
        courses = [c for c in courses if "JPAL" not in c["readable_id"]]
        server.serve_api(listed, courses)
        assert refresh(mmplan, server).exit_code == 0
    finally:
        stop()
    status = json.loads(mmplan("catalog", "status", "--format", "json").stdout)
    rows = {row["program"]: row for row in status["programs"]}
    assert rows["mitx-dedp"]["source"] == (
        "curated catalog; status unknown: not listed by MITx Online on 2026-12-07"
    )
    assert rows["mitx-dedp"]["as_of"] == "2021-09-30"  # its facts are the curated ones
    assert rows["mitx-scm"]["source"] == "curated catalog"
    plan = mmplan("plan", "mitx-dedp", "--start", TODAY, "--solver-seconds", "0")
    assert "Data: status unknown: not listed by MITx Online on 2026-12-07 (mitx-dedp)" in (
        " ".join(plan.stdout.split())
    )


def test_a_refreshed_dedp_is_enrolled_in_on_mitx_online_not_edx(
    mmplan: Any, api: Server, home: Path
) -> None:
    """Replaying #25: after a refresh DEDP is `active` on MITx Online, and its Enrol line
    sent the learner to its old edX page."""
    assert refresh(mmplan, api).exit_code == 0
    plan = mmplan("plan", "mitx-dedp", "--start", TODAY, "--solver-seconds", "0").stdout
    enrol = next(line for line in plan.splitlines() if line.startswith("Enrol:"))
    assert "edx.org" not in enrol
    assert enrol.split(None, 1)[1].startswith("on MITx Online")
    page = mmplan("plan", "mitx-dedp", "--start", TODAY, "--format", "html").stdout
    assert "www.edx.org" not in page
    assert "mitx-dedp runs on MITx Online: find" in page
