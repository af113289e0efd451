"""Advice that moves no score, facts and their rules, and guarded deployment paths."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError

from fwadvisor.answers import load_answers
from fwadvisor.errors import RulebookError
from fwadvisor.models import Recommendation
from fwadvisor.pipeline import AdviceOptions, advise
from fwadvisor.records import validate
from fwadvisor.report import text_report
from fwadvisor.rulebook.loader import load_rulebook
from fwadvisor.rulebook.model import Rulebook
from fwadvisor.rulebook.schema import Effects, RuleEntry, exposure_value

ROOT = Path(__file__).resolve().parents[2]
FAST = AdviceOptions(samples=50, counterfactuals=False)


def _advise(book: Rulebook, example: str, *sets: str) -> Recommendation:
    answers = load_answers(book, ROOT / "examples" / f"{example}.yaml", list(sets), use_env=False)
    return advise(book, answers, options=FAST)


def test_effects_need_something_and_advice_alone_is_enough() -> None:
    with pytest.raises(ValueError, match="at least one effect"):
        Effects()
    with pytest.raises(ValidationError, match="at least one effect"):
        validate(Effects, {})
    assert Effects(advisory="Consider JAX.").advisory == "Consider JAX."


def test_rule_entry_names_its_fact_by_kebab_id_and_an_exposure() -> None:
    base = {
        "id": "x-rule",
        "fact": "same-fact",
        "exposure": "some",
        "when": {"fact": "primary_goal", "op": "eq", "value": "research"},
    }
    entry = validate(RuleEntry, base)
    assert entry.fact == "same-fact" and exposure_value(entry.exposure) == 0.4
    assert exposure_value(validate(RuleEntry, {**base, "exposure": 0.25}).exposure) == 0.25
    for bad in ({"fact": "Not A Fact"}, {"exposure": 0}, {"exposure": "often"}, {"family": "x"}):
        with pytest.raises(ValidationError):
            validate(RuleEntry, {**base, **bad})


def test_advice_moves_no_score_and_is_never_a_reason(book: Rulebook) -> None:
    plain = _advise(book, "default")
    advised = _advise(book, "default", "team_expertise=jax", "existing_codebase=jax")
    finding = next(f for f in advised.findings if f.rule_id == "jax-team-or-code")
    assert finding.advice_only and finding.advisory and "JAX" in finding.advisory
    assert finding.impact == 0 and not finding.contributions and not finding.weight_changes
    scoring = [f for f in advised.findings if not f.advice_only]
    assert advised.findings[: len(scoring)] == scoring  # advice comes after every reason
    text = text_report.render(advised)
    reasons, _, advice = text.partition("Advice (moves no score)")
    assert "JAX is not compared" in advice and "jax-team-or-code" not in reasons
    assert "jax-team-or-code" not in {f.rule_id for f in plain.findings}


def test_hardware_specific_path_outranks_the_generic_one(book: Rulebook) -> None:
    robot = _advise(book, "jetson_robot")
    assert [p.path_id for p in robot.paths] == ["pt-edge-jetson-torch-tensorrt"]
    board = _advise(book, "jetson_robot", "inference_hardware=same_as_training")
    assert [p.path_id for p in board.paths] == ["pt-edge-linux-executorch"]


def test_amd_fleet_gets_no_cuda_path(book: Rulebook) -> None:
    rec = _advise(book, "default", "hardware=amd_gpu")
    (path,) = rec.paths
    assert path.path_id == "pt-cloud-gpu-rocm-service"
    assert not any("CUDA" in step or "TensorRT" in step for step in path.steps)


def test_trainium_shop_serves_on_neuron(book: Rulebook) -> None:
    rec = _advise(book, "aws_trainium_shop")
    assert rec.winner == "pytorch" and [v.candidate for v in rec.vetoes] == ["tensorflow"]
    assert [p.path_id for p in rec.paths] == ["pt-cloud-neuron"]


def test_two_paths_of_one_target_may_not_share_a_preference(mini_copy: Path) -> None:
    paths = mini_copy / "paths.yaml"
    text = paths.read_text()
    guarded = (
        "  - id: pt-android-guarded-{n}\n"
        "    target: mobile_android\n"
        "    candidate: pytorch\n"
        "    kind: native\n"
        "    preference: 1\n"
        "    when: {{fact: primary_goal, op: eq, value: production}}\n"
        "    steps: [PyTorch, ExecuTorch]\n"
        "    summary: Guarded.\n"
        "    sources: [https://github.com/pytorch/executorch]\n"
        "    as_of: 2026-11-27\n"
        "    confidence: high\n"
    )
    paths.write_text(text + guarded.format(n=1).replace("preference: 1", "preference: 7"))
    assert load_rulebook(mini_copy)  # a free preference number is fine
    paths.write_text(text + guarded.format(n=1))
    with pytest.raises(RulebookError) as info:
        load_rulebook(mini_copy)
    assert "preference 1 for mobile_android/pytorch" in info.value.render()


def test_gaudi_only_team_rules_out_tensorflow_and_gets_an_intel_path(book: Rulebook) -> None:
    rec = _advise(book, "default", "hardware=intel_gaudi")
    assert [v.candidate for v in rec.vetoes] == ["tensorflow"]
    (path,) = rec.paths
    assert path.path_id == "pt-cloud-intel-gaudi-xpu"
    assert not any("CUDA" in step for step in path.steps)


def test_tpu_fleet_serves_pytorch_through_torchtpu(book: Rulebook) -> None:
    rec = _advise(
        book, "default", "hardware=google_tpu", "team_expertise=pytorch", "uses_huggingface=core"
    )
    assert rec.winner == "pytorch"
    assert [p.path_id for p in rec.paths] == ["pt-cloud-tpu-torchtpu"]
    assert "jax-tpu-first-party" in {f.rule_id for f in rec.findings if f.advice_only}
