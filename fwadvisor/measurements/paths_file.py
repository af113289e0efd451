"""The paths-check file that `fwadvisor paths check` writes and `recommend --paths-check`
reads (the check catalog is in fwadvisor.pathcheck.schema).

Add fields, never rename them. Times are seconds; `max_rel_err` is
max|artifact - eager| / max|eager| over every output element.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from fwadvisor.basemodel import Record
from fwadvisor.measurements.schema import Fingerprint
from fwadvisor.models import is_noisy
from fwadvisor.records import SchemaVersion1

PATHS_SCHEMA_VERSION = 1
Status = Literal["ok", "failed", "skipped"]


class UserModel(Record):
    file: str
    factory: str
    framework: str


class CheckResult(Record):
    check: str
    framework: str
    title: str | None = Field(None, description="the check's toolchain, step by step")
    model: str = Field(description="a reference model id, or `user` for --model")
    status: Status
    reason: str | None = Field(
        None, description="the converter's own error (first lines), or why skipped"
    )
    stage: Literal["build", "eager", "convert", "load", "run", "compare", "time"] | None = None
    paths: list[str] = Field(default_factory=list, description="rulebook path ids exercised")
    path_notes: dict[str, str] = Field(
        default_factory=dict, description="path id -> what of it this check does not cover"
    )
    convert_s: float | None = None
    load_s: float | None = None
    artifact_bytes: int | None = None
    max_abs_err: float | None = None
    max_rel_err: float | None = None
    rel_tolerance: float | None = None
    latency_median_s: float | None = None
    latency_ci95_s: tuple[float, float] | None = None
    latency_samples: int | None = None
    eager_median_s: float | None = Field(
        None, description="the framework's eager call, same process"
    )

    @property
    def latency_noisy(self) -> bool:
        return is_noisy(self.latency_median_s, self.latency_ci95_s)


class CheckInfo(Record):
    """What a check's worker reported about its toolchain (versions as installed)."""

    check: str
    versions: dict[str, str] = Field(default_factory=dict)
    available: bool = True
    error: str | None = None


class PathsSettings(Record):
    targets: list[str]
    candidates: list[str]
    models: list[str]
    user_model: UserModel | None = None
    threads: int = Field(ge=1)
    timeout_s: float = Field(gt=0, description="per model and check")
    answers_file: str | None = None


class PathsCheckFile(Record):
    schema_version: SchemaVersion1 = 1
    complete: bool = Field(description="false when interrupted or still running")
    wall_s: float | None = None
    fingerprint: Fingerprint
    settings: PathsSettings
    toolchains: list[CheckInfo] = Field(default_factory=list)
    results: list[CheckResult] = Field(default_factory=list)
