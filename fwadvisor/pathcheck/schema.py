"""The check catalog (probes/paths/checks.yaml): which converter checks exist, what they
need, which rulebook paths they exercise. The paths-check file is in
fwadvisor.measurements.paths_file.
"""

from __future__ import annotations

from dataclasses import field
from typing import Annotated, Any

from fwadvisor.measurements.paths_file import CheckResult, Status
from fwadvisor.records import Limits, Record, SchemaVersion1, Str, record


@record
class CoveredPath(Record):
    """A deployment path a check exercises, with a note where it covers part of it."""

    id: str
    """a path id of rules/paths.yaml"""
    note: str | None = None
    """what of the path is not checked on this machine"""


@record
class CheckDef(Record):
    """One deployment check in the catalog: framework, module and function, tolerance and the paths it covers."""

    id: Annotated[str, Str(pattern=r"^[a-z0-9][a-z0-9-]*$")]
    framework: str
    title: str
    module: str
    """file beside checks.yaml"""
    function: str
    """<function>_convert and <function>_load in the module"""
    load: str | None = None
    """another load function, e.g. a shared one"""
    requires: list[str] = field(default_factory=list)
    """import names"""
    install: str
    rel_tolerance: Annotated[float, Limits(gt=0)]
    timeout_s: Annotated[float, Limits(gt=0)] | None = None
    """per model; default: the request's"""
    paths: Annotated[list[CoveredPath], Limits(min_length=1)]

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


@record
class FrameworkDef(Record):
    """A framework in the check catalog: its reference models, runtime, how a user's model is
    recognised as its, and the install hint."""

    models: str
    """reference-model module beside checks.yaml"""
    runtime: str
    """module with setup(), check_model() and eager()"""
    detect: Annotated[list[str], Limits(min_length=1)]
    """top-level modules whose classes mark a model of this framework"""
    install: str


@record
class Catalog(Record):
    """checks.yaml: the reference models, frameworks and deployment checks."""

    schema_version: SchemaVersion1
    reference_models: Annotated[list[str], Limits(min_length=1)]
    frameworks: dict[str, FrameworkDef]
    checks: Annotated[list[CheckDef], Limits(min_length=1)]
