"""The reference for `mmplan list`'s start-up: a bare Typer command, no mmplan code at all.

    python benchmarks/bare_typer_list.py list
    python -c "import bare_typer_list; bare_typer_list.main()" list   # as run.py runs it

It declares `list`'s options with the same types and prints the Rich table `mmplan list`
prints for the bundled catalog at a width where it is a table (`COLUMNS=240`, on
`MMPLAN_TODAY=2026-12-01`, as run.py runs it): the same
title, columns, rows and caption, copied here as literals (no YAML, no cache, no
summaries). Rich, its console and table, and Typer's command tree are what any command
like `list` must pay for; what `mmplan list` costs beyond this is mmplan's own.
benchmarks/run.py checks that both print the same text before it times them.

With BARE_TYPER_GC=off it runs without the cyclic garbage collector, as mmplan's console
script does: the tightest reference, for a second ratio.
"""

import gc
import os
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

TITLE = "23 programs"
CAPTION = (
    "Courses, hours and price: the default path (fewest-hours electives), mid effort. "
    "Weeks: estimate at 8 h/week. Needs: the least weekly hours its fixed-schedule courses "
    "take. ~ estimate, – range. Credit: master's pathways. Dated plan: mmplan plan ID"
)
COLUMNS = (
    ("Id", "left"),
    ("Title", "left"),
    ("Institution", "left"),
    ("Field", "left"),
    ("Courses", "right"),
    ("Hours", "right"),
    ("Price", "right"),
    ("Weeks at 8h", "right"),
    ("Needs", "right"),
    ("Credit", "right"),
)
# fmt: off
ROWS = (
    ("mitx-scm", "Supply Chain Management", "MITx", "Supply chain", "6", "~670", "$1,350 published (2016–2018); courses ~$1,595", "~78", "10 h/week", "3"),  # noqa: E501
    ("mitx-sds", "Statistics and Data Science", "MITx", "Data science", "6", "~757", "$700–$1,600 + 3 unknown", "~95", "13 h/week", "1"),  # noqa: E501
    ("mitx-dedp", "Data, Economics, and Design of Policy (moved to MITx Online)", "MITx", "Economics", "5", "728", "$500–$5,000", "~89", "13 h/week", "3"),  # noqa: E501
    ("mitx-finance", "Finance", "MITx", "Finance", "6", "~744", "~$2,250 + 1 unknown", "~93", "12 h/week", "unknown"),  # noqa: E501
    ("mitx-pom", "Principles of Manufacturing", "MITx", "Engineering", "12", "~825", "~$1,400 + 4 unknown", "~119", "11 h/week", "1"),  # noqa: E501
    ("columbiax-ai", "Artificial Intelligence (may no longer be offered)", "ColumbiaX", "Computer science", "4", "414", "$996", "~46", "9 h/week", "unknown"),  # noqa: E501
    ("columbiax-business-analytics", "Business Analytics (retired)", "ColumbiaX", "Business", "4", "432", "$996", "~48", "9 h/week", "4"),  # noqa: E501
    ("pennx-robotics", "Robotics (may no longer be offered)", "PennX", "Engineering", "4", "~432", "unknown (4 courses)", "~54", "any", "1"),  # noqa: E501
    ("ucsandiegox-data-science", "Data Science", "UCSanDiegoX", "Data science", "4", "395", "~$1,400", "~47", "10.5 h/week", "2"),  # noqa: E501
    ("ucsandiegox-algorithms-data-structures", "Algorithms and Data Structures", "UCSanDiegoX", "Computer science", "8", "324", "~$1,098", "~41", "any", "unknown"),  # noqa: E501
    ("iimbx-entrepreneurship", "Entrepreneurship", "IIMBx", "Business", "5", "~200", "$849", "~25", "any", "1"),  # noqa: E501
    ("gtx-analytics", "Analytics: Essential Tools and Methods", "GTx", "Data science", "3", "455", "~$2,475", "~47", "11 h/week", "1"),  # noqa: E501
    ("delftx-solar-energy", "Solar Energy Engineering", "DelftX", "Energy", "5", "492", "~$1,250", "~48", "10.5 h/week", "unknown"),  # noqa: E501
    ("ubcx-software-development", "Software Development", "UBCx", "Computer science", "6", "248", "~$925", "~32", "any", "unknown"),  # noqa: E501
    ("michiganx-ux-research-design", "User Experience (UX) Research and Design (may no longer be offered)", "MichiganX", "Design", "9", "~144", "~$891", "~18", "any", "unknown"),  # noqa: E501
    ("michiganx-educational-innovation", "Leading Educational Innovation and Improvement", "MichiganX", "Education", "5", "114", "~$1,045", "~15", "any", "unknown"),  # noqa: E501
    ("ritx-cybersecurity", "Cybersecurity", "RITx", "Cybersecurity", "5", "440", "~$1,596", "~40", "11 h/week", "1"),  # noqa: E501
    ("ritx-project-management", "Project Management", "RITx", "Business", "4", "304", "~$1,347", "~39", "4.5 h/week", "1"),  # noqa: E501
    ("ritx-design-thinking", "Design Thinking", "RITx", "Design", "5", "300", "~$1,495", "~36", "10 h/week", "unknown"),  # noqa: E501
    ("berkeleyx-marketing-analytics", "Marketing Analytics", "BerkeleyX", "Business", "4", "96", "$996", "~12", "any", "unknown"),  # noqa: E501
    ("adelaidex-big-data", "Big Data", "AdelaideX", "Data science", "5", "387", "~$1,095", "~49", "any", "unknown"),  # noqa: E501
    ("umgc-instructional-design-technology", "Instructional Design and Technology", "USMx / UMGC", "Education", "4", "288", "~$1,196", "~32", "9 h/week", "1"),  # noqa: E501
    ("umgc-cloud-computing", "Cloud Computing", "USMx / UMGC", "Computer science", "4", "288", "~$1,196", "~32", "9 h/week", "1"),  # noqa: E501
)
# fmt: on


class Effort(StrEnum):
    LOW = "low"
    MID = "mid"
    HIGH = "high"


class SortKey(StrEnum):
    ID = "id"
    TITLE = "title"
    INSTITUTION = "institution"
    FIELD = "field"
    COURSES = "courses"
    HOURS = "hours"
    PRICE = "price"
    WEEKS = "weeks"
    CREDIT = "credit"


class Format(StrEnum):
    TABLE = "table"
    JSON = "json"
    CSV = "csv"
    MARKDOWN = "markdown"


app = typer.Typer(
    name="mmplan",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)


@app.callback()
def options(
    catalog: Annotated[list[Path] | None, typer.Option("--catalog", dir_okay=False)] = None,
    no_bundled: Annotated[bool, typer.Option("--no-bundled")] = False,
    debug: Annotated[bool, typer.Option("--debug")] = False,
) -> None:
    """The global options of mmplan."""


@app.command("list")
def list_command(
    hours_per_week: Annotated[float, typer.Option("--hours-per-week", "-H")] = 8.0,
    field: Annotated[str | None, typer.Option("--field")] = None,
    institution: Annotated[str | None, typer.Option("--institution")] = None,
    max_price: Annotated[float | None, typer.Option("--max-price", min=0)] = None,
    max_weeks: Annotated[float | None, typer.Option("--max-weeks", min=0)] = None,
    credit_at: Annotated[str | None, typer.Option("--credit-at")] = None,
    search: Annotated[str | None, typer.Option("--search")] = None,
    sort: Annotated[SortKey | None, typer.Option("--sort")] = None,
    reverse: Annotated[bool, typer.Option("--reverse")] = False,
    effort: Annotated[Effort, typer.Option("--effort")] = Effort.MID,
    output_format: Annotated[Format, typer.Option("--format", "-f")] = Format.TABLE,
) -> None:
    """Print the bundled catalog's `list` table, as `mmplan list` does at 240 columns."""
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    table = Table(title=TITLE, caption=CAPTION)
    for header, justify in COLUMNS:
        table.add_column(Text(header), justify=justify, overflow="fold")  # type: ignore[arg-type]
    for row in ROWS:
        table.add_row(*(Text(cell) for cell in row))
    plain = bool(os.environ.get("NO_COLOR"))
    console = Console(highlight=False, soft_wrap=False, color_system=None if plain else "auto")
    console.print(table)


def main() -> None:
    """The entry point, imported as mmplan's console script imports `mmplan.cli.main`, so
    that this module runs from cached bytecode too, as mmplan's modules do."""
    if os.environ.get("BARE_TYPER_GC") == "off":
        gc.disable()
    app()


if __name__ == "__main__":
    main()
