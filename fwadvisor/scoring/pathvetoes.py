"""Path-check evidence as the scorer takes it: checked paths, vetoes, notes (light: no
file or worker machinery)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace

from fwadvisor.models import PathCheckItem, Veto
from fwadvisor.scoring.state import ScoreState

VETO_PREFIX = "paths-check:"


@dataclass(frozen=True)
class PathEvidence:
    items: list[PathCheckItem] = field(default_factory=list)
    vetoes: dict[str, tuple[str, str]] = field(default_factory=dict)  # candidate -> (id, reason)
    notes: list[str] = field(default_factory=list)


NO_PATH_EVIDENCE = PathEvidence()


def with_vetoes(state: ScoreState, vetoes: Mapping[str, tuple[str, str]]) -> ScoreState:
    """Path-check vetoes added to the rules' (a rule's veto keeps its own reason)."""
    if not vetoes:
        return state
    return replace(state, vetoed={**vetoes, **state.vetoed})


def veto_records(state: ScoreState) -> list[Veto]:
    return [
        Veto(candidate=c, reason=reason, rule_id=rid, sources=[])
        for c, (rid, reason) in state.vetoed.items()
        if rid.startswith(VETO_PREFIX)
    ]
