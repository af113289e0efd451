"""TensorFlow/Keras deployment-path checks (see torch_checks.py for the interface).
Loaded by path in a worker only."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import numpy as np
import tensorflow as tf

Run = Callable[[], list[Any]]
CALIBRATION_SAMPLES = 32


def _arrays(out: Any) -> list[Any]:
    if isinstance(out, (list, tuple)):
        return [a for o in out for a in _arrays(o)]
    if isinstance(out, dict):
        return [a for k in sorted(out) for a in _arrays(out[k])]
    return [np.asarray(out)]


def eager(model: Any, inputs: tuple[Any, ...]) -> list[Any]:
    return _arrays(model(*inputs, training=False))


def check_model(model: Any, inputs: tuple[Any, ...]) -> str | None:
    import keras

    if not isinstance(model, keras.Model):
        return f"the factory returned a {type(model).__name__}, not a keras.Model"
    bad = [type(x).__name__ for x in inputs if not hasattr(x, "shape")]
    return f"example inputs must be arrays or tensors, got {', '.join(bad)}" if bad else None


def setup(threads: int) -> None:
    tf.config.threading.set_intra_op_parallelism_threads(threads)
    tf.config.threading.set_inter_op_parallelism_threads(1)


def _np(inputs: tuple[Any, ...]) -> list[Any]:
    return [np.asarray(x, dtype=np.float32) for x in inputs]


def savedmodel_convert(model: Any, inputs: tuple[Any, ...], out: Path) -> None:
    model.export(str(out / "saved_model"), format="tf_saved_model", verbose=False)


def savedmodel_load(out: Path, inputs: tuple[Any, ...], threads: int) -> Run:
    loaded = tf.saved_model.load(str(out / "saved_model"))
    args = [tf.constant(x) for x in _np(inputs)]
    return lambda: _arrays([t.numpy() for t in tf.nest.flatten(loaded.serve(*args))])


def _converter(model: Any, out: Path) -> Any:
    saved = out / "saved_model"
    model.export(str(saved), format="tf_saved_model", verbose=False)
    return tf.lite.TFLiteConverter.from_saved_model(str(saved))


def _write_tflite(converter: Any, out: Path) -> None:
    (out / "model.tflite").write_bytes(converter.convert())
    # only the .tflite ships: the SavedModel was a conversion step
    import shutil

    shutil.rmtree(out / "saved_model", ignore_errors=True)


def litert_convert(model: Any, inputs: tuple[Any, ...], out: Path) -> None:
    _write_tflite(_converter(model, out), out)


def litert_int8_convert(model: Any, inputs: tuple[Any, ...], out: Path) -> None:
    """Post-training integer quantization, calibrated on inputs like the example ones
    (float interface kept, so the app feeds the same tensors)."""
    arrays = _np(inputs)
    rng = np.random.default_rng(0)

    def representative() -> Iterator[list[Any]]:
        for _ in range(CALIBRATION_SAMPLES):
            yield [(x * rng.uniform(0.5, 1.5, size=x.shape)).astype(np.float32) for x in arrays]

    converter = _converter(model, out)
    converter.optimizations = [tf.lite.Optimize.DEFAULT]
    converter.representative_dataset = representative
    _write_tflite(converter, out)


def litert_load(out: Path, inputs: tuple[Any, ...], threads: int) -> Run:
    from ai_edge_litert.interpreter import Interpreter

    interp = Interpreter(model_path=str(out / "model.tflite"), num_threads=threads)
    interp.allocate_tensors()
    ins, outs = interp.get_input_details(), interp.get_output_details()
    arrays = _np(inputs)

    def run() -> list[Any]:
        for d, x in zip(ins, arrays, strict=True):
            interp.set_tensor(d["index"], x.astype(d["dtype"]))
        interp.invoke()
        return [interp.get_tensor(d["index"]) for d in outs]

    return run


def onnx_convert(model: Any, inputs: tuple[Any, ...], out: Path) -> None:
    model.export(str(out / "model.onnx"), format="onnx", verbose=False)


def onnx_load(out: Path, inputs: tuple[Any, ...], threads: int) -> Run:
    import onnxruntime as ort

    opts = ort.SessionOptions()
    opts.intra_op_num_threads = threads
    opts.inter_op_num_threads = 1
    sess = ort.InferenceSession(str(out / "model.onnx"), opts, providers=["CPUExecutionProvider"])
    feeds = {i.name: x for i, x in zip(sess.get_inputs(), _np(inputs), strict=True)}
    return lambda: list(sess.run(None, feeds))
