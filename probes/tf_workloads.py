"""TensorFlow workloads for the fwadvisor probe. Loaded by file path inside a worker process only.

Modes: eager, function (tf.function), xla (tf.function(jit_compile=True)). Plain tf.Variable
and tf.nn ops, no Keras (its import alone costs seconds). Counts traces of each tf.function.
"""

from __future__ import annotations

import itertools
import os
from collections.abc import Callable
from typing import Any

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import numpy as np
import tensorflow as tf

TOLERANCES = {"dynamic": (1e-3, 1e-4), "mlp_train": (1e-3, 1e-5)}
MODES = ("eager", "function", "xla")


def setup(intra: int, inter: int, device: str) -> dict[str, Any]:
    tf.config.threading.set_intra_op_parallelism_threads(intra)
    tf.config.threading.set_inter_op_parallelism_threads(inter)
    gpus = tf.config.list_physical_devices("GPU")
    if device == "cuda":
        for gpu in gpus:
            tf.config.experimental.set_memory_growth(gpu, True)
    else:
        tf.config.set_visible_devices([], "GPU")  # CPU measurements stay on the CPU
    info = tf.sysconfig.get_build_info()
    build = {
        k: str(info[k]) for k in ("is_cuda_build", "cuda_version", "cudnn_version") if k in info
    }
    build["onednn_opts"] = os.environ.get("TF_ENABLE_ONEDNN_OPTS", "default")
    devices = ["cpu"] + (["cuda"] if gpus else [])
    error = None if device in devices else "TensorFlow sees no GPU (CUDA build and driver needed)"
    return {
        "installed": True,
        "version": tf.__version__,
        "build": build,
        "threads_intra": tf.config.threading.get_intra_op_parallelism_threads(),
        "threads_inter": tf.config.threading.get_inter_op_parallelism_threads(),
        "devices": devices,
        "error": error,
    }


class TfCase:
    def __init__(
        self,
        fn: Callable[[], Any],
        device: str,
        traced: Any,
        check: Callable[[], Any] | None = None,
    ) -> None:
        self.fn, self.device, self.traced = fn, device, traced
        self._check = check or fn
        self.dev = "/GPU:0" if device == "cuda" else "/CPU:0"

    def check(self) -> Any:
        with tf.device(self.dev):
            return np.asarray(self._check())

    def run(self) -> None:
        with tf.device(self.dev):
            self.fn()

    def sync(self) -> None:
        if self.device == "cuda":
            tf.test.experimental.sync_devices()

    def compiles(self) -> int | None:
        return int(self.traced.experimental_get_tracing_count()) if self.traced else None

    def reset_peak_mem(self) -> None:
        if self.device == "cuda":
            tf.config.experimental.reset_memory_stats("GPU:0")

    def peak_mem(self) -> int | None:
        if self.device != "cuda":
            return None
        return int(tf.config.experimental.get_memory_info("GPU:0")["peak"])


def _wrap(fn: Any, mode: str) -> Any:
    if mode == "eager":
        return fn
    return tf.function(fn, jit_compile=(mode == "xla"))


def _dispatch(p: dict[str, Any], rng: np.random.Generator) -> tuple[Any, Callable[..., Any]]:
    x = tf.constant(rng.standard_normal(int(p["size"]), dtype=np.float32))
    length = int(p["length"])

    def chain(y: Any) -> Any:
        for _ in range(length):
            y = tf.sin(y) * 0.5 + 0.1  # a chain: y used once (reuse would blow up fusion)
        return y

    return (x,), chain


def _matmul(p: dict[str, Any], rng: np.random.Generator) -> tuple[Any, Callable[..., Any]]:
    n = int(p["n"])
    a = tf.constant(rng.standard_normal((n, n), dtype=np.float32))
    b = tf.constant(rng.standard_normal((n, n), dtype=np.float32))
    return (a, b), tf.linalg.matmul


def _cnn(p: dict[str, Any], rng: np.random.Generator) -> tuple[Any, Callable[..., Any]]:
    batch, size, ch = int(p["batch"]), int(p["image"]), int(p["channels"])

    def var(*shape: int, scale: float = 0.1) -> Any:
        return tf.Variable(rng.standard_normal(shape, dtype=np.float32) * scale)

    k1, b1, k2, b2 = var(3, 3, 3, ch), var(ch), var(3, 3, ch, 2 * ch), var(2 * ch)
    w, b = var(2 * ch, 10), var(10)
    x = tf.constant(rng.standard_normal((batch, size, size, 3), dtype=np.float32))

    def net(x: Any) -> Any:
        h = tf.nn.relu(tf.nn.conv2d(x, k1, 1, "SAME") + b1)
        h = tf.nn.max_pool2d(h, 2, 2, "VALID")
        h = tf.nn.relu(tf.nn.conv2d(h, k2, 1, "SAME") + b2)
        return tf.reduce_mean(h, axis=[1, 2]) @ w + b

    return (x,), net


def _mlp_train(p: dict[str, Any], rng: np.random.Generator) -> tuple[Any, Callable[..., Any]]:
    batch, width, depth = int(p["batch"]), int(p["width"]), int(p["depth"])
    sizes = [width] * (depth + 1) + [10]
    params = []
    for fan_in, fan_out in itertools.pairwise(sizes):
        bound = 1.0 / fan_in**0.5
        params.append(tf.Variable(rng.uniform(-bound, bound, (fan_in, fan_out)).astype(np.float32)))
        params.append(tf.Variable(np.zeros(fan_out, dtype=np.float32)))
    x = tf.constant(rng.standard_normal((batch, width), dtype=np.float32))
    y = tf.constant(rng.integers(0, 10, batch))

    def step(x: Any, y: Any) -> Any:
        with tf.GradientTape() as tape:
            h = x
            for i in range(0, len(params) - 2, 2):
                h = tf.nn.relu(h @ params[i] + params[i + 1])
            logits = h @ params[-2] + params[-1]
            loss = tf.reduce_mean(
                tf.nn.sparse_softmax_cross_entropy_with_logits(labels=y, logits=logits)
            )
        for v, g in zip(params, tape.gradient(loss, params), strict=True):
            v.assign_sub(0.01 * g)
        return loss

    def first_output(loss: Any) -> Any:
        return np.concatenate([[float(loss)], params[0].numpy().T.flatten()[:1024]])

    return (x, y, first_output), step


def _dynamic(p: dict[str, Any], rng: np.random.Generator) -> tuple[Any, Callable[..., Any]]:
    width, lengths = int(p["width"]), [int(n) for n in p["lengths"]]
    w1 = tf.constant(rng.standard_normal((width, width), dtype=np.float32) / width**0.5)
    w2 = tf.constant(rng.standard_normal((width, width), dtype=np.float32))
    xs = [
        tf.constant(np.abs(rng.standard_normal((n, width), dtype=np.float32)) * (1 - 2 * (i % 2)))
        for i, n in enumerate(lengths)
    ]

    def seq(x: Any) -> Any:
        h = tf.cumsum(tf.tanh(x @ w1), axis=0)
        if tf.reduce_mean(h) > 0:  # noqa: SIM108 (autograph: tf.cond in tf.function)
            h = tf.tanh(h @ w2)
        else:
            h = -h
        return tf.reduce_sum(h, axis=0)

    return (xs,), seq


BUILDERS = {
    "dispatch": _dispatch,
    "matmul": _matmul,
    "mlp_train": _mlp_train,
    "cnn_infer": _cnn,
    "dynamic": _dynamic,
}


def make_case(workload: str, params: dict[str, Any], mode: str, device: str, seed: int) -> TfCase:
    if mode not in MODES:
        raise ValueError(f"unknown TensorFlow mode {mode!r}")
    with tf.device("/GPU:0" if device == "cuda" else "/CPU:0"):
        args, fn = BUILDERS[workload](params, np.random.default_rng(seed))
    wrapped = _wrap(fn, mode)
    traced = wrapped if mode != "eager" else None
    if workload == "mlp_train":
        x, y, first_output = args
        return TfCase(lambda: wrapped(x, y), device, traced, lambda: first_output(wrapped(x, y)))
    if workload == "dynamic":
        (xs,) = args
        return TfCase(lambda: tf.stack([wrapped(x) for x in xs]), device, traced)
    return TfCase(lambda: wrapped(*args), device, traced)
