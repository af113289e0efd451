"""What the three frameworks' transformer workloads share: the same initial weights and data
(NumPy, seeded), the same hyperparameters, and a NumPy reference of the first loss.

One pre-LayerNorm decoder block: token and learned position embeddings, causal multi-head
self-attention, a GELU (tanh) feed-forward layer, a final LayerNorm and an untied LM head;
mean next-token cross-entropy; AdamW. Every framework's first loss must equal the reference's
(float64) within LOSS_TOL: same weights, same loss, in all three (the cross-framework check).
Imported inside worker processes only (by probes/*_workloads.py).
"""

from __future__ import annotations

from typing import Any

import numpy as np

Array = np.ndarray[Any, Any]
LN_EPS = 1e-5
ADAMW = {"lr": 1e-3, "b1": 0.9, "b2": 0.999, "eps": 1e-8, "weight_decay": 0.01}
LOSS_TOL = 1e-4
"""Absolute tolerance of a framework's first loss (about ln(vocab)) against the reference."""
MASKED = -1e9
NAMES = (
    "embed",
    "pos",
    "ln1_g",
    "ln1_b",
    "wqkv",
    "bqkv",
    "wo",
    "bo",
    "ln2_g",
    "ln2_b",
    "w1",
    "b1",
    "w2",
    "b2",
    "lnf_g",
    "lnf_b",
    "head",
)


def dims(p: dict[str, Any]) -> tuple[int, int, int, int, int]:
    """(d_model, heads, ffn, vocab, positions) of a workload's parameters."""
    positions = int(p["seq"]) if "seq" in p else int(p["prompt"]) + int(p["new_tokens"])
    return int(p["d_model"]), int(p["heads"]), int(p["ffn"]), int(p["vocab"]), positions


def init_weights(p: dict[str, Any], seed: int) -> dict[str, Array]:
    """float32 weights in NAMES order, from one seeded generator."""
    d, _, f, v, t = dims(p)
    rng = np.random.default_rng(seed)
    shapes = {
        "embed": (v, d),
        "pos": (t, d),
        "wqkv": (d, 3 * d),
        "wo": (d, d),
        "w1": (d, f),
        "w2": (f, d),
        "head": (d, v),
    }
    out: dict[str, Array] = {}
    for name in NAMES:
        if name in shapes:
            out[name] = (rng.standard_normal(shapes[name]) * 0.02).astype(np.float32)
        elif name.endswith("_g"):
            out[name] = np.ones(d, dtype=np.float32)
        else:
            width = {"bqkv": 3 * d, "b1": f}.get(name, d)
            out[name] = np.zeros(width, dtype=np.float32)
    return out


def tokens(p: dict[str, Any], seed: int) -> Array:
    """(batch, seq + 1) int32 token ids: inputs are [:, :-1], targets [:, 1:]."""
    rng = np.random.default_rng(seed + 1)
    return rng.integers(0, int(p["vocab"]), (int(p["batch"]), int(p["seq"]) + 1)).astype(np.int32)


def prompt(p: dict[str, Any], seed: int) -> Array:
    """(batch, prompt) int32 token ids for decoding."""
    rng = np.random.default_rng(seed + 2)
    return rng.integers(0, int(p["vocab"]), (int(p["batch"]), int(p["prompt"]))).astype(np.int32)


def _ln(x: Array, g: Array, b: Array) -> Array:
    mean = x.mean(-1, keepdims=True)
    var = ((x - mean) ** 2).mean(-1, keepdims=True)
    out: Array = (x - mean) / np.sqrt(var + LN_EPS) * g + b
    return out


def gelu(x: Array) -> Array:
    out: Array = 0.5 * x * (1 + np.tanh(np.sqrt(2 / np.pi) * (x + 0.044715 * x**3)))
    return out


def reference_loss(w: dict[str, Array], toks: Array, heads: int) -> float:
    """The mean next-token cross-entropy of the block, in float64."""
    w64 = {k: v.astype(np.float64) for k, v in w.items()}
    x, y = toks[:, :-1], toks[:, 1:]
    b, t = x.shape
    d = w64["embed"].shape[1]
    hd = d // heads
    h = w64["embed"][x] + w64["pos"][:t]
    qkv = _ln(h, w64["ln1_g"], w64["ln1_b"]) @ w64["wqkv"] + w64["bqkv"]
    q, k, v = (a.reshape(b, t, heads, hd).transpose(0, 2, 1, 3) for a in np.split(qkv, 3, -1))
    att = q @ k.transpose(0, 1, 3, 2) / np.sqrt(hd)
    att = np.where(np.tril(np.ones((t, t), dtype=bool)), att, MASKED)
    att = np.exp(att - att.max(-1, keepdims=True))
    att /= att.sum(-1, keepdims=True)
    o = (att @ v).transpose(0, 2, 1, 3).reshape(b, t, d)
    h = h + o @ w64["wo"] + w64["bo"]
    m = _ln(h, w64["ln2_g"], w64["ln2_b"])
    h = h + gelu(m @ w64["w1"] + w64["b1"]) @ w64["w2"] + w64["b2"]
    logits = _ln(h, w64["lnf_g"], w64["lnf_b"]) @ w64["head"]
    logits -= logits.max(-1, keepdims=True)
    logp = logits - np.log(np.exp(logits).sum(-1, keepdims=True))
    return float(-np.take_along_axis(logp, y[..., None], -1).mean())


def check_loss(loss: float, p: dict[str, Any], seed: int) -> None:
    """Raise when a framework's first loss is not the reference's: its weights, data or
    maths differ from the other frameworks' (a failed measurement, not a timing)."""
    ref = reference_loss(init_weights(p, seed), tokens(p, seed), int(p["heads"]))
    if not abs(loss - ref) <= LOSS_TOL:
        raise ValueError(
            f"first loss {loss:.6f} differs from the NumPy reference {ref:.6f} of the same "
            f"weights and data by more than {LOSS_TOL:g}"
        )
