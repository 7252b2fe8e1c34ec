"""Bad catalogs, one kind each: exit 1, one located line, and the line number we expect.

Each case is a whole catalog file written as text (bytes where the point is the bytes), the
line its first problem must be on, and a part of the message. `mmplan validate FILE` is run
in-process with the bundled catalog dropped, so the cases do not depend on its contents.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import Invoke
from mmplan.catalog import load as catalog_module
from mmplan.catalog.load import parse_catalog
from mmplan.core.errors import CatalogError

HEAD = "schema_version: 1\nas_of: 2026-11-01\nprograms:\n"
PROGRAM = """\
  - id: p
    title: P
    institution: TestX
    field: Testing
    sources: [https://example.org]
    courses:
"""  # the courses that follow start on line 10


def course(code: str, extra: str = "") -> str:
    """One course on one line (flow style), with `extra` keys appended."""
    return f"      - {{code: {code}, title: T, weeks: 4, hours_per_week: 5{extra}}}\n"


def ok(*courses: str) -> str:
    return HEAD + PROGRAM + "".join(courses or (course("A"),))


def ok2(*courses: str, program: str = PROGRAM) -> str:
    """A schema version 2 file: every course must state its pacing."""
    paced = [c.replace("}", ", pacing: self}") if "pacing" not in c else c for c in courses]
    return HEAD.replace("1", "2", 1) + program + "".join(paced or (course("A", ", pacing: self"),))


def retired(extra: str) -> str:
    """PROGRAM with `extra` program keys (given on the line after `field:`, line 8)."""
    return PROGRAM.replace("    field: Testing\n", "    field: Testing\n" + extra)


BOMB = "".join(
    f"{name}: &{name} [{', '.join([f'*{prev}'] * 9)}]\n"
    for prev, name in zip("abcdefgh", "bcdefghi", strict=True)
)
BAD_CATALOGS: dict[str, tuple[str | bytes, int, str]] = {
    # the file as a whole
    "empty": (b"", 1, "the file holds no YAML document"),
    "whitespace": ("  \n\n# only a comment\n", 1, "the file holds no YAML document"),
    "top-level list": ("- a\n- b\n", 1, "the top level is a list"),
    "top-level scalar": ("42\n", 1, "the top level is a single value (42)"),
    "not utf-8": ((HEAD + "# caf\xe9\n").encode("latin-1"), 4, "byte 0xe9 is not UTF-8"),
    "nul byte": (b"schema_version: 1\nas_of: 20\x0026-11-01\n", 2, "a NUL byte"),
    "control character": ("schema_version: 1\nas_of: \x07\n", 2, "control character U+0007"),
    "binary garbage": (bytes(range(256)) * 4, 2, "byte 0x80 is not UTF-8"),
    "syntax": (HEAD + "  - id: p\n   title: x\n", 5, "invalid YAML"),
    "two documents": ("a: 1\n---\nb: 2\n", 2, "expected a single document"),
    "schema version 3": (
        ok().replace("schema_version: 1", "schema_version: 3"),
        1,
        "schema version 3 is not supported (a newer mmplan may read it); "
        "this mmplan reads schema versions 1 and 2",
    ),
    "schema version text": (
        ok().replace("schema_version: 1", "schema_version: one"),
        1,
        "schema version 'one' is not supported",
    ),
    "missing schema_version": (
        ok().replace("schema_version: 1\n", ""),
        1,
        "missing required key 'schema_version'",
    ),
    # hostile YAML
    "deep nesting": ("a: " + "[" * 100_000 + "]" * 100_000, 1, "nested more than 50 levels"),
    "deep block nesting": ("- " * 10_000 + "x\n", 1, "nested more than 50 levels"),
    "billion laughs": (
        'a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]\n' + BOMB,
        6,
        "alias bomb",
    ),
    "recursive alias": (
        "schema_version: 1\nas_of: 2026-11-01\nprograms: &p [*p]\n",
        3,
        "recursive alias",
    ),
    "python tag": (
        ok(course("A", ", notes: !!python/object/apply:os.system [ls]")),
        10,
        "tag '!!python/object/apply:os.system' is not allowed",
    ),
    "python object tag": (
        HEAD + "  - !!python/object:pathlib.Path {}\n",
        4,
        "tag '!!python/object:pathlib.Path' is not allowed",
    ),
    "duplicate key": (
        ok().replace("    field: Testing\n", "    field: Testing\n    title: Q\n"),
        8,
        "duplicate key 'title' (first at line 5)",
    ),
    "unhashable key": (HEAD + "  - ? [a]\n    : b\n", 4, "unhashable key"),
    "integer of 5000 digits": (
        ok(course("A").replace("weeks: 4", "weeks: " + "9" * 5000)),
        10,
        "weeks: '9999999999999999999999999999999999999999999999999999999999999999999999999999"
        "9999...' (4,920 more characters) has too many digits to be a number",
    ),
    # values
    "invalid date": (
        ok(course("A", ", runs: [2026-02-30]")),
        10,
        "valid date or datetime, day value is outside expected range (got '2026-02-30')",
    ),
    "as_of with a made-up precision": (
        ok().replace("2026-11-01", "2026-11-1x"),
        2,
        "expected a date written YYYY, YYYY-MM or YYYY-MM-DD",
    ),
    "as_of month 13": (ok().replace("2026-11-01", "2026-13"), 2, "'2026-13' is not a real date"),
    "program as_of of no date": (
        ok2(program=retired("    as_of: c. 2020\n")),
        8,
        "expected a date written YYYY, YYYY-MM or YYYY-MM-DD, got 'c. 2020'",
    ),
    "pacing left out in version 2": (
        HEAD.replace("1", "2", 1) + PROGRAM + course("A"),
        10,
        "programs[p].courses[A]: missing required key 'pacing' (self or instructor)",
    ),
    "session start not a date": (
        ok2(course("A", ", session_starts: ['Sept']")),
        10,
        "expected a month and day written MM-DD, like '09-01', got 'Sept'",
    ),
    "session start month 13": (
        ok2(course("A", ", session_starts: ['13-01']")),
        10,
        "'13-01' is not a real month and day",
    ),
    "session start 04-31": (
        ok2(course("A", ", session_starts: ['02-01', '04-31']")),
        10,
        "session_starts[1]: '04-31' is not a real month and day",
    ),
    "session start 02-29": (
        ok2(course("A", ", session_starts: ['02-29']")),
        10,
        "'02-29' is not a start every year has; write '02-28' or '03-01'",
    ),
    "estimated names an unknown field": (
        ok2(course("A", ", estimated: [sessions]")),
        10,
        "'session_starts'",
    ),
    "platform deadline below zero": (
        ok2().replace(
            "programs:\n",
            "platforms:\n  - {name: edX, upgrade_deadline_days: -1, rule: r, sources: [s]}\n"
            "programs:\n",
        ),
        4,
        "platforms[0].upgrade_deadline_days: Input should be greater than or equal to 0",
    ),
    "platform without its rule": (
        ok2().replace("programs:\n", "platforms:\n  - {name: edX, sources: [s]}\nprograms:\n"),
        4,
        "platforms[0]: missing required key 'rule'",
    ),
    "retired without a note": (
        ok2(program=retired("    status: retired\n")),
        8,
        "programs[p].status: status 'retired' needs a status_note saying what happened and when",
    ),
    "unknown status": (
        ok2(program=retired("    status: closed\n")),
        8,
        "'active', 'retired', 'moved' or 'unknown'",
    ),
    "a shared course with two pacings": (
        ok2(course("X", ", pacing: instructor"))
        + PROGRAM.replace("id: p", "id: q")
        + course("x", ", pacing: self"),
        17,
        "programs[q].courses[x].pacing: 'x' is one course in every program that lists it, but its "
        "pacing 'self' differs from 'instructor' in 'p/X' (FILE:10)",
    ),
    "a shared course with two prices": (
        ok2(course("X", ", price_usd: 100"))
        + PROGRAM.replace("id: p", "id: q")
        + course("X", ", price_usd: [100, 200], pacing: self"),
        17,
        "price_usd $100-$200 differs from $100 in 'p/X' (FILE:10)",
    ),
    "a shared course with other sessions": (
        ok2(course("X", ", session_starts: ['09-01', '02-01']"))
        + PROGRAM.replace("id: p", "id: q")
        + course("X", ", session_starts: ['02-01'], pacing: self"),
        17,
        "session_starts [02-01] differs from [02-01, 09-01] in 'p/X' (FILE:10)",
    ),
    "invalid as_of": (
        ok().replace("2026-11-01", "2026-13-01"),
        2,
        "'2026-13-01' is not a real date",
    ),
    "weeks 1.0e+308": (
        ok(course("A").replace("weeks: 4", "weeks: 1.0e+308")),
        10,
        "less than or equal to 520",
    ),
    "weeks 1e308, text to YAML 1.1": (
        ok(course("A").replace("weeks: 4", "weeks: 1e308")),
        10,
        "'1e308' is text to YAML; write the number as 1.0e+308",
    ),
    "weeks as text": (
        ok(course("A").replace("weeks: 4", 'weeks: "4"')),
        10,
        "weeks: '4' is a number written as text; write it unquoted",
    ),
    "hours as text": (
        ok(course("A").replace("hours_per_week: 5", 'hours_per_week: "5"')),
        10,
        "hours_per_week: '5' is a number written as text; write it unquoted",
    ),
    "price as text": (
        ok(course("A").replace("weeks: 4", 'weeks: 4, price_usd: "100"')),
        10,
        "price_usd: '100' is a number written as text; write it unquoted",
    ),
    "range bound as text": (
        ok(course("A").replace("weeks: 4", 'weeks: 4, price_usd: [100, "200"]')),
        10,
        "price_usd[1]: '200' is a number written as text; write it unquoted",
    ),
    "choose as text": (
        ok(course("A") + '    electives:\n      - {choose: "1", from: [A]}\n'),
        12,
        "choose: '1' is a number written as text; write it unquoted",
    ),
    "weeks as a boolean": (
        ok(course("A").replace("weeks: 4", "weeks: yes")),
        10,
        "weeks: expected a number, got true",
    ),
    "tiny workload": (
        ok(course("A").replace("weeks: 4", "weeks: 1.0e-300")),
        10,
        "weeks: Input should be greater than or equal to 0.1",
    ),
    "as_of in year 9999": (
        ok(course("A")).replace("as_of: 2026-11-01", "as_of: 9999"),
        2,
        "as_of: 9999 is outside the dates mmplan handles (2000-01-01 to 2100-12-31)",
    ),
    "run in year 9999": (
        ok(course("A", ", runs: [9999-12-01]")),
        10,
        "runs[0]: 9999-12-01 is outside the dates mmplan handles (2000-01-01 to 2100-12-31)",
    ),
    "title with terminal escapes": (
        ok(course("A").replace("title: T", 'title: "A\\e[2J\\e[31mRED\\a"')),
        10,
        "title: control character U+001B is not allowed (written as an escape)",
    ),
    "title with a bidi override": (
        ok(course("A").replace("title: T", "title: abc\u202eevil")),
        10,
        "control character U+202E is not allowed (it would reorder or break the text",
    ),
    "weeks nan": (ok(course("A").replace("weeks: 4", "weeks: .nan")), 10, "finite number"),
    "weeks inf": (ok(course("A").replace("weeks: 4", "weeks: .inf")), 10, "finite number"),
    "weeks negative": (
        ok(course("A").replace("weeks: 4", "weeks: -3")),
        10,
        "greater than or equal to 0.1 (got -3)",
    ),
    "weeks text": (
        ok(course("A").replace("weeks: 4", "weeks: many")),
        10,
        "expected a number, got 'many'",
    ),
    "hours 500": (
        ok(course("A").replace("hours_per_week: 5", "hours_per_week: 500")),
        10,
        "less than or equal to 168 (got 500)",
    ),
    "hours reversed": (
        ok(course("A").replace("hours_per_week: 5", "hours_per_week: [12, 8]")),
        10,
        "range [12, 8] has lo > hi",
    ),
    "price of three": (
        ok(course("A", ", price_usd: [1, 2, 3]")),
        10,
        "expected a number or a [lo, hi] pair",
    ),
    "bad slug": (ok().replace("id: p", "id: MIT SCM"), 4, "lowercase letters and digits"),
    "code with a slash": (ok(course("A/B")), 10, "must be letters, digits and '. _ + -'"),
    "bad kind": (ok(course("A", ", kind: lecture")), 10, "'course', 'exam' or 'capstone'"),
    # keys
    "unknown key": (
        ok(course("A", ", prerequisite: [B]")),
        10,
        "unknown key 'prerequisite' (did you mean 'prerequisites'?)",
    ),
    "unknown elective key": (
        ok(course("A"), course("B")) + "    electives:\n      - {choose: 1, form: [A, B]}\n",
        13,
        "unknown key 'form' (did you mean 'from'?)",
    ),
    "the Python name of from": (
        ok(course("A"), course("B")) + "    electives:\n      - {choose: 1, from_: [A, B]}\n",
        13,
        "unknown key 'from_' (did you mean 'from'?)",
    ),
    "price range reversed in a program": (
        ok().replace("    courses:\n", "    price_usd: [900, 100]\n    courses:\n", 1),
        9,
        "range [900, 100] has lo > hi",
    ),
    "missing title": (
        ok(course("A").replace("title: T, ", "")),
        10,
        "missing required key 'title'",
    ),
    "no courses": (
        HEAD + PROGRAM.replace("    courses:\n", "    courses: []\n"),
        9,
        "at least 1 item",
    ),
    # references
    "duplicate program id": (
        ok() + PROGRAM + course("A"),
        11,
        "duplicate program id 'p' (first at line 4)",
    ),
    "duplicate course code": (
        ok(course("A"), course("A")),
        11,
        "duplicate course code 'A' (first at line 10)",
    ),
    "unknown prerequisite": (
        ok(course("Intro"), course("B", ", prerequisites: [intro]")),
        11,
        "unknown prerequisite 'intro' (did you mean 'Intro'?)",
    ),
    "prerequisite on self": (
        ok(course("A", ", prerequisites: [A]")),
        10,
        "course 'A' lists itself as a prerequisite",
    ),
    "cycle": (
        ok(
            course("A", ", prerequisites: [C]"),
            course("B", ", prerequisites: [A]"),
            course("C", ", prerequisites: [B]"),
        ),
        10,
        "prerequisite cycle: p/A -> p/C -> p/B -> p/A",
    ),
    "unknown recommended course": (
        ok(course("Intro"), course("B", ", recommended: [intro]")),
        11,
        "unknown recommended course 'intro' (did you mean 'Intro'?)",
    ),
    "recommended on self": (
        ok(course("A", ", recommended: [A]")),
        10,
        "course 'A' lists itself as a recommended course",
    ),
    "recommended is already a prerequisite": (
        ok(course("A"), course("B", ", prerequisites: [A], recommended: [A]")),
        11,
        "'A' is already a prerequisite of 'B'; list it once, under prerequisites",
    ),
    "cycle through a recommended course": (
        ok(
            course("A", ", prerequisites: [B]"),
            course("B", ", recommended: [A]"),
        ),
        10,
        "cycle over prerequisites and recommended courses: p/A -> p/B -> p/A",
    ),
    "cycle of recommended courses only": (
        ok(course("A", ", recommended: [B]"), course("B", ", recommended: [A]")),
        10,
        "cycle over prerequisites and recommended courses: p/A -> p/B -> p/A",
    ),
    "recommended from unknown program": (
        ok(course("A", ", recommended: [pp/Z]"))
        + PROGRAM.replace("id: p", "id: pp2")
        + course("Z"),
        10,
        "recommended course 'pp/Z' names unknown program 'pp' (did you mean 'pp2'?)",
    ),
    "elective names unknown": (
        ok(course("A"), course("B")) + "    electives:\n      - {choose: 1, from: [A, Bee]}\n",
        13,
        "elective group names unknown course 'Bee'",
    ),
    "elective chooses too many": (
        ok(course("A"), course("B")) + "    electives:\n      - {choose: 3, from: [A, B]}\n",
        13,
        "choose 3 but the group offers only 2 courses",
    ),
    "track names unknown": (
        ok(course("A")) + "    tracks:\n      - {name: T, courses: [Z]}\n",
        12,
        "track 'T' names unknown course 'Z'",
    ),
    "duplicate track name": (
        ok(course("A"), course("B"))
        + "    tracks:\n      - {name: T, courses: [A]}\n      - {name: T, courses: [B]}\n",
        14,
        "duplicate track name 'T' (first at line 13)",
    ),
    "unknown program": (
        ok(course("A", ", prerequisites: [q/Z]")),
        10,
        "prerequisite 'q/Z' names unknown program 'q'",
    ),
    "unknown course of another program": (
        ok(course("A", ", prerequisites: [p2/Zz]"))
        + PROGRAM.replace("id: p", "id: p2")
        + course("Z"),
        10,
        "names unknown course 'Zz' of 'p2' (did you mean 'Z'?)",
    ),
}


@pytest.mark.parametrize(("content", "line", "message"), BAD_CATALOGS.values(), ids=BAD_CATALOGS)
def test_bad_catalog_gives_one_located_line_and_exit_1(
    mmplan: Invoke, tmp_path: Path, content: str | bytes, line: int, message: str
) -> None:
    path = tmp_path / "bad.yaml"
    path.write_bytes(content.encode() if isinstance(content, str) else content)
    result = mmplan("--no-bundled", "validate", str(path))
    assert result.exit_code == 1
    message = message.replace("FILE", str(path))  # where the other entry of a conflict is
    located = re.compile(rf"{re.escape(str(path))}:{line}:\d+: .*{re.escape(message)}")
    assert any(located.match(shown) for shown in result.stdout.splitlines()), result.stdout
    assert "Traceback" not in result.stdout + result.stderr


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda p: p / "missing.yaml", "missing.yaml: no such file"),
        (lambda p: p, "is a directory, not a catalog file"),
    ],
    ids=["missing file", "directory"],
)
def test_a_file_that_cannot_be_read_is_named(
    mmplan: Invoke, tmp_path: Path, make: object, message: str
) -> None:
    path = make(tmp_path)  # type: ignore[operator]
    result = mmplan("--no-bundled", "validate", str(path))
    assert result.exit_code == 1
    assert result.stdout == f"{path}: {message.split(': ')[-1]}\n"


def test_a_huge_file_is_refused_before_reading_it_all(
    mmplan: Invoke, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(catalog_module, "MAX_FILE_BYTES", 1024 * 1024)
    path = tmp_path / "huge.yaml"
    path.write_bytes(b"# padding\n" * 200_000)
    result = mmplan("--no-bundled", "validate", str(path))
    assert result.exit_code == 1
    assert result.stdout == f"{path}: the file is larger than 1 MB; a catalog file is far smaller\n"


def test_every_problem_of_a_file_is_reported_in_one_run() -> None:
    text = ok(
        course("A", ", prerequisite: [B]"),
        course("B").replace("weeks: 4", "weeks: -1"),
        course("C", ", prerequisites: [D]"),
    )
    with pytest.raises(CatalogError) as caught:
        parse_catalog(text.encode(), "many.yaml")
    assert [str(p) for p in caught.value.problems] == [
        "many.yaml:10:58: programs[p].courses[A]: unknown key 'prerequisite' "
        "(did you mean 'prerequisites'?)",
        "many.yaml:11:36: programs[p].courses[B].weeks: "
        "Input should be greater than or equal to 0.1 (got -1)",
        # A program the schema refuses still has its references checked, in the same run.
        "many.yaml:12:74: programs[p].courses[C].prerequisites[0]: unknown prerequisite 'D'",
    ]
    # With the schema satisfied, the references are checked too, all in the same run.
    text = ok(course("A", ", prerequisites: [Z]"), course("A"), course("C", ", kind: lecture"))
    with pytest.raises(CatalogError) as caught:
        parse_catalog(text.encode(), "many.yaml")
    lines = [(p.line, p.message) for p in caught.value.problems]
    assert lines == [
        (10, "unknown prerequisite 'Z'"),
        (12, "Input should be 'course', 'exam' or 'capstone' (got 'lecture')"),
    ]
    text = ok(course("A", ", prerequisites: [Z]"), course("A"))
    with pytest.raises(CatalogError) as caught:
        parse_catalog(text.encode(), "many.yaml")
    assert [(p.line, p.path) for p in caught.value.problems] == [
        (10, "programs[p].courses[A].prerequisites[0]"),
        (11, "programs[p].courses[A].code"),
    ]


def test_a_refused_program_without_an_id_or_with_a_course_without_a_code_is_still_read() -> None:
    # The schema refuses both programs; the references of the one with an id are still
    # checked, past its course that has no code.
    nameless = PROGRAM.replace("  - id: p\n    title: P\n", "  - title: P\n")
    text = ok(course("A")).replace(PROGRAM, nameless) + PROGRAM
    text += "      - {title: T, weeks: 4, hours_per_week: 5}\n" + course(
        "C", ", prerequisites: [D]"
    )
    with pytest.raises(CatalogError) as caught:
        parse_catalog(text.encode(), "refused.yaml")
    assert [str(p) for p in caught.value.problems] == [
        "refused.yaml:4:5: programs[0]: missing required key 'id'",
        "refused.yaml:16:9: programs[p].courses[0]: missing required key 'code'",
        "refused.yaml:17:74: programs[p].courses[C].prerequisites[0]: unknown prerequisite 'D'",
    ]


def test_a_bad_catalog_fails_every_command_with_one_line_and_a_hint(
    mmplan: Invoke, tmp_path: Path
) -> None:
    path = tmp_path / "my catalog.yaml"
    path.write_text(ok(course("A", ", prerequisite: [B]"), course("B", ", kind: lecture")))
    result = mmplan("--catalog", str(path), "list")
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr == (
        f"Error: {path}:10:58: programs[p].courses[A]: unknown key 'prerequisite' (did you "
        f"mean 'prerequisites'?) (and 1 more problem; run mmplan validate '{path}')\n"
    )


@pytest.mark.parametrize(
    ("text", "path"),
    [
        (
            ok(course("A").replace("hours_per_week: 5", "hours_per_week: [8, 500]")),
            "programs[p].courses[A].hours_per_week[1]",
        ),
        (ok().replace("2026-11-01", "soon"), "as_of"),
        (
            ok(course("A"), course("B")) + "    electives:\n      - {choose: 1, from: [A, Bee]}\n",
            "programs[p].electives[0].from[1]",
        ),
        (ok(course("A", ", runs: [2027-01-01, 2027-02-30]")), "programs[p].courses[A].runs[1]"),
        (ok().replace("id: p", "id: Bad Id"), "programs[0].id"),
    ],
    ids=["range item", "top-level key", "elective item", "run date", "unusable id"],
)
def test_problem_paths_name_programs_and_courses_and_count_other_items(
    text: str, path: str
) -> None:
    with pytest.raises(CatalogError) as caught:
        parse_catalog(text.encode(), "paths.yaml")
    assert caught.value.problems[0].path == path
