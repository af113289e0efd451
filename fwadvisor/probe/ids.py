"""Stable identifiers that scripts, reports and rules rely on. Add, never rename."""

from __future__ import annotations

from typing import Literal

Framework = Literal["pytorch", "tensorflow", "jax"]
Device = Literal["cpu", "cuda"]
Status = Literal["ok", "skipped", "failed"]

FRAMEWORKS: tuple[str, ...] = ("pytorch", "tensorflow", "jax")
DEFAULT_FRAMEWORKS: tuple[str, ...] = ("pytorch", "tensorflow")
DISPLAY_NAME: dict[str, str] = {"pytorch": "PyTorch", "tensorflow": "TensorFlow", "jax": "JAX"}
"""What `probe` measures unless --frameworks names others: the two candidates compared by default."""
WORKLOADS: tuple[str, ...] = ("dispatch", "matmul", "mlp_train", "cnn_infer", "dynamic")
MODES: dict[str, tuple[str, ...]] = {
    "pytorch": ("eager", "compiled"),
    "tensorflow": ("eager", "function", "xla"),
    "jax": ("eager", "jit"),
}
GRAPH_MODES: dict[str, tuple[str, ...]] = {
    "pytorch": ("compiled",),
    "tensorflow": ("function", "xla"),
    "jax": ("jit",),
}
DEVICES: tuple[str, ...] = ("cpu", "cuda")
DEVICE_CHOICES: tuple[str, ...] = ("auto", "cpu", "cuda")
SUITES: tuple[str, ...] = ("smoke", "quick", "full")

WORKER_MODULE: dict[str, str] = {
    "pytorch": "torch_workloads.py",
    "tensorflow": "tf_workloads.py",
    "jax": "jax_workloads.py",
}
INSTALL_HINT: dict[str, str] = {
    "pytorch": "install it with: pip install 'fwadvisor[torch]'",
    "tensorflow": "install it with: pip install 'fwadvisor[tensorflow]'",
    "jax": "install it with: pip install 'fwadvisor[jax]'",
}
COMPILE_CACHE_SUBDIR: dict[str, str] = {"pytorch": "torchinductor", "jax": "jax"}
"""Each framework's persistent compile cache under the probe's cache directory (others: none,
their cache state is read from PyTorch's)."""
UNSTABLE_CV = 0.10
"""Process-to-process coefficient of variation above which a measurement is unstable."""
NOISY_FLOOR = 0.05
"""A noise-floor ratio interval wider than this (either side of 1) marks the machine noisy."""
