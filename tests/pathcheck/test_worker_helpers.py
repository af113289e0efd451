"""Worker-side helpers: output comparison and the converter's message."""

from __future__ import annotations

import numpy as np
import pytest

from fwadvisor.models import is_noisy
from fwadvisor.pathcheck.worker.check import StageFailed, errors, first_lines
from fwadvisor.pathcheck.worker.usermodel import UserModelProblem, detect_framework


def test_errors_are_max_abs_and_abs_over_max_reference() -> None:
    ref = [np.array([[1.0, -4.0]]), np.array([2.0])]
    got = [np.array([[1.5, -4.0]]), np.array([2.0])]
    assert errors(ref, got) == (0.5, pytest.approx(0.5 / 4.0))


def test_a_dropped_batch_dimension_of_size_one_still_compares() -> None:
    assert errors([np.ones((1, 3))], [np.ones(3)]) == (0.0, 0.0)


@pytest.mark.parametrize(
    ("got", "why"),
    [([np.ones((1, 3)), np.ones(1)], "2 outputs"), ([np.ones((1, 4))], "shape")],
)
def test_outputs_that_cannot_be_compared_fail_the_comparison(got: list[object], why: str) -> None:
    with pytest.raises(StageFailed) as info:
        errors([np.ones((1, 3))], got)
    assert info.value.stage == "compare" and why in info.value.reason


def test_first_lines_lead_with_the_root_cause_without_colour_codes() -> None:
    try:
        try:
            raise ValueError("Could not guard on data-dependent expression")
        except ValueError as inner:
            raise RuntimeError("\x1b[96mFailed\x1b[0m to export\nstep 1/3") from inner
    except RuntimeError as exc:
        text = first_lines(exc)
    lines = text.splitlines()
    assert lines[0] == "ValueError: Could not guard on data-dependent expression"
    assert "RuntimeError: Failed to export" in text and "\x1b" not in text


def test_noisy_means_an_interval_wider_than_a_fifth_of_the_median() -> None:
    assert not is_noisy(1.0, (0.95, 1.1))
    assert is_noisy(1.0, (0.9, 1.15))
    assert not is_noisy(None, None)


def _made_in(module: str) -> object:
    return type("ArrayImpl", (), {"__module__": module})()


DETECT = {"pytorch": ["torch"], "tensorflow": ["keras", "tensorflow"], "jax": ["jax", "jaxlib"]}


def test_a_function_with_parameters_is_detected_by_its_parameters() -> None:
    params = {"fc": {"w": _made_in("jaxlib._jax"), "b": _made_in("jaxlib._jax")}, "n": [1.0]}
    assert detect_framework((lambda p, x: x, params), DETECT) == "jax"


@pytest.mark.parametrize(
    "model",
    [
        (lambda p, x: x, {"w": _made_in("numpy")}),  # plain arrays name no framework
        ("not callable", {"w": _made_in("jaxlib._jax")}),
        (lambda p, x: x, {"w": _made_in("jaxlib._jax")}, "a third item"),
    ],
)
def test_other_tuples_are_no_model(model: object) -> None:
    with pytest.raises(UserModelProblem, match="not a model of a framework"):
        detect_framework(model, DETECT)
