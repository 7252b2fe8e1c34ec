"""The command-line interface: thin commands over the domain functions.

Each module registers its commands on the one Typer `app`; `main` is the console script.
These modules do without `from __future__ import annotations`: Typer reads every command's
parameters on every run, and annotations kept as text would be compiled and evaluated each
time (8 ms of start-up; tests/test_startup.py). Names imported only for type checking are
quoted instead.
"""

import gc
import os
import sys

from mmplan.cli.app import app, print_error
from mmplan.cli.output import PIPE_CLOSED_STATUS, OutputError, PipeClosed

# Importing the command modules registers their commands on `app`.
from mmplan.cli import validate_cmd  # noqa: F401  isort: skip
from mmplan.cli import explore_cmd  # noqa: F401  isort: skip
from mmplan.cli import progress_cmd  # noqa: F401  isort: skip
from mmplan.cli import status_cmd  # noqa: F401  isort: skip
from mmplan.cli import cost_cmd  # noqa: F401  isort: skip
from mmplan.cli import plan_cmd  # noqa: F401  isort: skip
from mmplan.cli import catalog_cmd  # noqa: F401  isort: skip

__all__ = ["app", "main"]


def main() -> None:
    """Entry point of the `mmplan` console script."""
    # A command lives for a second at most and builds large acyclic structures (a cached
    # 12,000-course catalog is ~500,000 objects) that the cyclic collector would rescan
    # several times for nothing: 20% of a warm large `list` (benchmarks/README.md). The
    # process's memory goes back at exit; peak memory measured the same either way.
    gc.disable()
    # pydantic looks for plugins in every installed package's entry points when it builds
    # its first validator (~10 ms); mmplan uses none. Typer does the same for its own.
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    try:
        app(prog_name="mmplan")
    except PipeClosed:  # outside a command (--version): as inside one, quietly
        sys.exit(PIPE_CLOSED_STATUS)
    except OutputError as error:
        print_error(str(error))
        sys.exit(error.exit_code)
    finally:
        # The interpreter's last act is a full collection over every object still alive
        # (modules, classes, caches): ~10 ms of a large `list`. Frozen objects are skipped.
        gc.freeze()
