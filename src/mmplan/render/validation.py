"""Rendering `validate`: one FILE:LINE:COL line per problem, or the problems as a JSON list."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from mmplan.core.errors import escaped

if TYPE_CHECKING:
    from mmplan.catalog.load import CatalogCheck


def problem_lines(check: CatalogCheck) -> str:
    """Each problem on its own line, escaped: a file name may hold control characters too.
    No problem, no line (the summary goes to stderr)."""
    return "".join(escaped(str(problem)) + "\n" for problem in check.problems)


def problems_json(check: CatalogCheck) -> str:
    """The problems as a JSON list of objects: file, line, column, path, message."""
    return json.dumps([problem.as_json() for problem in check.problems], indent=2)
