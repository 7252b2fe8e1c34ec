"""Fetching MITx Online's programs and courses: the HTTP edge of `mmplan catalog refresh`.

The standard library's `urllib`, with care: a timeout on every request, a few attempts
with growing pauses for what may pass (no connection, a timeout, HTTP 429 and 5xx), a
User-Agent naming mmplan, JSON only, every body capped in size, pagination followed only
on the same scheme and host (and never in a loop), and a redirect to another scheme
refused. Every failure is one `RefreshError` line saying what happened at which address.
`read_dump` reads the same data from a file (`--from-file`).
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

from mmplan.catalog.api_read import (
    ApiCourse,
    ApiProgram,
    Record,
    page_results,
    read_course,
    read_program,
)
from mmplan.catalog.refresh import COURSES_PATH, PLATFORM, PROGRAMS_PATH, ApiData
from mmplan.core.errors import RefreshError, UsageError, shown
from mmplan.version import __version__

USER_AGENT = f"mmplan/{__version__} (catalog refresh; +https://pypi.org/project/mmplan/)"
MAX_RESPONSE_BYTES = 20 * 1024 * 1024
MAX_PAGES = 500  # per endpoint: MITx Online lists a few hundred courses, 10 or more a page
MAX_DUMP_BYTES = 100 * 1024 * 1024


@dataclass(frozen=True)
class HttpPolicy:
    """How patient a refresh is: per request, and over the attempts of one request."""

    timeout: float = 20.0  # seconds, for connecting and for each read
    attempts: int = 3
    backoff: float = 0.5  # seconds before the second attempt, doubled after each
    max_bytes: int = MAX_RESPONSE_BYTES


DEFAULT_POLICY = HttpPolicy()


def checked_base_url(text: str) -> str:
    """An http(s) address with a host, without a trailing slash; UsageError if not."""
    parts = urlsplit(text.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise UsageError(f"--base-url {shown(text)} is not an http or https address")
    return text.strip().rstrip("/")


def fetch_api(base_url: str, policy: HttpPolicy = DEFAULT_POLICY) -> ApiData:
    """Every program and course the API lists, following its pages."""
    programs = _all_pages(base_url + PROGRAMS_PATH, "programs", read_program, policy)
    courses = _all_pages(base_url + COURSES_PATH, "courses", read_course, policy)
    return ApiData(tuple(programs), tuple(courses))


def _all_pages(
    first: str, kind: str, read: Callable[[Record], Any], policy: HttpPolicy
) -> list[Any]:
    records: list[Any] = []
    seen: set[str] = set()
    url: str | None = first
    while url is not None:
        if url in seen or len(seen) >= MAX_PAGES:
            why = "loops back" if url in seen else f"runs past {MAX_PAGES} pages"
            raise RefreshError(f"{PLATFORM} {kind}: the list {why} at {url}")
        seen.add(url)
        where = f"{PLATFORM} {kind} page {url}"
        results, following = page_results(get_json(url, policy), where)
        for index, raw in enumerate(results):
            records.append(read(Record({}, where, url).child(raw, f"result {index}")))
        url = None if following is None else _next_page(url, following, kind)
    return records


def _next_page(current: str, following: str, kind: str) -> str:
    """The next page's address: on the same scheme and host as the first."""
    address = urljoin(current, following)
    here, there = urlsplit(current), urlsplit(address)
    if (here.scheme, here.netloc) != (there.scheme, there.netloc):
        raise RefreshError(
            f"{PLATFORM} {kind} page {current}: its next page is at another address "
            f"({shown(address, 100)}); refused"
        )
    return address


def get_json(url: str, policy: HttpPolicy, sleep: Callable[[float], None] = time.sleep) -> Any:
    """The JSON document at `url`, with retries for what may pass."""
    pause = policy.backoff
    for attempt in range(1, policy.attempts + 1):
        try:
            return _get_json_once(url, policy)
        except _Transient as problem:
            if attempt == policy.attempts:
                tries = f" (after {attempt} attempts)" if attempt > 1 else ""
                raise RefreshError(f"{problem}{tries}") from None
            sleep(pause)
            pause *= 2
    raise AssertionError("unreachable")  # pragma: no cover


class _Transient(Exception):
    """A failure worth another attempt."""


def _get_json_once(url: str, policy: HttpPolicy) -> Any:
    import http.client
    import urllib.error
    import urllib.request

    request = urllib.request.Request(
        url, headers={"User-Agent": USER_AGENT, "Accept": "application/json"}
    )
    opener = urllib.request.build_opener(_SameSchemeRedirects())
    try:
        with opener.open(request, timeout=policy.timeout) as response:
            kind = response.headers.get_content_type()
            promised = response.headers.get("Content-Length", "")
            if promised.isdigit() and int(promised) > policy.max_bytes:
                raise RefreshError(_too_large(url, policy))
            body = response.read(policy.max_bytes + 1)
    except urllib.error.HTTPError as error:
        error.close()  # it holds the response open
        message = f"{url}: the server answered HTTP {error.code} {error.reason}"
        if error.code == 429 or error.code >= 500:
            raise _Transient(message) from None
        raise RefreshError(message) from None
    except urllib.error.URLError as error:
        raise _Transient(_connection_problem(url, error.reason)) from None
    except TimeoutError:
        raise _Transient(f"{url}: no answer within {policy.timeout:g} s") from None
    except http.client.IncompleteRead:
        raise _Transient(f"{url}: the response was cut short") from None
    except (http.client.HTTPException, OSError) as error:
        raise _Transient(_connection_problem(url, error)) from None
    if len(body) > policy.max_bytes:
        raise RefreshError(_too_large(url, policy))
    if promised.isdigit() and len(body) < int(promised):
        raise _Transient(f"{url}: the response was cut short")
    if "json" not in kind:
        raise RefreshError(f"{url}: the server answered with {kind}, not JSON")
    return _parsed(body, url)


def _too_large(url: str, policy: HttpPolicy) -> str:
    size = f"{policy.max_bytes / (1024 * 1024):g} MB"
    return f"{url}: the response is larger than {size}; refused"


def _connection_problem(url: str, reason: object) -> str:
    import socket

    host = urlsplit(url).hostname or url
    if isinstance(reason, socket.gaierror):
        return f"{url}: cannot find the host {host} (offline, or a wrong --base-url?)"
    if isinstance(reason, TimeoutError):
        return f"{url}: no answer in time"
    if isinstance(reason, RefreshError):
        return str(reason)
    return f"{url}: cannot connect to {host} ({reason})"


def _parsed(body: bytes, where: str) -> Any:
    try:
        return json.loads(body)
    except (ValueError, RecursionError) as error:
        raise RefreshError(f"{where}: the response is not valid JSON ({error})") from None


def _redirect_handler_base() -> type:
    import urllib.request

    return urllib.request.HTTPRedirectHandler


class _SameSchemeRedirects(_redirect_handler_base()):  # type: ignore[misc]
    """Follows a redirect only to the same scheme: never from https down to http."""

    def redirect_request(
        self, req: Any, fp: Any, code: int, msg: str, headers: Any, newurl: str
    ) -> Any:
        old, new = urlsplit(req.full_url).scheme, urlsplit(urljoin(req.full_url, newurl)).scheme
        if old != new:
            fp.close()
            raise RefreshError(
                f"{req.full_url}: redirected from {old} to {new} ({shown(newurl, 100)}); refused"
            )
        return super().redirect_request(req, fp, code, msg, headers, newurl)


def read_dump(path: Path) -> tuple[ApiData, date | None, str]:
    """The programs and courses of a saved dump; its `retrieved` date, if it says; its address.

    A dump is a JSON object with `programs` and `courses`, each a list of results or a
    page of the API (an object with `results`), and optionally `retrieved` (YYYY-MM-DD).
    """
    from mmplan.core.files import FileProblem, read_regular_file

    try:
        data = read_regular_file(path, MAX_DUMP_BYTES, "dump")
    except FileProblem as problem:
        raise RefreshError(f"{path}: {problem}") from None
    document = _parsed(data, str(path))
    source = path.resolve().as_uri()
    top = Record({}, str(path), source).child(document, "the dump")
    retrieved = top.get("retrieved", str)
    day = None
    if retrieved is not None:
        try:
            day = date.fromisoformat(retrieved)
        except ValueError:
            raise RefreshError(f"{path}: 'retrieved' should be YYYY-MM-DD") from None
    programs: list[ApiProgram] = _dump_part(top, "programs", read_program)
    courses: list[ApiCourse] = _dump_part(top, "courses", read_course)
    return ApiData(tuple(programs), tuple(courses)), day, source


def _dump_part(top: Record, name: str, read: Callable[[Record], Any]) -> list[Any]:
    part = top.data.get(name)
    if part is None:
        raise RefreshError(f"{top.where}: required field '{name}' is missing")
    results = part if isinstance(part, list) else page_results(part, f"{top.where}, {name}")[0]
    where = Record({}, f"{top.where}, {name}", top.source)
    return [read(where.child(raw, f"result {index}")) for index, raw in enumerate(results)]
