"""The one place where code names candidates, probe ids and question roles. Add, never rename.

The rulebook is the data; this module holds only what the code must know by name:

- the frameworks the probe can measure (each one a candidate id in `rules/candidates.yaml`),
  their execution modes, worker modules and install hints;
- the probe's workloads, devices and suites;
- the roles a question can declare (`role:` in `rules/questions.yaml`) so that code finds
  "the deployment-targets question" without knowing its id, and the answer choices of those
  questions that the measurements map onto workloads.

The rulebook loader checks this module against the rulebook (`rulebook/roles.py`): a role
declared twice, a role on a question of the wrong kind, or a choice named here that the
question does not offer is a rulebook error. Adding a framework is an entry here plus a
worker module in `probes/` and its rules.
"""

from __future__ import annotations

from typing import Any, Literal, get_args

Framework = Literal["pytorch", "tensorflow", "jax"]
Device = Literal["cpu", "cuda"]
DeviceChoice = Literal["auto", "cpu", "cuda"]
Status = Literal["ok", "skipped", "failed"]
Workload = Literal[
    "dispatch",
    "matmul",
    "mlp_train",
    "cnn_infer",
    "dynamic",
    "transformer_train",
    "decode",
    "dp_train",
]
SuiteName = Literal["smoke", "quick", "full"]

FRAMEWORKS: tuple[str, ...] = get_args(Framework)
DEFAULT_FRAMEWORKS: tuple[str, ...] = ("pytorch", "tensorflow")
"""What `probe` measures unless --frameworks names others: the two candidates compared by default."""
WORKLOADS: tuple[str, ...] = get_args(Workload)
DEVICE_CHOICES: tuple[str, ...] = get_args(DeviceChoice)
SUITES: tuple[str, ...] = get_args(SuiteName)

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
FRAMEWORK_NAME: dict[str, str] = {"pytorch": "PyTorch", "tensorflow": "TensorFlow", "jax": "JAX"}
"""Display names for the probe's own output (reports take names from candidates.yaml)."""
SCALING_WORKLOADS: tuple[str, ...] = ("dp_train",)
"""Workloads run by the scaling runner (several devices), not by a framework's probe worker."""
DEFAULT_WORKLOADS: tuple[str, ...] = tuple(w for w in WORKLOADS if w not in SCALING_WORKLOADS)
"""What `probe` measures unless --workloads names others (the scaling run only on request)."""
DP_MODULE: dict[str, str] = {"pytorch": "dp_torch.py", "tensorflow": "dp_tf.py", "jax": "dp_jax.py"}
"""Each framework's data-parallel training step in probes/ (dp_train)."""
DP_ONE_PROCESS_PER_DEVICE: frozenset[str] = frozenset({"pytorch"})
"""Frameworks whose data parallelism runs one process per device (DDP); the others drive every
device from one process."""
DP_XLA_HOST_DEVICES: frozenset[str] = frozenset({"jax"})
"""Frameworks that see N CPU devices only when XLA is told to split the host into N."""
WORKER_MODULE: dict[str, str] = {
    "pytorch": "torch_workloads.py",
    "tensorflow": "tf_workloads.py",
    "jax": "jax_workloads.py",
}
EXTRA: dict[str, str] = {"pytorch": "torch", "tensorflow": "tensorflow", "jax": "jax"}
"""Each framework's optional-dependency group in pyproject.toml (`pip install fwadvisor[X]`)."""
INSTALL_HINT: dict[str, str] = {
    "pytorch": "install it with: pip install 'fwadvisor[torch]'",
    "tensorflow": "install it with: pip install 'fwadvisor[tensorflow]'",
    "jax": "install it with: pip install 'fwadvisor[jax]'",
}
COMPILE_CACHE_SUBDIR: dict[str, str] = {"pytorch": "torchinductor", "jax": "jax"}
"""Each framework's persistent compile cache under the probe's cache directory (others: none,
their cache state is read from PyTorch's)."""
TORCH_HEADERS_ENV = "FWADVISOR_TORCH_HEADERS"
"""Where the probe's PyTorch worker puts inductor's precompiled headers (torch itself puts
them under $TMPDIR, outside any cache setting)."""
COMPILE_CACHE_ENV: dict[str, str] = {
    "TORCHINDUCTOR_CACHE_DIR": COMPILE_CACHE_SUBDIR["pytorch"],
    TORCH_HEADERS_ENV: "torch-headers",
    "TRITON_CACHE_DIR": "triton",
    "JAX_COMPILATION_CACHE_DIR": COMPILE_CACHE_SUBDIR["jax"],
}
"""The environment variables that point each framework's compile cache into the probe's."""
UNSTABLE_CV = 0.10
"""Process-to-process coefficient of variation above which a measurement is unstable."""
NOISY_FLOOR = 0.05
"""A noise-floor ratio interval wider than this (either side of 1) marks the machine noisy."""

# --- evidence: the pair a time ratio compares, and the probe.* facts named per framework ----

RATIO_PAIR: tuple[str, str] = ("pytorch", "tensorflow")
"""The pair compared by default; the probe.faster_* facts read its ratio. An evidence item's
`ratio` is its `numerator` framework's time over its `denominator`'s (by default this pair)."""
EvidenceVerdict = Literal[
    "pytorch", "tensorflow", "jax", "indistinguishable", "unstable", "disturbed", "missing"
]
FASTER_CHOICES: tuple[str, ...] = (*RATIO_PAIR, "indistinguishable")
MODE_OK_FACTS: dict[tuple[str, str], str] = {
    ("pytorch", "compiled"): "probe.torch_compile_ok",
    ("tensorflow", "function"): "probe.tf_function_ok",
    ("tensorflow", "xla"): "probe.tf_xla_ok",
}
"""(framework, mode) -> the probe fact saying that mode ran everywhere it was tried."""


def installed_fact(framework: str) -> str:
    """The probe fact saying the framework was importable on every probed machine."""
    return f"probe.{framework}_installed"


def legacy_evidence_fields(by_candidate: dict[str, tuple[str, float | None]]) -> dict[str, Any]:
    """The per-framework fields an evidence item carried before `by_candidate` (JSON schema 1
    keeps them): mode and median of the ratio pair."""
    fields: dict[str, Any] = {}
    for fw in RATIO_PAIR:
        mode, median = by_candidate.get(fw, ("-", None))
        fields[f"{fw}_mode"] = mode
        fields[f"{fw}_median_s"] = median
    return fields


# --- question roles ------------------------------------------------------------------------

Role = Literal[
    "project_name",
    "deployment_targets",
    "workload_uses",
    "latency_sensitive",
    "dynamic_models",
    "execution_mode",
    "training_hardware",
    "inference_hardware",
]
ROLES: tuple[str, ...] = get_args(Role)
PROJECT_NAME: Role = "project_name"
DEPLOYMENT_TARGETS: Role = "deployment_targets"
WORKLOAD_USES: Role = "workload_uses"
LATENCY_SENSITIVE: Role = "latency_sensitive"
DYNAMIC_MODELS: Role = "dynamic_models"
EXECUTION_MODE: Role = "execution_mode"
TRAINING_HARDWARE: Role = "training_hardware"
INFERENCE_HARDWARE: Role = "inference_hardware"
ROLE_KIND: dict[str, str] = {
    "project_name": "text",
    "deployment_targets": "multi",
    "workload_uses": "multi",
    "latency_sensitive": "bool",
    "dynamic_models": "bool",
    "execution_mode": "single",
    "training_hardware": "multi",
    "inference_hardware": "multi",
}
"""The question kind each role needs."""

WORKLOAD_BY_USE: dict[str, tuple[str, str, str]] = {
    "training": ("mlp_train", "default", "training"),
    "fine_tuning": ("mlp_train", "default", "fine-tuning"),
    "batch_inference": ("cnn_infer", "throughput", "batch inference (throughput)"),
    "online_inference": ("cnn_infer", "latency", "online inference (batch 1)"),
}
"""A choice of the `workload_uses` question -> (workload, variant, purpose)."""
TRANSFORMER_BY_USE: dict[str, tuple[str, str, str]] = {
    "training": ("transformer_train", "default", "training (transformer)"),
    "fine_tuning": ("transformer_train", "default", "fine-tuning (transformer)"),
    "online_inference": ("decode", "default", "online inference (token decode)"),
}
"""The transformer workload beside each use's classic one; it counts where a probe file
measured it (files written before it existed lack it)."""
EAGER, COMPILED = "eager", "compiled"
"""Choices of the `execution_mode` question the evidence reads (any other: best graph mode)."""

HARDWARE_OF_PROBE: dict[str, tuple[str, str]] = {
    "cuda": ("nvidia_gpu", "nvidia_gpu"),
    "cpu": ("cpu_only", "cpu"),
}
"""A probe file's device -> the choice naming that hardware in the training-hardware and the
inference-hardware question: a fleet's measurements count where the answers say that
hardware is used (probes find NVIDIA GPUs only)."""
SAME_AS_TRAINING = "same_as_training"
"""The inference-hardware choice that defers to the training-hardware answer."""

ROLE_CHOICES: dict[str, tuple[str, ...]] = {
    "workload_uses": tuple(WORKLOAD_BY_USE),
    "execution_mode": (EAGER, COMPILED),
    "training_hardware": tuple(t for t, _ in HARDWARE_OF_PROBE.values()),
    "inference_hardware": (SAME_AS_TRAINING, *(i for _, i in HARDWARE_OF_PROBE.values())),
}
"""Choices named above, which the role's question must offer."""
