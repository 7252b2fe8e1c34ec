"""mmplan: plan your way through an edX MicroMasters program.

The Python API (docs/api.md): `load_catalog`, then `plan`, `cost` and `status`, and the
types they return. Each name is imported on first use, so `import mmplan` stays cheap (the
command line imports this package at every start).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from mmplan.version import __version__

# Each public name -> the module that defines it.
_HOMES = {
    "load_catalog": "mmplan.api",
    "load_progress": "mmplan.api",
    "plan": "mmplan.api",
    "cost": "mmplan.api",
    "status": "mmplan.api",
    "Catalog": "mmplan.catalog.model",
    "Program": "mmplan.catalog.model",
    "Course": "mmplan.catalog.model",
    "Effort": "mmplan.core.defaults",
    "Plan": "mmplan.schedule",
    "PlannedCourse": "mmplan.schedule",
    "PlanWarning": "mmplan.schedule",
    "WarningKind": "mmplan.schedule",
    "CostReport": "mmplan.reports.cost",
    "CourseCost": "mmplan.reports.cost",
    "Status": "mmplan.reports.eligibility",
    "Progress": "mmplan.progress.model",
    "CompletedCourse": "mmplan.progress.model",
    "StartedCourse": "mmplan.progress.model",
    "MmplanError": "mmplan.core.errors",
    "CatalogWarning": "mmplan.core.errors",
}

__all__ = [
    "Catalog",
    "CatalogWarning",
    "CompletedCourse",
    "CostReport",
    "Course",
    "CourseCost",
    "Effort",
    "MmplanError",
    "Plan",
    "PlanWarning",
    "PlannedCourse",
    "Program",
    "Progress",
    "StartedCourse",
    "Status",
    "WarningKind",
    "__version__",
    "cost",
    "load_catalog",
    "load_progress",
    "plan",
    "status",
]

if TYPE_CHECKING:
    from mmplan.api import cost, load_catalog, load_progress, plan, status
    from mmplan.catalog.model import Catalog, Course, Program
    from mmplan.core.defaults import Effort
    from mmplan.core.errors import CatalogWarning, MmplanError
    from mmplan.progress.model import CompletedCourse, Progress, StartedCourse
    from mmplan.reports.cost import CostReport, CourseCost
    from mmplan.reports.eligibility import Status
    from mmplan.schedule import Plan, PlannedCourse, PlanWarning, WarningKind


def __getattr__(name: str) -> Any:
    """A public name, imported from its module the first time it is asked for."""
    if name not in _HOMES:
        raise AttributeError(f"module 'mmplan' has no attribute '{name}'")
    value = getattr(importlib.import_module(_HOMES[name]), name)
    globals()[name] = value  # later lookups find it without coming here
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
