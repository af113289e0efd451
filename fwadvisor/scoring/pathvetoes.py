"""Path-check vetoes in the scorer's state, and back out as Veto records."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace

from fwadvisor.models import VETO_PREFIX, Veto
from fwadvisor.scoring.state import ScoreState


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
