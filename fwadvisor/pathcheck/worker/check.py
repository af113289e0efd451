"""One check on one model, inside the worker: build, eager, convert, load, run, compare,
time; a failure is the stage it happened at and the converter's own first lines."""

from __future__ import annotations

import math
import re
import shutil
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from fwadvisor.measurements import stats
from fwadvisor.measurements.paths_file import CheckResult
from fwadvisor.pathcheck.protocol import CheckSpec, Msg, Stage
from fwadvisor.pathcheck.worker.usermodel import UserModelProblem, call_factory, load_module
from fwadvisor.workers import harness

REASON_LINES = 8
ANSI = re.compile(r"\x1b\[[0-9;]*m")
REASON_CHARS = 1500


def _clean(text: str) -> list[str]:
    return [ln.rstrip() for ln in ANSI.sub("", text).splitlines() if ln.strip()]


def _root(exc: BaseException) -> BaseException:
    seen = {id(exc)}
    while True:
        nxt = exc.__cause__ or exc.__context__
        if nxt is None or id(nxt) in seen:
            return exc
        seen.add(id(nxt))
        exc = nxt


def first_lines(exc: BaseException) -> str:
    """The converter's own message, first lines, led by the innermost cause when the
    outer error only wraps it (torch.onnx's TorchExportError wraps torch.export's)."""
    lines = _clean(f"{type(exc).__name__}: {exc}")[:REASON_LINES]
    root = _root(exc)
    if root is not exc:
        cause = _clean(f"{type(root).__name__}: {root}")[:2]
        lines = [*cause, "raised inside:", *lines]
    return "\n".join(lines)[:REASON_CHARS]


class StageFailed(Exception):
    def __init__(self, stage: str, reason: str) -> None:
        super().__init__(reason)
        self.stage = stage
        self.reason = reason


class CallCase:
    """A harness case around a call that returns its outputs (CPU: no sync needed)."""

    def __init__(self, fn: Callable[[], Any]) -> None:
        self.fn = fn

    def check(self) -> Any:
        return self.fn()

    def run(self) -> None:
        self.fn()

    def sync(self) -> None: ...

    def compiles(self) -> int | None:
        return None

    def reset_peak_mem(self) -> None: ...

    def peak_mem(self) -> int | None:
        return None


def errors(ref: list[Any], got: list[Any]) -> tuple[float, float]:
    """Max absolute error, and that divided by max|ref|, over every output."""
    import numpy as np

    if len(ref) != len(got):
        raise StageFailed("compare", f"{len(got)} outputs, eager gives {len(ref)}")
    abs_err = scale = 0.0
    for i, (a, b) in enumerate(zip(ref, got, strict=True)):
        a64, b64 = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
        if a64.shape != b64.shape:
            if a64.size != b64.size:
                raise StageFailed(
                    "compare", f"output {i} has shape {b64.shape}, eager gives {a64.shape}"
                )
            b64 = b64.reshape(a64.shape)  # e.g. a dropped batch dimension of size 1
        if a64.size:
            abs_err = max(abs_err, float(np.max(np.abs(a64 - b64))))
            scale = max(scale, float(np.max(np.abs(a64))))
    rel_err = abs_err / scale if scale > 0 else abs_err
    if not (math.isfinite(abs_err) and math.isfinite(rel_err)):
        raise StageFailed("compare", "the output has NaN or infinity where eager's does not")
    return abs_err, rel_err


def _timed(samples: list[float]) -> tuple[float, tuple[float, float] | None]:
    return stats.median(samples), stats.median_rank_ci(samples)


def check_one(
    spec: CheckSpec,
    runtime: Any,
    models: Any,
    funcs: tuple[Any, Any],
    model_id: str,
    emit: Callable[[Msg], None],
) -> CheckResult:
    check = spec.check
    got: dict[str, Any] = {"rel_tolerance": check.rel_tolerance}
    stage = "build"

    def enter(name: str) -> None:
        nonlocal stage
        stage = name
        emit(Stage(model=model_id, stage=name))

    try:
        enter("build")
        if model_id == "user":
            module = load_module(Path(spec.user_file or ""))
            model, inputs = call_factory(module, spec.user_factory or "", spec.user_file or "")
        else:
            model, inputs = models.build(model_id, spec.seed)
        enter("eager")
        ref = runtime.eager(model, inputs)
        eager_samples = harness.measure_alone(
            CallCase(lambda: runtime.eager(model, inputs)), spec.timing, seed=spec.seed
        )
        got["eager_median_s"] = stats.median(eager_samples)
        out = Path(spec.workdir) / model_id
        shutil.rmtree(out, ignore_errors=True)
        out.mkdir(parents=True)
        enter("convert")
        t0 = time.perf_counter()
        funcs[0](model, inputs, out)
        got["convert_s"] = time.perf_counter() - t0
        got["artifact_bytes"] = sum(f.stat().st_size for f in out.rglob("*") if f.is_file())
        enter("load")
        t0 = time.perf_counter()
        run = funcs[1](out, inputs, spec.threads)
        got["load_s"] = time.perf_counter() - t0
        enter("run")
        outputs = run()
        enter("compare")
        got["max_abs_err"], got["max_rel_err"] = errors(ref, outputs)
        if got["max_rel_err"] > check.rel_tolerance:
            raise StageFailed(
                "compare",
                f"output differs from eager: max relative error {got['max_rel_err']:.3g} "
                f"> tolerance {check.rel_tolerance:g} (max abs error {got['max_abs_err']:.3g})",
            )
        enter("time")
        samples = harness.measure_alone(CallCase(run), spec.timing, seed=spec.seed)
        median, ci = _timed(samples)
        got.update(latency_median_s=median, latency_ci95_s=ci, latency_samples=len(samples))
    except StageFailed as exc:
        return check.result(model_id, "failed", **got, stage=exc.stage, reason=exc.reason)
    except UserModelProblem as exc:
        return check.result(model_id, "failed", **got, stage="build", reason=str(exc))
    except Exception as exc:  # the converter's or runtime's own error is the result
        return check.result(model_id, "failed", **got, stage=stage, reason=first_lines(exc))
    return check.result(model_id, "ok", **got)
