"""Path-check vetoes in the scorer's state, and back out as Veto records."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace

from fwadvisor.models import Veto
from fwadvisor.scoring.state import ScoreState


def with_vetoes(state: ScoreState, vetoes: Mapping[str, Veto]) -> ScoreState:
    """Path-check vetoes added to the rules' (a rule's veto keeps its own reason)."""
    if not vetoes:
        return state
    checked = {c: (v.rule_id, v.reason) for c, v in vetoes.items()}
    return replace(state, vetoed={**checked, **state.vetoed})


def veto_records(state: ScoreState, vetoes: Mapping[str, Veto]) -> list[Veto]:
    """The path-check vetoes that stand in this state (not replaced by a rule's veto)."""
    return [v for c, v in vetoes.items() if state.vetoed.get(c) == (v.rule_id, v.reason)]
