"""How robust the verdict is: each candidate's share of first places when everything uncertain
is drawn again together (seeded and reproducible).

In every sample, following the rulebook's uncertainty model (rules/uncertainty.yaml):
- each criterion's weight is multiplied by U(1 - weight_spread, 1 + weight_spread);
- each fired rule is left out with probability `absent` for its confidence, otherwise its
  points (and weight changes) are multiplied by U(1 - spread, 1 + spread): a positive factor,
  so a fact never turns against the candidate it favours. The rules of one fact share one
  draw (they state one fact), and still count only their strongest member;
- each measured ratio is drawn from a log-normal whose 95% interval is the probe's (widened
  when unstable), and scored like the real one: the faster side gets points outside the
  practical-significance band.
Vetoes are hard requirements and are not sampled.
"""

from __future__ import annotations

import math
import random

from fwadvisor.measurements.points import ratio_points
from fwadvisor.models import EvidenceDraw, Robustness
from fwadvisor.records import Record, record
from fwadvisor.rulebook.schema import UncertaintyModel
from fwadvisor.scoring.state import MAX_WEIGHT, ScoreState

MIN_SAMPLES = 1
"""The tier is read from the shares of the samples, so there is no verdict without one:
`recommend --samples 0` is refused as a usage error (exit 2) rather than given a tier that
no sampling supports."""
COARSE_SAMPLES = 100
"""Below this many samples a share moves in steps of more than 1%: the recommendation says so."""


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


Slot = int  # candidate index * number of criteria + criterion index
Members = list[tuple[int, float]]  # (fired rule index, points or delta)


@record
class _Plan(Record):
    """The score state flattened into lists and indexes, for computing samples in columns."""

    alive: list[str]
    criteria: list[str]
    rules: list[tuple[int, float, float, float, float]]
    """Per fired rule: (its draw: one per fact; absent; 1 - absent;
    1 - spread; 2 * spread)."""
    facts: int
    scores: list[tuple[int, Slot, float]]  # rules alone in applying their fact
    score_groups: list[tuple[Slot, Members]]
    weights: list[tuple[int, int, float]]
    weight_groups: list[tuple[int, Members]]
    base_weights: list[float]
    clamped_base: list[float]
    """Base weights kept in [0, MAX_WEIGHT]: the sample weight of a criterion no rule moves."""
    moved: list[int]  # criteria some fired rule moves: clamped after the rules' deltas
    measured: list[int]
    used: list[list[tuple[int, Slot]]]
    """Per candidate, the (criterion, slot) pairs that can hold points, in criterion order."""


def _plan(state: ScoreState, model: UncertaintyModel, alive: list[str]) -> _Plan:
    criteria = list(state.weights)
    k_of = {k: i for i, k in enumerate(criteria)}
    c_of = {c: i for i, c in enumerate(alive)}
    effects = [model.effects[r.confidence] for r in state.fired]
    fact_of: dict[str, int] = {}
    applied: dict[str, int] = {}  # fact -> how many fired rules apply it
    for r in state.fired:
        fact_of.setdefault(r.fact, len(fact_of))
        applied[r.fact] = applied.get(r.fact, 0) + 1
    scores: list[tuple[int, Slot, float]] = []
    score_groups: dict[tuple[str, Slot], Members] = {}
    for t in state.score_terms:
        if t.candidate not in c_of:
            continue
        slot = c_of[t.candidate] * len(criteria) + k_of[t.criterion]
        if applied[t.fact] == 1:
            scores.append((t.rule, slot, t.points))
        else:
            score_groups.setdefault((t.fact, slot), []).append((t.rule, t.points))
    weights: list[tuple[int, int, float]] = []
    weight_groups: dict[tuple[str, int], Members] = {}
    for w in state.weight_terms:
        if applied[w.fact] == 1:
            weights.append((w.rule, k_of[w.criterion], w.delta))
        else:
            weight_groups.setdefault((w.fact, k_of[w.criterion]), []).append((w.rule, w.delta))
    measured = [k_of[k] for k in state.measured if k in k_of]
    # A slot no term and no measurement can reach stays exactly 0.0 in every sample, and
    # adding weight * 0.0 (weights are never negative) leaves a float sum's value unchanged:
    # the totals skip those slots instead of multiplying zeros.
    reachable = {slot for _, slot, _ in scores} | {slot for _, slot in score_groups}
    reachable |= {ci * len(criteria) + k for ci in range(len(alive)) for k in measured}
    moved = sorted({k for _, k, _ in weights} | {k for _, k in weight_groups})
    return _Plan(
        alive=alive,
        criteria=criteria,
        rules=[
            (fact_of[r.fact], e.absent, 1 - e.absent, 1 - e.spread, 2 * e.spread)
            for i, (r, e) in enumerate(zip(state.fired, effects, strict=True))
        ],
        facts=len(fact_of),
        scores=scores,
        score_groups=[(slot, m) for (_, slot), m in score_groups.items()],
        weights=weights,
        weight_groups=[(k, m) for (_, k), m in weight_groups.items()],
        base_weights=[state.base_weights[k] for k in criteria],
        clamped_base=[min(MAX_WEIGHT, max(0.0, state.base_weights[k])) for k in criteria],
        moved=moved,
        measured=measured,
        used=[
            [
                (k, ci * len(criteria) + k)
                for k in range(len(criteria))
                if ci * len(criteria) + k in reachable
            ]
            for ci in range(len(alive))
        ],
    )


Column = list[float]  # one value per sample
CHUNK = 1000
"""Samples computed together, column by column (bounds the memory of large --samples)."""


def _strongest(members: Members, factors: list[Column]) -> Column:
    """Per sample, the member whose points (or delta) times its factor is largest in size
    (the first among equals; 0.0 when all are 0)."""
    values = [[value * f for f in factors[rule]] for rule, value in members]
    out = []
    for per_sample in zip(*values, strict=True):
        best = 0.0
        for v in per_sample:
            if abs(v) > abs(best):
                best = v
        out.append(best)
    return out


def _sum_columns(columns: list[Column], size: int) -> list[float]:
    """Per sample, sum() of the columns' values in column order (0 when there are none)."""
    return list(map(sum, zip(*columns, strict=True))) if columns else [0] * size


def _totals(
    plan: _Plan,
    model: UncertaintyModel,
    rng: random.Random,
    size: int,
    evidence: list[EvidenceDraw],
    fixed_extra: dict[str, float],
) -> tuple[list[Column], list[float]]:
    """`size` samples' totals (a column per candidate alive) and weight sums.

    Speed: computed a column at a time, each step one list comprehension over the samples,
    instead of the same steps inside a loop over samples. Per sample it is the same random
    numbers in the same order (the facts' uniforms, the weights', then the measured ratios'
    normal draws) and the same float operations in the same order:
    - each fact's uniform u: a rule is absent (0.0) below its `absent`, else its factor is
      the rest of u stretched onto U(1 - spread, 1 + spread); the rules of a fact share one u;
    - a weight: its base (plus the rules' deltas, strongest per fact, clamped to
      [0, MAX_WEIGHT]) times U(1 - weight_spread, 1 + weight_spread);
    - a candidate's criterion: 0.0 plus each term's points times its rule's factor, then
      each fact's strongest, then the measured points; the total is sum() over criteria of
      weight times points.
    """
    n = len(plan.criteria)
    per = plan.facts + n
    draw = rng.random
    extras: list[dict[str, float]] | None = None
    if evidence:  # the normal draws follow each sample's uniforms: draw sample by sample
        us: list[float] = []
        extras = []
        for _ in range(size):
            us += [draw() for _ in range(per)]
            extras.append(_evidence_points(evidence, rng, model.evidence_sd_from_ci95))
    else:
        us = [draw() for _ in range(size * per)]
    facts = [us[f::per] for f in range(plan.facts)]
    factors = [
        [0.0 if u < a else floor + span * ((u - a) / rest) for u in facts[f]]
        for f, a, rest, floor, span in plan.rules
    ]
    # U(1 - s, 1 + s) as Python evaluates `1 - s + 2 * s * u`: (1 - s) + (2 * s) * u
    low, width = 1 - model.weight_spread, 2 * model.weight_spread
    weights = []
    for k in range(n):
        if k in plan.moved:
            moved = [plan.base_weights[k]] * size
            for rule, criterion, delta in plan.weights:
                if criterion == k:
                    moved = [w + delta * f for w, f in zip(moved, factors[rule], strict=True)]
            for criterion, members in plan.weight_groups:
                if criterion == k:
                    best = _strongest(members, factors)
                    moved = [w + b for w, b in zip(moved, best, strict=True)]
            base = [min(MAX_WEIGHT, max(0.0, w)) for w in moved]
        else:
            base = [plan.clamped_base[k]] * size
        drawn = us[plan.facts + k :: per]
        weights.append([w * (low + width * u) for w, u in zip(base, drawn, strict=True)])
    zero = [0.0] * size
    raw: dict[Slot, Column] = {}
    for rule, slot, points in plan.scores:
        raw[slot] = [
            r + points * f for r, f in zip(raw.get(slot, zero), factors[rule], strict=True)
        ]
    for slot, members in plan.score_groups:
        best = _strongest(members, factors)
        raw[slot] = [r + b for r, b in zip(raw.get(slot, zero), best, strict=True)]
    if extras is not None or fixed_extra:  # points without intervals (no draws): as given
        for ci, cand in enumerate(plan.alive):
            for k in plan.measured:
                slot = ci * n + k
                if extras is None:
                    e = fixed_extra.get(cand, 0.0)
                    raw[slot] = [r + e for r in raw.get(slot, zero)]
                else:
                    per_sample = zip(raw.get(slot, zero), extras, strict=True)
                    raw[slot] = [r + x.get(cand, 0.0) for r, x in per_sample]
    totals = [
        _sum_columns(
            [
                [w * r for w, r in zip(weights[k], raw.get(slot, zero), strict=True)]
                for k, slot in used
            ],
            size,
        )
        for used in plan.used
    ]
    return totals, _sum_columns(weights, size)


def perturbation_shares(
    state: ScoreState,
    model: UncertaintyModel,
    *,
    samples: int = 1000,
    seed: int = 0,
    draws: list[EvidenceDraw] | None = None,
) -> Robustness:
    """Each candidate's share of first places, and the share of samples in which the
    leader wins by at least the clear margin (points per unit of the sample's weights)."""
    if samples < MIN_SAMPLES:
        raise ValueError(f"robustness needs at least {MIN_SAMPLES} sample, got {samples}")
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
    plan = _plan(state, model, alive)
    wins = [0.0] * len(alive)
    leader = state.leader()
    lead_ci = alive.index(leader) if leader in alive else 0
    clear_margin = model.verdict.clear.min_margin
    clear_wins = 0
    beaten = [0] * len(alive)
    evidence = list(draws or [])
    fixed_extra = dict(state.evidence_points)
    others = [ci for ci in range(len(alive)) if ci != lead_ci]
    for start in range(0, samples, CHUNK):
        size = min(CHUNK, samples - start)
        columns, weight_sums = _totals(plan, model, rng, size, evidence, fixed_extra)
        for totals, weight_sum in zip(zip(*columns, strict=True), weight_sums, strict=True):
            top = max(totals)
            tied = [ci for ci, t in enumerate(totals) if t >= top - 1e-9]
            if len(tied) == 1:
                wins[tied[0]] += 1.0
            else:
                for ci in tied:  # a tie is nobody's win: split it
                    wins[ci] += 1.0 / len(tied)
            lead_total = totals[lead_ci]
            for ci, t in enumerate(totals):
                if lead_total > t + 1e-9:
                    beaten[ci] += 1
            rest = totals[others[0]] if len(others) == 1 else max([totals[ci] for ci in others])
            if (lead_total - rest) / (weight_sum or 1.0) >= clear_margin:
                clear_wins += 1
    shares = {c: wins[ci] / samples for ci, c in enumerate(alive)}
    return Robustness(
        samples=samples,
        seed=seed,
        method=describe(model, samples, seed, measured),
        winner_share=shares.get(leader) if leader else None,
        shares=shares,
        beats={c: beaten[ci] / samples for ci, c in enumerate(alive) if ci != lead_ci},
        clear_share=clear_wins / samples,
    )
