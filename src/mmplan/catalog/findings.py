"""A problem found in a catalog's data, at a location shaped like a pydantic error `loc`."""

from __future__ import annotations

from dataclasses import dataclass

Loc = tuple[str | int, ...]


@dataclass(frozen=True)
class Finding:
    """One problem at a location.

    `first` points at the earlier twin of a duplicate; `names_program` is the program a
    cross-program prerequisite names (the loader says which file that program came from);
    `other` is the entry a value conflicts with (the loader prints its FILE:LINE).
    """

    loc: Loc
    message: str
    first: Loc | None = None
    names_program: str | None = None
    other: Loc | None = None
