"""One scenario per example team (examples/*.yaml, read as `recommend` reads them): the
leader, the verdict's tier, and the facts an expert would name for that team: each must apply
and count, and the first of them must be among the three that move the lead most."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import NamedTuple

import pytest

from fwadvisor.answers import load_answers
from fwadvisor.models import EvidenceResult, Recommendation
from fwadvisor.pipeline import AdviceOptions, advise, fixed_evidence
from fwadvisor.rulebook.model import Rulebook
from fwadvisor.ruletests import top_facts

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
NOW = dt.datetime(2026, 12, 6, tzinfo=dt.timezone.utc)


class Expected(NamedTuple):
    leader: str
    tier: str
    facts: tuple[str, ...]
    "facts an expert would name; the first must be among the top three"


EXPECTED: dict[str, Expected] = {
    "academic_lab": Expected(
        "pytorch", "clear", ("research-novel-architectures-eager", "team-knows-pytorch")
    ),
    "aws_trainium_shop": Expected("pytorch", "only_option", ("aws-neuron-no-tensorflow",)),
    "browser_app": Expected(
        "pytorch", "clear", ("hf-stack-pytorch-only", "browser-onnxruntime-web")
    ),
    "browser_vision_widget": Expected("pytorch", "leaning", ("browser-onnxruntime-web",)),
    "default": Expected("pytorch", "clear", ("team-knows-pytorch",)),
    "gnn_research": Expected(
        "pytorch", "clear", ("research-novel-architectures-eager", "gnn-pyg-pytorch")
    ),
    "jax_tpu_team": Expected(
        "pytorch", "clear", ("hf-stack-pytorch-only", "llm-serving-engines-pytorch")
    ),
    "jetson_robot": Expected("pytorch", "clear", ("infer-jetson-tensorrt",)),
    "keras_portable_team": Expected(
        "pytorch", "close_call", ("jax-tpu-first-party", "hw-tpu-torchtpu")
    ),
    "llm_startup": Expected(
        "pytorch", "clear", ("hf-stack-pytorch-only", "llm-serving-engines-pytorch")
    ),
    "microcontroller": Expected(
        "tensorflow", "clear", ("litert-runs-tflite", "litert-micro-footprint")
    ),
    "mobile_app": Expected(
        "pytorch", "clear", ("mobile-executorch-stable", "litert-runs-tflite")
    ),
    "on_device_llm_app": Expected(
        "pytorch", "clear", ("hf-stack-pytorch-only", "llm-on-device-runtimes")
    ),
    "tf_enterprise": Expected(
        "tensorflow", "clear", ("tf-serving-maintained", "existing-tensorflow-work")
    ),
    # the Hugging Face LLM stack against the team's TF estate: PyTorch, not robustly
    "tf_team_llm_pivot": Expected(
        "pytorch",
        "leaning",
        (
            "hf-stack-pytorch-only",
            "existing-tensorflow-work",
            "tf-serving-maintained",
            "llm-serving-engines-pytorch",
        ),
    ),
    "tpu_keras_team": Expected(
        "tensorflow", "clear", ("existing-tensorflow-work", "hw-tpu-first-party-tf")
    ),
    "university_course": Expected("pytorch", "clear", ("team-knows-pytorch",)),
}


def _recommend(book: Rulebook, example: Path) -> Recommendation:
    resolved = load_answers(book, example, use_env=False)
    return advise(
        book,
        resolved,
        options=AdviceOptions(counterfactuals=False, now=NOW),
        evidence=fixed_evidence(EvidenceResult()),
    )


def test_every_example_has_a_scenario() -> None:
    assert sorted(p.stem for p in EXAMPLES.glob("*.yaml")) == sorted(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_example_verdict_and_facts(book: Rulebook, name: str) -> None:
    expected = EXPECTED[name]
    rec = _recommend(book, EXAMPLES / f"{name}.yaml")
    assert (rec.leader, rec.tier) == (expected.leader, expected.tier), rec.summary
    counted = {f.fact for f in rec.findings if f.counted and not f.advice_only}
    missing = [f for f in expected.facts if f not in counted]
    assert missing == [], f"facts not counted: {missing}"
    assert expected.facts[0] in top_facts(rec), top_facts(rec)
