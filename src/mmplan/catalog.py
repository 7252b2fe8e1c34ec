"""Loading the catalog: YAML files -> validated, merged `Catalog`.

(Initial version: B hardens this with line-numbered errors, referential checks and
hostile-input handling. The public functions below keep their signatures.)
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import yaml
from pydantic import ValidationError

from mmplan.errors import CatalogError, Problem
from mmplan.models import Catalog, Program

CATALOG_ENV = "MMPLAN_CATALOG"


@dataclass(frozen=True)
class CatalogSources:
    """Which catalog files are active: the bundled one (unless dropped) then extras, in order."""

    extra: tuple[Path, ...] = ()
    include_bundled: bool = True

    @classmethod
    def from_environment(cls, extra: tuple[Path, ...], include_bundled: bool) -> CatalogSources:
        """Extras from `MMPLAN_CATALOG` (os.pathsep-separated) come before the command line's."""
        from_env = tuple(Path(p) for p in os.environ.get(CATALOG_ENV, "").split(os.pathsep) if p)
        return cls(extra=from_env + extra, include_bundled=include_bundled)

    @property
    def paths(self) -> tuple[Path, ...]:
        return ((bundled_catalog_path(),) if self.include_bundled else ()) + self.extra


def bundled_catalog_path() -> Path:
    """The bundled programs.yaml: inside the installed package, or at the repo's top."""
    packaged = Path(str(resources.files("mmplan"))) / "data" / "programs.yaml"
    if packaged.is_file():
        return packaged
    return Path(__file__).resolve().parents[2] / "data" / "programs.yaml"


def load_catalog_file(path: Path) -> Catalog:
    """One catalog file, validated."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise CatalogError([Problem(str(path), 0, 0, "", error.strerror or str(error))]) from None
    try:
        data = yaml.safe_load(text)
        return Catalog.model_validate(data)
    except yaml.YAMLError as error:
        raise CatalogError([Problem(str(path), 0, 0, "", str(error))]) from None
    except ValidationError as error:
        problems = [
            Problem(str(path), 0, 0, ".".join(map(str, e["loc"])), e["msg"]) for e in error.errors()
        ]
        raise CatalogError(problems) from None


def merge_catalogs(catalogs: list[Catalog]) -> Catalog:
    """Layer catalogs in order: a program id defined again replaces the earlier one."""
    by_id: dict[str, Program] = {}
    for catalog in catalogs:
        for program in catalog.programs:
            by_id.pop(program.id, None)
            by_id[program.id] = program
    as_of = max((c.as_of for c in catalogs), default=None)
    if as_of is None:
        raise CatalogError([Problem("<none>", 0, 0, "", "no catalog is active")])
    return Catalog(schema_version=1, as_of=as_of, programs=tuple(by_id.values()))


def load_active_catalog(sources: CatalogSources) -> Catalog:
    """Every active catalog file, loaded and merged."""
    return merge_catalogs([load_catalog_file(path) for path in sources.paths])
