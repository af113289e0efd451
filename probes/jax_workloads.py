"""JAX workloads for the fwadvisor probe. Loaded by file path inside a worker process only.

Modes: eager (op by op: every jax.numpy call dispatches on its own, no jit around the
workload) and jit (the whole workload under jax.jit, compiled by XLA). Plain jax.numpy and
jax.lax with Optax for the optimizer, no Flax (its import costs seconds and adds nothing to
the timing). Every case returns its first output as a NumPy array (checked against eager)
and counts the traces of its jitted function: a trace happens on every jit cache miss (a new
shape or dtype), so it counts recompilations as torch counts graphs and TF counts traces.

Threads: XLA:CPU has no setting for its intra-op thread pool; it sizes the pool from the
process's CPU affinity mask. setup() therefore restricts the affinity to `intra` CPUs when
fewer are asked for than the process may use, and for one thread also turns Eigen's
multi-threading off (--xla_cpu_multi_thread_eigen=false intra_op_parallelism_threads=1 in
XLA_FLAGS). Both must happen before JAX creates its CPU client, i.e. before the first array:
this module creates none at import. XLA has no inter-op pool to set (one device runs one
computation at a time), so threads_inter is reported as None.

JAX dispatches asynchronously on CPU and GPU alike: run() keeps the outputs it queued and
sync() waits for them (block_until_ready), so a timed block ends when the work has.
"""

from __future__ import annotations

import itertools
import os
from collections.abc import Callable
from typing import Any

import jax
import jax.numpy as jnp
import numpy as np
import optax
from jax import lax

from fwadvisor.probe.worker import transformer_ref as ref

TOLERANCES = {
    "dynamic": (1e-3, 1e-4),
    "mlp_train": (1e-3, 1e-5),
    "transformer_train": (1e-3, 1e-5),
    "decode": (1e-3, 1e-4),
}
MODES = ("eager", "jit")
ONE_THREAD_FLAGS = "--xla_cpu_multi_thread_eigen=false intra_op_parallelism_threads=1"


def _cpus() -> list[int] | None:
    """The CPUs this process may run on; None where the OS has no affinity API (macOS)."""
    if not hasattr(os, "sched_getaffinity"):
        return None
    return sorted(os.sched_getaffinity(0))


def _pin_threads(intra: int) -> int | None:
    """Restrict XLA:CPU to `intra` threads (see the module docstring); returns the pool size,
    None where it cannot be set or read."""
    if intra == 1:
        flags = os.environ.get("XLA_FLAGS", "")
        os.environ["XLA_FLAGS"] = f"{flags} {ONE_THREAD_FLAGS}".strip()
    cpus = _cpus()
    if cpus is None:
        return 1 if intra == 1 else None
    if intra < len(cpus):
        os.sched_setaffinity(0, cpus[:intra])
    return len(os.sched_getaffinity(0))


def _gpus() -> list[Any]:
    try:
        return list(jax.devices("gpu"))
    except RuntimeError:  # no GPU backend in this jaxlib, or no GPU
        return []


def setup(intra: int, inter: int, device: str) -> dict[str, Any]:
    pool = _pin_threads(intra)
    if os.environ.get("JAX_COMPILATION_CACHE_DIR"):
        # eager mode compiles every primitive on its own, each far under the 1 s default
        # threshold: cache them all, so later processes and runs start warm
        jax.config.update("jax_persistent_cache_min_compile_time_secs", 0.0)
    if device == "cuda":
        # JAX grabs 75% of GPU memory up front by default: allocate as needed, like TF's growth
        os.environ.setdefault("XLA_PYTHON_CLIENT_PREALLOCATE", "false")
        gpus = _gpus()
    else:
        jax.config.update("jax_platforms", "cpu")  # CPU measurements stay on the CPU
        gpus = []
    import jaxlib

    build = {
        "jaxlib": str(getattr(jaxlib, "__version__", "unknown")),
        "backend": jax.default_backend(),
        "xla_flags": os.environ.get("XLA_FLAGS", "") or "default",
        "cpu_affinity": ",".join(map(str, _cpus() or [])) or "not settable here",
        "optax": str(optax.__version__),
        # float32 dots on recent NVIDIA GPUs may use TF32 at "default" precision
        "matmul_precision": str(
            getattr(jax.config, "jax_default_matmul_precision", None) or "default"
        ),
    }
    if gpus:
        build["gpu"] = str(gpus[0].device_kind)
    devices = ["cpu"] + (["cuda"] if gpus else [])
    error = None if device in devices else "this JAX install has no CUDA plugin or sees no GPU"
    return {
        "installed": True,
        "version": jax.__version__,
        "build": build,
        "threads_intra": pool,
        "threads_inter": None,
        "devices": devices,
        "error": error,
    }


def _device(device: str) -> Any:
    return _gpus()[0] if device == "cuda" else jax.devices("cpu")[0]


class JaxCase:
    def __init__(
        self,
        fn: Callable[[], Any],
        device: str,
        traces: list[int] | None,
        check: Callable[[], Any] | None = None,
    ) -> None:
        self.fn, self.device, self.traces = fn, device, traces
        self._check = check or fn
        self._queued: list[Any] = []

    def check(self) -> Any:
        out = jax.block_until_ready(self._check())
        return np.asarray(jax.device_get(out), dtype=np.float32)

    def run(self) -> None:
        self._queued.append(self.fn())

    def sync(self) -> None:
        jax.block_until_ready(self._queued)
        self._queued.clear()

    def compiles(self) -> int | None:
        return self.traces[0] if self.traces is not None else None

    def reset_peak_mem(self) -> None:
        return None

    def peak_mem(self) -> int | None:
        # memory_stats() has a peak but no way to reset it: it could not be told per mode
        return None


def _wrap(fn: Callable[..., Any], mode: str) -> tuple[Callable[..., Any], list[int] | None]:
    """The function as the mode runs it, and its trace counter (jit only)."""
    if mode == "eager":
        return fn, None
    traces = [0]

    def traced(*args: Any) -> Any:
        traces[0] += 1  # Python runs here only while tracing: once per jit cache miss
        return fn(*args)

    return jax.jit(traced), traces


def _put(dev: Any, x: np.ndarray[Any, Any]) -> Any:
    return jax.device_put(x, dev)


def _dispatch(p: dict[str, Any], rng: np.random.Generator, dev: Any) -> tuple[Any, Any]:
    x = _put(dev, rng.standard_normal(int(p["size"]), dtype=np.float32))
    length = int(p["length"])

    def chain(y: Any) -> Any:
        for _ in range(length):
            y = jnp.sin(y) * 0.5 + 0.1  # a chain: y used once, as in the other workers
        return y

    return (x,), chain


def _matmul(p: dict[str, Any], rng: np.random.Generator, dev: Any) -> tuple[Any, Any]:
    n = int(p["n"])
    a = _put(dev, rng.standard_normal((n, n), dtype=np.float32))
    b = _put(dev, rng.standard_normal((n, n), dtype=np.float32))
    return (a, b), jnp.matmul


def _cnn(p: dict[str, Any], rng: np.random.Generator, dev: Any) -> tuple[Any, Any]:
    batch, size, ch = int(p["batch"]), int(p["image"]), int(p["channels"])

    def var(*shape: int, scale: float = 0.1) -> Any:
        return _put(dev, rng.standard_normal(shape, dtype=np.float32) * scale)

    k1, b1, k2, b2 = var(3, 3, 3, ch), var(ch), var(3, 3, ch, 2 * ch), var(2 * ch)
    w, b = var(2 * ch, 10), var(10)
    x = _put(dev, rng.standard_normal((batch, size, size, 3), dtype=np.float32))
    dims = ("NHWC", "HWIO", "NHWC")  # channels last, as TensorFlow's CPU kernels prefer

    def net(x: Any) -> Any:
        h = lax.conv_general_dilated(x, k1, (1, 1), "SAME", dimension_numbers=dims)
        h = jax.nn.relu(h + b1)
        h = lax.reduce_window(h, -jnp.inf, lax.max, (1, 2, 2, 1), (1, 2, 2, 1), "VALID")
        h = lax.conv_general_dilated(h, k2, (1, 1), "SAME", dimension_numbers=dims)
        h = jax.nn.relu(h + b2)
        return jnp.mean(h, axis=(1, 2)) @ w + b

    return (x,), net


def _mlp_params(p: dict[str, Any], rng: np.random.Generator, dev: Any) -> list[Any]:
    width, depth = int(p["width"]), int(p["depth"])
    sizes = [width] * (depth + 1) + [10]
    params = []
    for fan_in, fan_out in itertools.pairwise(sizes):
        bound = 1.0 / fan_in**0.5
        params.append(_put(dev, rng.uniform(-bound, bound, (fan_in, fan_out)).astype(np.float32)))
        params.append(_put(dev, np.zeros(fan_out, dtype=np.float32)))
    return params


def _loss(params: list[Any], x: Any, y: Any) -> Any:
    h = x
    for i in range(0, len(params) - 2, 2):
        h = jax.nn.relu(h @ params[i] + params[i + 1])
    logits = h @ params[-2] + params[-1]
    return optax.softmax_cross_entropy_with_integer_labels(logits, y).mean()


class _Trainer:
    """Plain SGD through Optax on an MLP; the state is carried from call to call."""

    def __init__(self, p: dict[str, Any], rng: np.random.Generator, dev: Any, mode: str):
        batch, width = int(p["batch"]), int(p["width"])
        self.params = _mlp_params(p, rng, dev)
        self.x = _put(dev, rng.standard_normal((batch, width), dtype=np.float32))
        self.y = _put(dev, rng.integers(0, 10, batch).astype(np.int32))
        self.opt = optax.sgd(0.01)
        self.opt_state = self.opt.init(self.params)
        self.step_fn, self.traces = _wrap(self._step, mode)

    def _step(self, params: Any, opt_state: Any, x: Any, y: Any) -> Any:
        loss, grads = jax.value_and_grad(_loss)(params, x, y)
        updates, opt_state = self.opt.update(grads, opt_state, params)
        return optax.apply_updates(params, updates), opt_state, loss

    def step(self) -> Any:
        self.params, self.opt_state, loss = self.step_fn(
            self.params, self.opt_state, self.x, self.y
        )
        return loss

    def first(self) -> Any:
        loss = self.step()
        weights = np.asarray(self.params[0]).T.flatten()[:1024]
        return np.concatenate([[float(loss)], weights])


def _dynamic(p: dict[str, Any], rng: np.random.Generator, dev: Any, eager: bool) -> tuple[Any, Any]:
    width, lengths = int(p["width"]), [int(n) for n in p["lengths"]]
    w1 = _put(dev, rng.standard_normal((width, width), dtype=np.float32) / width**0.5)
    w2 = _put(dev, rng.standard_normal((width, width), dtype=np.float32))
    xs = [
        _put(dev, np.abs(rng.standard_normal((n, width), dtype=np.float32)) * (1 - 2 * (i % 2)))
        for i, n in enumerate(lengths)
    ]

    def seq(x: Any) -> Any:
        h = jnp.cumsum(jnp.tanh(x @ w1), axis=0)  # length varies per call: one trace each
        positive = jnp.mean(h) > 0  # a data-dependent branch
        if eager:  # op by op the value is concrete: a Python `if` (it waits for the value)
            return jnp.sum(jnp.tanh(h @ w2) if positive else -h, axis=0)
        # under jit a Python `if` on a traced value raises: the branch is staged out
        h = lax.cond(positive, lambda h: jnp.tanh(h @ w2), lambda h: -h, h)
        return jnp.sum(h, axis=0)

    return (xs,), seq


def _ln(x: Any, g: Any, b: Any) -> Any:
    mean = jnp.mean(x, -1, keepdims=True)
    var = jnp.mean((x - mean) ** 2, -1, keepdims=True)
    return (x - mean) * lax.rsqrt(var + ref.LN_EPS) * g + b


def _head(w: dict[str, Any], h: Any) -> Any:
    m = _ln(h, w["ln2_g"], w["ln2_b"])
    h = h + jax.nn.gelu(m @ w["w1"] + w["b1"], approximate=True) @ w["w2"] + w["b2"]
    return _ln(h, w["lnf_g"], w["lnf_b"]) @ w["head"]


def _block_loss(w: dict[str, Any], x: Any, y: Any, heads: int) -> Any:
    b, t = x.shape
    d = w["embed"].shape[1]
    hd = d // heads
    h = w["embed"][x] + w["pos"][:t]
    qkv = _ln(h, w["ln1_g"], w["ln1_b"]) @ w["wqkv"] + w["bqkv"]
    q, k, v = (z.reshape(b, t, heads, hd).transpose(0, 2, 1, 3) for z in jnp.split(qkv, 3, -1))
    att = q @ k.transpose(0, 1, 3, 2) / hd**0.5
    att = jax.nn.softmax(jnp.where(jnp.tril(jnp.ones((t, t), bool)), att, ref.MASKED), -1)
    o = (att @ v).transpose(0, 2, 1, 3).reshape(b, t, d)
    logits = _head(w, h + o @ w["wo"] + w["bo"])
    return optax.softmax_cross_entropy_with_integer_labels(logits, y).mean()


class _TransformerTrainer:
    """One AdamW step (Optax) on the decoder block; the state is carried from call to call."""

    def __init__(self, p: dict[str, Any], seed: int, dev: Any, mode: str):
        self.p, self.seed, self.heads = p, seed, int(p["heads"])
        self.w = {k: _put(dev, v) for k, v in ref.init_weights(p, seed).items()}
        toks = ref.tokens(p, seed)
        self.x, self.y = _put(dev, toks[:, :-1]), _put(dev, toks[:, 1:])
        h = ref.ADAMW
        self.opt = optax.adamw(
            h["lr"], b1=h["b1"], b2=h["b2"], eps=h["eps"], weight_decay=h["weight_decay"]
        )
        self.opt_state = self.opt.init(self.w)
        self.step_fn, self.traces = _wrap(self._step, mode)

    def _step(self, w: Any, opt_state: Any, x: Any, y: Any) -> Any:
        loss, grads = jax.value_and_grad(_block_loss)(w, x, y, self.heads)
        updates, opt_state = self.opt.update(grads, opt_state, w)
        return optax.apply_updates(w, updates), opt_state, loss

    def step(self) -> Any:
        self.w, self.opt_state, loss = self.step_fn(self.w, self.opt_state, self.x, self.y)
        return loss

    def first(self) -> Any:
        loss = float(self.step())
        ref.check_loss(loss, self.p, self.seed)  # same weights and data: the same loss
        return np.concatenate([[loss], np.asarray(self.w["wqkv"]).flatten()[:1024]])


def _decode(p: dict[str, Any], seed: int, dev: Any, mode: str) -> JaxCase:
    w = {k: _put(dev, v) for k, v in ref.init_weights(p, seed).items()}
    d, heads, _, _, t = ref.dims(p)
    hd = d // heads
    prompt = ref.prompt(p, seed)
    b, n_prompt = prompt.shape
    given = [_put(dev, prompt[:, i]) for i in range(n_prompt)]
    positions = [_put(dev, np.array(i, dtype=np.int32)) for i in range(t)]
    index = jnp.arange(t)

    def step(token: Any, pos: Any, ck: Any, cv: Any) -> Any:
        h = w["embed"][token] + w["pos"][pos]
        qkv = _ln(h, w["ln1_g"], w["ln1_b"]) @ w["wqkv"] + w["bqkv"]
        q, k, v = (z.reshape(b, heads, 1, hd) for z in jnp.split(qkv, 3, -1))
        here = (index == pos).reshape(1, 1, t, 1)
        ck, cv = jnp.where(here, k, ck), jnp.where(here, v, cv)
        att = q @ ck.transpose(0, 1, 3, 2) / hd**0.5
        att = jax.nn.softmax(jnp.where(index <= pos, att, ref.MASKED), -1)
        h = h + (att @ cv).reshape(b, d) @ w["wo"] + w["bo"]
        return _head(w, h), ck, cv

    wrapped, traces = _wrap(step, mode)

    def generate() -> Any:
        ck = cv = jnp.zeros((b, heads, t, hd), jnp.float32)
        token, out = given[0], []
        for i in range(t - 1):  # the prompt, then one step per new token but the last
            logits, ck, cv = wrapped(token, positions[i], ck, cv)
            token = given[i + 1] if i + 1 < n_prompt else jnp.argmax(logits, -1).astype(jnp.int32)
            if i + 1 >= n_prompt:
                out.append(logits)
        return jnp.stack(out)

    return JaxCase(generate, "cpu", traces)


BUILDERS = {
    "dispatch": _dispatch,
    "matmul": _matmul,
    "cnn_infer": _cnn,
}


def make_case(workload: str, params: dict[str, Any], mode: str, device: str, seed: int) -> JaxCase:
    if mode not in MODES:
        raise ValueError(f"unknown JAX mode {mode!r}")
    dev = _device(device)
    rng = np.random.default_rng(seed)
    if workload == "mlp_train":
        trainer = _Trainer(params, rng, dev, mode)
        return JaxCase(trainer.step, device, trainer.traces, trainer.first)
    if workload == "transformer_train":
        tt = _TransformerTrainer(params, seed, dev, mode)
        return JaxCase(tt.step, device, tt.traces, tt.first)
    if workload == "decode":
        case = _decode(params, seed, dev, mode)
        case.device = device
        return case
    if workload == "dynamic":
        (xs,), seq = _dynamic(params, rng, dev, eager=mode == "eager")
        per_length, traces = _wrap(seq, mode)
        return JaxCase(lambda: jnp.stack([per_length(x) for x in xs]), device, traces)
    args, fn = BUILDERS[workload](params, rng, dev)
    wrapped, traces = _wrap(fn, mode)
    return JaxCase(lambda: wrapped(*args), device, traces)


__all__ = ["TOLERANCES", "make_case", "setup"]
