"""Reference models for the PyTorch path checks (same architectures as tf_models.py).

Loaded by path inside a path-check worker only. Each builder returns (model, inputs), the
model in eval mode with seeded weights, the inputs a tuple of tensors.
"""

from __future__ import annotations

from typing import Any

import torch
from torch import nn


class SmallCNN(nn.Module):
    def __init__(self) -> None:
        super().__init__()
        self.body = nn.Sequential(
            nn.Conv2d(3, 16, 3, padding=1),
            nn.ReLU(),
            nn.MaxPool2d(2),
            nn.Conv2d(16, 32, 3, padding=1),
            nn.ReLU(),
            nn.AdaptiveAvgPool2d(1),
            nn.Flatten(),
            nn.Linear(32, 10),
        )

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.body(x)


class MLP(nn.Module):
    def __init__(self) -> None:
        super().__init__()
        self.body = nn.Sequential(
            nn.Linear(64, 128), nn.ReLU(), nn.Linear(128, 128), nn.ReLU(), nn.Linear(128, 10)
        )

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.body(x)


class TransformerBlock(nn.Module):
    """Pre-norm block: multi-head self-attention and a GELU MLP, both residual."""

    def __init__(self, dim: int = 64, heads: int = 4) -> None:
        super().__init__()
        self.heads = heads
        self.norm1 = nn.LayerNorm(dim)
        self.qkv = nn.Linear(dim, 3 * dim)
        self.proj = nn.Linear(dim, dim)
        self.norm2 = nn.LayerNorm(dim)
        self.mlp = nn.Sequential(nn.Linear(dim, 4 * dim), nn.GELU(), nn.Linear(4 * dim, dim))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        b, t, d = x.shape
        q, k, v = self.qkv(self.norm1(x)).chunk(3, dim=-1)
        q, k, v = (z.reshape(b, t, self.heads, d // self.heads).transpose(1, 2) for z in (q, k, v))
        att = torch.softmax(q @ k.transpose(-2, -1) / (d // self.heads) ** 0.5, dim=-1)
        y = (att @ v).transpose(1, 2).reshape(b, t, d)
        x = x + self.proj(y)
        return x + self.mlp(self.norm2(x))


class DataDependentBranch(nn.Module):
    """Takes one of two branches depending on the input's values: a Python `if` on a tensor,
    as people write it, which is where graph exporters break."""

    def __init__(self) -> None:
        super().__init__()
        self.a = nn.Linear(32, 16)
        self.b = nn.Linear(32, 16)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if x.mean() > 0:
            return torch.relu(self.a(x))
        return torch.tanh(self.b(x))


def _inputs(name: str, gen: torch.Generator) -> tuple[torch.Tensor, ...]:
    shapes = {
        "cnn": (1, 3, 32, 32),
        "mlp": (1, 64),
        "transformer": (1, 16, 64),
        "branch": (1, 32),
    }
    x = torch.randn(*shapes[name], generator=gen)
    if name == "branch":
        x = x.abs()  # positive mean: the `a` branch
    return (x,)


BUILDERS = {
    "cnn": SmallCNN,
    "mlp": MLP,
    "transformer": TransformerBlock,
    "branch": DataDependentBranch,
}


def build(name: str, seed: int) -> tuple[Any, tuple[Any, ...]]:
    torch.manual_seed(seed)
    model = BUILDERS[name]().eval()
    gen = torch.Generator().manual_seed(seed + 1)
    return model, _inputs(name, gen)
