"""Synthetic path-check results, shared by the tests and benchmarks/golden_reports.py."""

from __future__ import annotations

from typing import Literal

from fwadvisor.measurements.paths_file import CheckResult

GUARD = "GuardOnDataDependentSymNode: Could not guard on data-dependent expression Eq(u0, 1)"
CRASH = "worker killed by signal SIGSEGV before finishing during convert"


def check_result(
    check: str,
    paths: list[str],
    status: Literal["ok", "failed", "skipped"],
    model: str = "user",
    reason: str = GUARD,
) -> CheckResult:
    """One check on one model: a small artifact that matches its source when ok, a failure
    at the convert stage otherwise (by default an export guard: data-dependent control
    flow, the model's to fix; CRASH: the toolchain's)."""
    ok = status == "ok"
    return CheckResult(
        check=check,
        framework="pytorch" if check.startswith("torch") else "tensorflow",
        model=model,
        status=status,
        stage=None if ok else "convert",
        reason=None if ok else reason,
        paths=paths,
        artifact_bytes=25_600 if ok else None,
        max_abs_err=4.5e-8 if ok else None,
        max_rel_err=1.9e-7 if ok else None,
        latency_median_s=6.8e-5 if ok else None,
        latency_ci95_s=(5.4e-5, 8.5e-5) if ok else None,
        rel_tolerance=1e-5,
    )
