"""dp_train for JAX: the MLP training step, data-parallel by sharding the batch over devices.

The batch is split along a one-axis device mesh (NamedSharding), parameters are replicated,
and jax.jit's partitioner inserts the gradient all-reduce. On CPU the devices come from
XLA_FLAGS=--xla_force_host_platform_device_count=N, which the dp worker sets before JAX
loads (they share the host's cores: CPU scaling measures the overhead, not more hardware).
Each device gets `batch` rows (weak scaling). The step should move to the transformer block
once the probe has one.
"""

from __future__ import annotations

import itertools
import time
from typing import Any

import jax
import jax.numpy as jnp
import numpy as np
from jax.sharding import Mesh, NamedSharding, PartitionSpec

STRATEGY = {
    "cpu": "jit over a data-sharded mesh (host devices)",
    "cuda": "jit over a data-sharded mesh",
}


def _init(rng: np.random.Generator, width: int, depth: int) -> list[tuple[Any, Any]]:
    sizes = [width] * (depth + 1) + [10]
    return [
        (
            rng.uniform(-(a**-0.5), a**-0.5, (a, b)).astype(np.float32),
            np.zeros((b,), np.float32),
        )
        for a, b in itertools.pairwise(sizes)
    ]


def _loss(params: list[tuple[Any, Any]], x: Any, y: Any) -> Any:
    h = x
    for w, b in params[:-1]:
        h = jax.nn.relu(h @ w + b)
    w, b = params[-1]
    logits = h @ w + b
    return -jnp.mean(jnp.take_along_axis(jax.nn.log_softmax(logits), y[:, None], axis=1))


def dp_train(spec: dict[str, Any]) -> list[float]:
    n = int(spec["devices"])
    platform = "gpu" if spec["device"] == "cuda" else "cpu"
    devices = jax.devices(platform)[:n]
    if len(devices) < n:
        raise RuntimeError(f"{n} {platform} devices asked for, {len(devices)} present")
    mesh = Mesh(np.array(devices), ("data",))
    rows, same = NamedSharding(mesh, PartitionSpec("data")), NamedSharding(mesh, PartitionSpec())
    width, depth, batch = int(spec["width"]), int(spec["depth"]), int(spec["batch"])
    rng = np.random.default_rng(int(spec["seed"]))
    params = jax.device_put(_init(rng, width, depth), same)
    x = jax.device_put(rng.standard_normal((batch * n, width)).astype(np.float32), rows)
    y = jax.device_put(rng.integers(0, 10, (batch * n,)).astype(np.int32), rows)

    @jax.jit
    def step(p: list[tuple[Any, Any]], xb: Any, yb: Any) -> tuple[list[tuple[Any, Any]], Any]:
        loss, grads = jax.value_and_grad(_loss)(p, xb, yb)
        return jax.tree.map(lambda a, g: a - 0.01 * g, p, grads), loss

    for _ in range(int(spec["warmup"])):
        params, _ = step(params, x, y)
    jax.block_until_ready(params)
    block, samples = int(spec["block"]), []
    for _ in range(int(spec["samples"])):
        start = time.perf_counter()
        for _ in range(block):
            params, _ = step(params, x, y)
        jax.block_until_ready(params)
        samples.append((time.perf_counter() - start) / block)
    return samples
