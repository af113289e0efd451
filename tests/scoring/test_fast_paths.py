"""The fast paths of scoring give exactly what the plain computations give.

- answer counterfactuals resolve a changed answer without a full `resolve`: same values, same
  key order, for every change every example tries;
- robustness samples run in columns: same shares as a plain sampler built from
  `combine_weights` and `combine_scores`, drawing the same random numbers in the same order;
- rules re-fire through prepared predicates: same result as `holds`.
"""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import pytest

from fwadvisor.answers import (
    Baseline,
    GivenAnswer,
    ResolvedAnswers,
    baseline,
    load_answers,
    resolve,
)
from fwadvisor.models import EvidenceDraw, Robustness
from fwadvisor.pipeline import evidence_for
from fwadvisor.rulebook.engine import evaluate
from fwadvisor.rulebook.evaluate import holds, predicate
from fwadvisor.rulebook.model import Rulebook
from fwadvisor.rulebook.restrict import default_comparison, restrict
from fwadvisor.rulebook.schema import UncertaintyModel
from fwadvisor.scoring.counterfactuals import _alternatives
from fwadvisor.scoring.effects import combine_scores, combine_weights
from fwadvisor.scoring.robustness import CHUNK, _evidence_points, perturbation_shares
from fwadvisor.scoring.state import MAX_WEIGHT, ScoreState, compute
from tests.measurements.helpers import full_probe

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = sorted((ROOT / "examples").glob("*.yaml"))
THREE = "pytorch,tensorflow,jax"


def _restricted(book: Rulebook, answers: ResolvedAnswers) -> Rulebook:
    return restrict(book, answers.candidates or default_comparison(book))


def _items(values: dict[str, Any]) -> str:
    return repr(list(values.items()))


def _same(quick: ResolvedAnswers, full: ResolvedAnswers) -> bool:
    """The same answers in the same order, with the same origins and skipped answers."""
    return (_items(quick.values), quick.origins, quick.ignored) == (
        _items(full.values),
        full.origins,
        full.ignored,
    )


def _changed(rb: Rulebook, base: Baseline, q_id: str, alt: Any) -> ResolvedAnswers:
    given = {**base.given, q_id: GivenAnswer(value=alt, origin="counterfactual")}
    return resolve(rb, given, strict=False, base=base)


@pytest.mark.parametrize("example", EXAMPLES, ids=[p.stem for p in EXAMPLES])
def test_changed_answers_resolve_as_resolve_does(book: Rulebook, example: Path) -> None:
    answers = load_answers(book, example, [], use_env=False)
    rb = _restricted(book, answers)
    base = baseline(rb, answers)
    assert base.exact  # the examples take the quick path
    tried = 0
    for q in rb.questions:
        if q.id not in answers.values and q.ask_if is not None:
            continue
        for alt in _alternatives(q, answers.values.get(q.id)):
            given = {**base.given, q.id: GivenAnswer(value=alt, origin="counterfactual")}
            expected = resolve(rb, given, strict=False)
            assert _same(resolve(rb, given, strict=False, base=base), expected), (q.id, alt)
            tried += 1
    assert tried > 20


def test_some_changes_show_or_hide_other_questions(book: Rulebook) -> None:
    """The comparison above covers skip logic, not only single replaced answers."""
    moved = 0
    for example in EXAMPLES:
        answers = load_answers(book, example, [], use_env=False)
        rb = _restricted(book, answers)
        base = baseline(rb, answers)
        for q in rb.questions:
            if q.id in answers.values:
                for alt in _alternatives(q, answers.values[q.id]):
                    keys = set(_changed(rb, base, q.id, alt).values) ^ set(answers.values)
                    moved += bool(keys - {q.id})
    assert moved > 10


def test_answers_that_are_not_a_fixed_point_take_the_full_resolve(book: Rulebook) -> None:
    answers = load_answers(book, ROOT / "examples" / "default.yaml", [], use_env=False)
    scale = next(q for q in book.questions if q.kind == "scale" and q.id in answers.values)
    odd = ResolvedAnswers(
        values={**answers.values, scale.id: float(answers.values[scale.id])}, origins=answers.origins
    )
    base = baseline(book, odd)
    assert not base.exact  # 3.0 resolves to 3: not the answers given
    q = next(q for q in book.questions if q.kind == "multi" and q.id in odd.values)
    alt = next(iter(_alternatives(q, odd.values[q.id])))
    expected = resolve(book, {**base.given, q.id: GivenAnswer(value=alt, origin="x")}, strict=False)
    assert _same(_changed(book, base, q.id, alt), expected)


def _plain_shares(
    state: ScoreState,
    model: UncertaintyModel,
    samples: int,
    seed: int,
    draws: list[EvidenceDraw],
) -> tuple[dict[str, float], dict[str, float], float]:
    """The sampler written plainly: dicts, every criterion summed, the same draws in order."""
    alive = [c for c in state.totals if c not in state.vetoed]
    criteria = list(state.weights)
    rng = random.Random(seed)
    fact_of: dict[str, int] = {}
    for r in state.fired:
        fact_of.setdefault(r.fact, len(fact_of))
    leader = state.leader()
    wins = dict.fromkeys(alive, 0.0)
    beaten = dict.fromkeys(alive, 0)
    clear = 0
    s = model.weight_spread
    for _ in range(samples):
        us = [rng.random() for _ in range(len(fact_of))]
        factors = {}
        for i, r in enumerate(state.fired):
            e, u = model.effects[r.confidence], us[fact_of[r.fact]]
            absent = u < e.absent
            factors[i] = (
                0.0 if absent else 1 - e.spread + 2 * e.spread * ((u - e.absent) / (1 - e.absent))
            )
        moved = combine_weights(state.base_weights, state.weight_terms, MAX_WEIGHT, factors)
        weights = {k: moved[k] * (1 - s + 2 * s * rng.random()) for k in criteria}
        raw = combine_scores(state.score_terms, alive, criteria, factors)
        if draws or state.evidence_points:
            extra = (
                _evidence_points(draws, rng, model.evidence_sd_from_ci95)
                if draws
                else dict(state.evidence_points or {})
            )
            for c in alive:
                for k in state.measured:
                    if k in raw[c]:
                        raw[c][k] += extra.get(c, 0.0)
        totals = {c: sum(weights[k] * raw[c][k] for k in criteria) for c in alive}
        top = max(totals.values())
        tied = [c for c in alive if totals[c] >= top - 1e-9]
        for c in tied:
            wins[c] += 1.0 / len(tied)
        lead = totals[leader or alive[0]]
        for c in alive:
            beaten[c] += lead > totals[c] + 1e-9
        rest = max(t for c, t in totals.items() if c != (leader or alive[0]))
        clear += (lead - rest) / (sum(weights.values()) or 1.0) >= model.verdict.clear.min_margin
    lead_c = leader or alive[0]
    return (
        {c: w / samples for c, w in wins.items()},
        {c: b / samples for c, b in beaten.items() if c != lead_c},
        clear / samples,
    )


def _cases(book: Rulebook) -> list[tuple[str, ScoreState, list[EvidenceDraw]]]:
    out = []
    probe = full_probe(pt=1e-3, tf=2e-3)
    for example in EXAMPLES:
        for cands, probes in ((None, []), (THREE, [probe])):
            answers = load_answers(book, example, [], use_env=False, candidates=cands)
            rb = _restricted(book, answers)
            found = evidence_for(rb, probes)(answers.values)
            facts = {**answers.values, **found.facts}
            fired = [o.rule for o in evaluate(rb, facts) if o.fired]
            measured = tuple(c.id for c in rb.criteria if c.measured)
            state = compute(rb, facts, fired, found.points, measured)
            out.append((f"{example.stem}-{cands or 'default'}", state, list(found.draws)))
    return out


def test_robustness_matches_the_plain_sampler(book: Rulebook) -> None:
    checked = 0
    for name, state, draws in _cases(book):
        alive = [c for c in state.totals if c not in state.vetoed]
        if len(alive) < 2:
            continue
        got: Robustness = perturbation_shares(
            state, book.uncertainty, samples=200, seed=3, draws=draws
        )
        shares, beats, clear = _plain_shares(state, book.uncertainty, 200, 3, draws)
        assert (got.shares, got.beats, got.clear_share) == (shares, beats, clear), name
        checked += 1
    assert checked > 20


def test_predicates_hold_where_conditions_hold(book: Rulebook) -> None:
    """predicate(c)(facts) == holds(c, facts) for every rule and skip condition, on every
    example's answers and on every answer change the counterfactuals try."""
    conditions = [r.when for r in book.rules] + [q.ask_if for q in book.questions if q.ask_if]
    checks = [(c, predicate(c)) for c in conditions]
    fired = 0
    for example in EXAMPLES:
        answers = load_answers(book, example, [], use_env=False)
        base = baseline(book, answers)
        fact_sets = [answers.values, {}]
        for q in book.questions:
            if q.id in answers.values:
                alts = _alternatives(q, answers.values[q.id])
                fact_sets += [_changed(book, base, q.id, alt).values for alt in alts]
        for facts in fact_sets:
            for cond, check in checks:
                assert check(facts) == holds(cond, facts)
                fired += check(facts)
    assert fired > 1000


def test_robustness_over_several_chunks_matches_the_plain_sampler(book: Rulebook) -> None:
    """More samples than one chunk (and a part chunk at the end): the draws run on."""
    name, state, draws = next(c for c in _cases(book) if c[2])  # with measured ratios
    samples = CHUNK + CHUNK // 2 + 1
    got = perturbation_shares(state, book.uncertainty, samples=samples, seed=11, draws=draws)
    shares, beats, clear = _plain_shares(state, book.uncertainty, samples, 11, draws)
    assert (got.shares, got.beats, got.clear_share) == (shares, beats, clear), name
