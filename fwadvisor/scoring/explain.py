"""Turn engine outcomes and score state into explained records: findings, weights, scores."""

from __future__ import annotations

from fwadvisor.models import (
    Contribution,
    CriterionScore,
    Finding,
    NotFired,
    Veto,
    Weight,
    WeightChange,
)
from fwadvisor.rulebook.engine import RuleOutcome
from fwadvisor.rulebook.model import Rulebook
from fwadvisor.rulebook.schema import CONFIDENCE_FACTOR
from fwadvisor.scoring.state import ScoreState, base_weights


def finding_of(
    outcome: RuleOutcome, state: ScoreState, leader: str | None, rival: str | None
) -> Finding:
    rule = outcome.rule
    factor = CONFIDENCE_FACTOR[rule.confidence]
    contributions = [
        Contribution(candidate=s.candidate, criterion=s.criterion, delta=round(s.delta * factor, 4))
        for s in rule.effects.scores
    ]
    impact = 0.0
    for c in contributions:
        sign = 1.0 if c.candidate == leader else -1.0 if c.candidate == rival else 0.0
        impact += sign * state.weights[c.criterion] * c.delta
    for w in rule.effects.weights:
        if leader and rival:
            impact += w.delta * (state.raw[leader][w.criterion] - state.raw[rival][w.criterion])
    return Finding(
        rule_id=rule.id,
        title=rule.title,
        area=rule.area,
        rationale=rule.rationale,
        sources=list(rule.sources),
        as_of=rule.as_of,
        confidence=rule.confidence,
        because=outcome.deciding_leaves(),
        contributions=contributions,
        weight_changes=[
            WeightChange(criterion=w.criterion, delta=w.delta) for w in rule.effects.weights
        ],
        vetoes=[v.candidate for v in rule.effects.vetoes],
        impact=round(impact / state.weight_sum, 4),
    )


def findings(
    outcomes: list[RuleOutcome], state: ScoreState, leader: str | None, rival: str | None
) -> list[Finding]:
    found = [finding_of(o, state, leader, rival) for o in outcomes if o.fired]
    return sorted(found, key=lambda f: (not f.vetoes, -abs(f.impact), f.rule_id))


def not_fired(outcomes: list[RuleOutcome]) -> list[NotFired]:
    return [
        NotFired(rule_id=o.rule.id, title=o.rule.title, failed=o.deciding_leaves())
        for o in outcomes
        if not o.fired
    ]


def vetoes(rulebook: Rulebook, state: ScoreState) -> list[Veto]:
    return [
        Veto(
            candidate=cand,
            reason=reason,
            rule_id=rid,
            sources=list(rulebook.rule_by_id[rid].sources),
        )
        for cand, (rid, reason) in state.vetoed.items()
        if rid in rulebook.rule_by_id  # others (path checks) bring their own records
    ]


def weights(rulebook: Rulebook, state: ScoreState, facts: dict[str, object]) -> list[Weight]:
    base = base_weights(rulebook, facts)
    from_q = {q.weight_for: q.id for q in rulebook.questions if q.weight_for and q.id in facts}
    return [
        Weight(
            criterion=c.id,
            name=c.name,
            weight=state.weights[c.id],
            base=base[c.id],
            from_question=from_q.get(c.id),
            rule_delta=round(state.weights[c.id] - base[c.id], 4),
        )
        for c in rulebook.criteria
    ]


def scores(state: ScoreState) -> dict[str, dict[str, CriterionScore]]:
    return {
        cand: {
            crit: CriterionScore(raw=round(v, 4), weighted=round(v * state.weights[crit], 4))
            for crit, v in per.items()
        }
        for cand, per in state.raw.items()
    }
