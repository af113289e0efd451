"""The deployment path for each of the user's targets, with the chosen framework."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from fwadvisor.models import Note, PathStepPlan
from fwadvisor.registry import DEPLOYMENT_TARGETS
from fwadvisor.rulebook.evaluate import holds
from fwadvisor.rulebook.model import Rulebook
from fwadvisor.rulebook.schema import DeploymentPath


def applicable(
    rulebook: Rulebook, facts: Mapping[str, Any], candidate: str, target: str
) -> list[DeploymentPath]:
    """The candidate's paths for one target whose `when` holds for these facts."""
    return [
        p
        for p in rulebook.paths
        if p.target == target
        and p.candidate == candidate
        and (p.when is None or holds(p.when, facts))
    ]


def chosen_targets(rulebook: Rulebook, facts: Mapping[str, Any]) -> list[str]:
    """The deployment targets the answers name."""
    question = rulebook.question_for(DEPLOYMENT_TARGETS)
    targets = (facts.get(question.id) if question else None) or []
    return [t for t in targets if isinstance(t, str)] if isinstance(targets, list) else []


def plan_paths(
    rulebook: Rulebook, facts: Mapping[str, Any], candidate: str | None
) -> tuple[list[PathStepPlan], list[Note]]:
    """Best path per target (the lowest preference number among the paths whose `when`
    holds), and notes for targets the rulebook has no path for. A hardware-specific path
    carries a lower number than the generic one it replaces."""
    question = rulebook.question_for(DEPLOYMENT_TARGETS)
    plans: list[PathStepPlan] = []
    notes: list[Note] = []
    if candidate is None:
        return plans, notes
    for target in chosen_targets(rulebook, facts):
        options = applicable(rulebook, facts, candidate, target)
        label = question.label_of(target) if question else target
        if not options:
            if target != "none":
                data = {"target_label": label, "candidate": candidate}
                notes.append(Note(kind="no_deployment_path", subject=target, data=data))
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
