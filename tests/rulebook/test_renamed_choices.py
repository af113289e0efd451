"""Answer ids whose meaning narrowed were renamed, so an answers file written before the
change fails with one clear message instead of silently meaning something else.

`inference_hardware: aws_inferentia` used to mean "Inferentia or Trainium" and
`intel_gaudi_gpu` "Gaudi or Intel GPUs"; the questionnaire now splits the Neuron generations
(`aws_trn2_trn3`, `aws_inf2_trn1`) and Gaudi from Intel GPUs (`intel_gaudi`, `intel_gpu`).
An Inf2 fleet's old file must not quietly get the Trn2/Trn3 path."""

from __future__ import annotations

from pathlib import Path

import pytest

from fwadvisor.errors import ExitCode
from fwadvisor.rulebook.loader import load_rulebook
from tests.cli_run import cli

OLD_IDS = ("aws_inferentia", "intel_gaudi_gpu")


def _answers(tmp_path: Path, value: str) -> str:
    f = tmp_path / "old.yaml"
    f.write_text(
        "schema_version: 1\n"
        "answers:\n"
        "  primary_goal: production\n"
        "  deployment_targets: [cloud_gpu]\n"
        f"  inference_hardware: [{value}]\n"
    )
    return str(f)


@pytest.mark.parametrize("old", OLD_IDS)
def test_old_inference_hardware_id_is_no_choice(old: str) -> None:
    question = load_rulebook().question_by_id["inference_hardware"]
    assert old not in question.choice_values()


@pytest.mark.parametrize("old", OLD_IDS)
def test_old_answers_file_fails_loudly(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, old: str
) -> None:
    code, _out, err = cli(capsys, "recommend", "--answers", _answers(tmp_path, old))
    assert code == ExitCode.BAD_INPUT, err
    assert f":5: inference_hardware: {old!r} is not a choice" in err
    assert "Traceback" not in err


@pytest.mark.parametrize("new", ("aws_trn2_trn3", "aws_inf2_trn1", "intel_gaudi", "intel_gpu"))
def test_new_ids_are_choices(new: str) -> None:
    question = load_rulebook().question_by_id["inference_hardware"]
    assert new in question.choice_values()
