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

from fwadvisor.probe.worker import transformer_ref as ref

TOLERANCES = {
    "dynamic": (1e-3, 1e-4),
    "mlp_train": (1e-3, 1e-5),
    "transformer_train": (1e-3, 1e-5),
    "decode": (1e-3, 1e-4),
}
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


def _ln(x: Any, g: Any, b: Any) -> Any:
    mean, var = tf.nn.moments(x, axes=[-1], keepdims=True)
    return (x - mean) * tf.math.rsqrt(var + ref.LN_EPS) * g + b


def _head(w: dict[str, Any], h: Any) -> Any:
    m = _ln(h, w["ln2_g"], w["ln2_b"])
    h = h + tf.nn.gelu(m @ w["w1"] + w["b1"], approximate=True) @ w["w2"] + w["b2"]
    return _ln(h, w["lnf_g"], w["lnf_b"]) @ w["head"]


def _block_loss(w: dict[str, Any], x: Any, y: Any, heads: int) -> Any:
    b, t = x.shape
    d = w["embed"].shape[1]
    hd = d // heads
    h = tf.gather(w["embed"], x) + w["pos"][:t]
    qkv = _ln(h, w["ln1_g"], w["ln1_b"]) @ w["wqkv"] + w["bqkv"]
    q, k, v = (
        tf.transpose(tf.reshape(z, (b, t, heads, hd)), (0, 2, 1, 3)) for z in tf.split(qkv, 3, -1)
    )
    att = tf.matmul(q, k, transpose_b=True) / hd**0.5
    causal = tf.linalg.band_part(tf.ones((t, t), dtype=tf.bool), -1, 0)
    att = tf.nn.softmax(tf.where(causal, att, ref.MASKED), axis=-1)
    o = tf.reshape(tf.transpose(att @ v, (0, 2, 1, 3)), (b, t, d))
    logits = _head(w, h + o @ w["wo"] + w["bo"])
    return tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(labels=y, logits=logits))


def _transformer_train(p: dict[str, Any], seed: int, mode: str) -> TfCase:
    """One AdamW step (decoupled weight decay, bias-corrected) on tf.Variables."""
    w = {k: tf.Variable(v) for k, v in ref.init_weights(p, seed).items()}
    names = list(w)
    m = {k: tf.Variable(tf.zeros_like(v)) for k, v in w.items()}
    s = {k: tf.Variable(tf.zeros_like(v)) for k, v in w.items()}
    count = tf.Variable(0.0)
    toks = ref.tokens(p, seed)
    x, y = tf.constant(toks[:, :-1]), tf.constant(toks[:, 1:])
    heads, h = int(p["heads"]), ref.ADAMW

    def step(x: Any, y: Any) -> Any:
        with tf.GradientTape() as tape:
            loss = _block_loss(w, x, y, heads)
        grads = tape.gradient(loss, [w[k] for k in names])
        count.assign_add(1.0)
        fix1, fix2 = 1 - h["b1"] ** count, 1 - h["b2"] ** count
        for k, sparse in zip(names, grads, strict=True):
            g = tf.convert_to_tensor(sparse)  # the embedding's gradient comes as IndexedSlices
            m[k].assign(h["b1"] * m[k] + (1 - h["b1"]) * g)
            s[k].assign(h["b2"] * s[k] + (1 - h["b2"]) * g * g)
            w[k].assign(w[k] * (1 - h["lr"] * h["weight_decay"]))
            w[k].assign_sub(h["lr"] * (m[k] / fix1) / (tf.sqrt(s[k] / fix2) + h["eps"]))
        return loss

    wrapped = _wrap(step, mode)

    def first() -> Any:
        loss = float(wrapped(x, y))
        ref.check_loss(loss, p, seed)  # same weights and data: the same loss everywhere
        return np.concatenate([[loss], w["wqkv"].numpy().flatten()[:1024]])

    return TfCase(lambda: wrapped(x, y), "cpu", wrapped if mode != "eager" else None, first)


def _decode(p: dict[str, Any], seed: int, mode: str) -> TfCase:
    w = {k: tf.constant(v) for k, v in ref.init_weights(p, seed).items()}
    d, heads, _, _, t = ref.dims(p)
    hd = d // heads
    prompt = ref.prompt(p, seed)
    b, n_prompt = prompt.shape
    given = [tf.constant(prompt[:, i]) for i in range(n_prompt)]
    positions = [tf.constant(i, dtype=tf.int32) for i in range(t)]
    index = tf.range(t)

    def step(token: Any, pos: Any, ck: Any, cv: Any) -> Any:
        h = tf.gather(w["embed"], token) + tf.gather(w["pos"], pos)
        qkv = _ln(h, w["ln1_g"], w["ln1_b"]) @ w["wqkv"] + w["bqkv"]
        q, k, v = (tf.reshape(z, (b, heads, 1, hd)) for z in tf.split(qkv, 3, -1))
        here = tf.reshape(index == pos, (1, 1, t, 1))
        ck, cv = tf.where(here, k, ck), tf.where(here, v, cv)
        att = tf.matmul(q, ck, transpose_b=True) / hd**0.5
        att = tf.nn.softmax(tf.where(index <= pos, att, ref.MASKED), axis=-1)
        h = h + tf.reshape(att @ cv, (b, d)) @ w["wo"] + w["bo"]
        return _head(w, h), ck, cv

    wrapped = _wrap(step, mode)

    def generate() -> Any:
        ck = cv = tf.zeros((b, heads, t, hd))
        token, out = given[0], []
        for i in range(t - 1):  # the prompt, then one step per new token but the last
            logits, ck, cv = wrapped(token, positions[i], ck, cv)
            nxt = tf.cast(tf.argmax(logits, -1), tf.int32)
            token = given[i + 1] if i + 1 < n_prompt else nxt
            if i + 1 >= n_prompt:
                out.append(logits)
        return tf.stack(out)

    return TfCase(generate, "cpu", wrapped if mode != "eager" else None)


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
    if workload in ("transformer_train", "decode"):
        with tf.device("/GPU:0" if device == "cuda" else "/CPU:0"):
            build = _transformer_train if workload == "transformer_train" else _decode
            case = build(params, seed, mode)
        case.device = device
        case.dev = "/GPU:0" if device == "cuda" else "/CPU:0"
        return case
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
