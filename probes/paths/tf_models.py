"""Reference models for the TensorFlow/Keras path checks (same architectures as
torch_models.py). Loaded by path inside a path-check worker only. Each builder returns
(model, inputs): a built Keras 3 model and a tuple of float32 NumPy arrays."""

from __future__ import annotations

from typing import Any

import keras
import numpy as np
from keras import layers, ops


def _cnn() -> keras.Model:
    inp = keras.Input((32, 32, 3), batch_size=1)
    x = layers.Conv2D(16, 3, padding="same", activation="relu")(inp)
    x = layers.MaxPooling2D(2)(x)
    x = layers.Conv2D(32, 3, padding="same", activation="relu")(x)
    x = layers.GlobalAveragePooling2D()(x)
    return keras.Model(inp, layers.Dense(10)(x), name="cnn")


def _mlp() -> keras.Model:
    inp = keras.Input((64,), batch_size=1)
    x = layers.Dense(128, activation="relu")(inp)
    x = layers.Dense(128, activation="relu")(x)
    return keras.Model(inp, layers.Dense(10)(x), name="mlp")


def _transformer(dim: int = 64, heads: int = 4) -> keras.Model:
    inp = keras.Input((16, dim), batch_size=1)
    h = layers.LayerNormalization(epsilon=1e-5)(inp)
    h = layers.MultiHeadAttention(heads, dim // heads)(h, h)
    x = inp + h
    h = layers.LayerNormalization(epsilon=1e-5)(x)
    h = layers.Dense(4 * dim, activation="gelu")(h)
    x = x + layers.Dense(dim)(h)
    return keras.Model(inp, x, name="transformer")


class DataDependentBranch(keras.Model):
    """Takes one of two branches depending on the input's values (keras.ops.cond, Keras's
    portable form of the Python `if` in the PyTorch twin)."""

    def __init__(self) -> None:
        super().__init__(name="branch")
        self.a = layers.Dense(16)
        self.b = layers.Dense(16)

    def call(self, x: Any) -> Any:
        return ops.cond(
            ops.mean(x) > 0, lambda: ops.relu(self.a(x)), lambda: ops.tanh(self.b(x))
        )


SHAPES = {"cnn": (1, 32, 32, 3), "mlp": (1, 64), "transformer": (1, 16, 64), "branch": (1, 32)}


def build(name: str, seed: int) -> tuple[Any, tuple[Any, ...]]:
    keras.utils.set_random_seed(seed)
    model = {"cnn": _cnn, "mlp": _mlp, "transformer": _transformer}.get(name, DataDependentBranch)()
    x = np.random.default_rng(seed + 1).standard_normal(SHAPES[name]).astype(np.float32)
    if name == "branch":
        x = np.abs(x)
    model(x)  # builds the subclassed model's weights
    return model, (x,)
