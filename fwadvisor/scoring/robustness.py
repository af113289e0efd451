"""How robust the verdict is: each candidate's share of first places when everything uncertain
is drawn again together (seeded and reproducible).

In every sample, following the rulebook's uncertainty model (rules/uncertainty.yaml):
- each criterion's weight is multiplied by U(1 - weight_spread, 1 + weight_spread);
- each fired rule is left out with probability `absent` for its confidence, otherwise its
  points (and weight changes) are multiplied by U(1 - spread, 1 + spread): a positive factor,
  so a fact never turns against the candidate it favours; families still count only their
  strongest member;
- each measured ratio is drawn from a log-normal whose 95% interval is the probe's (widened
  when unstable), and scored like the real one: the faster side gets points outside the
  practical-significance band.
Vetoes are hard requirements and are not sampled.
"""

from __future__ import annotations

import math
import random

from fwadvisor.models import Robustness
from fwadvisor.rulebook.schema import UncertaintyModel
from fwadvisor.scoring.effects import combine_scores, combine_weights
from fwadvisor.scoring.evidence_result import EvidenceDraw, ratio_points
from fwadvisor.scoring.state import MAX_WEIGHT, ScoreState


def describe(model: UncertaintyModel, samples: int, seed: int, measured: bool) -> str:
    """The model in one line, for the reports."""
    eff = ", ".join(
        f"{c} x U({1 - e.spread:g}, {1 + e.spread:g})"
        + (f" and absent {e.absent:.0%}" if e.absent else "")
        for c, e in model.effects.items()
    )
    s = model.weight_spread
    line = f"weights x U({1 - s:g}, {1 + s:g}); rule effects by confidence: {eff}"
    if measured:
        line += "; measured ratios drawn from their 95% intervals"
    return line + f"; {samples} samples, seed {seed}"


def _evidence_points(
    draws: list[EvidenceDraw], rng: random.Random, sd_div: float
) -> dict[str, float]:
    points: dict[str, float] = {}
    for d in draws:
        lo, hi = d.log_ci95
        sd = max(hi - lo, 0.0) / 2 / sd_div
        ratio = math.exp(rng.gauss(d.log_ratio, sd)) if sd > 0 else math.exp(d.log_ratio)
        won = ratio_points(ratio, d.band) * d.scale
        if won:
            side = d.numerator if ratio < 1 else d.denominator
            points[side] = points.get(side, 0.0) + won
    return points


def perturbation_shares(
    state: ScoreState,
    model: UncertaintyModel,
    *,
    samples: int = 1000,
    seed: int = 0,
    draws: list[EvidenceDraw] | None = None,
) -> Robustness:
    alive = [c for c in state.totals if c not in state.vetoed]
    measured = bool(draws) and any(state.weights[k] > 0 for k in state.measured)
    if len(alive) < 2:
        return Robustness(
            samples=0,
            seed=seed,
            method="one candidate left",
            winner_share=1.0 if alive else None,
            shares=dict.fromkeys(alive, 1.0),
        )
    rng = random.Random(seed)
    criteria = list(state.weights)
    wins = dict.fromkeys(alive, 0.0)
    evidence = list(draws or [])
    for _ in range(samples):
        factors: dict[int, float] = {}
        for i, rule in enumerate(state.fired):
            e = model.effects[rule.confidence]
            present = e.absent == 0 or rng.random() >= e.absent
            factors[i] = rng.uniform(1 - e.spread, 1 + e.spread) if present else 0.0
        moved = combine_weights(state.base_weights, state.weight_terms, MAX_WEIGHT, factors)
        s = model.weight_spread
        weights = {k: moved[k] * rng.uniform(1 - s, 1 + s) for k in criteria}
        raw = combine_scores(state.score_terms, alive, criteria, factors)
        if evidence or state.evidence_points:
            points = (
                _evidence_points(evidence, rng, model.evidence_sd_from_ci95)
                if evidence
                else dict(state.evidence_points or {})  # points without intervals: as given
            )
            for cand, p in points.items():
                if cand in raw:
                    for k in state.measured:
                        raw[cand][k] += p
        totals = {c: sum(weights[k] * v for k, v in raw[c].items()) for c in alive}
        top = max(totals.values())
        tied = [c for c, t in totals.items() if t >= top - 1e-9]
        for cand in tied:  # a tie is nobody's win: split it
            wins[cand] += 1.0 / len(tied)
    shares = {c: wins[c] / samples for c in alive}
    leader = state.leader()
    return Robustness(
        samples=samples,
        seed=seed,
        method=describe(model, samples, seed, measured),
        winner_share=shares.get(leader) if leader else None,
        shares=shares,
    )
