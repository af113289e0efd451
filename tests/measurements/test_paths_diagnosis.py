"""Whose fault a path-check failure is, from converters' recorded messages (no toolchain
needed): the first meaningful line, the cause, and the fix where the cause is known."""

from __future__ import annotations

import pytest

from fwadvisor.measurements.paths_diagnosis import diagnose, first_meaningful_line

GUARD = (
    "GuardOnDataDependentSymNode: Could not guard on data-dependent expression Eq(u0, 1) "
    "(unhinted: Eq(u0, 1)).  (Size-like symbols: none)"
)
# torch.export / ExecuTorch on a BatchNorm model left in training mode (pytorch/pytorch#126291)
SPEC_VIOLATION = (
    "SpecViolationError: \n"
    "Operator torch._ops.aten._native_batch_norm_legit_functional.default is not Aten Canonical."
)
# ONNX Runtime loading an exported graph with an op its opset lacks (docs/paths.md)
ORT_ERFC = (
    "InvalidGraph: [ONNXRuntimeError] : 10 : INVALID_GRAPH : Load model from "
    '/tmp/tmpq1w2e3/model.onnx failed:This is an invalid model. In Node, ("n0", Erfc, "", -1)'
    ' : ("x": tensor(float),) -> ("y": tensor(float),) , Error No Op registered for Erfc '
    "with domain_version of 15"
)
JAX_CONCRETE = (
    "ConcretizationTypeError: Abstract tracer value encountered where concrete value is "
    "expected: traced array with shape bool[]"
)
TF_BOOL = (
    "OperatorNotAllowedInGraphError: Using a symbolic `tf.Tensor` as a Python `bool` is not "
    "allowed. You can attempt the following resolutions to the problem: ..."
)


@pytest.mark.parametrize(
    ("stage", "reason", "framework", "cause", "hint_has"),
    [
        ("convert", GUARD, "pytorch", "model", "torch.cond"),
        ("convert", SPEC_VIOLATION, "pytorch", "model", "model.eval()"),
        ("load", ORT_ERFC, "pytorch", "model", "Erfc is not in ONNX opset 15"),
        ("convert", JAX_CONCRETE, "jax", "model", "lax.cond"),
        ("convert", TF_BOOL, "tensorflow", "model", "tf.cond"),
        ("build", "ValueError: no weights file", "pytorch", "model", "does not build"),
        (
            "convert",
            "worker killed by signal SIGSEGV before finishing",
            "pytorch",
            "toolchain",
            None,
        ),
        (
            "convert",
            "timed out: no progress for 300 s (the toolchain hung)",
            "jax",
            "toolchain",
            None,
        ),
        (
            "compare",
            "output differs from eager: max relative error 0.3 > tolerance 1e-05",
            "pytorch",
            "toolchain",
            None,
        ),
        ("run", "RuntimeError: XNNPACK delegate failed", "pytorch", "toolchain", None),
        ("convert", "RuntimeError: something nobody has seen", "pytorch", "unknown", None),
    ],
)
def test_recorded_messages_are_judged_fairly(
    stage: str, reason: str, framework: str, cause: str, hint_has: str | None
) -> None:
    found = diagnose(stage, reason, framework)
    assert found.cause == cause
    assert found.line
    if hint_has is None:
        assert found.hint is None
    else:
        assert found.hint and hint_has in found.hint


def test_the_first_meaningful_line_is_never_an_empty_head() -> None:
    assert first_meaningful_line(SPEC_VIOLATION) == (
        "SpecViolationError: Operator "
        "torch._ops.aten._native_batch_norm_legit_functional.default is not Aten Canonical."
    )
    line = first_meaningful_line(ORT_ERFC)
    assert "/tmp/" not in line and "<temporary file>" in line
    wrapped = "TorchExportError: \nraised inside:\n\nGuardOnDataDependentSymNode: x"
    assert first_meaningful_line(wrapped) == "TorchExportError: GuardOnDataDependentSymNode: x"
    assert first_meaningful_line(None) == first_meaningful_line("") == ""
