"""JAX deployment-path checks (see torch_checks.py for the interface). Loaded by path in a
worker only.

A JAX model is a pair (apply, params): `apply(params, *inputs)` is a pure function of a
pytree of parameters and the example arrays (jax_models.py). Eager output: that call, op by
op, without jax.jit.

The route is the one LiteRT documents for JAX: `jax.experimental.jax2tf.convert` (in JAX
0.10 native serialization only: the function is lowered to StableHLO and wrapped in one
XlaCallModule TensorFlow op; the `native_serialization` and `enable_xla` arguments are
deprecated and graph serialization is gone), saved as a TensorFlow SavedModel with the
parameters as tf.Variables (not baked into the graph as constants), then
`tf.lite.TFLiteConverter.from_saved_model`, which lowers the StableHLO to LiteRT ops (float,
or int8 post-training quantization as in tf_checks.py).
The SavedModel is lowered for this machine's platform (CPU) only.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import jax
import numpy as np
import tensorflow as tf
from runtimes import Run, float32_arrays, litert_runner, quantize_int8, write_tflite

SAVED = "saved_model"


def _arrays(out: Any) -> list[Any]:
    return [np.asarray(leaf) for leaf in jax.tree_util.tree_leaves(out)]


def _parts(model: Any) -> tuple[Callable[..., Any], Any]:
    apply, params = model
    return apply, params


def eager(model: Any, inputs: tuple[Any, ...]) -> list[Any]:
    apply, params = _parts(model)
    return _arrays(apply(params, *inputs))


def check_model(model: Any, inputs: tuple[Any, ...]) -> str | None:
    """Why this is not a JAX (function, parameters) pair with array inputs, or None."""
    if not (isinstance(model, tuple) and len(model) == 2 and callable(model[0])):
        return (
            f"the factory returned a {type(model).__name__}; a JAX model is a pair "
            "(apply, params) with apply(params, *inputs)"
        )
    leaves = jax.tree_util.tree_leaves(model[1])
    bad = {type(x).__name__ for x in leaves if not hasattr(x, "shape")}
    if bad:
        return f"the parameters must be arrays, got {', '.join(sorted(bad))}"
    bad = {type(x).__name__ for x in inputs if not hasattr(x, "shape")}
    return f"example inputs must be arrays, got {', '.join(sorted(bad))}" if bad else None


def setup(threads: int) -> None:
    """JAX on the CPU; XLA:CPU sizes its pool from the CPU affinity mask (jax_workloads.py),
    so fewer threads than CPUs restrict the mask. TensorFlow runs the SavedModel here too."""
    jax.config.update("jax_platforms", "cpu")
    if hasattr(os, "sched_getaffinity"):
        cpus = sorted(os.sched_getaffinity(0))
        if threads < len(cpus):
            os.sched_setaffinity(0, cpus[:threads])
    tf.config.threading.set_intra_op_parallelism_threads(threads)
    tf.config.threading.set_inter_op_parallelism_threads(1)


def _save(model: Any, inputs: tuple[Any, ...], out: Path) -> None:
    from jax.experimental import jax2tf

    apply, params = _parts(model)
    module = tf.Module()
    module.params = tf.nest.map_structure(
        lambda a: tf.Variable(np.asarray(a), trainable=False),
        jax.tree_util.tree_map(np.asarray, params),
    )
    converted = jax2tf.convert(apply, with_gradient=False)
    signature = [tf.TensorSpec(x.shape, tf.float32) for x in float32_arrays(inputs)]
    module.serve = tf.function(
        lambda *xs: converted(module.params, *xs), input_signature=signature, autograph=False
    )
    tf.saved_model.save(module, str(out / SAVED), signatures=module.serve)


def savedmodel_convert(model: Any, inputs: tuple[Any, ...], out: Path) -> None:
    _save(model, inputs, out)


def savedmodel_load(out: Path, inputs: tuple[Any, ...], threads: int) -> Run:
    loaded = tf.saved_model.load(str(out / SAVED))
    args = [tf.constant(x) for x in float32_arrays(inputs)]
    return lambda: [np.asarray(t) for t in tf.nest.flatten(loaded.serve(*args))]


def _converter(model: Any, inputs: tuple[Any, ...], out: Path) -> Any:
    _save(model, inputs, out)
    return tf.lite.TFLiteConverter.from_saved_model(str(out / SAVED))


def litert_convert(model: Any, inputs: tuple[Any, ...], out: Path) -> None:
    write_tflite(_converter(model, inputs, out), out, out / SAVED)


def litert_int8_convert(model: Any, inputs: tuple[Any, ...], out: Path) -> None:
    converter = quantize_int8(_converter(model, inputs, out), float32_arrays(inputs))
    write_tflite(converter, out, out / SAVED)


def litert_load(out: Path, inputs: tuple[Any, ...], threads: int) -> Run:
    return litert_runner(out / "model.tflite", float32_arrays(inputs), threads)
