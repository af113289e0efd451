"""The check catalog: which toolchain checks exist, and which rulebook paths each exercises."""

from __future__ import annotations

from pathlib import Path

from fwadvisor.errors import PathCheckError
from fwadvisor.pathcheck.schema import Catalog, CheckDef
from fwadvisor.resources import probes_dir
from fwadvisor.rulebook.model import Rulebook
from fwadvisor.validation import validate
from fwadvisor.yamlio import load_document

CATALOG_FILE = "checks.yaml"


def checks_dir() -> Path:
    return probes_dir() / "paths"


def load_catalog(directory: Path | None = None) -> tuple[Catalog, Path]:
    """The catalog and the directory its modules live in."""
    folder = directory or checks_dir()
    doc = load_document(folder / CATALOG_FILE, "path-check catalog")
    catalog = validate(Catalog, doc.data, doc, PathCheckError)
    for i, check in enumerate(catalog.checks):
        if check.framework not in catalog.frameworks:
            raise PathCheckError.at(
                f"check {check.id!r} names framework {check.framework!r}, which has no entry "
                "under `frameworks`",
                folder / CATALOG_FILE,
                field=f"checks[{i}].framework",
            )
    return catalog, folder


def unknown_paths(catalog: Catalog, rulebook: Rulebook) -> list[str]:
    """Path ids the catalog names that the rulebook lacks (a test keeps this empty)."""
    known = {p.id for p in rulebook.paths}
    return sorted({p.id for c in catalog.checks for p in c.paths} - known)


def checks_for(
    catalog: Catalog, rulebook: Rulebook, targets: list[str], candidates: list[str]
) -> list[CheckDef]:
    """Checks exercising a rulebook path for one of these targets and candidates."""
    wanted = {p.id for p in rulebook.paths if p.target in targets and p.candidate in candidates}
    return [c for c in catalog.checks if any(p.id in wanted for p in c.paths)]
