"""What probe evidence contributes to a recommendation (light: no probe imports)."""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from fwadvisor.models import EvidenceItem

POINTS_PER_DOUBLING = 1.0
CAP = 2.0


def ratio_points(ratio: float, band: float) -> float:
    """Points for the faster side of a time ratio: 0 inside the practical-significance band,
    else POINTS_PER_DOUBLING per factor 2, at most CAP."""
    if ratio <= 0 or abs(math.log(ratio)) <= math.log1p(band):
        return 0.0
    return min(CAP, POINTS_PER_DOUBLING * abs(math.log2(ratio)))


@dataclass(frozen=True)
class EvidenceDraw:
    """How to sample one measured ratio (numerator time / denominator time) for robustness."""

    numerator: str  # candidate whose time is on top: it gets the points when the ratio < 1
    denominator: str
    log_ratio: float
    log_ci95: tuple[float, float]  # the interval the decision used (widened when unstable)
    band: float  # practical-significance band (or the machine's noise floor, if larger)
    scale: float  # machine share x discount for unstable measurements


@dataclass(frozen=True)
class EvidenceResult:
    """What the probe files contribute to one recommendation."""

    items: list[EvidenceItem] = field(default_factory=list)
    points: dict[str, float] = field(default_factory=dict)  # candidate -> measured points
    facts: dict[str, Any] = field(default_factory=dict)  # probe.* facts for rule conditions
    fingerprints: list[dict[str, Any]] = field(default_factory=list)
    draws: list[EvidenceDraw] = field(default_factory=list)
    # evidence for other answers (counterfactuals: another workload or mode measures otherwise)
    rebuild: Callable[[Mapping[str, Any]], EvidenceResult] | None = field(
        default=None, compare=False, repr=False
    )


NO_EVIDENCE = EvidenceResult()
