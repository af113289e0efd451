"""Robust statistics for probe samples: median, IQR, spread, and bootstrap 95% intervals.

Samples come grouped by worker process (process-to-process variation dominates on shared
machines), so the bootstrap is two-level: resample processes, then samples inside each.
The point statistic of a measurement is the median of its per-process medians.
Pure Python and seeded: the same file always gives the same intervals.
"""

from __future__ import annotations

import functools
import math
import random
import statistics
from collections.abc import Sequence

Runs = Sequence[Sequence[float]]
DEFAULT_BOOT = 1000
DEFAULT_SEED = 20240601


def median(xs: Sequence[float]) -> float:
    if not xs:
        raise ValueError("median of no samples")
    return float(statistics.median(xs))


def quantile(xs: Sequence[float], q: float) -> float:
    """Linear-interpolation quantile (numpy's default), q in [0, 1]."""
    if not xs:
        raise ValueError("quantile of no samples")
    s = sorted(xs)
    pos = q * (len(s) - 1)
    lo = math.floor(pos)
    hi = min(lo + 1, len(s) - 1)
    return s[lo] + (s[hi] - s[lo]) * (pos - lo)


def iqr(xs: Sequence[float]) -> float:
    return quantile(xs, 0.75) - quantile(xs, 0.25)


def cv(xs: Sequence[float]) -> float | None:
    """Coefficient of variation (sample stdev / mean); None with fewer than two values."""
    if len(xs) < 2:
        return None
    mean = statistics.fmean(xs)
    return statistics.stdev(xs) / mean if mean > 0 else None


def center(runs: Runs) -> float:
    """Median of the per-process medians."""
    return median([median(r) for r in runs if r])


def median_rank_ci(xs: Sequence[float]) -> tuple[float, float] | None:
    """Distribution-free 95% interval of the median from order statistics; None below 6.

    Cheap enough to check after every sampling round (the bootstrap is not): ranks
    n/2 -+ 0.98 sqrt(n), the normal approximation to the binomial.
    """
    n = len(xs)
    if n < 6:
        return None
    s = sorted(xs)
    half = 0.98 * math.sqrt(n)
    lo = max(0, math.floor(n / 2 - half) - 1)
    hi = min(n - 1, math.ceil(n / 2 + half))
    return s[lo], s[hi]


def _resample(xs: Sequence[float], rng: random.Random) -> list[float]:
    return rng.choices(xs, k=len(xs))


def _interval(values: list[float]) -> tuple[float, float]:
    return (quantile(values, 0.025), quantile(values, 0.975))


def median_ci(
    runs: Runs, *, n_boot: int = DEFAULT_BOOT, seed: int = DEFAULT_SEED
) -> tuple[float, float]:
    """Bootstrap 95% interval of center(runs)."""
    runs = [list(r) for r in runs if r]
    rng = random.Random(seed)
    stats = []
    for _ in range(n_boot):
        picked = rng.choices(runs, k=len(runs)) if len(runs) > 1 else runs
        stats.append(median([median(_resample(r, rng)) for r in picked]))
    return _interval(stats)


def ratio_ci(
    a: Runs,
    b: Runs,
    *,
    paired: bool,
    n_boot: int = DEFAULT_BOOT,
    seed: int = DEFAULT_SEED,
) -> tuple[float, float]:
    """Bootstrap 95% interval of center(a) / center(b), always holding that estimate.

    paired: a[i][j] and b[i][j] were timed in the same process, round j (interleaved), so
    processes are resampled as pairs and rounds jointly inside each. Otherwise the two
    frameworks ran in their own processes, whose counts may differ (a budget cut): each
    side's processes are resampled on their own, then samples inside each, so the interval
    is about the same data as the estimate.

    A percentile interval of a median can miss the estimate itself when there are few
    processes (a median of two is their mean, a resample picks one or the other); the
    interval is then extended to the estimate, so a ratio is never printed outside its own
    interval.

    Memoized on the samples (the bootstrap is pure and seeded): a recommendation asks again
    for the same pair of measurements for every answer change that selects them.
    """
    a_ = tuple(tuple(r) for r in a if r)
    b_ = tuple(tuple(r) for r in b if r)
    if paired:
        n = min(len(a_), len(b_))
        a_, b_ = a_[:n], b_[:n]
    if not a_ or not b_:
        raise ValueError("ratio of no processes")
    lo, hi = _ratio_ci(a_, b_, paired, n_boot, seed)
    value = center(a_) / center(b_)
    return min(lo, value), max(hi, value)


@functools.lru_cache(maxsize=256)
def _ratio_ci(
    a: tuple[tuple[float, ...], ...],
    b: tuple[tuple[float, ...], ...],
    paired: bool,
    n_boot: int,
    seed: int,
) -> tuple[float, float]:
    rng = random.Random(seed)
    out = []
    for _ in range(n_boot):
        if paired:
            n = len(a)
            picked = rng.choices(range(n), k=n) if n > 1 else [0]
            ma, mb = [], []
            for i in picked:
                xa, xb = a[i], b[i]
                k = min(len(xa), len(xb))
                idx = rng.choices(range(k), k=k)
                ma.append(median([xa[j] for j in idx]))
                mb.append(median([xb[j] for j in idx]))
        else:
            pa = rng.choices(a, k=len(a)) if len(a) > 1 else a
            pb = rng.choices(b, k=len(b)) if len(b) > 1 else b
            ma = [median(_resample(x, rng)) for x in pa]
            mb = [median(_resample(x, rng)) for x in pb]
        out.append(median(ma) / median(mb))
    return _interval(out)


def spans_one(ci: tuple[float, float]) -> bool:
    return ci[0] <= 1.0 <= ci[1]
