"""Turn engine outcomes and score state into explained records: findings, weights, scores."""

from __future__ import annotations

from collections.abc import Mapping

from fwadvisor.models import (
    Contribution,
    CriterionScore,
    Finding,
    FindingRole,
    NotFired,
    Veto,
    Weight,
    WeightChange,
)
from fwadvisor.rulebook.engine import RuleOutcome
from fwadvisor.rulebook.model import Rulebook
from fwadvisor.rulebook.schema import CONFIDENCE_FACTOR
from fwadvisor.scoring.effects import counted_terms, counted_weight_terms
from fwadvisor.scoring.state import ScoreState

Counted = set[tuple[str, str, str]]  # (rule id, candidate, criterion) whose points count


def counted_keys(state: ScoreState) -> Counted:
    """(rule id, candidate, criterion) of the score terms that count, and (rule id, '', criterion)
    of the weight changes that count."""
    terms, weights = state.score_terms, state.weight_terms
    keys = {
        (terms[i].rule_id, terms[i].candidate, terms[i].criterion) for i in counted_terms(terms)
    }
    keys |= {(weights[i].rule_id, "", weights[i].criterion) for i in counted_weight_terms(weights)}
    return keys


def _favours(contributions: list[Contribution], state: ScoreState) -> list[str]:
    """The candidate(s) the counted points help most, relative to the others alive."""
    net = dict.fromkeys(state.alive(), 0.0)
    for c in contributions:
        if c.counted and c.candidate in net:
            net[c.candidate] += state.weights[c.criterion] * c.delta
    if not net or max(net.values()) - min(net.values()) < 1e-12:
        return []
    top = max(net.values())
    return [c for c, v in net.items() if v >= top - 1e-12]


def finding_of(
    outcome: RuleOutcome,
    state: ScoreState,
    leader: str | None,
    rival: str | None,
    counted: Counted | None = None,
) -> Finding:
    rule = outcome.rule
    factor = CONFIDENCE_FACTOR[rule.confidence]
    keys = counted if counted is not None else counted_keys(state)
    contributions = [
        Contribution(
            candidate=s.candidate,
            criterion=s.criterion,
            delta=round(s.delta * factor, 4),
            counted=(rule.id, s.candidate, s.criterion) in keys,
        )
        for s in rule.effects.scores
    ]
    impact = 0.0
    for c in contributions:
        if not c.counted:
            continue
        sign = 1.0 if c.candidate == leader else -1.0 if c.candidate == rival else 0.0
        impact += sign * state.weights[c.criterion] * c.delta
    for w in rule.effects.weights:
        if (rule.id, "", w.criterion) not in keys:
            continue  # the fact moves this weight through a stronger exposure
        if leader and rival:
            impact += w.delta * (state.raw[leader][w.criterion] - state.raw[rival][w.criterion])
    favours = _favours(contributions, state)
    counted_any = any(c.counted for c in contributions) or any(
        (rule.id, "", w.criterion) in keys for w in rule.effects.weights
    ) or not (contributions or rule.effects.weights)
    role: FindingRole
    if rule.effects.vetoes:
        role = "veto"
    elif rule.effects.advisory and not contributions and not rule.effects.weights:
        role = "advice"
    elif not contributions:
        role = "priority"
    elif not favours:
        role = "neutral"
    else:
        role = "for_leader" if leader in favours else "for_other"
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
        advisory=rule.effects.advisory,
        family=rule.fact,
        fact=rule.fact,
        claim=rule.claim,
        exposure=rule.exposure,
        counted=counted_any,
        role=role,
        favours=favours,
    )


def findings(
    outcomes: list[RuleOutcome], state: ScoreState, leader: str | None, rival: str | None
) -> list[Finding]:
    keys = counted_keys(state)
    found = [finding_of(o, state, leader, rival, keys) for o in outcomes if o.fired]
    confidence_rank = {"high": 0, "medium": 1, "low": 2}

    def order(f: Finding) -> tuple[bool, bool, float, int, str]:
        # vetoes, then reasons by impact, then advice (no impact) by confidence
        return (
            not f.vetoes,
            f.advice_only,
            -abs(f.impact),
            confidence_rank[f.confidence],
            f.rule_id,
        )

    return sorted(found, key=order)


def not_fired(outcomes: list[RuleOutcome]) -> list[NotFired]:
    return [
        NotFired(rule_id=o.rule.id, title=o.rule.title, failed=o.deciding_leaves())
        for o in outcomes
        if not o.fired
    ]


def vetoes(
    rulebook: Rulebook, state: ScoreState, exclude: Mapping[str, Veto] | None = None
) -> list[Veto]:
    """The rules' vetoes in this state (`exclude`: vetoes from elsewhere, such as path
    checks, that bring their own records)."""
    other = {c: (v.rule_id, v.reason) for c, v in (exclude or {}).items()}
    return [
        Veto(
            candidate=cand,
            reason=reason,
            rule_id=rid,
            sources=list(rulebook.rule_by_id[rid].sources),
        )
        for cand, (rid, reason) in state.vetoed.items()
        if rid in rulebook.rule_by_id and other.get(cand) != (rid, reason)
    ]


def weights(rulebook: Rulebook, state: ScoreState, facts: dict[str, object]) -> list[Weight]:
    base = state.base_weights
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
