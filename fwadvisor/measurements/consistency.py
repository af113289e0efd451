"""Cross-field checks of a probe file: a hand-edited or truncated file must not pass as data."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from fwadvisor.errors import Problem
from fwadvisor.measurements import stats
from fwadvisor.registry import MODES, UNSTABLE_CV

if TYPE_CHECKING:
    from fwadvisor.measurements.schema import Measurement, ProbeFile

REL_TOL = 1e-6


def _close(a: float | None, b: float | None) -> bool:
    if a is None or b is None:
        return a is b
    return math.isclose(a, b, rel_tol=REL_TOL, abs_tol=1e-12)


def _check_ok(m: Measurement, where: str) -> list[tuple[str, str]]:
    bad: list[tuple[str, str]] = []
    ok_runs = [r for r in m.runs if r.status == "ok"]
    if not ok_runs or not m.samples_s:
        return [(f"{where}.samples_s", "status is ok but there are no samples")]
    if any(s <= 0 or not math.isfinite(s) for s in m.samples_s):
        bad.append((f"{where}.samples_s", "samples must be positive finite seconds"))
        return bad
    flat = [s for r in ok_runs for s in r.samples_s]
    if flat != m.samples_s:
        bad.append((f"{where}.samples_s", "does not equal the samples of its ok runs"))
    if m.processes != len(ok_runs):
        bad.append((f"{where}.processes", f"is {m.processes} but {len(ok_runs)} runs are ok"))
    for i, r in enumerate(m.runs):
        if r.status == "ok" and (
            not r.samples_s or not _close(r.median_s, stats.median(r.samples_s))
        ):
            bad.append((f"{where}.runs[{i}].median_s", "does not match the run's samples"))
    medians = [stats.median(r.samples_s) for r in ok_runs if r.samples_s]
    if medians and not _close(m.median_s, stats.median(medians)):
        bad.append((f"{where}.median_s", "does not match the samples (median of process medians)"))
    if m.ci95_s is None or m.median_s is None:
        bad.append((f"{where}.ci95_s", "status is ok but the interval is missing"))
    elif not m.ci95_s[0] <= m.median_s <= m.ci95_s[1]:
        bad.append((f"{where}.ci95_s", "does not contain median_s"))
    cv = stats.cv(medians)
    if m.unstable != (cv is not None and cv > UNSTABLE_CV):
        bad.append((f"{where}.unstable", "does not agree with the process-to-process spread"))
    return bad


_SECONDS = ("median_s", "iqr_s", "compile_s", "compile_cold_s", "compile_warm_s")
_SIZES = ("peak_mem_bytes", "peak_rss_bytes", "recompiles")


def _implausible(m: Measurement, where: str) -> list[tuple[str, str]]:
    """Numbers no run can produce: negative or non-finite times, sizes and errors."""
    bad = [
        (f"{where}.{name}", "must be a finite, non-negative number of seconds")
        for name in _SECONDS
        if (v := getattr(m, name)) is not None and not (math.isfinite(v) and v >= 0)
    ]
    bad += [
        (f"{where}.{name}", "must not be negative")
        for name in _SIZES
        if (getattr(m, name) or 0) < 0
    ]
    if m.ci95_s is not None and not all(math.isfinite(v) and v >= 0 for v in m.ci95_s):
        bad.append((f"{where}.ci95_s", "must be finite, non-negative seconds"))
    if m.max_abs_err is not None and not (math.isfinite(m.max_abs_err) and m.max_abs_err >= 0):
        bad.append((f"{where}.max_abs_err", "must be a finite, non-negative error"))
    for i, r in enumerate(m.runs):
        times = [*r.samples_s, *r.reference_samples_s, r.median_s, r.first_call_s, r.compile_s]
        if any(t is not None and not (math.isfinite(t) and t >= 0) for t in times):
            bad.append((f"{where}.runs[{i}]", "has a negative or non-finite time"))
    return bad


def _check_measurement(m: Measurement, where: str, pf: ProbeFile) -> list[tuple[str, str]]:
    bad: list[tuple[str, str]] = _implausible(m, where)
    if m.mode not in MODES[m.framework]:
        valid = ", ".join(MODES[m.framework])
        bad.append((f"{where}.mode", f"{m.mode!r} is not a {m.framework} mode ({valid})"))
    if m.framework not in pf.settings.frameworks:
        bad.append((f"{where}.framework", f"{m.framework} is not in settings.frameworks"))
    if m.device == "cuda" and not pf.fingerprint.gpus:
        bad.append((f"{where}.device", "cuda measurement but the fingerprint lists no GPU"))
    if m.status == "ok":
        bad += _check_ok(m, where)
    elif not m.reason:
        bad.append((f"{where}.reason", f"status is {m.status} but no reason is given"))
    return bad


def check(pf: ProbeFile, source: str) -> list[Problem]:
    """Every inconsistency, each naming its field."""
    bad: list[tuple[str, str]] = []
    seen: dict[tuple[str, str, str, str, str], int] = {}
    for i, m in enumerate(pf.measurements):
        where = f"measurements[{i}]"
        key = (m.framework, m.mode, m.workload, m.variant, m.device)
        if key in seen:
            bad.append((where, f"duplicate of measurements[{seen[key]}]"))
        seen[key] = i
        bad += _check_measurement(m, where, pf)
    return [Problem(message=msg, file=source, field=field) for field, msg in bad]
