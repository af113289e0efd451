"""Rule effects as terms, and how they combine: within a family, the strongest counts.

A family is one underlying fact stated by several rules (for example the LLM ecosystem seen
from several angles). Adding their points would count the fact several times, so on each
candidate's criterion (and each weight) only the member with the largest effect counts;
rules without a family simply add. Strongest-wins rather than saturation: it needs no extra
parameter, it keeps the best-evidenced statement of the fact, and repeating a rule inside its
family is then exactly a no-op.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import NamedTuple

from fwadvisor.rulebook.schema import CONFIDENCE_FACTOR, Rule


class ScoreTerm(NamedTuple):
    """One fired rule's points on one candidate's criterion (after its confidence factor).

    A named tuple rather than a frozen dataclass: built anew for every answer change the
    counterfactuals try, and a tuple is several times cheaper to build."""

    rule: int  # index among the fired rules, so samples can draw one factor per rule
    rule_id: str
    family: str | None
    candidate: str
    criterion: str
    points: float


class WeightTerm(NamedTuple):
    """One fired rule's move of a criterion's weight (a named tuple, as ScoreTerm)."""

    rule: int
    rule_id: str
    family: str | None
    criterion: str
    delta: float


def terms_of(fired: Sequence[Rule]) -> tuple[tuple[ScoreTerm, ...], tuple[WeightTerm, ...]]:
    scores = tuple(
        ScoreTerm(
            i, r.id, r.family, s.candidate, s.criterion, s.delta * CONFIDENCE_FACTOR[r.confidence]
        )
        for i, r in enumerate(fired)
        for s in r.effects.scores
    )
    weights = tuple(
        WeightTerm(i, r.id, r.family, w.criterion, w.delta)
        for i, r in enumerate(fired)
        for w in r.effects.weights
    )
    return scores, weights


def counted_terms(terms: Iterable[ScoreTerm]) -> set[int]:
    """Positions (in `terms`) of the terms that count: all non-family terms, and per family,
    candidate and criterion the strongest one (the first among equals)."""
    best: dict[tuple[str, str, str], tuple[float, int]] = {}
    counted: set[int] = set()
    for pos, t in enumerate(terms):
        if t.family is None:
            counted.add(pos)
            continue
        key = (t.family, t.candidate, t.criterion)
        if key not in best or abs(t.points) > best[key][0]:
            best[key] = (abs(t.points), pos)
    counted.update(pos for _, pos in best.values())
    return counted


def combine_scores(
    terms: Sequence[ScoreTerm],
    candidates: Iterable[str],
    criteria: Iterable[str],
    factors: Mapping[int, float] | None = None,
) -> dict[str, dict[str, float]]:
    """candidate -> criterion -> points; `factors` scales each rule (0 leaves it out)."""
    crits = list(criteria)
    raw = {c: dict.fromkeys(crits, 0.0) for c in candidates}
    family_best: dict[tuple[str, str, str], float] = {}
    for t in terms:
        points = t.points * (factors[t.rule] if factors is not None else 1.0)
        if t.candidate not in raw:
            continue
        if t.family is None:
            raw[t.candidate][t.criterion] += points
        else:
            key = (t.family, t.candidate, t.criterion)
            if abs(points) > abs(family_best.get(key, 0.0)):
                family_best[key] = points
    for (_, cand, crit), points in family_best.items():
        raw[cand][crit] += points
    return raw


def combine_weights(
    base: Mapping[str, float],
    terms: Sequence[WeightTerm],
    limit: float,
    factors: Mapping[int, float] | None = None,
) -> dict[str, float]:
    """Base weights moved by rules (strongest per family and criterion), kept in [0, limit]."""
    weights = dict(base)
    family_best: dict[tuple[str, str], float] = {}
    for t in terms:
        delta = t.delta * (factors[t.rule] if factors is not None else 1.0)
        if t.family is None:
            weights[t.criterion] += delta
        else:
            key = (t.family, t.criterion)
            if abs(delta) > abs(family_best.get(key, 0.0)):
                family_best[key] = delta
    for (_, crit), delta in family_best.items():
        weights[crit] += delta
    return {k: min(limit, max(0.0, v)) for k, v in weights.items()}
