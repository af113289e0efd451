"""Calibrated verdicts: facts and exposures, the uncertainty model, tiers, reasons, defaults that matter."""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
from pathlib import Path
from typing import Any

import pytest
import yaml

from fwadvisor.answers import GivenAnswer, resolve
from fwadvisor.errors import RulebookError
from fwadvisor.models import EvidenceDraw, EvidenceResult, Recommendation
from fwadvisor.pipeline import AdviceOptions, advise, fixed_evidence
from fwadvisor.records import dump, validate
from fwadvisor.rulebook.loader import load_rulebook
from fwadvisor.rulebook.model import Rulebook

NOW = dt.datetime(2026, 11, 27, tzinfo=dt.timezone.utc)
EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def run(
    book: Rulebook, evidence: EvidenceResult | None = None, seed: int = 0, **answers: object
) -> Recommendation:
    resolved = resolve(book, {k: GivenAnswer(value=v, origin="given") for k, v in answers.items()})
    return advise(
        book,
        resolved,
        options=AdviceOptions(seed=seed, now=NOW),
        evidence=fixed_evidence(evidence or EvidenceResult()),
    )


def _edit_rules(root: Path, edit: Any) -> Rulebook:
    """Edit the mini rulebook's rule entries (and, with a second parameter, its facts)."""
    path = root / "rules" / "core.yaml"
    data = yaml.safe_load(path.read_text())
    if edit.__code__.co_argcount == 2:
        edit(data["rules"], data["facts"])
    else:
        edit(data["rules"])
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    return load_rulebook(root)


def _rule(rules: list[dict[str, Any]], rid: str) -> dict[str, Any]:
    return next(r for r in rules if r["id"] == rid)


# -- facts and exposures ----------------------------------------------------------------------


def _low(facts: list[dict[str, Any]]) -> None:
    _rule(facts, "research-eager")["confidence"] = "low"  # so robustness is not 100%


def test_a_second_rule_applying_the_same_fact_changes_no_score(mini_copy: Path) -> None:
    def one(rules: list[dict[str, Any]], facts: list[dict[str, Any]]) -> None:
        _low(facts)

    def two(rules: list[dict[str, Any]], facts: list[dict[str, Any]]) -> None:
        one(rules, facts)
        rules.append({**_rule(rules, "research-eager"), "id": "research-eager-again"})

    single = run(_edit_rules(mini_copy, one), primary_goal="research")
    doubled = run(_edit_rules(mini_copy, two), primary_goal="research")
    assert {f.rule_id for f in doubled.findings} >= {"research-eager", "research-eager-again"}
    assert doubled.scores == single.scores
    assert doubled.ranking == single.ranking and doubled.margin == single.margin
    assert doubled.robustness.shares == single.robustness.shares  # one draw per fact
    assert (single.robustness.winner_share or 0) < 0.9
    # one of the twins is shown as counted once, not as a second reason
    shadowed = [f for f in doubled.findings if not f.counted]
    assert [f.role for f in shadowed] == ["neutral"] and shadowed[0].impact == 0
    assert all(f.fact == "research-eager" for f in doubled.findings if f.rule_id.startswith("research"))


def test_a_second_fact_does_add(mini_copy: Path) -> None:
    """The control for the test above: the same claim as a second fact adds (and `rules
    validate` refuses it, see tests/rulebook/test_structure.py)."""

    def two(rules: list[dict[str, Any]], facts: list[dict[str, Any]]) -> None:
        facts.append({**_rule(facts, "research-eager"), "id": "research-eager-again"})
        rules.append({**_rule(rules, "research-eager"), "id": "research-eager-again", "fact": "research-eager-again"})

    single = run(load_rulebook(mini_copy), primary_goal="research")
    doubled = run(_edit_rules(mini_copy, two), primary_goal="research")
    raw = doubled.scores["pytorch"]["research_flexibility"].raw
    assert raw == 2 * single.scores["pytorch"]["research_flexibility"].raw


def test_the_strongest_exposure_counts_whichever_rule_comes_first(mini_copy: Path) -> None:
    """Issue 17: a generic exposure must not silence a specific, stronger one."""

    def edit(rules: list[dict[str, Any]], facts: list[dict[str, Any]]) -> None:
        eager = _rule(rules, "research-eager")
        eager["exposure"] = "some"
        rules.append({**eager, "id": "research-eager-core", "exposure": "core",
                      "when": {"fact": "primary_goal", "op": "eq", "value": "research"}})

    book = _edit_rules(mini_copy, edit)
    research = run(book, primary_goal="research")
    assert research.scores["pytorch"]["research_flexibility"].raw == 2.0
    counted = {f.rule_id: f.counted for f in research.findings if f.fact == "research-eager"}
    assert counted == {"research-eager": False, "research-eager-core": True}
    both = run(book, primary_goal="both")  # only the generic exposure applies
    assert both.scores["pytorch"]["research_flexibility"].raw == 2.0 * 0.4


def test_exposure_scales_weights_too(mini_copy: Path) -> None:
    def edit(rules: list[dict[str, Any]]) -> None:
        _rule(rules, "tf-serving-estate")["exposure"] = "major"

    full = run(load_rulebook(mini_copy), primary_goal="production", existing_tf=True)
    major = run(_edit_rules(mini_copy, edit), primary_goal="production", existing_tf=True)
    moved = next(w for w in full.weights if w.criterion == "production_serving")
    moved_major = next(w for w in major.weights if w.criterion == "production_serving")
    assert moved_major.weight - moved_major.base == pytest.approx(0.7 * (moved.weight - moved.base))
    raw = major.scores["tensorflow"]["production_serving"].raw
    assert raw == pytest.approx(0.7 * full.scores["tensorflow"]["production_serving"].raw)


# -- the uncertainty model --------------------------------------------------------------------


def test_builtin_uncertainty_model_is_loaded_from_data() -> None:
    book = load_rulebook()
    data = yaml.safe_load((Path(book.origin) / "uncertainty.yaml").read_text())["uncertainty"]
    assert book.uncertainty.weight_spread == data["weight_spread"]
    assert book.uncertainty.effects["low"].absent == data["effects"]["low"]["absent"]
    assert book.uncertainty.verdict.clear.min_share == data["verdict"]["clear"]["min_share"]


@pytest.mark.parametrize(
    ("text", "field"),
    [
        ("weight_spread: 1.5", "weight_spread"),
        ("effects: {high: {spread: 0.1, absent: 0}}", "effects"),
        (
            "verdict: {clear: {min_share: 0.5, min_margin: 0.1}, leaning: {min_share: 0.6, min_margin: 0}}",
            "verdict",
        ),
    ],
)
def test_bad_uncertainty_file_names_the_field(mini_copy: Path, text: str, field: str) -> None:
    good = {
        "weight_spread": 0.5,
        "effects": {
            "high": {"spread": 0.2, "absent": 0},
            "medium": {"spread": 0.4, "absent": 0.1},
            "low": {"spread": 0.6, "absent": 0.4},
        },
        "evidence_sd_from_ci95": 1.96,
        "verdict": {
            "clear": {"min_share": 0.8, "min_margin": 0.1},
            "leaning": {"min_share": 0.6, "min_margin": 0.03},
        },
    }
    good.update(yaml.safe_load(text))
    (mini_copy / "uncertainty.yaml").write_text(
        yaml.safe_dump({"schema_version": 1, "uncertainty": good})
    )
    with pytest.raises(RulebookError) as err:
        load_rulebook(mini_copy)
    assert "uncertainty.yaml" in err.value.render() and field in err.value.render()


def test_robustness_is_seeded_and_reproducible(mini: Rulebook) -> None:
    a = run(mini, primary_goal="production", existing_tf=True, seed=3)
    b = run(mini, primary_goal="production", existing_tf=True, seed=3)
    assert a.robustness == b.robustness
    assert "rule effects by confidence" in a.robustness.method


def test_lead_on_one_low_confidence_fact_is_not_clear(mini_copy: Path) -> None:
    """The issue's case: a lead resting on one low-confidence fact used to read 'clear, 100%'."""

    def edit(rules: list[dict[str, Any]], facts: list[dict[str, Any]]) -> None:
        _low(facts)

    rec = run(_edit_rules(mini_copy, edit), primary_goal="research")
    assert rec.leader == "pytorch"
    assert rec.tier != "clear" and rec.winner is None
    share = rec.robustness.winner_share or 0
    assert 0.5 < share < 0.85  # absent in 40% of the samples: then a three-way tie
    assert "low" in rec.robustness.method and "absent 40%" in rec.robustness.method


def test_clear_needs_the_clear_margin_in_most_samples_not_only_at_the_point() -> None:
    """Every fired fact favours one side, so the leader wins nearly every sample; but the lead
    rests on medium-confidence facts and reaches the clear margin in too few samples."""
    book = load_rulebook()
    answers = yaml.safe_load((EXAMPLES / "browser_vision_widget.yaml").read_text())["answers"]
    # a long-lived widget: PyTorch's longevity facts join the browser one, all on one side
    # (LiteRT.js credits both candidates alike), so the point margin reaches the clear level
    answers["project_horizon"] = "long_term"
    rec = run(book, **answers)
    clear = book.uncertainty.verdict.clear
    assert all(
        len(f.favours) == 1 and f.favours[0] == rec.leader for f in rec.findings if f.favours
    )
    assert rec.margin >= clear.min_margin
    assert (rec.robustness.winner_share or 0) >= clear.min_share
    assert rec.robustness.clear_share is not None
    assert rec.robustness.clear_share < clear.min_share
    assert rec.tier == "leaning" and rec.winner is None


def test_three_candidates_get_shares(mini: Rulebook) -> None:
    rec = run(mini, primary_goal="research", deployment_targets=["none"])
    assert set(rec.robustness.shares) == {"pytorch", "tensorflow", "jax"}
    assert math.isclose(sum(rec.robustness.shares.values()), 1.0)


def _draw(log_ratio: float, half: float) -> EvidenceDraw:
    return EvidenceDraw(
        numerator="pytorch",
        denominator="tensorflow",
        log_ratio=log_ratio,
        log_ci95=(log_ratio - half, log_ratio + half),
        band=0.1,
        scale=1.0,
    )


def test_measured_edge_never_counts_against_its_framework(mini: Rulebook) -> None:
    """Problem 7: the old factor f+u in (-0.5, 2.5) could flip a measured edge."""
    tight = EvidenceResult(points={"pytorch": 1.0}, draws=[_draw(math.log(0.5), 0.04)])
    rec = run(mini, tight, primary_goal="production", deployment_targets=["none"])
    assert rec.leader == "pytorch"
    assert rec.robustness.winner_share == 1.0  # the edge is in every sample, with its sign


def test_wide_interval_makes_measured_lead_uncertain(mini: Rulebook) -> None:
    wide = EvidenceResult(points={"pytorch": 0.2}, draws=[_draw(math.log(0.8), 0.9)])
    rec = run(mini, wide, primary_goal="production", deployment_targets=["none"])
    assert rec.leader == "pytorch"
    assert (rec.robustness.winner_share or 0) < 0.8 and rec.tier != "clear"


# -- tiers ----------------------------------------------------------------------------------


def test_tie_is_a_close_call_said_plainly(mini: Rulebook) -> None:
    rec = run(mini, primary_goal="production", deployment_targets=["none"])
    assert rec.tier == "close_call" and rec.verdict == "no_clear_winner" and rec.winner is None
    assert "close call" in rec.summary and "no option is recommended" in rec.summary


def test_clear_tier_keeps_old_fields(mini: Rulebook) -> None:
    rec = run(mini, primary_goal="research")
    assert rec.tier == "clear" and rec.verdict == "clear" and rec.winner == "pytorch"
    assert rec.hinges_on == []


def test_leaning_says_what_it_hinges_on() -> None:
    book = load_rulebook()
    scenario = next(s for s in book.scenarios if s.tier == "leaning")
    resolved = resolve(book, {k: GivenAnswer(value=v, origin="given") for k, v in scenario.answers.items()})
    if scenario.candidates:
        resolved = dataclasses.replace(resolved, candidates=tuple(scenario.candidates))
    rec = advise(book, resolved, options=AdviceOptions(now=NOW))
    assert rec.tier == "leaning" and rec.winner is None and rec.leader
    assert rec.hinges_on and "Leaning to" in rec.summary and "hinges on" in rec.summary


def test_old_recommendation_without_tier_still_reads() -> None:
    book = load_rulebook(Path(__file__).parents[1] / "fixtures" / "mini_rules")
    rec = run(book, primary_goal="research")
    data = dump(rec, mode="json")
    for key in ("tier", "hinges_on", "defaults_that_matter"):
        data.pop(key)
    old = validate(Recommendation, data)
    assert old.tier is None and old.strength == "clear"


# -- reasons --------------------------------------------------------------------------------


def test_reasons_are_split_by_whom_they_favour(mini: Rulebook) -> None:
    rec = run(mini, primary_goal="both", existing_tf=True, deployment_targets=["none"])
    roles = {f.rule_id: (f.role, f.favours) for f in rec.findings}
    leader = rec.leader
    assert leader is not None
    for rid, (role, favours) in roles.items():
        if role == "for_leader":
            assert leader in favours, rid
        if role == "for_other":
            assert leader not in favours and favours, rid
    assert {r for r, _ in roles.values()} >= {"for_leader", "for_other"}


def test_weight_only_rule_is_a_priority_and_advice_is_advice_never_a_reason() -> None:
    book = load_rulebook()
    weight_only = {
        r.id
        for r in book.rules
        if r.effects.weights and not r.effects.scores and not r.effects.vetoes
    }
    advice_only = {
        r.id for r in book.rules if not (r.effects.weights or r.effects.scores or r.effects.vetoes)
    }
    assert weight_only and advice_only
    for scenario in book.scenarios:
        resolved = resolve(book, {k: GivenAnswer(value=v, origin="given") for k, v in scenario.answers.items()})
        if scenario.candidates:
            resolved = dataclasses.replace(resolved, candidates=tuple(scenario.candidates))
        rec = advise(book, resolved, options=AdviceOptions(counterfactuals=False, samples=50))
        for f in rec.findings:
            if f.rule_id in weight_only:
                assert f.role == "priority" and not f.favours, (scenario.name, f.rule_id)
            if f.rule_id in advice_only:
                assert f.role == "advice" and not f.favours, (scenario.name, f.rule_id)


# -- defaults that matter --------------------------------------------------------------------


def test_defaults_that_matter_lists_unanswered_questions_only(mini: Rulebook) -> None:
    rec = run(mini, primary_goal="both", deployment_targets=["none"])
    assert rec.defaults_that_matter
    given = {"primary_goal", "deployment_targets"}
    for c in rec.defaults_that_matter:
        assert c.default_answer and c.question_id not in given
    assert any(c.question_id == "existing_tf" for c in rec.defaults_that_matter)


def test_review_step_lists_defaults_at_stake(mini: Rulebook) -> None:
    from fwadvisor.cli.defaults_review import defaults_at_stake

    stake = defaults_at_stake(mini, {"primary_goal": "both", "deployment_targets": ["none"]})
    assert "existing_tf" in stake and "->" in stake["existing_tf"]
    assert "primary_goal" not in stake  # answered, not a default
