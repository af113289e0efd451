"""The paths-check file that `fwadvisor paths check` writes and `recommend --paths-check`
reads (the check catalog is in fwadvisor.pathcheck.schema).

Add fields, never rename them. Times are seconds; `max_rel_err` is
max|artifact - eager| / max|eager| over every output element.
"""

from __future__ import annotations

import math
from collections.abc import Collection
from dataclasses import field
from typing import Annotated, Literal

from fwadvisor.errors import Problem
from fwadvisor.fingerprint import Fingerprint
from fwadvisor.models import is_noisy
from fwadvisor.records import Limits, Record, SchemaVersion1, record

PATHS_SCHEMA_VERSION = 1
Status = Literal["ok", "failed", "skipped"]


@record
class UserModel(Record):
    """The user's own model: its file, the function that builds it, and its framework."""

    file: str
    factory: str
    framework: str


@record
class CheckResult(Record):
    """One path check on one model: its status, stage, errors against the framework, size and latency."""

    check: str
    framework: str
    title: str | None = None
    """the check's toolchain, step by step"""
    model: str
    """a reference model id, or `user` for --model"""
    status: Status
    reason: str | None = None
    """the converter's own error (first lines), or why skipped"""
    stage: Literal["build", "eager", "convert", "load", "run", "compare", "time"] | None = None
    paths: list[str] = field(default_factory=list)
    """rulebook path ids exercised"""
    path_notes: dict[str, str] = field(default_factory=dict)
    """path id -> what of it this check does not cover"""
    convert_s: float | None = None
    load_s: float | None = None
    artifact_bytes: int | None = None
    max_abs_err: float | None = None
    max_rel_err: float | None = None
    rel_tolerance: float | None = None
    latency_median_s: float | None = None
    latency_ci95_s: tuple[float, float] | None = None
    latency_samples: int | None = None
    eager_median_s: float | None = None
    """the framework's eager call, same process"""

    @property
    def latency_noisy(self) -> bool:
        return is_noisy(self.latency_median_s, self.latency_ci95_s)


@record
class CheckInfo(Record):
    """What a check's worker reported about its toolchain (versions as installed)."""

    check: str
    versions: dict[str, str] = field(default_factory=dict)
    available: bool = True
    error: str | None = None


@record
class PathsSettings(Record):
    """What a path check run was asked for: targets, candidates, models, threads and timeout."""

    targets: list[str]
    candidates: list[str]
    models: list[str]
    user_model: UserModel | None = None
    threads: Annotated[int, Limits(ge=1)]
    timeout_s: Annotated[float, Limits(gt=0)]
    """per model and check"""
    answers_file: str | None = None


@record
class PathsCheckFile(Record):
    """A path-check file: the machine, the settings, the toolchains and every result."""

    schema_version: SchemaVersion1 = 1
    complete: bool
    """false when interrupted or still running"""
    wall_s: float | None = None
    fingerprint: Fingerprint
    settings: PathsSettings
    toolchains: list[CheckInfo] = field(default_factory=list)
    results: list[CheckResult] = field(default_factory=list)


def _bad_number(value: float | None, *, positive: bool = False) -> bool:
    if value is None:
        return False
    return not math.isfinite(value) or value < 0 or (positive and value == 0)


def result_problems(r: CheckResult) -> list[tuple[str, str]]:
    """What makes one result implausible, as (field, why): negative or non-finite times,
    sizes and errors, an "ok" outside its own tolerance or without a latency, a failure
    without a reason."""
    bad: list[tuple[str, str]] = []
    for name in ("convert_s", "load_s", "latency_median_s", "eager_median_s"):
        if _bad_number(getattr(r, name)):
            bad.append((name, "must be a finite, non-negative number of seconds"))
    for name in ("max_abs_err", "max_rel_err"):
        if _bad_number(getattr(r, name)):
            bad.append((name, "must be a finite, non-negative error"))
    if _bad_number(r.rel_tolerance, positive=True):
        bad.append(("rel_tolerance", "must be a finite, positive tolerance"))
    if r.artifact_bytes is not None and r.artifact_bytes < 0:
        bad.append(("artifact_bytes", "must not be negative"))
    if r.latency_samples is not None and r.latency_samples < 1:
        bad.append(("latency_samples", "must be at least 1"))
    ci = r.latency_ci95_s
    if ci is not None and (_bad_number(ci[0]) or _bad_number(ci[1]) or ci[0] > ci[1]):
        bad.append(("latency_ci95_s", "must be two finite, non-negative, ordered seconds"))
    if r.status == "ok":
        if r.max_rel_err is None or r.rel_tolerance is None:
            bad.append(("status", "ok, but without the error and tolerance that make it ok"))
        elif r.max_rel_err > r.rel_tolerance:
            bad.append(("status", f"ok, but max_rel_err {r.max_rel_err:g} > {r.rel_tolerance:g}"))
        if r.latency_median_s is None or r.latency_median_s <= 0:
            bad.append(("latency_median_s", "an ok result has a positive latency"))
    elif r.status == "failed" and not r.reason:
        bad.append(("reason", "a failed result says why"))
    return bad


def check(
    doc: PathsCheckFile, source: str, known_checks: Collection[str] | None = None
) -> list[Problem]:
    """Every implausible field of a paths-check file (unknown check ids when `known_checks`
    is given), each naming its field."""
    bad: list[tuple[str, str]] = []
    if _bad_number(doc.wall_s):
        bad.append(("wall_s", "must be a finite, non-negative number of seconds"))
    for i, r in enumerate(doc.results):
        where = f"results[{i}]"
        if known_checks is not None and r.check not in known_checks:
            bad.append((f"{where}.check", f"{r.check!r} is not a check of this fwadvisor"))
        bad += [(f"{where}.{field}", why) for field, why in result_problems(r)]
    if known_checks is not None:
        for i, t in enumerate(doc.toolchains):
            if t.check not in known_checks:
                bad.append((f"toolchains[{i}].check", f"{t.check!r} is not a check"))
    return [Problem(message=why, file=source, field=field) for field, why in bad]
