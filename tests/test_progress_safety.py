"""Nothing is ever lost: concurrent adders, writers killed mid-write, unreadable files."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import textwrap
import time
import traceback
import warnings
from pathlib import Path

import pytest

from factories import catalog_yaml, course, program
from mmplan.progress.store import ProgressStore, parse_progress

CODES = [f"C{n:02d}" for n in range(20)]


@pytest.fixture
def catalog_file(tmp_path: Path) -> Path:
    path = tmp_path / "catalog.yaml"
    path.write_text(catalog_yaml(program("p", *(course(code) for code in CODES))))
    return path


@pytest.fixture
def home(tmp_path: Path) -> Path:
    return tmp_path / "home"


def run_mmplan(catalog_file: Path, *args: str) -> subprocess.Popen[str]:
    """A real `python -m mmplan` process over the test catalog."""
    return subprocess.Popen(
        [sys.executable, "-m", "mmplan", "--no-bundled", "--catalog", str(catalog_file), *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def finish(process: subprocess.Popen[str]) -> int:
    """Wait for a process, closing its pipes; its exit code."""
    process.communicate(timeout=120)
    return process.returncode


def stored_ids(home: Path) -> list[str]:
    store = ProgressStore(home / "progress.yaml")
    return [r.id for r in store.load().completed]


def fork_mmplan(catalog_file: Path, stderr: Path, *args: str) -> int:
    """A child of this process that runs `mmplan ARGS` over the test catalog, its stderr in
    `stderr`, and exits with the command's status; its pid. A process of its own as
    `python -m mmplan` is, without starting an interpreter and importing mmplan again."""
    with warnings.catch_warnings():
        # Python 3.12 warns when a process with threads (xdist's) forks: the child only runs
        # the command and leaves with os._exit, it never returns to pytest.
        warnings.simplefilter("ignore", DeprecationWarning)
        pid = os.fork()
    if pid:
        return pid
    status = 1
    try:
        sys.stdout = open(os.devnull, "w")  # noqa: SIM115  # the child leaves without closing
        sys.stderr = stderr.open("w")
        sys.argv = ["mmplan", "--no-bundled", "--catalog", str(catalog_file), *args]
        from mmplan.__main__ import main

        main()
        status = 0
    except SystemExit as end:
        status = end.code if isinstance(end.code, int) else 1
    except BaseException:
        traceback.print_exc()
    finally:
        sys.stderr.flush()
        os._exit(status)


def exit_code(pid: int, timeout: float) -> int:
    """Wait for a forked child, killing it after `timeout` seconds; its exit code."""
    deadline = time.monotonic() + timeout
    while (ended := os.waitpid(pid, os.WNOHANG))[0] == 0:
        if time.monotonic() > deadline:
            os.kill(pid, signal.SIGKILL)
            ended = os.waitpid(pid, 0)
            break
        time.sleep(0.01)
    return os.waitstatus_to_exitcode(ended[1])


@pytest.mark.slow
def test_twenty_concurrent_adders_lose_nothing(
    catalog_file: Path, home: Path, tmp_path: Path
) -> None:
    add = ("progress", "add", "p")
    stderr = {code: tmp_path / f"{code}.stderr" for code in CODES}
    children = {
        code: fork_mmplan(catalog_file, stderr[code], *add, code, "--date", "2026-01-01")
        for code in CODES
    }
    for code, pid in children.items():
        assert exit_code(pid, timeout=120) == 0, stderr[code].read_text()
    assert sorted(stored_ids(home)) == [f"p/{code}" for code in CODES]
    leftovers = sorted(p.name for p in home.iterdir())
    assert leftovers == ["progress.yaml", "progress.yaml.lock"]  # no temporary files


# A writer that dies at a chosen point of the write: `fsync` (data written to the temporary
# file, not yet renamed), `replace` (about to rename), or `write` (half the text written).
KILLED_WRITER = textwrap.dedent(
    """
    import os, signal, sys
    from datetime import date
    from pathlib import Path
    from mmplan.progress.model import CompletedCourse, record_completed
    from mmplan.progress.store import ProgressStore

    where = sys.argv[2]

    def die(*args, **kwargs):
        os.kill(os.getpid(), signal.SIGKILL)

    if where == "fsync":
        os.fsync = die
    elif where == "replace":
        os.replace = die
    elif where == "write":
        real_fdopen = os.fdopen

        class HalfThenDie:
            def __init__(self, stream):
                self.stream = stream
            def __enter__(self):
                return self
            def __exit__(self, *exc):
                return False
            def write(self, text):
                self.stream.write(text[: len(text) // 2])
                self.stream.flush()
                die()
            def __getattr__(self, name):
                return getattr(self.stream, name)

        os.fdopen = lambda *a, **k: HalfThenDie(real_fdopen(*a, **k))
    record = CompletedCourse(program="p", code="C19", completed_on=date(2026, 2, 2))
    ProgressStore(Path(sys.argv[1])).change(lambda p: record_completed(p, [record]))
    print("not killed")
    """
)


@pytest.mark.parametrize("where", ["write", "fsync", "replace"])
def test_a_writer_killed_mid_write_leaves_the_old_file_intact(
    catalog_file: Path, home: Path, where: str
) -> None:
    first = run_mmplan(catalog_file, "progress", "add", "p", "C00", "C01", "--date", "2026-01-01")
    assert finish(first) == 0
    path = home / "progress.yaml"
    before = path.read_bytes()

    killed = subprocess.run(
        [sys.executable, "-c", KILLED_WRITER, str(path), where],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    assert "not killed" not in killed.stdout
    assert path.read_bytes() == before  # old file untouched, complete and readable
    assert [r.id for r in parse_progress(before, "x").completed] == ["p/C00", "p/C01"]
    assert list(home.glob(".progress.yaml.*.tmp"))  # the dead writer's temporary file

    # The lock died with the writer; the next change works and sweeps the orphan away.
    after = run_mmplan(catalog_file, "progress", "add", "p", "C02", "--date", "2026-01-01")
    assert finish(after) == 0
    assert stored_ids(home) == ["p/C00", "p/C01", "p/C02"]
    assert not list(home.glob(".progress.yaml.*.tmp"))


@pytest.mark.slow
def test_real_adders_killed_at_random_moments_never_corrupt_the_file(
    catalog_file: Path, home: Path
) -> None:
    first = run_mmplan(catalog_file, "progress", "add", "p", "C00", "--date", "2026-01-01")
    assert finish(first) == 0
    path = home / "progress.yaml"
    chooser = random.Random(4)  # fixed seed: the same moments on every run
    for code in CODES[1:9]:
        process = run_mmplan(catalog_file, "progress", "add", "p", code, "--date", "2026-01-01")
        time.sleep(chooser.uniform(0.0, 0.6))
        if process.poll() is None:
            os.kill(process.pid, signal.SIGKILL)
        process.communicate(timeout=60)
        ids = stored_ids(home)  # raises if the file were ever half-written
        assert "p/C00" in ids
        assert path.read_text().startswith("# mmplan progress")


UNREADABLE = {
    "bad yaml": (b"schema_version: 1\ncompleted: [\n", ":3:1: invalid YAML"),
    "not a mapping": (b"- p/A\n", "expected a mapping"),
    "future schema": (b"schema_version: 9\ncompleted: []\n", "schema_version 9 is not supported"),
    "wrong types": (
        b"schema_version: 1\ncompleted:\n- {program: p, code: C00, completed_on: soon}\n",
        ":3:41: completed[0].completed_on: Input should be a valid date (got 'soon')",
    ),
    "not utf-8": (b"schema_version: 1\n# \xff\xfe\n", ":2:3: byte 0xff is not UTF-8"),
    "empty": (b"", "the file is empty"),
}


@pytest.mark.parametrize("case", list(UNREADABLE))
@pytest.mark.parametrize(
    "command",
    [
        ("progress", "add", "p", "C00"),
        ("progress", "start", "p", "C00"),
        ("progress", "remove", "p", "C00"),
        ("progress", "show"),
        ("progress", "export"),
        ("status", "p"),
        ("cost", "p"),
        ("plan", "p"),
    ],
)
def test_an_unreadable_file_is_never_overwritten(
    mmplan: object, catalog_file: Path, home: Path, case: str, command: tuple[str, ...]
) -> None:
    content, problem = UNREADABLE[case]
    home.mkdir()
    path = home / "progress.yaml"
    path.write_bytes(content)
    result = mmplan("--no-bundled", "--catalog", str(catalog_file), *command)  # type: ignore[operator]
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr.startswith(f"Error: {path}:")
    assert problem in result.stderr
    assert result.stderr.count("\n") == 1  # one line
    assert path.read_bytes() == content


def test_an_import_with_one_bad_record_writes_nothing(
    mmplan: object, catalog_file: Path, home: Path, tmp_path: Path
) -> None:
    invoke = mmplan
    args = ("--no-bundled", "--catalog", str(catalog_file))
    assert invoke(*args, "progress", "add", "p", "C00", "--date", "2026-01-01").exit_code == 0  # type: ignore[operator]
    before = (home / "progress.yaml").read_bytes()
    backup = tmp_path / "backup.yaml"
    backup.write_text(
        "schema_version: 1\ncompleted:\n"
        "- {program: p, code: C01, completed_on: 2026-01-02}\n"
        "- {program: p, code: Q99, completed_on: 2026-01-02}\n"
    )
    for mode in ("--merge", "--replace"):
        result = invoke(*args, "progress", "import", str(backup), mode)  # type: ignore[operator]
        assert result.exit_code == 1
        assert result.stderr == f"Error: {backup}: p/Q99: unknown course in p 'Q99'\n"
        assert (home / "progress.yaml").read_bytes() == before
