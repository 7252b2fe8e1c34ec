"""The command-line interface: thin commands over the domain functions.

Each module registers its commands on the one Typer `app`; `main` is the console script.
"""

from mmplan.cli.app import app

# Importing the command modules registers their commands on `app`.
from mmplan.cli import validate_cmd  # noqa: F401  isort: skip
from mmplan.cli import explore_cmd  # noqa: F401  isort: skip
from mmplan.cli import progress_cmd  # noqa: F401  isort: skip
from mmplan.cli import status_cmd  # noqa: F401  isort: skip
from mmplan.cli import cost_cmd  # noqa: F401  isort: skip
from mmplan.cli import plan_cmd  # noqa: F401  isort: skip

__all__ = ["app", "main"]


def main() -> None:
    """Entry point of the `mmplan` console script."""
    app(prog_name="mmplan")
