"""The base of mmplan's pydantic models: progress records and the results commands print.

The catalog itself is plain dataclasses (`mmplan.catalog.model`), so that reading it never loads
pydantic; the models here belong to commands that validate or serialize with pydantic anyway.
"""

from pydantic import BaseModel, ConfigDict


class Frozen(BaseModel):
    """Base for every model: immutable, and unknown keys are errors."""

    # defer_build: a model's validator is built on its first validation, not at import, so
    # a command pays only for the models it validates.
    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)
