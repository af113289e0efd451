"""The numeric heart of scoring: from fired rules (and evidence points) to ranked totals.

Kept free of explanation records so that counterfactuals and robustness can call it many
times cheaply; the pipeline builds the explained Recommendation around it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from fwadvisor.rulebook.model import Rulebook
from fwadvisor.rulebook.schema import Rule
from fwadvisor.scoring.effects import (
    ScoreTerm,
    WeightTerm,
    combine_scores,
    combine_weights,
    terms_of,
)

MAX_WEIGHT = 10.0


@dataclass(frozen=True)
class ScoreState:
    """The scores of one set of answers: weights, points per criterion, vetoes and totals."""

    weights: dict[str, float]  # criterion -> weight
    raw: dict[str, dict[str, float]]  # candidate -> criterion -> points
    vetoed: dict[str, tuple[str, str]]  # candidate -> (rule id, reason)
    totals: dict[str, float]
    base_weights: dict[str, float]  # before rules moved them
    fired: tuple[Rule, ...] = ()
    score_terms: tuple[ScoreTerm, ...] = ()
    weight_terms: tuple[WeightTerm, ...] = ()
    measured: tuple[str, ...] = ()
    evidence_points: dict[str, float] = field(default_factory=dict)

    @property
    def weight_sum(self) -> float:
        return sum(self.weights.values()) or 1.0

    def normalized(self, candidate: str) -> float:
        return self.totals[candidate] / self.weight_sum

    @cached_property
    def _ranked(self) -> tuple[list[str], list[str]]:
        """The ranking, and the candidates not vetoed in that order: sorted once per state
        (counterfactuals ask each of a hundred states for its leader and its margin)."""
        order = list(self.totals)
        ranked = sorted(order, key=lambda c: (c in self.vetoed, -self.totals[c], order.index(c)))
        return ranked, [c for c in ranked if c not in self.vetoed]

    def ranking(self) -> list[str]:
        """Candidates best first; vetoed ones last, in rulebook order among equals."""
        return list(self._ranked[0])

    def alive(self) -> list[str]:
        """The candidates not vetoed, best first."""
        return list(self._ranked[1])

    def leader(self) -> str | None:
        alive = self._ranked[1]
        return alive[0] if alive else None

    def runner_up(self) -> str | None:
        alive = self._ranked[1]
        return alive[1] if len(alive) > 1 else None

    def margin(self) -> float:
        lead, second = self.leader(), self.runner_up()
        if lead is None or second is None:
            return 0.0
        return self.normalized(lead) - self.normalized(second)


class Scorer:
    """`compute` for one rulebook, with what does not depend on the answers prepared once
    (the counterfactuals score about a hundred answer changes against the same rulebook)."""

    def __init__(self, rulebook: Rulebook, measured_criteria: Iterable[str] = ()) -> None:
        self.defaults = {c.id: float(c.default_weight) for c in rulebook.criteria}
        self.weight_questions = [(q.id, q.weight_for) for q in rulebook.questions if q.weight_for]
        self.candidates = [c.id for c in rulebook.candidates]
        self.measured = tuple(measured_criteria)

    def base_weights(self, facts: Mapping[str, Any]) -> dict[str, float]:
        """Default weights, replaced by the priority the user gave for a criterion."""
        weights = dict(self.defaults)
        for qid, criterion in self.weight_questions:
            if isinstance(facts.get(qid), (int, float)):
                weights[criterion] = float(facts[qid])
        return weights

    def compute(
        self,
        facts: Mapping[str, Any],
        fired: Iterable[Rule],
        evidence_points: Mapping[str, float],
    ) -> ScoreState:
        fired_rules = tuple(fired)
        base = self.base_weights(facts)
        score_terms, weight_terms = terms_of(fired_rules)
        weights = combine_weights(base, weight_terms, MAX_WEIGHT)
        raw = combine_scores(score_terms, self.candidates, weights)
        vetoed: dict[str, tuple[str, str]] = {}
        for rule in fired_rules:
            for v in rule.effects.vetoes:
                vetoed.setdefault(v.candidate, (rule.id, v.reason))
        for criterion in self.measured:
            for candidate, points in evidence_points.items():
                if candidate in raw:
                    raw[candidate][criterion] += points
        totals = {
            cand: sum(weights[k] * v for k, v in scores.items()) for cand, scores in raw.items()
        }
        return ScoreState(
            weights,
            raw,
            vetoed,
            totals,
            base,
            fired_rules,
            score_terms,
            weight_terms,
            self.measured,
            dict(evidence_points),
        )


def compute(
    rulebook: Rulebook,
    facts: Mapping[str, Any],
    fired: Iterable[Rule],
    evidence_points: Mapping[str, float],
    measured_criteria: Iterable[str] = (),
) -> ScoreState:
    return Scorer(rulebook, measured_criteria).compute(facts, fired, evidence_points)
