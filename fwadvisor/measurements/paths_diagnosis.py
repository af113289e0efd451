"""Why a path check failed on the user's model: the converter's first meaningful line, whose
fault it is (the model's, the toolchain's, or not known), and the fix where the cause is
known. Pure: reads the recorded stage and message only, so old files are judged the same.

The model's fault (never a veto: the user can fix it in the model): a model that does not
build or run eagerly, a model left in training mode, data-dependent control flow, an op the
converter's op set lacks. The toolchain's fault (a veto when every route fails so): a crash,
a hang, an artifact that does not load or run, numbers that differ from eager. Anything else
at conversion is not known, and is not held against the framework either.
"""

from __future__ import annotations

import re
from typing import Literal

from fwadvisor.records import Record, record
from fwadvisor.registry import FRAMEWORKS

Cause = Literal["model", "toolchain", "unknown"]

MAX_LINE = 300
_EMPTY_HEAD = re.compile(r"^[\w.]+(Error|Exception|Violation\w*)?:\s*$")
_TEMP_PATH = re.compile(r"(/tmp|/var/folders|[A-Za-z]:\\\\Temp)[^\s'\"]*")


@record
class Diagnosis(Record):
    """Whose fault a failed path check is (the model, the toolchain, or unknown), the
    converter's first meaningful line, and a fix where one is known."""

    cause: Cause
    line: str
    """the converter's first meaningful line"""
    hint: str | None = None
    """what to change in the model, where the cause is known"""


def first_meaningful_line(reason: str | None) -> str:
    """The first line that says something: an exception name with an empty message
    ("SpecViolationError:") takes the next line with it; "raised inside:" markers and
    blank lines are skipped; temporary file paths are shortened."""
    lines = [ln.strip() for ln in (reason or "").splitlines()]
    lines = [ln for ln in lines if ln and ln != "raised inside:"]
    if not lines:
        return ""
    first = lines[0]
    if _EMPTY_HEAD.match(first) and len(lines) > 1:
        first = f"{first} {lines[1]}"
    first = _TEMP_PATH.sub("<temporary file>", first)
    return first[:MAX_LINE]


_TOOLCHAIN = re.compile(
    r"timed out|killed by signal|exited with code|before finishing|not installed"
    r"|implausible reply|garbage output",
    re.IGNORECASE,
)
_TRAINING = re.compile(
    r"training mode|_native_batch_norm_legit_functional|native_dropout"
    r"|only support inference mode|model\.train\(\)|self\.training",
    re.IGNORECASE,
)
_DATA_DEPENDENT = re.compile(
    r"GuardOnDataDependentSymNode|data-dependent|data dependent|dynamic control flow"
    r"|ConcretizationTypeError|TracerBoolConversionError"
    r"|as a Python `bool`|OperatorNotAllowedInGraphError",
    re.IGNORECASE,
)
_ONNX_OP = re.compile(r"No Op registered for (\w+) with domain_version of (\d+)")
_ONNX_EXPORT_OP = re.compile(
    r"[Ee]xporting the operator '?([\w:.]+)'? to ONNX opset version (\d+) is not supported"
)
_TFLITE_OPS = re.compile(r"not supported by the native TFLite runtime.*?:\s*(.+)", re.DOTALL)
_NOT_CANONICAL = re.compile(r"Operator ([\w.]+) is not Aten Canonical")

# in the registry's framework order: pytorch, tensorflow, jax
_CONTROL_FLOW = dict(zip(FRAMEWORKS, ("`torch.cond`", "`tf.cond`", "`lax.cond`"), strict=True))


def _op_hint(reason: str) -> str | None:
    if m := _ONNX_OP.search(reason) or _ONNX_EXPORT_OP.search(reason):
        op, opset = m.group(1), m.group(2)
        return (
            f"the op {op} is not in ONNX opset {opset} as this runtime implements it: "
            "replace it in the model with ops the opset has (or try another opset)"
        )
    if m := _TFLITE_OPS.search(reason):
        ops = m.group(1).strip().splitlines()[0][:120]
        return (
            f"ops outside the TFLite builtin op set ({ops}): replace them in the model, or "
            "convert with SELECT_TF_OPS (a larger runtime)"
        )
    if m := _NOT_CANONICAL.search(reason):
        return (
            f"the op {m.group(1)} is not in the core ATen op set the exporter accepts: "
            "replace it in the model"
        )
    return None


def diagnose(stage: str | None, reason: str | None, framework: str = FRAMEWORKS[0]) -> Diagnosis:
    """Whose fault a failure is, with the converter's first meaningful line and a fix."""
    text = reason or ""
    line = first_meaningful_line(text)
    if stage in ("build", "eager"):
        return Diagnosis(
            cause="model",
            line=line,
            hint="the model does not build or run on its example inputs: fix that first",
        )
    if _TOOLCHAIN.search(text):
        return Diagnosis(cause="toolchain", line=line)
    if _TRAINING.search(text):
        return Diagnosis(
            cause="model",
            line=line,
            hint="the model is in training mode: return `model.eval()` from the factory "
            "(BatchNorm and Dropout export only in eval mode)",
        )
    if _DATA_DEPENDENT.search(text):
        cond = _CONTROL_FLOW.get(framework, "a traced conditional")
        return Diagnosis(
            cause="model",
            line=line,
            hint="data-dependent control flow (a Python `if` on a tensor's value): "
            f"use {cond}, or make the branch static (decide it from shapes or settings)",
        )
    if hint := _op_hint(text):
        return Diagnosis(cause="model", line=line, hint=hint)
    if stage in ("load", "run", "compare", "time"):
        return Diagnosis(cause="toolchain", line=line)
    return Diagnosis(cause="unknown", line=line)
