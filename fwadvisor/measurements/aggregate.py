"""Runs of several worker processes -> one Measurement with robust statistics."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from fwadvisor.measurements import stats
from fwadvisor.measurements.disturbance import stalled_share
from fwadvisor.measurements.schema import Measurement, ParamValue, Run
from fwadvisor.registry import UNSTABLE_CV, Status

MISMATCH = "output differs"


def _median_or_none(xs: Sequence[float]) -> float | None:
    return stats.median(xs) if xs else None


def _int(params: dict[str, ParamValue], key: str) -> int:
    value = params.get(key, 0)
    return int(value) if isinstance(value, int | float | str) else 0


def _not_ok(base: dict[str, Any], runs: Sequence[Run]) -> Measurement:
    failed = [r for r in runs if r.status == "failed"]
    status: Status = "failed" if failed else "skipped"
    reason = (failed or list(runs))[0].reason if runs else "not run"
    return Measurement(status=status, reason=reason or status, runs=list(runs), **base)


def aggregate(
    *,
    framework: str,
    mode: str,
    workload: str,
    variant: str,
    device: str,
    params: dict[str, ParamValue],
    runs: Sequence[Run],
) -> Measurement:
    base: dict[str, Any] = {
        "framework": framework,
        "mode": mode,
        "workload": workload,
        "variant": variant,
        "device": device,
        "params": params,
    }
    ok = [r for r in runs if r.status == "ok" and r.samples_s]
    mismatch = [r for r in runs if r.reason and r.reason.startswith(MISMATCH)]
    if not ok or mismatch:
        return _not_ok(base, mismatch or runs)
    groups = [r.samples_s for r in ok]
    medians = [stats.median(g) for g in groups]
    flat = [s for g in groups for s in g]
    center = stats.median(medians)
    lo, hi = stats.median_ci(groups)
    spread = stats.cv(medians)
    bad = [r for r in runs if r.status != "ok"]
    reason = f"{len(bad)} of {len(runs)} processes: {bad[0].reason}" if bad else None
    compiles = [r.compile_s for r in ok if r.compile_s is not None]
    cold = [r.compile_s for r in ok if r.compile_s is not None and r.compile_cache == "cold"]
    warm = [r.compile_s for r in ok if r.compile_s is not None and r.compile_cache != "cold"]
    refs = [r.reference_samples_s for r in ok if r.reference_samples_s]
    ref = stats.center(refs) if refs else None
    gflops = None
    if workload == "matmul":
        n = float(params.get("n", 0))  # type: ignore[arg-type]
        gflops = 2 * n**3 / center / 1e9
    tokens = None
    if workload == "decode":
        steps = _int(params, "prompt") + _int(params, "new_tokens") - 1  # tokens fed per call
        tokens = steps * max(1, _int(params, "batch")) / center
    recompiles = [r.recompiles for r in ok if r.recompiles is not None]
    peaks = [r.peak_mem_bytes for r in ok if r.peak_mem_bytes is not None]
    rss = [r.peak_rss_bytes for r in ok if r.peak_rss_bytes is not None]
    errs = [r.max_abs_err for r in ok if r.max_abs_err is not None]
    return Measurement(
        status="ok",
        reason=reason,
        samples_s=flat,
        median_s=center,
        iqr_s=stats.iqr(flat),
        ci95_s=(min(lo, center), max(hi, center)),
        processes=len(ok),
        process_medians_s=medians,
        spread_cv=spread,
        unstable=spread is not None and spread > UNSTABLE_CV,
        stalled_share=stalled_share(groups),
        compile_s=_median_or_none(compiles),
        compile_cold_s=_median_or_none(cold),
        compile_warm_s=_median_or_none(warm),
        recompiles=max(recompiles, default=None),
        peak_mem_bytes=max(peaks, default=None),
        peak_rss_bytes=max(rss, default=None),
        max_abs_err=max(errs, default=None),
        gflops=gflops,
        tokens_per_s=tokens,
        reference_median_s=ref,
        reference_fraction=ref / center if ref else None,
        runs=list(runs),
        **base,
    )
