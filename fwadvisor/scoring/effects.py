"""Rule effects as terms, and how they combine: each fact counts once, at its strongest exposure.

A fact (one claim, written once) may be applied by several rules, each with the team's
exposure to it; a rule's points are the fact's points times its exposure. Adding them would
count the fact several times, so on each candidate's criterion (and each weight) only the
strongest applying exposure counts. The rules of one fact carry proportional effects, so the
same rule is the strongest on every criterion: a specific exposure is never silenced by a
generic, weaker one, and repeating a rule of a fact is exactly a no-op.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import NamedTuple

from fwadvisor.rulebook.schema import CONFIDENCE_FACTOR, Rule


class ScoreTerm(NamedTuple):
    """One fired rule's points on one candidate's criterion (after its confidence factor and
    exposure).

    A named tuple rather than a frozen dataclass: built anew for every answer change the
    counterfactuals try, and a tuple is several times cheaper to build."""

    rule: int  # index among the fired rules, so samples can draw one factor per rule
    rule_id: str
    fact: str
    candidate: str
    criterion: str
    points: float


class WeightTerm(NamedTuple):
    """One fired rule's move of a criterion's weight (a named tuple, as ScoreTerm)."""

    rule: int
    rule_id: str
    fact: str
    criterion: str
    delta: float


def terms_of(fired: Sequence[Rule]) -> tuple[tuple[ScoreTerm, ...], tuple[WeightTerm, ...]]:
    scores = tuple(
        ScoreTerm(
            i, r.id, r.fact, s.candidate, s.criterion, s.delta * CONFIDENCE_FACTOR[r.confidence]
        )
        for i, r in enumerate(fired)
        for s in r.effects.scores
    )
    weights = tuple(
        WeightTerm(i, r.id, r.fact, w.criterion, w.delta)
        for i, r in enumerate(fired)
        for w in r.effects.weights
    )
    return scores, weights


def counted_terms(terms: Iterable[ScoreTerm]) -> set[int]:
    """Positions (in `terms`) of the terms that count: per fact, candidate and criterion the
    strongest one (the first among equals)."""
    best: dict[tuple[str, str, str], tuple[float, int]] = {}
    for pos, t in enumerate(terms):
        key = (t.fact, t.candidate, t.criterion)
        if key not in best or abs(t.points) > best[key][0]:
            best[key] = (abs(t.points), pos)
    return {pos for _, pos in best.values()}


def counted_weight_terms(terms: Iterable[WeightTerm]) -> set[int]:
    """Positions of the weight terms that count: per fact and criterion the strongest one."""
    best: dict[tuple[str, str], tuple[float, int]] = {}
    for pos, t in enumerate(terms):
        key = (t.fact, t.criterion)
        if key not in best or abs(t.delta) > best[key][0]:
            best[key] = (abs(t.delta), pos)
    return {pos for _, pos in best.values()}


def combine_scores(
    terms: Sequence[ScoreTerm],
    candidates: Iterable[str],
    criteria: Iterable[str],
    factors: Mapping[int, float] | None = None,
) -> dict[str, dict[str, float]]:
    """candidate -> criterion -> points; `factors` scales each rule (0 leaves it out)."""
    crits = list(criteria)
    raw = {c: dict.fromkeys(crits, 0.0) for c in candidates}
    fact_best: dict[tuple[str, str, str], float] = {}
    for t in terms:
        points = t.points * (factors[t.rule] if factors is not None else 1.0)
        if t.candidate not in raw:
            continue
        key = (t.fact, t.candidate, t.criterion)
        if abs(points) > abs(fact_best.get(key, 0.0)):
            fact_best[key] = points
    for (_, cand, crit), points in fact_best.items():
        raw[cand][crit] += points
    return raw


def combine_weights(
    base: Mapping[str, float],
    terms: Sequence[WeightTerm],
    limit: float,
    factors: Mapping[int, float] | None = None,
) -> dict[str, float]:
    """Base weights moved by rules (strongest per fact and criterion), kept in [0, limit]."""
    weights = dict(base)
    fact_best: dict[tuple[str, str], float] = {}
    for t in terms:
        delta = t.delta * (factors[t.rule] if factors is not None else 1.0)
        key = (t.fact, t.criterion)
        if abs(delta) > abs(fact_best.get(key, 0.0)):
            fact_best[key] = delta
    for (_, crit), delta in fact_best.items():
        weights[crit] += delta
    return {k: min(limit, max(0.0, v)) for k, v in weights.items()}
