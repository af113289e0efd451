"""Score points for a measured time ratio (light: imported by the scorer on every run)."""

from __future__ import annotations

import math

POINTS_PER_DOUBLING = 1.0
CAP = 2.0


def ratio_points(ratio: float, band: float) -> float:
    """Points for the faster side of a time ratio: 0 inside the practical-significance band,
    else POINTS_PER_DOUBLING per factor 2, at most CAP."""
    if ratio <= 0 or abs(math.log(ratio)) <= math.log1p(band):
        return 0.0
    return min(CAP, POINTS_PER_DOUBLING * abs(math.log2(ratio)))
