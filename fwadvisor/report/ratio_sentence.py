"""One sentence per measured ratio: what was compared, by how much, and what it scored.

"On this machine, TensorFlow's tf.function MLP training step took 0.7x PyTorch's compiled one
[0.6-0.8]: +0.4 for TensorFlow on measured performance." The ratio is always the faster one's
time over the slower one's, so it reads as "took N times as long" with N below 1.
"""

from __future__ import annotations

from fwadvisor.registry import FRAMEWORK_NAME

WORKLOAD_LABEL: dict[tuple[str, str], str] = {
    ("dispatch", "default"): "small-op chain",
    ("matmul", "default"): "matrix multiply",
    ("matmul", "large"): "large matrix multiply",
    ("mlp_train", "default"): "MLP training step",
    ("cnn_infer", "latency"): "batch-1 CNN inference",
    ("cnn_infer", "throughput"): "batched CNN inference",
    ("dynamic", "default"): "dynamic-shape model",
    ("transformer_train", "default"): "transformer training step (AdamW)",
    ("decode", "default"): "KV-cache decode (per token)",
}
MODE_LABEL = {"function": "tf.function", "xla": "XLA", "jit": "jit"}


def workload_label(workload: str, variant: str) -> str:
    return WORKLOAD_LABEL.get((workload, variant), f"{workload} ({variant})")


def _num(x: float) -> str:
    return f"{x:.2g}" if x < 10 else f"{x:.0f}"


def ratio_sentence(
    *,
    machine: str,
    workload: str,
    variant: str,
    faster: str,
    faster_mode: str,
    slower: str,
    slower_mode: str,
    ratio: float,
    ci95: tuple[float, float],
    points: float,
    why_not: str = "",
    names: dict[str, str] | None = None,
) -> str:
    """The sentence; `ratio` and `ci95` are the faster's time over the slower's; `why_not`
    says why a ratio scored nothing (empty when it counted)."""
    shown = {**FRAMEWORK_NAME, **(names or {})}
    a, b = shown.get(faster, faster), shown.get(slower, slower)
    ma, mb = MODE_LABEL.get(faster_mode, faster_mode), MODE_LABEL.get(slower_mode, slower_mode)
    other = f"{b}'s {mb} one" if ma != mb else f"{b}'s"
    head = (
        f"On {machine}, {a}'s {ma} {workload_label(workload, variant)} took {_num(ratio)}x "
        f"{other} [{_num(ci95[0])}-{_num(ci95[1])}]"
    )
    if why_not:
        return f"{head}: no points ({why_not})."
    return f"{head}: {points:+.2g} for {a} on measured performance."
