from __future__ import annotations

import datetime as dt

from fwadvisor.answers import GivenAnswer, resolve
from fwadvisor.models import EvidenceResult, Recommendation
from fwadvisor.pipeline import AdviceOptions, advise, fixed_evidence
from fwadvisor.records import dump_json, validate_json
from fwadvisor.rulebook.model import Rulebook

NOW = dt.datetime(2026, 11, 27, tzinfo=dt.timezone.utc)


def run(
    book: Rulebook, evidence: EvidenceResult | None = None, seed: int = 0, **answers: object
) -> Recommendation:
    resolved = resolve(book, {k: GivenAnswer(value=v, origin="test") for k, v in answers.items()})
    evidence_of = fixed_evidence(evidence or EvidenceResult())
    return advise(book, resolved, options=AdviceOptions(seed=seed, now=NOW), evidence=evidence_of)


def test_research_team_gets_pytorch_with_reasons(mini: Rulebook) -> None:
    rec = run(mini, primary_goal="research", project_name="Lab")
    assert rec.verdict == "clear" and rec.winner == "pytorch"
    assert rec.project == "Lab"
    top = rec.findings[0]
    assert top.rule_id == "research-eager" and top.sources and top.as_of
    assert top.because[0].fact == "primary_goal" and top.because[0].actual == "research"
    assert top.impact > 0
    assert rec.scores["pytorch"]["research_flexibility"].weighted == 6.0
    assert rec.provenance.rule_count == 5 and rec.provenance.rulebook_hash == mini.content_hash


def test_priority_answer_sets_weight(mini: Rulebook) -> None:
    rec = run(mini, primary_goal="research", priority_research_flexibility=5)
    w = next(w for w in rec.weights if w.criterion == "research_flexibility")
    assert (w.weight, w.base, w.from_question) == (5.0, 5.0, "priority_research_flexibility")


def test_rule_weight_effect_and_confidence_factor(mini: Rulebook) -> None:
    rec = run(mini, primary_goal="production", existing_tf=True, deployment_targets=["none"])
    w = next(w for w in rec.weights if w.criterion == "production_serving")
    assert w.weight == 4.0 and w.rule_delta == 1.0
    # medium confidence scales the +3 by 0.7
    assert rec.scores["tensorflow"]["production_serving"].raw == 2.1
    assert rec.winner == "tensorflow"


def test_veto_removes_candidate_with_reason(mini: Rulebook) -> None:
    rec = run(mini, primary_goal="research", deployment_targets=["mobile_android"])
    assert [v.candidate for v in rec.vetoes] == ["jax"]
    assert rec.vetoes[0].rule_id == "jax-no-mobile" and rec.vetoes[0].sources
    assert rec.ranking[-1].candidate == "jax" and rec.ranking[-1].vetoed
    assert "jax" not in rec.robustness.shares
    assert rec.findings[0].vetoes == ["jax"]  # vetoes are listed first


def test_tie_is_no_clear_winner_and_splits_robustness(mini: Rulebook) -> None:
    rec = run(mini, primary_goal="production", deployment_targets=["none"])
    assert rec.verdict == "no_clear_winner" and rec.winner is None
    assert rec.margin == 0
    assert abs(sum(rec.robustness.shares.values()) - 1) < 1e-9
    assert max(rec.robustness.shares.values()) < 0.5
    assert "No clear winner" in rec.summary


def test_robustness_is_seeded(mini: Rulebook) -> None:
    a = run(mini, primary_goal="both", existing_tf=True, seed=3)
    b = run(mini, primary_goal="both", existing_tf=True, seed=3)
    assert a.robustness == b.robustness and a.robustness.samples == 1000


def test_weight_counterfactual_really_flips(mini: Rulebook) -> None:
    rec = run(mini, primary_goal="both", existing_tf=True, deployment_targets=["none"])
    flips = [c for c in rec.counterfactuals if c.kind == "weight"]
    assert flips
    leader = rec.leader
    for c in flips:
        assert c.criterion and c.to_weight is not None
        # apply the suggested weight a little past the threshold and recompute totals
        weights = {w.criterion: w.weight for w in rec.weights}
        step = 0.01 if c.to_weight > weights[c.criterion] else -0.01
        weights[c.criterion] = c.to_weight + step
        totals = {
            cand: sum(weights[k] * s.raw for k, s in per.items())
            for cand, per in rec.scores.items()
        }
        assert totals[c.new_winner or ""] > totals[leader or ""]


def test_answer_counterfactual_really_flips(mini: Rulebook) -> None:
    rec = run(mini, primary_goal="both", existing_tf=True, deployment_targets=["none"])
    assert rec.leader == "tensorflow"
    flips = [c for c in rec.counterfactuals if c.kind == "answer"]
    assert any(c.question_id == "primary_goal" and c.to_value == "research" for c in flips)
    for c in flips:
        answers = {a.question_id: a.value for a in rec.answers if a.origin == "given"}
        answers[c.question_id or ""] = c.to_value
        assert run(mini, **answers).leader == c.new_winner != rec.leader


def test_answer_that_erases_a_clear_lead_is_reported(mini: Rulebook) -> None:
    rec = run(mini, primary_goal="research", deployment_targets=["none"])
    assert rec.verdict == "clear"
    unclear = [c for c in rec.counterfactuals if c.outcome == "no_clear_winner"]
    assert any(c.question_id == "primary_goal" and c.to_value == "production" for c in unclear)


def test_paths_prefer_hybrid_when_ranked_first(mini: Rulebook) -> None:
    rec = run(
        mini,
        primary_goal="production",
        existing_tf=True,
        deployment_targets=["browser", "mobile_android"],
    )
    assert rec.winner == "tensorflow"
    browser = next(p for p in rec.paths if p.target == "browser")
    assert browser.kind == "hybrid" and browser.path_id == "tf-browser-onnx"
    assert any("no deployment path for Android with tensorflow" in n for n in rec.notes)


def test_probe_facts_and_points_feed_scores(mini: Rulebook) -> None:
    evidence = EvidenceResult(
        points={"tensorflow": 2.0},
        facts={"probe.gpu_present": True, "probe.torch_compile_ok": True},
    )
    rec = run(mini, evidence, primary_goal="production", deployment_targets=["none"])
    assert any(f.rule_id == "gpu-probe" for f in rec.findings)
    assert rec.scores["tensorflow"]["measured_performance"].raw == 2.0
    # points without evidence items: nothing to show, so the report says no probe file was given
    assert any("No probe evidence" in n for n in rec.notes)


def test_json_roundtrip(mini: Rulebook) -> None:
    rec = run(mini, primary_goal="research")
    assert validate_json(Recommendation, dump_json(rec)) == rec
