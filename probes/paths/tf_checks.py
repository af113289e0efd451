"""TensorFlow/Keras deployment-path checks (see torch_checks.py for the interface).
Loaded by path in a worker only."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import tensorflow as tf
from runtimes import Run, float32_arrays, litert_runner, ort_runner, quantize_int8, write_tflite


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


def savedmodel_convert(model: Any, inputs: tuple[Any, ...], out: Path) -> None:
    model.export(str(out / "saved_model"), format="tf_saved_model", verbose=False)


def savedmodel_load(out: Path, inputs: tuple[Any, ...], threads: int) -> Run:
    loaded = tf.saved_model.load(str(out / "saved_model"))
    args = [tf.constant(x) for x in float32_arrays(inputs)]
    return lambda: _arrays([t.numpy() for t in tf.nest.flatten(loaded.serve(*args))])


def _converter(model: Any, out: Path) -> Any:
    saved = out / "saved_model"
    model.export(str(saved), format="tf_saved_model", verbose=False)
    return tf.lite.TFLiteConverter.from_saved_model(str(saved))


def litert_convert(model: Any, inputs: tuple[Any, ...], out: Path) -> None:
    write_tflite(_converter(model, out), out, out / "saved_model")


def litert_int8_convert(model: Any, inputs: tuple[Any, ...], out: Path) -> None:
    write_tflite(
        quantize_int8(_converter(model, out), float32_arrays(inputs)), out, out / "saved_model"
    )


def litert_load(out: Path, inputs: tuple[Any, ...], threads: int) -> Run:
    return litert_runner(out / "model.tflite", float32_arrays(inputs), threads)


def onnx_convert(model: Any, inputs: tuple[Any, ...], out: Path) -> None:
    model.export(str(out / "model.onnx"), format="onnx", verbose=False)


def onnx_load(out: Path, inputs: tuple[Any, ...], threads: int) -> Run:
    return ort_runner(out / "model.onnx", float32_arrays(inputs), threads)
