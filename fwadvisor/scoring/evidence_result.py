"""What probe evidence contributes to a recommendation (light: no probe imports)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from fwadvisor.models import EvidenceItem


@dataclass(frozen=True)
class EvidenceResult:
    """What the probe files contribute to one recommendation."""

    items: list[EvidenceItem] = field(default_factory=list)
    points: dict[str, float] = field(default_factory=dict)  # candidate -> measured points
    facts: dict[str, Any] = field(default_factory=dict)  # probe.* facts for rule conditions
    fingerprints: list[dict[str, Any]] = field(default_factory=list)


NO_EVIDENCE = EvidenceResult()
