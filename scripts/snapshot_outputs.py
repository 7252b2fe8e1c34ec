"""Write what every command prints over a fixed set of inputs, one file per call.

Refactors promise byte-identical output; this makes the promise checkable:

    python scripts/snapshot_outputs.py /tmp/before     # on the old commit
    python scripts/snapshot_outputs.py /tmp/after      # on the new one
    diff -r /tmp/before /tmp/after                     # nothing, or the intended change

Each file holds the call, its exit code, stdout and stderr. The calls cover every bundled
program in every format of list, show, compare, plan (the HTML page too), cost and status,
a learner with progress, and two generated catalogs (one large program, many small ones),
and `validate` and the global `--catalog` over valid, broken, version-1 and missing files,
and usage errors (an unknown option, a missing argument, a bad choice). The date, the
terminal and the data directories are pinned, and the exact search runs to its deterministic
budget with no wall-clock cap (`MMPLAN_NO_WALL_CAP`, as in the tests), so two runs of one
commit are identical however busy the machine is.
"""

from __future__ import annotations

import itertools
import os
import re
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

from typer.testing import CliRunner

from mmplan.catalog.load import load_active_catalog
from mmplan.cli import app

ROOT = Path(__file__).resolve().parent.parent
TODAY = "2026-12-01"
PLAN_FORMATS = ("table", "json", "csv", "markdown", "ics", "html")
TABLE_FORMATS = ("table", "json", "csv", "markdown")


def _program_ids() -> list[str]:
    from mmplan.catalog.load import CatalogSources

    return [program.id for program in load_active_catalog(CatalogSources()).catalog.programs]


def _calls(programs: list[str]) -> Iterator[list[str]]:
    for fmt in TABLE_FORMATS:
        yield ["list", "--format", fmt]
        yield ["list", "-H", "6", "--format", fmt]
    for program in programs:
        for fmt in ("table", "json"):
            yield ["show", program, "--format", fmt]
            yield ["status", program, "--format", fmt]
            yield ["cost", program, "--format", fmt]
        yield ["cost", program, "--by-month", "-H", "8"]
        for fmt in PLAN_FORMATS:
            yield ["plan", program, "--format", fmt]
        for hours in ("4", "15"):
            yield ["plan", program, "-H", hours, "--format", "json"]
        yield ["plan", program, "--finish-by", "2028-06-30", "--format", "json"]
    for pair in itertools.pairwise(programs):
        yield ["compare", *pair]
        yield ["plan", *pair, "--format", "json"]
        yield ["cost", *pair]
    yield ["plan", "mitx-scm", "--break", "2027-06-01:2027-07-15", "--max-parallel", "1"]
    yield ["plan", "mitx-sds", "--track", "nope"]
    yield ["cost", "mitx-sds", "--track", "nope"]
    yield ["status", "mitx-sds", "--track", "nope"]
    yield ["validate"]


def _progress_calls() -> Iterator[list[str]]:
    """A learner part-way through two programs: progress changes plan, cost and status."""
    yield ["progress", "add", "mitx-scm", "CTL.SC0x", "--date", "2026-05-01", "--grade", "0.9"]
    yield ["progress", "start", "mitx-scm", "CTL.SC1x", "--date", "2026-10-05", "--percent", "30"]
    yield ["progress", "start", "columbiax-ai", "CSMM.101x", "--date", "2026-11-02"]
    yield ["progress", "show"]
    yield ["progress", "export"]
    for program in ("mitx-scm", "columbiax-ai"):
        yield ["plan", program]
        yield ["plan", program, "--format", "json"]
        yield ["cost", program, "--format", "json"]
        yield ["status", program]


def _generated(workdir: Path) -> Iterator[tuple[str, list[str]]]:
    maker = ROOT / "benchmarks" / "make_catalog.py"
    single = workdir / "single.yaml"
    big = workdir / "big.yaml"
    subprocess.run([sys.executable, maker, "single", single, "--courses", "40"], check=True)
    subprocess.run([sys.executable, maker, "big", big], check=True)
    catalog = ["--no-bundled", "--catalog", str(single)]
    for fmt in PLAN_FORMATS:
        yield "single", [*catalog, "plan", "big-program", "--format", fmt]
    yield "single", [*catalog, "plan", "big-program", "-H", "20", "--max-parallel", "4"]
    yield "single", [*catalog, "cost", "big-program", "--by-month", "-H", "8"]
    big_catalog = ["--no-bundled", "--catalog", str(big)]
    for fmt in ("table", "json"):
        yield "big", [*big_catalog, "list", "--format", fmt]
    yield "big", [*big_catalog, "list", "-H", "10", "--sort", "weeks", "--format", "csv"]


def _catalog_file_calls(workdir: Path) -> Iterator[list[str]]:
    """validate and --catalog over the examples, a version-1 file, a missing file, and none."""
    version_1 = workdir / "version-1.yaml"
    mine = (ROOT / "examples" / "my-programs.yaml").read_text(encoding="utf-8")
    version_1.write_text(
        mine.replace("schema_version: 2", "schema_version: 1").replace("pacing: self", "")
    )
    files = {
        "mine": str(ROOT / "examples" / "my-programs.yaml"),
        "broken": str(ROOT / "examples" / "broken.yaml"),
        "v1": str(version_1),
        "missing": str(workdir / "missing.yaml"),
    }
    for fmt in ("table", "json"):
        yield ["validate", "--format", fmt]
        for name in ("mine", "broken", "v1", "missing"):
            yield ["validate", files[name], "--format", fmt]
        yield ["validate", files["mine"], files["broken"], "--format", fmt]
        yield ["--no-bundled", "validate", files["broken"], "--format", fmt]
        yield ["--no-bundled", "validate", "--format", fmt]
    for name in ("mine", "broken", "v1", "missing"):
        yield ["--catalog", files[name], "plan", "my-ml-path", "--format", "json"]
    yield ["--catalog", files["v1"], "list", "--format", "csv"]


def _usage_error_calls() -> Iterator[list[str]]:
    """Click's own errors: an unknown option, a missing argument, a bad choice, and more."""
    yield ["plan", "mitx-scm", "--hours-per-weak", "8"]
    yield ["plan"]
    yield ["list", "--format", "xml"]
    yield ["list", "--sort", "nope"]
    yield ["cost", "mitx-scm", "--aid"]
    yield ["status"]
    yield ["progress", "add", "mitx-scm"]
    yield ["progress", "nope"]
    yield ["nope"]
    yield ["--nope", "list"]
    yield ["plan", "mitx-scm", "-H", "many"]
    yield ["validate", "--format", "csv"]


def _name(words: list[str]) -> str:
    text = "_".join(word for word in words if not word.startswith("/"))
    return re.sub(r"[^A-Za-z0-9._-]+", "-", text)[:150]


def _write(out: Path, name: str, args: list[str], runner: CliRunner) -> Path:
    result = runner.invoke(app, args, prog_name="mmplan")
    text = (
        f"$ mmplan {' '.join(args)}\nexit {result.exit_code}\n"
        f"--- stdout\n{result.stdout}--- stderr\n{result.stderr}"
    )
    path = out / f"{name}.txt"
    path.write_text(text, encoding="utf-8")
    return path


def main(out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    runner = CliRunner()
    with tempfile.TemporaryDirectory() as scratch:
        workdir = Path(scratch)
        os.environ.update(
            MMPLAN_TODAY=TODAY,
            MMPLAN_NO_WALL_CAP="1",  # a busy machine must not change a plan
            COLUMNS="120",
            NO_COLOR="1",
            MMPLAN_HOME=str(workdir / "home"),
            XDG_CACHE_HOME=str(workdir / "cache"),
            XDG_DATA_HOME=str(workdir / "data"),
        )
        for key in ("MMPLAN_CATALOG", "MMPLAN_NO_CACHE", "FORCE_COLOR"):
            os.environ.pop(key, None)
        for number, args in enumerate(_calls(_program_ids())):
            _write(out, f"{number:04d}_{_name(args)}", args, runner)
        for number, args in enumerate(_progress_calls()):
            _write(out, f"progress{number:02d}_{_name(args)}", args, runner)
        for number, args in enumerate(_catalog_file_calls(workdir)):
            path = _write(out, f"files{number:02d}_{_name(args)}", args, runner)
            text = path.read_text(encoding="utf-8").replace(scratch, "<tmp>")
            path.write_text(text.replace(str(ROOT), "<root>"))  # the same from any checkout
        for number, args in enumerate(_usage_error_calls()):
            _write(out, f"usage{number:02d}_{_name(args)}", args, runner)
        for number, (label, args) in enumerate(_generated(workdir)):
            path = _write(out, f"{label}{number:02d}_{_name(args)}", args, runner)
            path.write_text(path.read_text(encoding="utf-8").replace(scratch, "<tmp>"))


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: snapshot_outputs.py OUTDIR")
    main(Path(sys.argv[1]))
