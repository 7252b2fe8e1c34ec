"""A stand-in for MITx Online's public API: a real HTTP server on 127.0.0.1 and payloads.

The payloads are written from the fields the API documents (mitodl/mitxonline's v2
serializers; mitodl/mitxonline-api-clients' `V2ProgramRequirementData`, `BaseCourseRun`,
`ProductFlexiblePrice`, `PaginatedCourseWithCourseRunsSerializerV2List`), shaped like its
answers: pages of `count`/`next`/`previous`/`results`, with fields mmplan does not read.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

Reply = tuple[int, dict[str, str], bytes]
Route = Callable[["Handler"], Reply | None]


@dataclass
class Server:
    """The server's address and what it answers: a route per path (with its query)."""

    base_url: str = ""
    routes: dict[str, Route | Reply] = field(default_factory=dict)
    hits: list[str] = field(default_factory=list)

    def json(self, path: str, document: Any, status: int = 200) -> None:
        body = json.dumps(document).encode()
        self.routes[path] = (status, {"Content-Type": "application/json"}, body)

    def serve_api(self, programs: list[Any], courses: list[Any], per_page: int = 2) -> None:
        """Programs and courses as the API pages them."""
        for path, items in (("/api/v2/programs/", programs), ("/api/v2/courses/", courses)):
            for path_and_query, page in pages(self.base_url, path, items, per_page):
                self.json(path_and_query, page)


class Handler(BaseHTTPRequestHandler):
    server_state: Server

    def do_GET(self) -> None:
        state = self.server_state
        state.hits.append(self.path)
        route = state.routes.get(self.path)
        reply = route(self) if callable(route) else route
        if reply is None:
            if route is None:
                reply = (404, {"Content-Type": "application/json"}, b'{"detail": "Not found."}')
            else:
                return  # the route answered on its own (a cut body, a stall)
        status, headers, body = reply
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        if "Content-Length" not in headers:
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        pass


class QuietServer(ThreadingHTTPServer):
    """A server that keeps quiet when a client stops reading (the refresh refuses a huge body
    and closes the connection mid-answer): socketserver would print that traceback to
    sys.stderr, which is the CLI's captured stderr while a test runs a command."""

    def handle_error(self, request: Any, client_address: Any) -> None:
        pass


def start_server() -> tuple[Server, Callable[[], None]]:
    state = Server()
    handler = type("BoundHandler", (Handler,), {"server_state": state})
    httpd = QuietServer(("127.0.0.1", 0), handler)
    httpd.daemon_threads = True
    state.base_url = f"http://127.0.0.1:{httpd.server_address[1]}"
    # serve_forever looks for shutdown() every poll_interval: 0.5 s by default, which each
    # test using the server waited out at its end (half a second of nothing, 35 times).
    serve = {"poll_interval": 0.01}
    thread = threading.Thread(target=httpd.serve_forever, kwargs=serve, daemon=True)
    thread.start()

    def stop() -> None:
        httpd.shutdown()
        httpd.server_close()

    return state, stop


def pages(base: str, path: str, items: list[Any], per_page: int) -> Iterator[tuple[str, Any]]:
    """Each page of a list as (path with query, page document); the first is the bare path."""
    chunks = [items[i : i + per_page] for i in range(0, len(items), per_page)] or [[]]
    for number, chunk in enumerate(chunks, start=1):
        here = path if number == 1 else f"{path}?page={number}"
        after = f"{base}{path}?page={number + 1}" if number < len(chunks) else None
        before = (
            None
            if number == 1
            else f"{base}{path}" + ("" if number == 2 else f"?page={number - 1}")
        )
        yield here, {"count": len(items), "next": after, "previous": before, "results": chunk}


def cut_short(handler: Handler) -> None:
    """Promise 1,000 bytes, send 20, and close: a truncated body."""
    handler.send_response(200)
    handler.send_header("Content-Type", "application/json")
    handler.send_header("Content-Length", "1000")
    handler.end_headers()
    handler.wfile.write(b'{"count": 1, "result')
    handler.wfile.flush()
    handler.close_connection = True


def stall(seconds: float) -> Route:
    def route(handler: Handler) -> None:
        time.sleep(seconds)
        with_body = (200, {"Content-Type": "application/json"}, b'{"count": 0, "results": []}')
        try:
            handler.send_response(with_body[0])
            handler.end_headers()
        except OSError:
            pass

    return route


# --- payloads -----------------------------------------------------------------------------


def run(
    key: str,
    start: str | None,
    end: str | None = None,
    *,
    self_paced: bool = False,
    price: str | None = "1000.00",
    flexible: dict[str, Any] | None = None,
    upgrade: str | None = None,
    live: bool = True,
) -> dict[str, Any]:
    """A course run as `CourseRunV2` serializes it (BaseCourseRun's fields and products)."""
    products = []
    if price is not None:
        products.append(
            {
                "id": abs(hash(key)) % 10_000,
                "price": price,
                "description": key,
                "is_active": True,
                "product_flexible_price": flexible,
            }
        )
    return {
        "title": key,
        "start_date": start and f"{start}T15:00:00Z",
        "end_date": end and f"{end}T23:59:00Z",
        "enrollment_start": None,
        "enrollment_end": end and f"{end}T23:59:00Z",
        "expiration_date": None,
        "courseware_url": f"https://courses.example/{key}",
        "courseware_id": key,
        "certificate_available_date": None,
        "upgrade_deadline": upgrade and f"{upgrade}T23:59:00Z",
        "is_upgradable": True,
        "is_enrollable": True,
        "is_archived": False,
        "is_self_paced": self_paced,
        "run_tag": key.rsplit("+", 1)[-1],
        "id": abs(hash(key)) % 100_000,
        "live": live,
        "course_number": key.split("+")[1] if "+" in key else key,
        "products": products,
        "approved_flexible_price_exists": False,
        "b2b_contract": None,
    }


def course(
    course_id: int,
    number: str,
    title: str,
    runs: list[dict[str, Any]],
    **page: Any,
) -> dict[str, Any]:
    """A course as `CourseWithCourseRunsSerializerV2` serializes it."""
    return {
        "id": course_id,
        "title": title,
        "readable_id": f"course-v1:MITx+{number}",
        "next_run_id": None,
        "departments": [{"name": "Economics"}],
        "page": {"feature_image_src": None, "page_url": f"/courses/course-v1:MITx+{number}/"},
        "programs": None,
        "topics": [{"name": "Social Sciences"}],
        "certificate_type": "MicroMasters Credential",
        "required_prerequisites": False,
        "duration": "",
        "min_weeks": page.get("min_weeks"),
        "max_weeks": page.get("max_weeks"),
        "min_price": None,
        "max_price": None,
        "time_commitment": "",
        "availability": "dated",
        "min_weekly_hours": page.get("min_weekly_hours"),
        "max_weekly_hours": page.get("max_weekly_hours"),
        "include_in_learn_catalog": True,
        "ingest_content_files_for_ai": False,
        "courseruns": runs,
    }


def node(kind: str, *children: dict[str, Any], **data: Any) -> dict[str, Any]:
    """A requirement tree node (`V2ProgramRequirement`: id, data, children)."""
    fields = {"node_type": kind, "course": None, "program": 1, "title": None}
    fields |= {"operator": None, "operator_value": None, "elective_flag": False}
    return {"id": None, "data": {**fields, **data}, "children": list(children)}


def required(*course_ids: int, title: str = "Required Courses") -> dict[str, Any]:
    courses = [node("course", course=c) for c in course_ids]
    return node("operator", *courses, operator="all_of", title=title)


def choose(count: int, *children: dict[str, Any] | int, title: str = "Electives") -> dict[str, Any]:
    nodes = [c if isinstance(c, dict) else node("course", course=c) for c in children]
    return node(
        "operator",
        *nodes,
        operator="min_number_of",
        operator_value=str(count),
        title=title,
        elective_flag=True,
    )


def program(
    program_id: int,
    readable_id: str,
    title: str,
    *operators: dict[str, Any],
    live: bool = True,
    program_type: str = "MicroMasters®",
) -> dict[str, Any]:
    """A program as the v2 `ProgramSerializer` serializes it."""
    root = node("program_root", *operators)
    ids = sorted({n["data"]["course"] for n in _walk(root) if n["data"]["node_type"] == "course"})
    return {
        "title": title,
        "readable_id": readable_id,
        "id": program_id,
        "courses": ids,
        "requirements": {"required": [], "electives": []},
        "req_tree": [root],
        "page": {"feature_image_src": None, "page_url": f"/programs/{readable_id}/"},
        "program_type": program_type,
        "certificate_type": "MicroMasters Credential",
        "departments": [{"name": "Economics"}],
        "live": live,
        "topics": [],
        "availability": "dated",
        "start_date": None,
        "end_date": None,
        "enrollment_start": None,
        "enrollment_end": None,
        "required_prerequisites": False,
        "duration": "",
        "min_weeks": None,
        "max_weeks": None,
        "time_commitment": "",
        "min_weekly_hours": None,
        "max_weekly_hours": None,
    }


def _walk(tree: dict[str, Any]) -> Iterator[dict[str, Any]]:
    yield tree
    for child in tree["children"]:
        yield from _walk(child)


FLEX_90 = {
    "id": 7,
    "amount": "90",
    "automatic": False,
    "discount_type": "percent-off",
    "redemption_type": "unlimited",
    "max_redemptions": 0,
    "discount_code": "DEDP-fa-tier1-2026",
    "payment_type": "financial-assistance",
    "is_redeemed": False,
    "activation_date": None,
    "expiration_date": None,
}


def dedp_courses() -> list[dict[str, Any]]:
    """DEDP's six courses: past and future runs, list prices, one flexible price."""

    def runs(
        number: str, *, flexible: dict[str, Any] | None = None, price: str = "1000.00"
    ) -> list[dict[str, Any]]:
        key = f"course-v1:MITx+{number}"
        late = {"upgrade": "2027-06-29", "flexible": flexible, "price": price}
        return [
            run(f"{key}+1T2026", "2026-02-03", "2026-05-12"),
            run(
                f"{key}+1T2027",
                "2027-02-02",
                "2027-05-11",
                upgrade="2027-03-02",
                flexible=flexible,
                price=price,
            ),
            run(f"{key}+2T2027", "2027-06-01", "2027-08-17", **late),
        ]

    return [
        course(11, "14.100x", "Microeconomics", runs("14.100x")),
        course(
            12, "14.310x", "Data Analysis for Social Scientists", runs("14.310x", flexible=FLEX_90)
        ),
        course(
            13,
            "JPAL102x",
            "Designing and Running Randomized Evaluations",
            runs("JPAL102x", price="1200.00"),
        ),
        course(14, "14.73x", "The Challenges of Global Poverty", runs("14.73x")),
        course(15, "14.740x", "Foundations of Development Policy", runs("14.740x")),
        course(16, "14.750x", "Political Economy and Economic Development", runs("14.750x")),
    ]


def new_program_courses() -> list[dict[str, Any]]:
    """A program the catalog lacks: required, electives and two tracks; self-paced runs too."""
    hours = {"min_weeks": 8, "max_weeks": 10, "min_weekly_hours": "6", "max_weekly_hours": "9"}

    def dated(number: str) -> list[dict[str, Any]]:
        key = f"course-v1:MITx+{number}"
        return [run(f"{key}+3T2027", "2027-09-07", "2027-11-16", price="300.00")]

    return [
        course(20, "NT.100x", "Foundations", dated("NT.100x"), **hours),
        course(21, "NT.201x", "Track A One", dated("NT.201x"), **hours),
        course(22, "NT.202x", "Track A Two", dated("NT.202x"), **hours),
        course(23, "NT.301x", "Track B One", dated("NT.301x"), **hours),
        course(24, "NT.302x", "Track B Two", dated("NT.302x"), **hours),
        course(
            25,
            "NT.401x",
            "Elective One",
            [
                run(
                    "course-v1:MITx+NT.401x+SP",
                    "2026-01-05",
                    "2027-12-31",
                    self_paced=True,
                    price="150.00",
                )
            ],
            **hours,
        ),
        course(26, "NT.402x", "Elective Two", dated("NT.402x"), **hours),
    ]


def catalog_programs() -> list[dict[str, Any]]:
    dedp = program(
        1,
        "program-v1:MITx+DEDP",
        "Data, Economics, and Design of Policy",
        required(11, 12, 13),
        choose(2, 14, 15, 16, title="Elective Courses"),
    )
    new = program(
        2,
        "program-v1:MITx+NTP",
        "New Test Program",
        required(20),
        choose(
            1, required(21, 22, title="Track A"), required(23, 24, title="Track B"), title="Tracks"
        ),
        choose(1, 25, 26),
    )
    other = program(
        3, "program-v1:MITx+SERIES", "A Course Series", required(26), program_type="Series"
    )
    return [dedp, new, other]


def catalog_courses() -> list[dict[str, Any]]:
    return [*dedp_courses(), *new_program_courses()]
