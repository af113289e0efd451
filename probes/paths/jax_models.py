"""Reference models for the JAX path checks (same architectures as torch_models.py and
tf_models.py). Loaded by path inside a path-check worker only.

A JAX model here is what JAX code usually is: a pure function and its parameters. Each
builder returns ((apply, params), inputs): `apply(params, *inputs)` gives the output, `params`
is a dict of float32 jax arrays (initialised like PyTorch's defaults: uniform within
1/sqrt(fan_in)), `inputs` a tuple of float32 NumPy arrays. Images are NHWC, as in Keras.

The data-dependent branch uses `lax.cond`. A plain Python `if jnp.mean(x) > 0:` runs op by op
(eager JAX evaluates the comparison to a concrete bool), but fails as soon as the function is
traced, under `jax.jit` and in `jax2tf.convert` alike, with TracerBoolConversionError:
tests/fixtures/paths_models/branchy_jax.py is that model, and its checks fail at convert.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import jax
import jax.numpy as jnp
import numpy as np
from jax import lax

Params = dict[str, Any]
Apply = Callable[..., Any]


class _Init:
    """Seeded parameters, one key per tensor."""

    def __init__(self, seed: int) -> None:
        self.key = jax.random.key(seed)

    def _next(self) -> Any:
        self.key, sub = jax.random.split(self.key)
        return sub

    def uniform(self, shape: tuple[int, ...], fan_in: int) -> Any:
        bound = 1.0 / math.sqrt(fan_in)
        return jax.random.uniform(self._next(), shape, jnp.float32, -bound, bound)

    def dense(self, n_in: int, n_out: int) -> dict[str, Any]:
        return {"w": self.uniform((n_in, n_out), n_in), "b": self.uniform((n_out,), n_in)}

    def conv(self, k: int, c_in: int, c_out: int) -> dict[str, Any]:
        fan_in = k * k * c_in
        return {"w": self.uniform((k, k, c_in, c_out), fan_in), "b": self.uniform((c_out,), fan_in)}


def _dense(p: dict[str, Any], x: Any) -> Any:
    return x @ p["w"] + p["b"]


def _conv(p: dict[str, Any], x: Any) -> Any:
    y = lax.conv_general_dilated(
        x, p["w"], window_strides=(1, 1), padding="SAME", dimension_numbers=("NHWC", "HWIO", "NHWC")
    )
    return y + p["b"]


def cnn_apply(params: Params, x: Any) -> Any:
    x = jax.nn.relu(_conv(params["conv1"], x))
    x = lax.reduce_window(x, -jnp.inf, lax.max, (1, 2, 2, 1), (1, 2, 2, 1), "VALID")
    x = jax.nn.relu(_conv(params["conv2"], x))
    return _dense(params["fc"], jnp.mean(x, axis=(1, 2)))


def _cnn(init: _Init) -> Params:
    return {"conv1": init.conv(3, 3, 16), "conv2": init.conv(3, 16, 32), "fc": init.dense(32, 10)}


def mlp_apply(params: Params, x: Any) -> Any:
    x = jax.nn.relu(_dense(params["fc1"], x))
    x = jax.nn.relu(_dense(params["fc2"], x))
    return _dense(params["fc3"], x)


def _mlp(init: _Init) -> Params:
    return {"fc1": init.dense(64, 128), "fc2": init.dense(128, 128), "fc3": init.dense(128, 10)}


HEADS = 4


def _layer_norm(p: dict[str, Any], x: Any, eps: float = 1e-5) -> Any:
    mean = jnp.mean(x, axis=-1, keepdims=True)
    var = jnp.mean(jnp.square(x - mean), axis=-1, keepdims=True)
    return (x - mean) * lax.rsqrt(var + eps) * p["scale"] + p["bias"]


def transformer_apply(params: Params, x: Any) -> Any:
    """Pre-norm block: multi-head self-attention and a GELU MLP, both residual."""
    b, t, d = x.shape
    qkv = _dense(params["qkv"], _layer_norm(params["norm1"], x))
    q, k, v = (
        z.reshape(b, t, HEADS, d // HEADS).transpose(0, 2, 1, 3) for z in jnp.split(qkv, 3, -1)
    )
    att = jax.nn.softmax(q @ k.transpose(0, 1, 3, 2) / math.sqrt(d // HEADS), axis=-1)
    y = (att @ v).transpose(0, 2, 1, 3).reshape(b, t, d)
    x = x + _dense(params["proj"], y)
    h = jax.nn.gelu(_dense(params["fc1"], _layer_norm(params["norm2"], x)), approximate=False)
    return x + _dense(params["fc2"], h)


def _transformer(init: _Init, dim: int = 64) -> Params:
    norm = {"scale": jnp.ones((dim,), jnp.float32), "bias": jnp.zeros((dim,), jnp.float32)}
    return {
        "norm1": dict(norm),
        "qkv": init.dense(dim, 3 * dim),
        "proj": init.dense(dim, dim),
        "norm2": dict(norm),
        "fc1": init.dense(dim, 4 * dim),
        "fc2": init.dense(4 * dim, dim),
    }


def branch_apply(params: Params, x: Any) -> Any:
    """One of two branches by the sign of the input's mean, as `lax.cond` (see the module
    docstring for the Python `if`)."""
    return lax.cond(
        jnp.mean(x) > 0,
        lambda: jax.nn.relu(_dense(params["a"], x)),
        lambda: jnp.tanh(_dense(params["b"], x)),
    )


def _branch(init: _Init) -> Params:
    return {"a": init.dense(32, 16), "b": init.dense(32, 16)}


BUILDERS: dict[str, tuple[Apply, Callable[[_Init], Params]]] = {
    "cnn": (cnn_apply, _cnn),
    "mlp": (mlp_apply, _mlp),
    "transformer": (transformer_apply, _transformer),
    "branch": (branch_apply, _branch),
}
SHAPES = {"cnn": (1, 32, 32, 3), "mlp": (1, 64), "transformer": (1, 16, 64), "branch": (1, 32)}


def build(name: str, seed: int) -> tuple[Any, tuple[Any, ...]]:
    apply, make = BUILDERS[name]
    params = make(_Init(seed))
    x = np.random.default_rng(seed + 1).standard_normal(SHAPES[name]).astype(np.float32)
    if name == "branch":
        x = np.abs(x)  # positive mean: the `a` branch
    return (apply, params), (x,)
