"""dp_train for TensorFlow: the MLP training step under tf.distribute.MirroredStrategy.

One process, N replicas: GPUs, or on CPU N logical CPU devices split from the host (the
host's cores are shared: CPU scaling measures the strategy's overhead, not more hardware).
Each replica gets `batch` rows (weak scaling); gradients are all-reduced (NCCL on GPUs,
reduction to one device on CPU). The step runs under tf.function. MultiWorkerMirroredStrategy
(several nodes) is not measured here: `probe --ray` measures one node at a time.
The step should move to the transformer block once the probe has one.
"""

from __future__ import annotations

import time
from typing import Any

import numpy as np
import tensorflow as tf

STRATEGY = {"cpu": "MirroredStrategy (CPU replicas)", "cuda": "MirroredStrategy (NCCL)"}


def dp_train(spec: dict[str, Any]) -> list[float]:
    n, device = int(spec["devices"]), str(spec["device"])
    threads = int(spec["threads"])
    tf.config.threading.set_intra_op_parallelism_threads(threads * n)
    tf.config.threading.set_inter_op_parallelism_threads(max(2, n))
    if device == "cuda":
        gpus = tf.config.list_physical_devices("GPU")[:n]
        for gpu in gpus:
            tf.config.experimental.set_memory_growth(gpu, True)
        names = [f"/gpu:{i}" for i in range(n)]
        ops: Any = tf.distribute.NcclAllReduce()
    else:
        cpu = tf.config.list_physical_devices("CPU")[0]
        tf.config.set_logical_device_configuration(
            cpu, [tf.config.LogicalDeviceConfiguration() for _ in range(n)]
        )
        names = [f"/cpu:{i}" for i in range(n)]
        ops = tf.distribute.ReductionToOneDevice()
    strategy = tf.distribute.MirroredStrategy(names, cross_device_ops=ops)
    width, depth, batch = int(spec["width"]), int(spec["depth"]), int(spec["batch"])
    tf.keras.utils.set_random_seed(int(spec["seed"]))
    with strategy.scope():
        layers = [tf.keras.layers.Dense(width, activation="relu") for _ in range(depth)]
        model = tf.keras.Sequential([tf.keras.Input((width,)), *layers, tf.keras.layers.Dense(10)])
        opt = tf.keras.optimizers.SGD(0.01)
    rng = np.random.default_rng(int(spec["seed"]))
    x = rng.standard_normal((batch * n, width)).astype(np.float32)
    y = rng.integers(0, 10, (batch * n,)).astype(np.int32)
    data = tf.data.Dataset.from_tensors((x, y)).unbatch().batch(batch * n).repeat()
    inputs = next(iter(strategy.experimental_distribute_dataset(data)))
    loss_of = tf.keras.losses.SparseCategoricalCrossentropy(
        from_logits=True, reduction=tf.keras.losses.Reduction.NONE
    )

    def replica_step(xb: tf.Tensor, yb: tf.Tensor) -> tf.Tensor:
        with tf.GradientTape() as tape:
            loss = tf.reduce_sum(loss_of(yb, model(xb, training=True))) / (batch * n)
        grads = tape.gradient(loss, model.trainable_variables)
        opt.apply_gradients(zip(grads, model.trainable_variables, strict=True))
        return loss

    def distributed_step(batch_in: Any) -> tf.Tensor:
        per_replica = strategy.run(replica_step, args=batch_in)
        return strategy.reduce(tf.distribute.ReduceOp.SUM, per_replica, axis=None)

    step = tf.function(distributed_step)

    for _ in range(int(spec["warmup"])):
        step(inputs).numpy()
    block, samples = int(spec["block"]), []
    for _ in range(int(spec["samples"])):
        start = time.perf_counter()
        for _ in range(block):
            loss = step(inputs)
        loss.numpy()  # waits for the last step
        samples.append((time.perf_counter() - start) / block)
    return samples
