"""The validated-catalog cache: a hit gives back the same catalog, anything doubtful is a miss."""

from __future__ import annotations

import dataclasses
import gc
import hashlib
import os
import pickle
import sys
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import pytest

from conftest import Invoke
from factories import catalog, catalog_yaml, cli_on, course, program
from mmplan.catalog import cache
from mmplan.catalog import load as catalog_module
from mmplan.catalog.model import LoadedCatalog

pytestmark = pytest.mark.cold_cache  # each test sees only the entries it writes

PROGRAMS = (
    program(
        "p",
        course("A", hours=[8, 12], price=[100, 150], runs=["2027-01-04"], pacing="instructor"),
        course("B", prereqs=["A"], estimated=["weeks"]),
        course("C", hours=[8, 12], price=[100, 150]),
        course("D"),
        electives=[{"choose": 1, "from": ["C", "D"]}],
        price_usd=1350,
    ),
    program(
        "q",
        course("E", prereqs=["p/A"]),
        tracks=[{"name": "One", "courses": ["E"]}],
        as_of="2026-10-01",
    ),
)


@pytest.fixture
def source() -> bytes:
    return catalog_yaml(*PROGRAMS).encode()


@pytest.fixture
def validated() -> LoadedCatalog:
    return LoadedCatalog(catalog=catalog(*PROGRAMS))


def entry_path(data: bytes) -> Path:
    return cache.cache_directory() / f"{cache.cache_key(data)}.pickle"


def forge_entry(data: bytes, payload: bytes) -> None:
    """Write an entry with a valid header and checksum around an arbitrary payload."""
    header = b"\n".join(
        (
            cache.MAGIC,
            cache.cache_key(data).encode(),
            str(len(payload)).encode(),
            hashlib.sha256(payload).hexdigest().encode(),
        )
    )
    path = entry_path(data)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(header + b"\n" + payload)


def test_a_stored_catalog_comes_back_equal_and_frozen(
    source: bytes, validated: LoadedCatalog
) -> None:
    cache.store_cached_catalog(source, validated)
    loaded = cache.load_cached_catalog(source)
    assert loaded == validated
    assert loaded is not None
    assert repr(loaded) == repr(validated)  # field by field, Decimal exponents included
    assert loaded.catalog.programs[0].required_codes == ("A", "B")
    with pytest.raises(dataclasses.FrozenInstanceError):
        loaded.catalog.programs[0].title = "changed"  # type: ignore[misc]


def test_an_entry_keeps_what_loading_noted_but_no_warning_naming_a_file(
    source: bytes, validated: LoadedCatalog
) -> None:
    noted = dataclasses.replace(
        validated, pacing_defaulted=("p/B",), warnings=("old.yaml: 1 course leaves pacing...",)
    )
    cache.store_cached_catalog(source, noted)
    loaded = cache.load_cached_catalog(source)
    assert loaded == dataclasses.replace(noted, warnings=())


def test_the_cache_lives_under_xdg_cache_home(source: bytes, validated: LoadedCatalog) -> None:
    cache.store_cached_catalog(source, validated)
    root = Path(os.environ["XDG_CACHE_HOME"])
    assert [p.relative_to(root) for p in root.rglob("*.pickle")] == [
        Path("mmplan", "catalogs", f"{cache.cache_key(source)}.pickle")
    ]


def test_nothing_stored_or_other_content_is_a_miss(source: bytes, validated: LoadedCatalog) -> None:
    assert cache.load_cached_catalog(source) is None
    cache.store_cached_catalog(source, validated)
    assert cache.load_cached_catalog(source + b"\n# edited\n") is None


def test_equal_prices_written_differently_stay_different() -> None:
    """Sharing equal ranges must not turn 150.0 into 150 (Decimal keeps the exponent)."""
    programs = (program("p", course("A", price=150), course("B", price=150.0)),)
    data = catalog_yaml(*programs).encode()
    original = LoadedCatalog(catalog=catalog(*programs))
    assert original.catalog.programs[0].courses[1].price_usd is not None
    assert original.catalog.programs[0].courses[1].price_usd.lo == Decimal("150.0")
    cache.store_cached_catalog(data, original)
    loaded = cache.load_cached_catalog(data)
    assert loaded is not None
    assert repr(loaded) == repr(original)
    assert str(loaded.catalog.programs[0].courses[1].price_usd.lo) == "150.0"  # type: ignore[union-attr]


def test_the_key_changes_with_the_mmplan_version(
    source: bytes, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = cache.cache_key(source)
    monkeypatch.setattr(cache, "__version__", "99.0")
    cache._code_fingerprint.cache_clear()
    changed = cache.cache_key(source)
    cache._code_fingerprint.cache_clear()  # recomputed with the real version after the test
    assert changed != before


@pytest.mark.parametrize(
    "module", ["catalog/model.py", "catalog/a_new_module.py", "core/limits.py"]
)
def test_the_key_changes_when_the_code_that_parses_changes(
    module: str, source: bytes, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A development checkout never trusts an entry written before any module of the catalog
    or core packages changed, a module added since included."""
    real = Path(cache.__file__).parent.parent
    root = tmp_path / "mmplan"
    for package in ("catalog", "core"):
        (root / package).mkdir(parents=True)
        for path in (real / package).glob("*.py"):
            (root / package / path.name).write_bytes(path.read_bytes())
    monkeypatch.setattr(cache, "__file__", str(root / "catalog" / "cache.py"))
    cache._code_fingerprint.cache_clear()
    copied = cache.cache_key(source)
    with (root / module).open("a") as edited_source:
        edited_source.write("\n# a new field\n")
    cache._code_fingerprint.cache_clear()
    edited = cache.cache_key(source)
    cache._code_fingerprint.cache_clear()  # recomputed from the real sources after the test
    assert edited != copied


def test_mmplan_no_cache_turns_it_off(
    source: bytes, validated: LoadedCatalog, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(cache.NO_CACHE_ENV, "1")
    cache.store_cached_catalog(source, validated)
    assert not cache.cache_directory().exists()
    monkeypatch.delenv(cache.NO_CACHE_ENV)
    cache.store_cached_catalog(source, validated)
    monkeypatch.setenv(cache.NO_CACHE_ENV, "1")
    assert cache.load_cached_catalog(source) is None
    monkeypatch.setenv(cache.NO_CACHE_ENV, "0")
    assert cache.load_cached_catalog(source) == validated


@pytest.mark.parametrize(
    "damage",
    [
        pytest.param(lambda entry: entry[: len(entry) // 2], id="truncated"),
        pytest.param(lambda entry: entry[:-1] + bytes([entry[-1] ^ 0xFF]), id="flipped-byte"),
        pytest.param(lambda entry: b"", id="empty"),
        pytest.param(lambda entry: entry.replace(cache.MAGIC, b"something-else"), id="magic"),
        pytest.param(lambda entry: os.urandom(len(entry)), id="garbage"),
    ],
)
def test_a_damaged_entry_is_ignored_then_rebuilt(
    source: bytes, validated: LoadedCatalog, damage: Callable[[bytes], bytes]
) -> None:
    cache.store_cached_catalog(source, validated)
    path = entry_path(source)
    path.write_bytes(damage(path.read_bytes()))
    assert cache.load_cached_catalog(source) is None
    cache.store_cached_catalog(source, validated)
    assert cache.load_cached_catalog(source) == validated


def test_an_entry_of_other_content_under_this_name_is_ignored(
    source: bytes, validated: LoadedCatalog
) -> None:
    other = source + b"\n"
    cache.store_cached_catalog(other, validated)
    entry_path(source).write_bytes(entry_path(other).read_bytes())
    assert cache.load_cached_catalog(source) is None


def test_a_checksummed_payload_naming_other_code_is_refused(source: bytes) -> None:
    forge_entry(source, pickle.dumps(os.getcwd))
    assert cache.load_cached_catalog(source) is None


def test_a_checksummed_payload_that_is_not_a_catalog_is_ignored(source: bytes) -> None:
    forge_entry(source, pickle.dumps({"schema_version": 1}))
    assert cache.load_cached_catalog(source) is None


def test_an_unwritable_cache_is_skipped_silently(
    source: bytes, validated: LoadedCatalog, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "not-a-directory"
    blocker.write_text("a file where the cache directory should be")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))
    cache.store_cached_catalog(source, validated)
    assert cache.load_cached_catalog(source) is None


def test_a_write_leaves_no_temporary_files(source: bytes, validated: LoadedCatalog) -> None:
    cache.store_cached_catalog(source, validated)
    cache.store_cached_catalog(source, validated)
    assert [p.name for p in cache.cache_directory().iterdir()] == [entry_path(source).name]


def test_only_the_most_recently_used_entries_are_kept(
    validated: LoadedCatalog, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(cache, "MAX_ENTRIES", 2)
    sources = [f"# version {n}\n".encode() for n in range(3)]
    for age, data in enumerate(sources):
        cache.store_cached_catalog(data, validated)
        os.utime(entry_path(data), (1_000_000 + age, 1_000_000 + age))
    assert cache.load_cached_catalog(sources[0]) is None  # pruned when the third was written
    assert cache.load_cached_catalog(sources[1]) == validated  # a hit marks it most recent
    cache.store_cached_catalog(b"# version 3\n", validated)
    assert cache.load_cached_catalog(sources[1]) == validated
    assert cache.load_cached_catalog(sources[2]) is None


def test_loading_leaves_the_garbage_collector_as_it_was(
    source: bytes, validated: LoadedCatalog
) -> None:
    cache.store_cached_catalog(source, validated)
    assert gc.isenabled()
    cache.load_cached_catalog(source)
    assert gc.isenabled()
    gc.disable()
    try:
        cache.load_cached_catalog(source)
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_a_warm_cli_run_reads_the_cache_and_prints_the_same(
    mmplan: Invoke, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "programs.yaml"
    run = cli_on(mmplan, path, *PROGRAMS, command=("list",))
    cold = run()
    assert cold.exit_code == 0, cold.stderr
    assert entry_path(path.read_bytes()).is_file()

    def no_parsing(data: bytes, source_name: str) -> LoadedCatalog:
        raise AssertionError(f"{source_name} was parsed again")

    monkeypatch.setattr(catalog_module, "parse_catalog", no_parsing)
    warm = run()
    assert (warm.exit_code, warm.stdout, warm.stderr) == (0, cold.stdout, cold.stderr)


def test_a_corrupted_entry_is_rebuilt_by_the_next_run(mmplan: Invoke, tmp_path: Path) -> None:
    path = tmp_path / "programs.yaml"
    # `show`, not `list`: a repeated `list` replays its kept answer and loads nothing.
    run = cli_on(mmplan, path, *PROGRAMS, command=("show", "p"))
    first = run()
    entry = entry_path(path.read_bytes())
    entry.write_bytes(entry.read_bytes()[:-10])
    second = run()
    assert (second.exit_code, second.stdout) == (0, first.stdout)
    assert cache.load_cached_catalog(path.read_bytes()) == LoadedCatalog(catalog=catalog(*PROGRAMS))


def test_references_across_files_are_checked_on_cached_catalogs(
    mmplan: Invoke, tmp_path: Path
) -> None:
    base = tmp_path / "base.yaml"
    base.write_text(catalog_yaml(program("base", course("X"))))
    extension = tmp_path / "extension.yaml"
    extension.write_text(catalog_yaml(program("ext", course("Y", prereqs=["base/X"]))))
    # Two --catalog files, layered: more than factories.cli_on's one file.
    both = mmplan("--no-bundled", "--catalog", str(base), "--catalog", str(extension), "list")
    assert both.exit_code == 0, both.stderr
    assert entry_path(extension.read_bytes()).is_file()  # cached, though it names `base`
    alone = mmplan("--no-bundled", "--catalog", str(extension), "list")
    assert alone.exit_code == 1
    assert "base" in alone.stderr


def test_mmplan_no_cache_leaves_no_trace(
    mmplan: Invoke, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(cache.NO_CACHE_ENV, "1")
    result = cli_on(mmplan, tmp_path / "programs.yaml", *PROGRAMS)("list")
    assert result.exit_code == 0, result.stderr
    assert not Path(os.environ["XDG_CACHE_HOME"]).exists()


@pytest.mark.skipif(sys.platform != "linux", reason="elsewhere the directory is platformdirs'")
@pytest.mark.parametrize("xdg_cache_home", ["/srv/cache", "", "relative/cache"])
def test_the_cache_directory_is_the_one_platformdirs_names(
    xdg_cache_home: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """On Linux the directory is worked out without importing platformdirs (start-up time),
    by the XDG rule platformdirs follows: an absolute XDG_CACHE_HOME, else ~/.cache."""
    from platformdirs import user_cache_dir

    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("XDG_CACHE_HOME", xdg_cache_home)
    expected = Path(user_cache_dir("mmplan", appauthor=False)) / "catalogs"
    assert cache.cache_directory() == expected
    base = Path("/srv/cache") if xdg_cache_home == "/srv/cache" else tmp_path / ".cache"
    assert expected == base / "mmplan" / "catalogs"
