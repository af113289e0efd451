"""When a measured latency is too noisy to lean on (shared by the file and the reports)."""

from __future__ import annotations

NOISY_INTERVAL = 0.2
"""A latency whose 95% interval is wider than this fraction of its median is marked noisy."""


def is_noisy(median: float | None, ci: tuple[float, float] | None) -> bool:
    if median is None or ci is None or median <= 0:
        return False
    return (ci[1] - ci[0]) / median > NOISY_INTERVAL
