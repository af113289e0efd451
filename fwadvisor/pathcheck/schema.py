"""The check catalog (probes/paths/checks.yaml): which converter checks exist, what they
need, which rulebook paths they exercise. The paths-check file is in
fwadvisor.measurements.paths_file.
"""

from __future__ import annotations

from typing import Any

from pydantic import Field

from fwadvisor.basemodel import Record
from fwadvisor.measurements.paths_file import CheckResult, Status
from fwadvisor.records import SchemaVersion1


class CoveredPath(Record):
    id: str = Field(description="a path id of rules/paths.yaml")
    note: str | None = Field(None, description="what of the path is not checked on this machine")


class CheckDef(Record):
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    framework: str
    title: str
    module: str = Field(description="file beside checks.yaml")
    function: str = Field(description="<function>_convert and <function>_load in the module")
    load: str | None = Field(None, description="another load function, e.g. a shared one")
    requires: list[str] = Field(default_factory=list, description="import names")
    install: str
    rel_tolerance: float = Field(gt=0)
    timeout_s: float | None = Field(None, gt=0, description="per model; default: the request's")
    paths: list[CoveredPath] = Field(min_length=1)

    def path_notes(self) -> dict[str, str]:
        return {p.id: p.note for p in self.paths if p.note}

    def result(self, model: str, status: Status, **fields: Any) -> CheckResult:
        """A result of this check on `model`: the check's own fields, then `fields`."""
        return CheckResult(
            check=self.id,
            title=self.title,
            framework=self.framework,
            model=model,
            status=status,
            paths=[p.id for p in self.paths],
            path_notes=self.path_notes(),
            **fields,
        )


class FrameworkDef(Record):
    models: str = Field(description="reference-model module beside checks.yaml")
    runtime: str = Field(description="module with setup(), check_model() and eager()")
    detect: list[str] = Field(
        min_length=1, description="top-level modules whose classes mark a model of this framework"
    )
    install: str


class Catalog(Record):
    schema_version: SchemaVersion1
    reference_models: list[str] = Field(min_length=1)
    frameworks: dict[str, FrameworkDef]
    checks: list[CheckDef] = Field(min_length=1)
