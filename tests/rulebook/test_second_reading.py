"""Corrections from the second reading of the 2026-12-07 facts, kept from coming back.

- `served_model_size` asks whether the largest served LLM needs more than one GPU, not
  whether it has over 10 billion parameters (a 10 B model at 16-bit fits one 80 GB GPU);
  answers files with the old ids fail loudly instead of meaning something else.
- AWS's Deep Learning Containers still patch TensorFlow 2.21 training images, so
  `lts-aws-dlc-patch-windows` is advice and moves no score.
- Tunix is TPU-only and, on TPUs, already credited through MaxText, so
  `llm-rl-post-training-stacks` gives JAX nothing.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from fwadvisor.errors import ExitCode
from fwadvisor.rulebook.loader import load_rulebook
from tests.cli_run import cli

OLD_SIZE_IDS = ("up_to_10b", "over_10b")


def test_served_model_size_asks_about_gpus() -> None:
    question = load_rulebook().question_by_id["served_model_size"]
    assert question.choice_values() == ["single_gpu", "multi_gpu"]
    assert question.default == "single_gpu"
    assert "more than one GPU" in question.prompt


@pytest.mark.parametrize("old", OLD_SIZE_IDS)
def test_old_served_model_size_answer_fails_loudly(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, old: str
) -> None:
    f = tmp_path / "old.yaml"
    f.write_text(
        "schema_version: 1\n"
        "answers:\n"
        "  model_families: [llm]\n"
        "  llm_role: [serve]\n"
        "  deployment_targets: [cloud_gpu]\n"
        f"  served_model_size: {old}\n"
    )
    code, _out, err = cli(capsys, "recommend", "--answers", str(f))
    assert code == ExitCode.BAD_INPUT, err
    assert f":6: served_model_size: {old!r} is not a choice" in err
    assert "Traceback" not in err


def test_aws_patch_windows_is_advice_only() -> None:
    fact = load_rulebook().fact_by_id["lts-aws-dlc-patch-windows"]
    assert fact.effects.scores == []
    assert fact.effects.advisory


def test_rl_post_training_stacks_credit_no_jax() -> None:
    fact = load_rulebook().fact_by_id["llm-rl-post-training-stacks"]
    assert [s.candidate for s in fact.effects.scores] == ["pytorch"]
