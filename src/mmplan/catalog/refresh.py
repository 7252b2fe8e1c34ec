"""`mmplan catalog refresh`'s mapping: MITx Online's programs and courses -> a catalog overlay.

Pure: it takes what the API answered (read by `mmplan.catalog.api_read`) and the curated
catalog, and returns the overlay document (`mmplan.catalog.overlay`'s format) with notes
on what it left out. How each fact maps:

- A course matches a curated course by its key: the number of its readable id
  (`course-v1:MITx+14.310x` -> `14.310x`), in every program that lists that code.
- Its runs (`courseruns`) become the catalog's runs: start, end, enrolment end, upgrade
  deadline and pacing (`is_self_paced`) each. Its pacing and price are those of its next
  run (the first still to start, else the latest): the price is the run's active
  product's, down to its flexible price when the API shows one. Its payment rule
  (`upgrade_deadline`) is the next run's deadline as days from that run's start.
- A program matches a curated program by its readable id (the few documented in
  `KNOWN_PROGRAMS`) or else by its course keys (most of its courses in one curated
  program). Its status is `live`; its requirement tree (`req_tree`) maps onto required
  courses, elective groups ("choose N": `min_number_of`) and tracks (a `min_number_of` 1
  over `all_of` groups).
- A program the catalog places on MITx Online (its `platform`), active or moved, that the
  API does not list becomes `unknown`, its note naming the day; a program the catalog
  places elsewhere is only reported missing (`mmplan catalog diff`).
- A MicroMasters program the catalog lacks comes in whole, marked as from the API, when
  its courses give weeks and weekly hours; otherwise a note says why it was left out.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from mmplan.catalog.api_read import ApiCourse, ApiProgram, ApiRun, Node
from mmplan.catalog.model import (
    Catalog,
    Course,
    PriceRange,
    Program,
    ProgramStatus,
    dollars_json,
)

PLATFORM = "MITx Online"
DEFAULT_BASE_URL = "https://mitxonline.mit.edu"
PROGRAMS_PATH = "/api/v2/programs/"
COURSES_PATH = "/api/v2/courses/"
# Readable ids of curated programs, as MIT's own code names them (mitodl/mitxonline and
# mitodl/mit-learn use program-v1:MITx+DEDP and program-v1:MITx+CTL.SCM).
COURSE_FACTS = {"runs", "pacing", "price_usd", "upgrade_deadline"}
KNOWN_PROGRAMS = {"program-v1:MITx+DEDP": "mitx-dedp", "program-v1:MITx+CTL.SCM": "mitx-scm"}


@dataclass(frozen=True)
class ApiData:
    """What the API answered: every program and course, each with the page it came from."""

    programs: tuple[ApiProgram, ...]
    courses: tuple[ApiCourse, ...]


@dataclass(frozen=True)
class Mapped:
    """The overlay document, and a line for each thing the mapping left out."""

    document: dict[str, Any]
    notes: tuple[str, ...]


def build_overlay(api: ApiData, catalog: Catalog, *, base_url: str, retrieved: date) -> Mapped:
    """The overlay the API's answer gives over `catalog`."""
    notes: list[str] = []
    curated = {c.code.casefold(): c for p in catalog.programs for c in p.courses}
    by_id = {course.id: course for course in api.courses}
    courses = [
        _course_patch(course, curated[course.code.casefold()], retrieved)
        for course in api.courses
        if course.code.casefold() in curated
    ]
    programs = []
    taken = {program.id for program in catalog.programs}
    taken_by_patch: set[str] = set()
    for program in api.programs:
        match = _match(program, catalog, by_id)
        if match is not None and match[0].id in taken_by_patch:
            notes.append(f"{program.key}: matches {match[0].id}, already matched; left out")
            continue
        if match is None:
            entry = _new_program(program, by_id, retrieved, base_url, taken, notes)
        else:
            entry = _program_patch(program, *match, by_id, retrieved, notes)
        if entry is not None:
            taken.add(entry["id"])
            taken_by_patch.add(entry["id"])
            programs.append(entry)
    if api.programs:  # an answer listing no program says nothing of one
        listing = api.programs[0].source
        programs.extend(
            _unlisted(program, listing, retrieved)
            for program in catalog.programs
            if program.id not in taken_by_patch
            and program.platform == PLATFORM
            and program.status in (ProgramStatus.ACTIVE, ProgramStatus.MOVED)
        )
    document = {
        "overlay_version": 1,
        "platform": PLATFORM,
        "base_url": base_url,
        "retrieved": retrieved.isoformat(),
        "programs": programs,
        "courses": [patch for patch in courses if patch.keys() & COURSE_FACTS],
    }
    return Mapped(document, tuple(notes))


def _sourced(value: Any, source: str, retrieved: date, **extra: Any) -> dict[str, Any]:
    return {"value": value, **extra, "source": source, "retrieved": retrieved.isoformat()}


def next_run(runs: Sequence[ApiRun], today: date) -> ApiRun | None:
    """The first run still to start, else the one that started last."""
    dated = sorted(
        (r for r in runs if r.start is not None and r.live), key=lambda r: r.start or today
    )
    upcoming = [r for r in dated if r.start is not None and r.start >= today]
    return upcoming[0] if upcoming else (dated[-1] if dated else None)


def _course_patch(course: ApiCourse, curated: Course | None, retrieved: date) -> dict[str, Any]:
    """A course's facts; `curated`, the catalog's course of the same code, if any."""
    patch: dict[str, Any] = {
        "code": course.code if curated is None else curated.code,
        "key": course.key,
        "source": course.source,
        "retrieved": retrieved.isoformat(),
    }
    runs = [_run(r) for r in sorted(course.runs, key=_start) if r.start is not None and r.live]
    if runs:
        patch["runs"] = _sourced(runs, course.source, retrieved)
    upcoming = next_run(course.runs, retrieved)
    if upcoming is not None:
        pacing = "self" if upcoming.self_paced else "instructor"
        patch["pacing"] = _sourced(pacing, course.source, retrieved)
        price = _price(upcoming, None if curated is None else curated.price_usd)
        if price is not None:
            patch["price_usd"] = _sourced(price, course.source, retrieved)
        deadline = upgrade_deadline(upcoming, course.runs)
        if deadline is not None:
            patch["upgrade_deadline"] = _sourced(deadline, course.source, retrieved)
    return patch


def _deadline_offset(run: ApiRun) -> int | None:
    """Days from a dated run's start to its upgrade deadline (negative: before it starts)."""
    if run.self_paced or run.start is None or run.upgrade_deadline is None:
        return None
    return (run.upgrade_deadline - run.start).days


def upgrade_deadline(upcoming: ApiRun, runs: Sequence[ApiRun]) -> dict[str, Any] | None:
    """The catalog's payment rule from the next run's upgrade deadline: that many days after
    (or before) its start, so a plan taking that run pays on the API's day. Estimated when
    another run's deadline sits elsewhere from its start; None for a self-paced run (its
    deadline is a date, not a day of the learner's own start) or one beyond a year."""
    offset = _deadline_offset(upcoming)
    if offset is None or abs(offset) > 366:
        return None
    offsets = {_deadline_offset(run) for run in runs if run.live} - {None}
    rule = {"days_after_start": offset} if offset >= 0 else {"days_before_start": -offset}
    return {**rule, "estimated": len(offsets) > 1}


def _start(run: ApiRun) -> date:
    return run.start or date.min


def _run(run: ApiRun) -> dict[str, Any]:
    fields = {"key": run.key, "start": run.start, "end": run.end}
    fields |= {"enrollment_end": run.enrollment_end, "upgrade_deadline": run.upgrade_deadline}
    written: dict[str, Any] = {k: v.isoformat() for k, v in fields.items() if isinstance(v, date)}
    return {"key": run.key, **written, "self_paced": run.self_paced}


def _price(run: ApiRun, curated: PriceRange | None) -> Any:
    """The run's price: its list price, down to its flexible price when the API shows one.
    When it shows none and the list price is the top of the curated range, the range stays:
    the API confirms its top, and the income-based tiers below are not public."""
    if run.price is None:
        return None
    low = run.lowest_price if run.lowest_price is not None else run.price
    if low == run.price and curated is not None and curated.hi == run.price:
        low = curated.lo
    if low == run.price:
        return dollars_json(run.price)
    return [dollars_json(low), dollars_json(run.price)]


def _codes(program: ApiProgram, by_id: dict[int, ApiCourse]) -> list[str]:
    """The course numbers of a program: its tree's courses, else its `courses` ids."""
    ids = list(dict.fromkeys(_tree_course_ids(program.tree))) or list(program.course_ids)
    return [by_id[i].code for i in ids if i in by_id]


def _tree_course_ids(nodes: Iterable[Node]) -> Iterable[int]:
    for node in nodes:
        if node.kind == "course" and node.course is not None:
            yield node.course
        yield from _tree_course_ids(node.children)


def _match(
    program: ApiProgram, catalog: Catalog, by_id: dict[int, ApiCourse]
) -> tuple[Program, str] | None:
    """The curated program this one is, and how it was matched."""
    known = KNOWN_PROGRAMS.get(program.key)
    if known is not None:
        for curated in catalog.programs:
            if curated.id == known:
                return curated, "readable id"
    if not _micromasters(program):
        return None  # a course series sharing a course is not the curated program
    codes = {code.casefold() for code in _codes(program, by_id)}
    best: tuple[int, Program] | None = None
    for curated in catalog.programs:
        shared = len(codes & {c.code.casefold() for c in curated.courses})
        if shared and (best is None or shared > best[0]):
            best = (shared, curated)
    if best is None or best[0] < 2:
        return None
    shared, curated = best
    if shared * 2 >= len(codes) and shared * 2 >= len(curated.courses):
        return curated, "course keys"
    return None


def _micromasters(program: ApiProgram) -> bool:
    """A MicroMasters program, or one whose type the API does not give."""
    return program.program_type is None or "micromasters" in program.program_type.lower()


def _status(program: ApiProgram, retrieved: date) -> dict[str, Any]:
    if program.live:
        return _sourced("active", program.source, retrieved, note=None, platform=PLATFORM)
    note = f"not live on {PLATFORM} (live: false, retrieved {retrieved.isoformat()})"
    return _sourced("retired", program.source, retrieved, note=note, platform=PLATFORM)


def _unlisted(program: Program, listing: str, retrieved: date) -> dict[str, Any]:
    """A program the catalog places on MITx Online that its API does not list: its status
    becomes `unknown` (it may be gone, or renamed), the note naming the day."""
    day = retrieved.isoformat()
    key = next((k for k, v in KNOWN_PROGRAMS.items() if v == program.id), program.id)
    note = f"{PLATFORM}'s API did not list it on {day}; it may no longer be offered there"
    return {
        "id": program.id,
        "key": key,
        "matched_by": "not listed",
        "source": listing,
        "retrieved": day,
        "status": _sourced("unknown", listing, retrieved, note=note, platform=PLATFORM),
    }


def _program_patch(
    program: ApiProgram,
    curated: Program,
    how: str,
    by_id: dict[int, ApiCourse],
    retrieved: date,
    notes: list[str],
) -> dict[str, Any]:
    patch: dict[str, Any] = {
        "id": curated.id,
        "key": program.key,
        "matched_by": how,
        "source": program.source,
        "retrieved": retrieved.isoformat(),
        "status": _status(program, retrieved),
    }
    names = {c.code.casefold(): c.code for c in curated.courses}
    tree = requirements(program, by_id, notes)
    if tree is not None:
        electives, tracks = tree
        codes = [c for g in electives for c in g["from"]] + [
            c for t in tracks for c in t["courses"]
        ]
        unknown = [c for c in codes if c.casefold() not in names]
        if unknown:
            notes.append(
                f"{curated.id}: the requirement tree of {program.key} names courses the "
                f"catalog lacks ({', '.join(unknown)}); the curated structure is kept"
            )
        elif electives or tracks:
            fix = _spelled(names)
            patch["requirements"] = {
                "electives": [{**g, "from": fix(g["from"])} for g in electives],
                "tracks": [{**t, "courses": fix(t["courses"])} for t in tracks],
                "source": program.source,
                "retrieved": retrieved.isoformat(),
            }
    return patch


def _spelled(names: dict[str, str]) -> Any:
    return lambda codes: [names[c.casefold()] for c in codes]


def requirements(
    program: ApiProgram, by_id: dict[int, ApiCourse], notes: list[str]
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]] | None:
    """Elective groups and tracks from a requirement tree; None when it cannot be read."""
    operators = list(_operators(program.tree))
    electives: list[dict[str, Any]] = []
    tracks: list[dict[str, Any]] = []
    for node in operators:
        if node.kind != "operator":
            continue
        if node.operator == "all_of":
            continue  # its courses are required: the catalog's default for a course
        if node.operator != "min_number_of" or node.value is None or node.value < 1:
            notes.append(f"{program.key}: requirement operator {node.operator!r} is not read")
            return None
        groups = [c for c in node.children if c.kind == "operator"]
        if groups and node.value == 1 and len(groups) == len(node.children):
            for index, group in enumerate(groups):
                codes = _course_codes(group, by_id)
                name = group.title or f"Track {index + 1}"
                if codes is None or not codes:
                    notes.append(
                        f"{program.key}: track {name!r} names a course the API does not list"
                    )
                    return None
                tracks.append({"name": name, "courses": codes})
            continue
        codes = _course_codes(node, by_id)
        if codes is None:
            notes.append(f"{program.key}: an elective group names a course the API does not list")
            return None
        if groups:
            notes.append(
                f"{program.key}: a choice nested in an elective group is read as one group"
            )
        electives.append({"choose": min(node.value, len(codes)), "from": codes})
    return electives, tracks


def _operators(nodes: Iterable[Node]) -> Iterable[Node]:
    """The operator nodes that say what to take: under the root, and inside `all_of`s."""
    for node in nodes:
        if node.kind == "program_root":
            yield from _operators(node.children)
        elif node.kind == "operator":
            yield node
            if node.operator == "all_of":
                yield from _operators(c for c in node.children if c.kind == "operator")


def _course_codes(node: Node, by_id: dict[int, ApiCourse]) -> list[str] | None:
    """The codes of every course under a node; None when one is not among the courses."""
    ids = list(dict.fromkeys(_tree_course_ids(node.children)))
    if any(i not in by_id for i in ids):
        return None
    return [by_id[i].code for i in ids]


def program_slug(key: str) -> str:
    """A catalog id for a new program: `program-v1:MITx+CTL.SCM` -> `mitxonline-mitx-ctl-scm`."""
    body = key.removeprefix("program-v1:")
    words = re.findall(r"[a-z0-9]+", body.lower())
    return "-".join(["mitxonline", *words])[:100].rstrip("-")


def _new_program(
    program: ApiProgram,
    by_id: dict[int, ApiCourse],
    retrieved: date,
    base_url: str,
    taken: set[str],
    notes: list[str],
) -> dict[str, Any] | None:
    """A MicroMasters program the catalog lacks, whole; None (with a note) when it cannot be."""
    if not _micromasters(program):
        return None  # MITx Online lists other kinds of program: not this catalog's
    program_id = program_slug(program.key)
    if program_id in taken:
        notes.append(f"{program.key}: its id {program_id} is taken; left out")
        return None
    ids = list(dict.fromkeys(_tree_course_ids(program.tree))) or list(program.course_ids)
    missing = [i for i in ids if i not in by_id]
    if not ids or missing:
        notes.append(f"{program.key}: new program left out: its courses are not all listed")
        return None
    courses = []
    for course_id in ids:
        course = _new_course(by_id[course_id], retrieved)
        if isinstance(course, str):
            notes.append(f"{program.key}: new program left out: {course}")
            return None
        courses.append(course)
    tree = requirements(program, by_id, notes) or ([], [])
    org = program.key.removeprefix("program-v1:").partition("+")[0] or PLATFORM
    status = _status(program, retrieved)
    data: dict[str, Any] = {
        "id": program_id,
        "title": program.title,
        "institution": org,
        "field": ", ".join(program.departments) or "not given by the API",
        "url": f"{base_url}/programs/{program.key}/",
        "as_of": retrieved.isoformat(),
        "status": status["value"],
        "platform": PLATFORM,
        "notes": f"From the {PLATFORM} API alone ({program.key}): no curated facts.",
        "courses": courses,
        "electives": tree[0],
        "tracks": tree[1],
        "sources": [program.source],
    }
    if status["note"]:
        data["status_note"] = status["note"]
    return {
        "id": program_id,
        "key": program.key,
        "matched_by": "new",
        "source": program.source,
        "retrieved": retrieved.isoformat(),
        "new": data,
    }


def _new_course(course: ApiCourse, retrieved: date) -> dict[str, Any] | str:
    """A catalog course from the API alone, or why it cannot be one."""
    low, high = course.weekly_hours
    if low is None and high is None:
        return f"{course.key} gives no weekly hours (min_weekly_hours, max_weekly_hours)"
    hours = sorted(h for h in (low, high) if h is not None)
    estimated: list[str] = []
    weeks: float | None = next((w for w in reversed(course.weeks) if w), None)
    upcoming = next_run(course.runs, retrieved)
    if weeks is None and upcoming is not None and upcoming.start and upcoming.end:
        weeks = round((upcoming.end - upcoming.start).days / 7, 1)
        estimated.append("weeks")
    if not weeks or weeks < 0.1 or weeks > 520:
        return f"{course.key} gives no weeks (min_weeks, max_weeks or a dated run)"
    patch = _course_patch(course, None, retrieved)
    runs = patch.get("runs", {}).get("value", [])
    data: dict[str, Any] = {
        "code": course.code,
        "title": course.title,
        "weeks": weeks,
        "hours_per_week": [hours[0], hours[-1]],
        "pacing": patch.get("pacing", {}).get("value", "self"),
        "runs": [r["start"] for r in runs if not r["self_paced"]],
        "estimated": estimated,
    }
    for fact in ("price_usd", "upgrade_deadline"):
        if fact in patch:
            data[fact] = patch[fact]["value"]
    return data
