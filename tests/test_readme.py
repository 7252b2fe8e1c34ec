"""The README's and docs' example output is generated from the real program and cannot drift."""

from __future__ import annotations

import importlib.util
import os
import re
import shlex
import sys
from pathlib import Path
from types import ModuleType

import pytest
import typer

from mmplan.cli import app

REPO = Path(__file__).resolve().parents[1]
README = REPO / "README.md"
LATER_DAY = "2029-06-04"  # years after the tour's "today": examples must still work


def _load_tour() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "readme_tour", REPO / "scripts" / "readme_tour.py"
    )
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["readme_tour"] = module
    spec.loader.exec_module(module)
    return module


tour = _load_tour()


def _leaf_commands() -> list[str]:
    def walk(command: object, path: tuple[str, ...]) -> list[str]:
        subs = getattr(command, "commands", None)
        if subs:
            return [name for key, sub in subs.items() for name in walk(sub, (*path, key))]
        return [" ".join(path)]

    return walk(typer.main.get_command(app), ())


DOCS = tour.documentation_files(REPO)
# The two longest tours run with coverage paused (tests/conftest.py): other tests run every
# line they run (checked: no arc of the suite's coverage is lost), and tracing them cost
# about 8 CPU s.
UNTRACED_TOURS = {"README.md", "docs/planning.md"}
TOURS = [
    pytest.param(
        doc,
        id=str(doc.relative_to(REPO)),
        marks=[pytest.mark.untraced] if str(doc.relative_to(REPO)) in UNTRACED_TOURS else [],
    )
    for doc in DOCS
]


@pytest.mark.parametrize("doc", TOURS)
def test_tour_is_up_to_date(doc: Path) -> None:
    assert tour.main(["--check", str(doc)]) == 0, "run: python scripts/readme_tour.py"


@pytest.mark.parametrize("doc", TOURS)
def test_every_tour_block_still_exits_as_expected_years_later(doc: Path) -> None:
    # A future date written into an example (`--date 2027-03-01`) fails once it has passed.
    tour.tour_file(doc, check=True, today=LATER_DAY)  # raises TourError on another exit code


def test_every_command_is_in_a_tour() -> None:
    toured = {
        " ".join(block.command.split()[1:])
        for doc in DOCS
        for block in tour.find_blocks(doc.read_text(encoding="utf-8").splitlines())
    }
    missing = [
        name
        for name in _leaf_commands()
        if not any(command == name or command.startswith(name + " ") for command in toured)
    ]
    assert not missing, f"commands without a tour block in README.md or docs/: {missing}"


def test_readme_documents_the_exit_codes() -> None:
    text = README.read_text(encoding="utf-8")
    assert "Exit codes" in text
    for code in ("0", "1", "2"):
        assert f"| {code} |" in text


def test_readme_is_read_in_five_minutes_and_links_only_to_files_that_exist() -> None:
    assert len(README.read_text(encoding="utf-8").splitlines()) <= 400
    for doc in DOCS:
        for target in re.findall(r"\]\(([^)#:]+)(?:#[^)]*)?\)", doc.read_text(encoding="utf-8")):
            assert (doc.parent / target).exists(), f"{doc.name} links to missing {target}"


def test_ci_runs_exactly_the_readme_test_command() -> None:
    commands = re.findall(r"```sh\n(.+?)\n```", README.read_text(encoding="utf-8"))
    test_command = next(command for command in commands if "check.sh" in command)
    ci_lines = (REPO / ".ci" / "run").read_text(encoding="utf-8").strip().splitlines()
    assert ci_lines[-1] == test_command


def _shell_examples() -> list[tuple[str, list[str], dict[str, str]]]:
    """(doc, mmplan arguments, environment) of every `mmplan` command in a shell code block."""
    examples: list[tuple[str, list[str], dict[str, str]]] = []
    for doc in DOCS:
        text = doc.read_text(encoding="utf-8")
        for block in re.findall(r"^```(?:sh|console|shell|bash)\n(.*?)^```", text, re.M | re.S):
            for line in block.splitlines():
                for segment in line.removeprefix("$ ").split("&&"):
                    words = shlex.split(segment.split("|")[0].split(">")[0], comments=True)
                    env = {}
                    while words and re.fullmatch(r"[A-Z_]+=\S*", words[0]):
                        key, _, value = words.pop(0).partition("=")
                        env[key] = value
                    if words[:1] == ["mmplan"]:
                        examples.append((doc.name, words[1:], env))
    return examples


SHELL_EXAMPLES = _shell_examples()


def test_the_docs_have_shell_examples_to_check() -> None:
    assert len(SHELL_EXAMPLES) >= 3


@pytest.mark.parametrize("today", [tour.TOUR_TODAY, LATER_DAY])
@pytest.mark.parametrize(
    ("doc", "arguments", "env"), SHELL_EXAMPLES, ids=[" ".join(e[1]) for e in SHELL_EXAMPLES]
)
def test_shell_examples_work_on_the_day_they_are_read(
    doc: str,
    arguments: list[str],
    env: dict[str, str],
    today: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    for key, value in {**tour.tour_environment(tmp_path, today), **env}.items():
        if value is None:
            monkeypatch.delenv(key, raising=False)
        else:
            monkeypatch.setenv(key, value)
    exit_code, output = tour.run_in_process(arguments, REPO)
    assert exit_code == 0, f"{doc}: mmplan {shlex.join(arguments)}\n{output}"


# --- the script itself, on temporary Markdown files -----------------------------------------

SAMPLE = """# Sample

<!-- tour: mmplan list --field energy --format csv -->
```text
stale output
```
<!-- /tour -->

Prose stays as it is.

<!-- tour exit=1: mmplan show mitx-scx -->
<!-- /tour -->
"""


def test_check_flags_stale_blocks_and_a_rewrite_fixes_them(tmp_path: Path) -> None:
    doc = tmp_path / "doc.md"
    doc.write_text(SAMPLE)
    assert tour.main(["--check", str(doc)]) == 1
    assert doc.read_text() == SAMPLE  # --check changes nothing
    assert tour.main([str(doc)]) == 0
    text = doc.read_text()
    assert "$ mmplan list --field energy --format csv\nId,Title,Institution" in text
    assert "delftx-solar-energy" in text
    assert "$ mmplan show mitx-scx\nError: unknown program 'mitx-scx'" in text
    assert "Prose stays as it is." in text
    assert tour.main(["--check", str(doc)]) == 0
    tour.main([str(doc)])
    assert doc.read_text() == text  # idempotent


def test_an_unexpected_exit_code_is_an_error_and_nothing_is_written(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    doc = tmp_path / "doc.md"
    original = "<!-- tour: mmplan show no-such-program -->\n<!-- /tour -->\n"
    doc.write_text(original)
    assert tour.main([str(doc)]) == 2
    assert "exited 1, expected 0" in capsys.readouterr().err
    assert doc.read_text() == original


@pytest.mark.parametrize(
    "text",
    [
        "<!-- tour: mmplan list -->\nno end\n",
        "<!-- /tour -->\n",
        "<!-- tour: ls -la -->\n<!-- /tour -->\n",
        "<!-- tour: mmplan list -->\n<!-- tour: mmplan list -->\n<!-- /tour -->\n",
    ],
)
def test_malformed_blocks_are_errors(tmp_path: Path, text: str) -> None:
    doc = tmp_path / "doc.md"
    doc.write_text(text)
    assert tour.main(["--check", str(doc)]) == 2


def test_commands_run_with_a_fixed_date_width_and_private_home(tmp_path: Path) -> None:
    seen: list[dict[str, str | None]] = []

    def fake_run(arguments: list[str], workdir: Path) -> tuple[int, str]:
        keys = ("COLUMNS", "NO_COLOR", "MMPLAN_TODAY", "MMPLAN_HOME", "MMPLAN_CATALOG")
        seen.append({key: os.environ.get(key) for key in keys})
        return 0, " ".join(arguments) + "\n"

    doc = tmp_path / "doc.md"
    doc.write_text("<!-- tour: mmplan plan x -->\n<!-- /tour -->\n")
    os.environ["MMPLAN_CATALOG"] = "/somewhere/else.yaml"
    try:
        tour.tour_file(doc, check=False, run=fake_run)
    finally:
        del os.environ["MMPLAN_CATALOG"]
    assert seen[0]["COLUMNS"] == "80"
    assert seen[0]["NO_COLOR"] == "1"
    assert seen[0]["MMPLAN_TODAY"] == tour.TOUR_TODAY
    assert seen[0]["MMPLAN_CATALOG"] is None
    assert seen[0]["MMPLAN_HOME"] != os.environ["MMPLAN_HOME"]  # not even the test's home
    assert doc.read_text().splitlines() == [
        "<!-- tour: mmplan plan x -->",
        "```text",
        "$ mmplan plan x",
        "plan x",
        "```",
        "<!-- /tour -->",
    ]


def test_head_keeps_the_first_lines_and_fences_outgrow_backticks(tmp_path: Path) -> None:
    def fake_run(arguments: list[str], workdir: Path) -> tuple[int, str]:
        return 0, "one\n```\nthree\nfour\n"

    doc = tmp_path / "doc.md"
    doc.write_text("<!-- tour: mmplan list | head -n 3 -->\n<!-- /tour -->\n")
    tour.tour_file(doc, check=False, run=fake_run)
    assert doc.read_text().splitlines()[1:7] == [
        "````text",
        "$ mmplan list | head -n 3",
        "one",
        "```",
        "three",
        "````",
    ]


def test_blocks_share_one_home_in_document_order(tmp_path: Path) -> None:
    doc = tmp_path / "doc.md"
    doc.write_text(
        "<!-- tour: mmplan progress add mitx-scm CTL.SC0x --date 2026-01-05 -->\n"
        "<!-- /tour -->\n"
        "<!-- tour: mmplan progress export -->\n<!-- /tour -->\n"
    )
    assert tour.main([str(doc)]) == 0
    assert "CTL.SC0x" in doc.read_text().split("$ mmplan progress export")[1]


def test_indented_blocks_keep_their_indent_and_code_examples_are_skipped(tmp_path: Path) -> None:
    def fake_run(arguments: list[str], workdir: Path) -> tuple[int, str]:
        return 0, "out\n"

    doc = tmp_path / "doc.md"
    example = "````markdown\n<!-- tour: mmplan never-run -->\n<!-- /tour -->\n````\n"
    doc.write_text(f"- item\n\n  <!-- tour: mmplan list -->\n  <!-- /tour -->\n\n{example}")
    stale = tour.tour_file(doc, check=False, run=fake_run)
    assert [block.command for block in stale] == ["mmplan list"]
    assert doc.read_text() == (
        "- item\n\n  <!-- tour: mmplan list -->\n  ```text\n  $ mmplan list\n  out\n  ```\n"
        f"  <!-- /tour -->\n\n{example}"
    )
