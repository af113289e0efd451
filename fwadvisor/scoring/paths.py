"""The deployment path for each of the user's targets, with the chosen framework."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from fwadvisor.models import PathStepPlan
from fwadvisor.registry import DEPLOYMENT_TARGETS
from fwadvisor.rulebook.evaluate import holds
from fwadvisor.rulebook.model import Rulebook


def plan_paths(
    rulebook: Rulebook, facts: Mapping[str, Any], candidate: str | None
) -> tuple[list[PathStepPlan], list[str]]:
    """Best path per target (the lowest preference number among the paths whose `when`
    holds), and notes for targets the rulebook has no path for. A hardware-specific path
    carries a lower number than the generic one it replaces."""
    question = rulebook.question_for(DEPLOYMENT_TARGETS)
    targets = (facts.get(question.id) if question else None) or []
    plans: list[PathStepPlan] = []
    notes: list[str] = []
    if candidate is None or not isinstance(targets, list):
        return plans, notes
    for target in targets:
        options = [
            p
            for p in rulebook.paths
            if p.target == target
            and p.candidate == candidate
            and (p.when is None or holds(p.when, facts))
        ]
        label = question.label_of(target) if question else target
        if not options:
            if target != "none":
                notes.append(f"The rulebook has no deployment path for {label} with {candidate}.")
            continue
        best = min(options, key=lambda p: p.preference)
        plans.append(
            PathStepPlan(
                target=target,
                target_label=label,
                candidate=candidate,
                kind=best.kind,
                steps=list(best.steps),
                summary=best.summary,
                path_id=best.id,
                sources=list(best.sources),
                as_of=best.as_of,
                confidence=best.confidence,
            )
        )
    return plans, notes
