"""How robust the verdict is: the leader's share of wins under random weight perturbations.

Seeded and reproducible. Each criterion's weight is multiplied by an independent factor drawn
uniformly from [1 - spread, 1 + spread]; evidence points are drawn uniformly between zero and
twice their value (a measured edge may be smaller or larger than its point estimate).
"""

from __future__ import annotations

import random

from fwadvisor.models import Robustness
from fwadvisor.scoring.state import ScoreState

SPREAD = 0.5


def perturbation_shares(
    state: ScoreState,
    *,
    samples: int = 1000,
    seed: int = 0,
    measured: tuple[str, ...] = (),
    evidence_points: dict[str, float] | None = None,
) -> Robustness:
    alive = [c for c in state.totals if c not in state.vetoed]
    method = (
        f"weights x U({1 - SPREAD:g}, {1 + SPREAD:g}) per criterion"
        + ("; measured points x U(0, 2)" if evidence_points else "")
        + f"; {samples} samples, seed {seed}"
    )
    if len(alive) < 2:
        shares = dict.fromkeys(alive, 1.0)
        return Robustness(
            samples=0,
            seed=seed,
            method="one candidate left",
            winner_share=1.0 if alive else None,
            shares=shares,
        )
    rng = random.Random(seed)
    criteria = list(state.weights)
    wins = dict.fromkeys(alive, 0.0)
    base = {c: dict(state.raw[c]) for c in alive}
    points = evidence_points or {}
    for _ in range(samples):
        factors = [rng.uniform(1 - SPREAD, 1 + SPREAD) for _ in criteria]
        noise = {c: rng.uniform(-1.0, 1.0) for c in points}
        totals = {}
        for cand in alive:
            scores = base[cand]
            total = 0.0
            for k, f in zip(criteria, factors, strict=True):
                total += state.weights[k] * f * scores[k]
            if cand in points:
                for k in measured:
                    total += state.weights[k] * noise[cand] * points[cand]
            totals[cand] = total
        top = max(totals.values())
        tied = [c for c, t in totals.items() if t >= top - 1e-9]
        for cand in tied:  # a tie is nobody's win: split it
            wins[cand] += 1.0 / len(tied)
    shares = {c: wins[c] / samples for c in alive}
    leader = state.leader()
    return Robustness(
        samples=samples,
        seed=seed,
        method=method,
        winner_share=shares.get(leader) if leader else None,
        shares=shares,
    )
