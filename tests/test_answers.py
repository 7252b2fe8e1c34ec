"""The answer cache: a repeated request is replayed exactly, anything that shapes the answer is
in its key, and anything doubtful about an entry is a miss."""

from __future__ import annotations

import hashlib
import json
import os
import pickle
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import Invoke
from factories import catalog_data, catalog_yaml, cli_on, course, program
from mmplan.catalog import answers
from mmplan.catalog import load as catalog_module
from mmplan.catalog.model import LoadedCatalog
from mmplan.catalog.sources import CatalogSources

PROGRAMS = (
    program("p", course("A", hours=[8, 12], price=[100, 150]), course("B", prereqs=["A"])),
    program("q", course("E", prereqs=["p/A"]), as_of="2026-10-01"),
)
JSON = ("list", "--format", "json")


@pytest.fixture
def loads(monkeypatch: pytest.MonkeyPatch) -> list[CatalogSources]:
    """The catalogs loaded by the commands a test runs (a replayed answer loads none)."""
    loaded: list[CatalogSources] = []
    load = catalog_module.load_active_catalog

    def counted(sources: CatalogSources) -> LoadedCatalog:
        loaded.append(sources)
        return load(sources)

    monkeypatch.setattr(catalog_module, "load_active_catalog", counted)
    return loaded


def entries() -> list[Path]:
    directory = answers.answers_directory()
    return sorted(directory.glob("*.answer")) if directory.exists() else []


def test_a_repeated_listing_is_replayed_without_loading_the_catalog(
    mmplan: Invoke, tmp_path: Path, loads: list[CatalogSources]
) -> None:
    run = cli_on(mmplan, tmp_path / "programs.yaml", *PROGRAMS)
    first = run(*JSON)
    assert first.exit_code == 0, first.stderr
    assert len(loads) == 1
    assert len(entries()) == 1
    again = run(*JSON)
    assert (again.exit_code, again.stdout, again.stderr) == (0, first.stdout, first.stderr)
    assert len(loads) == 1
    assert [p["id"] for p in json.loads(again.stdout)["programs"]] == ["p", "q"]


@pytest.mark.parametrize("output_format", ["csv", "markdown"])
def test_every_machine_format_is_replayed_the_same(
    mmplan: Invoke, tmp_path: Path, loads: list[CatalogSources], output_format: str
) -> None:
    run = cli_on(mmplan, tmp_path / "programs.yaml", *PROGRAMS, command=("list",))
    first, again = run("--format", output_format), run("--format", output_format)
    assert (again.exit_code, again.stdout) == (0, first.stdout)
    assert len(loads) == 1


def test_the_terminal_table_is_kept_for_the_terminal_s_look(
    mmplan: Invoke, tmp_path: Path, loads: list[CatalogSources], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The table follows the terminal: the same width and colours replay it, another
    width or colours work it out anew."""
    run = cli_on(mmplan, tmp_path / "programs.yaml", *PROGRAMS, command=("list",))
    first = run()
    again = run()
    assert (again.exit_code, again.stdout, again.stderr) == (0, first.stdout, first.stderr)
    assert "Program p" in first.stdout
    assert len(loads) == 1
    monkeypatch.setenv("COLUMNS", "60")
    narrow = run()
    assert narrow.exit_code == 0
    assert narrow.stdout != first.stdout
    assert max(len(line) for line in narrow.stdout.splitlines()) <= 60
    monkeypatch.delenv("NO_COLOR")
    monkeypatch.setenv("FORCE_COLOR", "1")
    monkeypatch.setenv("TERM", "xterm-256color")
    coloured = run()
    assert "\x1b[" in coloured.stdout
    assert len(loads) == 3
    assert len(entries()) == 3
    assert run().stdout == coloured.stdout
    assert len(loads) == 3


def test_the_catalog_s_warnings_are_replayed_too(
    mmplan: Invoke, tmp_path: Path, loads: list[CatalogSources]
) -> None:
    old = catalog_data(program("old", course("A")))
    del old["programs"][0]["courses"][0]["pacing"]
    path = tmp_path / "old.yaml"
    path.write_text(json.dumps({**old, "schema_version": 1}), encoding="utf-8")
    first = mmplan("--no-bundled", "--catalog", str(path), *JSON)
    assert "leaves pacing to the default" in first.stderr
    again = mmplan("--no-bundled", "--catalog", str(path), *JSON)
    assert (again.stdout, again.stderr) == (first.stdout, first.stderr)
    assert len(loads) == 1


@pytest.mark.parametrize(
    "change",
    [
        ("--hours-per-week", "12"),
        ("--effort", "high"),
        ("--sort", "price"),
        ("--sort", "price", "--reverse"),
        ("--search", "nothing"),
        ("--max-price", "200"),
        ("--status", "retired"),
        ("--format", "csv"),
    ],
    ids=" ".join,
)
def test_every_option_is_in_the_key(
    mmplan: Invoke, tmp_path: Path, loads: list[CatalogSources], change: tuple[str, ...]
) -> None:
    run = cli_on(mmplan, tmp_path / "programs.yaml", *PROGRAMS, command=JSON)
    assert run().exit_code == 0
    changed = run(*change)
    assert changed.exit_code == 0, changed.stderr
    assert len(loads) == 2  # worked out anew, not the first answer replayed
    answers_before = entries()
    fresh = run(*change)
    assert (fresh.stdout, len(loads), entries()) == (changed.stdout, 2, answers_before)


def test_the_day_weeks_count_from_is_in_the_key(
    mmplan: Invoke, tmp_path: Path, loads: list[CatalogSources], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A listing counts its weeks from next Monday: another day of the same week gives the
    same answer, the next week a new one."""
    run = cli_on(mmplan, tmp_path / "programs.yaml", *PROGRAMS, command=JSON)
    for today in ("2026-12-07", "2026-12-09", "2026-12-14"):
        monkeypatch.setenv("MMPLAN_TODAY", today)
        assert run().exit_code == 0
    assert len(loads) == 2


def test_the_catalog_s_bytes_and_name_are_in_the_key(
    mmplan: Invoke, tmp_path: Path, loads: list[CatalogSources]
) -> None:
    path = tmp_path / "programs.yaml"
    first = cli_on(mmplan, path, *PROGRAMS, command=JSON)()
    edited = cli_on(mmplan, path, PROGRAMS[0], command=JSON)()
    assert len(loads) == 2
    assert [p["id"] for p in json.loads(edited.stdout)["programs"]] == ["p"]
    assert edited.stdout != first.stdout
    path.rename(tmp_path / "renamed.yaml")
    renamed = cli_on(mmplan, tmp_path / "renamed.yaml", PROGRAMS[0], command=JSON)()
    assert renamed.stdout == edited.stdout
    assert len(loads) == 3


def test_a_file_edited_while_it_is_listed_keeps_the_answer_under_the_bytes_loaded(
    mmplan: Invoke, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The answer is keyed by the bytes the load read, not by those looked up before it."""
    path = tmp_path / "programs.yaml"
    run = cli_on(mmplan, path, *PROGRAMS, command=JSON)
    before = path.read_text(encoding="utf-8")
    after = catalog_yaml(PROGRAMS[0])
    load = catalog_module.load_active_catalog
    loaded: list[str] = []

    def edited_first(sources: CatalogSources) -> LoadedCatalog:
        if not loaded:
            path.write_text(after, encoding="utf-8")
        loaded.append(path.read_text(encoding="utf-8"))
        return load(sources)

    monkeypatch.setattr(catalog_module, "load_active_catalog", edited_first)
    edited = run()
    assert [p["id"] for p in json.loads(edited.stdout)["programs"]] == ["p"]
    assert (run().stdout, len(loaded)) == (edited.stdout, 1)  # the edited file: replayed
    path.write_text(before, encoding="utf-8")
    restored = run()
    assert [p["id"] for p in json.loads(restored.stdout)["programs"]] == ["p", "q"]
    assert len(loaded) == 2


def test_the_bundled_catalog_and_the_overlay_are_in_the_key(
    mmplan: Invoke, loads: list[CatalogSources]
) -> None:
    from test_overlay import DEDP_RUNS, overlay, write

    plain = mmplan(*JSON)
    home = Path(os.environ["MMPLAN_HOME"])
    write(home, overlay(DEDP_RUNS))
    overlaid = mmplan(*JSON)
    assert overlaid.exit_code == 0
    assert len(loads) == 2
    assert "data_sources" in json.loads(overlaid.stdout)
    assert mmplan("--no-overlay", *JSON).stdout == plain.stdout
    assert len(loads) == 2  # no overlay and --no-overlay: the same catalog, the same answer
    (home / "catalog-overlay.json").write_text("{broken", encoding="utf-8")
    broken = mmplan(*JSON)
    assert broken.exit_code == 1
    assert broken.stderr.startswith("Error: ")


def test_the_code_is_in_the_key(tmp_path: Path) -> None:
    """Every file of the package counts (not only Python); compiled files do not."""
    root = tmp_path / "package"
    (root / "render" / "__pycache__").mkdir(parents=True)
    (root / "render" / "view.py").write_text("A = 1\n")
    (root / "render" / "page.html.j2").write_text("<p>\n")
    first = answers.package_digest(root)
    (root / "render" / "__pycache__" / "view.cpython-311.pyc").write_bytes(b"\0")
    assert answers.package_digest(root) == first
    for path, text in (("render/page.html.j2", "<div>\n"), ("render/new.py", "")):
        (root / path).write_text(text)
        assert answers.package_digest(root) != first
        first = answers.package_digest(root)
    (root / "render" / "new.py").rename(root / "render" / "other.py")
    assert answers.package_digest(root) != first


def test_a_failed_command_keeps_no_answer(mmplan: Invoke, tmp_path: Path) -> None:
    broken = tmp_path / "broken.yaml"
    broken.write_text("programs: [", encoding="utf-8")
    for _ in range(2):
        result = mmplan("--no-bundled", "--catalog", str(broken), *JSON)
        assert result.exit_code == 1
        assert result.stderr.startswith("Error: ")
    missing = mmplan("--no-bundled", "--catalog", str(tmp_path / "none.yaml"), *JSON)
    assert missing.exit_code == 1
    assert missing.stderr.startswith("Error: ")
    assert entries() == []


def forge(path: Path, payload: bytes, key: str | None = None) -> None:
    """An entry with a valid header and checksum around `payload`."""
    header = b"\n".join(
        (
            answers.MAGIC,
            (key or path.stem).encode(),
            str(len(payload)).encode(),
            hashlib.sha256(payload).hexdigest().encode(),
        )
    )
    path.write_bytes(header + b"\n" + payload)


class Evil:
    def __reduce__(self) -> tuple[Callable[..., object], tuple[str]]:
        return (os.system, ("echo pwned",))


def replace_by_directory(path: Path) -> None:
    path.unlink()
    path.mkdir()


CORRUPTIONS: dict[str, Callable[[Path], object]] = {
    "truncated": lambda p: p.write_bytes(p.read_bytes()[:-10]),
    "a byte flipped": lambda p: p.write_bytes(p.read_bytes()[:-5] + b"X" + p.read_bytes()[-4:]),
    "empty": lambda p: p.write_bytes(b""),
    "another key": lambda p: forge(p, pickle.dumps(("{}", ())), key="0" * 64),
    "a class in the pickle": lambda p: forge(p, pickle.dumps((Evil(), ()))),
    "not a pickle": lambda p: forge(p, b"not a pickle"),
    "the wrong shape": lambda p: forge(p, pickle.dumps(["{}", ()])),
    "a warning not text": lambda p: forge(p, pickle.dumps(("{}", (1,)))),
    "a directory": replace_by_directory,
}


@pytest.mark.parametrize("corrupt", list(CORRUPTIONS), ids=str)
def test_a_doubtful_entry_is_a_miss_and_is_rewritten(
    mmplan: Invoke,
    tmp_path: Path,
    loads: list[CatalogSources],
    corrupt: str,
    capfd: pytest.CaptureFixture[str],
) -> None:
    run = cli_on(mmplan, tmp_path / "programs.yaml", *PROGRAMS, command=JSON)
    first = run()
    [entry] = entries()
    CORRUPTIONS[corrupt](entry)
    again = run()
    assert (again.exit_code, again.stdout, again.stderr) == (0, first.stdout, first.stderr)
    assert len(loads) == 2
    assert "pwned" not in capfd.readouterr().out
    if corrupt != "a directory":  # a directory in its place cannot be replaced
        assert run().stdout == first.stdout
        assert len(loads) == 2


def test_a_cache_that_cannot_be_written_is_skipped_silently(
    mmplan: Invoke, tmp_path: Path, loads: list[CatalogSources]
) -> None:
    directory = answers.answers_directory()
    directory.parent.mkdir(parents=True, exist_ok=True)
    directory.write_text("a file where the directory should be")
    run = cli_on(mmplan, tmp_path / "programs.yaml", *PROGRAMS, command=JSON)
    first, again = run(), run()
    assert (first.exit_code, first.stderr) == (0, "")
    assert (again.stdout, len(loads)) == (first.stdout, 2)


def test_mmplan_no_cache_keeps_and_replays_nothing(
    mmplan: Invoke, tmp_path: Path, loads: list[CatalogSources], monkeypatch: pytest.MonkeyPatch
) -> None:
    run = cli_on(mmplan, tmp_path / "programs.yaml", *PROGRAMS, command=JSON)
    kept = run()
    monkeypatch.setenv("MMPLAN_NO_CACHE", "1")
    assert run().stdout == kept.stdout
    assert len(loads) == 2  # the kept answer is not replayed
    [entry] = entries()
    entry.unlink()
    run()
    assert entries() == []


def test_only_the_most_recent_answers_are_kept(
    mmplan: Invoke, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(answers, "MAX_ENTRIES", 3)
    run = cli_on(mmplan, tmp_path / "programs.yaml", *PROGRAMS, command=JSON)
    for pace in range(4, 9):
        assert run("--hours-per-week", str(pace)).exit_code == 0
    assert len(entries()) == 3


def test_a_replayed_listing_loads_no_catalog_code() -> None:
    """A replay reads the files' bytes and the answer: no catalog classes, no listing code."""
    from test_startup import command_code, modules_loaded_by

    code = command_code(JSON)
    modules_loaded_by(code)  # keeps the answer
    loaded = modules_loaded_by(code)
    assert not loaded & {"mmplan.catalog.model", "mmplan.catalog.load", "mmplan.reports.listing"}
