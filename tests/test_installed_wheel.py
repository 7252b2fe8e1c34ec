"""The built wheel, installed into a fresh virtual environment, works from another directory.

This proves what an editable install cannot: that the wheel carries every module and the
bundled catalog (mmplan/data/programs.yaml), and that the console script starts.

The wheel is installed with `--no-deps` so that the test stays fast and works offline:
mmplan's dependencies (typer, rich, pydantic, ...) come from the environment running the
tests, whose site-packages the new venv sees through a `.pth` line (not
`--system-site-packages`, which would give the base interpreter's packages, not this
environment's). A directory named in a `.pth` line has its own `.pth` files ignored, so
an editable install of the checkout stays invisible, and the venv's own site-packages
comes first: a test checks that mmplan is imported from the wheel. The wheel is built
without build isolation when hatchling is importable (offline); otherwise `build`
fetches it.
"""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
import sysconfig
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pytest

from mmplan import __version__

pytestmark = pytest.mark.slow

CHECKOUT = Path(__file__).resolve().parents[1]


@dataclass(frozen=True)
class Installed:
    """A venv with the wheel installed, and a working directory outside the checkout."""

    wheel: Path
    venv: Path
    elsewhere: Path

    @property
    def python(self) -> Path:
        return self.venv / "bin" / "python"

    def run(self, *args: str) -> subprocess.CompletedProcess[str]:
        """Run the venv's `mmplan` console script from the other directory."""
        env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
        return subprocess.run(
            [str(self.venv / "bin" / "mmplan"), *args],
            cwd=self.elsewhere,
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )


def run_step(*command: str | Path, cwd: Path | None = None) -> str:
    """One set-up step; its stdout, or a failure that shows what it printed."""
    args = [str(part) for part in command]
    result = subprocess.run(args, cwd=cwd, capture_output=True, text=True, timeout=120, check=False)
    assert result.returncode == 0, f"{' '.join(args)}\n{result.stdout}{result.stderr}"
    return result.stdout


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Installed:
    root = tmp_path_factory.mktemp("installed-wheel")
    dist = root / "dist"
    isolation = ["--no-isolation"] if importlib.util.find_spec("hatchling") else []
    run_step(sys.executable, "-m", "build", "--wheel", *isolation, "--outdir", dist, CHECKOUT)
    (wheel,) = dist.glob("mmplan-*.whl")
    venv = root / "venv"
    run_step(sys.executable, "-m", "venv", "--without-pip", venv)
    venv_site = Path(
        run_step(
            venv / "bin" / "python", "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"
        ).strip()
    )
    (venv_site / "test-dependencies.pth").write_text(sysconfig.get_path("purelib") + "\n")
    run_step(
        *(sys.executable, "-m", "pip", "--python", venv / "bin" / "python"),
        *("install", "--no-deps", "--no-index", "--ignore-installed", "--no-cache-dir"),
        *("--disable-pip-version-check", "--quiet", wheel),
    )
    elsewhere = root / "elsewhere"
    elsewhere.mkdir()
    return Installed(wheel, venv, elsewhere)


def test_the_wheel_carries_the_bundled_catalog(installed: Installed) -> None:
    with zipfile.ZipFile(installed.wheel) as wheel:
        names = set(wheel.namelist())
    assert "mmplan/data/programs.yaml" in names
    assert "mmplan/cli/__init__.py" in names
    assert "mmplan/render/templates/plan.html.j2" in names


def test_the_venv_imports_mmplan_from_the_wheel_not_the_checkout(installed: Installed) -> None:
    code = "import mmplan; print(mmplan.__file__)"
    imported = Path(run_step(installed.python, "-c", code, cwd=installed.elsewhere).strip())
    assert imported.is_relative_to(installed.venv)
    assert not imported.is_relative_to(CHECKOUT)


def test_installed_version(installed: Installed) -> None:
    result = installed.run("--version")
    assert (result.returncode, result.stdout, result.stderr) == (0, f"mmplan {__version__}\n", "")


def test_installed_list_shows_the_bundled_programs(installed: Installed) -> None:
    result = installed.run("list", "--format", "json")
    assert result.returncode == 0, result.stderr
    programs = json.loads(result.stdout)["programs"]
    assert len(programs) > 1
    table = installed.run("list")
    assert table.returncode == 0, table.stderr
    assert programs[0]["id"] in table.stdout


def test_installed_validate_checks_the_packaged_catalog(installed: Installed) -> None:
    result = installed.run("validate", "--format", "json")
    assert result.returncode == 0, result.stdout + result.stderr
    assert json.loads(result.stdout) == []


def test_installed_plan_of_the_first_program(installed: Installed) -> None:
    listing = json.loads(installed.run("list", "--format", "json").stdout)
    first = listing["programs"][0]["id"]
    result = installed.run("plan", first, "--start", "2027-01-04", "--format", "json")
    assert result.returncode == 0, result.stderr
    plan = json.loads(result.stdout)
    assert [p["id"] for p in plan["programs"]] == [first]
    assert plan["courses"]


def test_installed_plan_writes_the_html_page_from_the_packaged_template(
    installed: Installed,
) -> None:
    result = installed.run("plan", "mitx-scm", "--start", "2027-01-04", "--format", "html")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("<!DOCTYPE html>")
    assert "<svg" in result.stdout
    assert "Supply Chain Analytics" in result.stdout
