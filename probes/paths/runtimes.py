"""Runtimes and converter steps the path checks share across frameworks: ONNX Runtime, the
LiteRT interpreter, writing a .tflite from a TF converter, and the int8 calibration data.
Framework-free except where a step needs TensorFlow's converter; imported by the check
modules, which the worker loads with this folder on sys.path."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

import numpy as np

Run = Callable[[], list[Any]]
CALIBRATION_SAMPLES = 32


def float32_arrays(inputs: Sequence[Any]) -> list[Any]:
    """The example inputs as float32 NumPy arrays, as a runtime is fed them."""
    return [np.asarray(x, dtype=np.float32) for x in inputs]


def ort_runner(path: Path, arrays: Sequence[Any], threads: int) -> Run:
    """The ONNX model at `path` in an ONNX Runtime CPU session fed with `arrays`."""
    import onnxruntime as ort

    opts = ort.SessionOptions()
    opts.intra_op_num_threads = threads
    opts.inter_op_num_threads = 1
    sess = ort.InferenceSession(str(path), opts, providers=["CPUExecutionProvider"])
    feeds = {i.name: x for i, x in zip(sess.get_inputs(), arrays, strict=True)}
    return lambda: list(sess.run(None, feeds))


def litert_runner(path: Path, arrays: Sequence[Any], threads: int) -> Run:
    """The .tflite at `path` in the LiteRT interpreter fed with `arrays` (cast to each input's
    dtype)."""
    from ai_edge_litert.interpreter import Interpreter

    interp = Interpreter(model_path=str(path), num_threads=threads)
    interp.allocate_tensors()
    ins, outs = interp.get_input_details(), interp.get_output_details()

    def run() -> list[Any]:
        for d, x in zip(ins, arrays, strict=True):
            interp.set_tensor(d["index"], x.astype(d["dtype"]))
        interp.invoke()
        return [interp.get_tensor(d["index"]) for d in outs]

    return run


def write_tflite(converter: Any, out: Path, saved_model: Path) -> None:
    """Convert to `out/model.tflite`; only the .tflite ships, so the SavedModel step goes."""
    (out / "model.tflite").write_bytes(converter.convert())
    shutil.rmtree(saved_model, ignore_errors=True)


def quantize_int8(converter: Any, arrays: Sequence[Any]) -> Any:
    """Post-training integer quantization calibrated on inputs like the example ones (float
    interface kept, so the app feeds the same tensors)."""
    import tensorflow as tf

    rng = np.random.default_rng(0)

    def representative() -> Iterator[list[Any]]:
        for _ in range(CALIBRATION_SAMPLES):
            yield [(x * rng.uniform(0.5, 1.5, size=x.shape)).astype(np.float32) for x in arrays]

    converter.optimizations = [tf.lite.Optimize.DEFAULT]
    converter.representative_dataset = representative
    return converter
