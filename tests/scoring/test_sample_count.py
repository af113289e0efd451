"""The number of robustness samples: 0 is refused (the tier is read from the samples), and a
count too small to place a share against the tier thresholds is said in the notes."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from fwadvisor.answers import GivenAnswer, resolve
from fwadvisor.pipeline import AdviceOptions, advise
from fwadvisor.rulebook.model import Rulebook
from fwadvisor.scoring.robustness import COARSE_SAMPLES, perturbation_shares
from fwadvisor.scoring.state import compute
from tests.cli_run import cli

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "default.yaml"


@pytest.mark.parametrize("count", ["0", "-3"])
def test_recommend_refuses_fewer_than_one_sample(
    capsys: pytest.CaptureFixture[str], count: str
) -> None:
    code, out, err = cli(capsys, "recommend", "--answers", str(EXAMPLE), "--samples", count)
    assert code == 2
    assert out == ""
    assert "--samples" in err
    assert re.search(r"1<=x|greater than or equal to 1", err)  # the bound, as typer words it
    assert "Traceback" not in err and "ZeroDivisionError" not in err


def test_the_library_refuses_zero_samples_too(mini: Rulebook) -> None:
    answers = resolve(mini, {"primary_goal": GivenAnswer(value="research", origin="given")})
    state = compute(mini, answers.values, [], {}, ())
    with pytest.raises(ValueError, match="at least 1 sample"):
        perturbation_shares(state, mini.uncertainty, samples=0)


def _notes(book: Rulebook, samples: int) -> list[str]:
    answers = resolve(book, {"primary_goal": GivenAnswer(value="research", origin="given")})
    rec = advise(book, answers, options=AdviceOptions(samples=samples, counterfactuals=False))
    assert rec.robustness.samples == samples
    return [n for n in rec.notes if n.startswith("Robustness rests on")]


def test_few_samples_are_named_in_a_note(mini: Rulebook) -> None:
    (note,) = _notes(mini, 10)
    assert "only 10 samples" in note and "steps of 10%" in note and "--samples 1000" in note
    assert _notes(mini, COARSE_SAMPLES) == []


def test_one_sample_still_gives_a_verdict(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = cli(
        capsys, "recommend", "--answers", str(EXAMPLE), "--samples", "1", "--format", "json"
    )
    assert code == 0, err
    assert '"samples": 1,' in out and "Robustness rests on only 1 sample:" in out
