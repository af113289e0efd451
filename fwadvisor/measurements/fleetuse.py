"""Which probe files count for which workload: each kind of node where the answers use it.

A fleet has training nodes and serving nodes. A training workload's ratio counts on the
probe files whose hardware the training-hardware answer names; an inference workload's on
those the inference-hardware answer names ("the same as for training" defers to the first).
When the answers name no hardware, or no probe file matches them, every file counts, as it
did before fleets: the evidence never vanishes because a question was skipped.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from fwadvisor.measurements.schema import ProbeFile
from fwadvisor.registry import (
    HARDWARE_OF_PROBE,
    INFERENCE_HARDWARE,
    SAME_AS_TRAINING,
    TRAINING_HARDWARE,
)

TRAINING, INFERENCE = "training", "inference"
USE_OF_WORKLOAD = {
    "mlp_train": TRAINING,
    "transformer_train": TRAINING,
    "cnn_infer": INFERENCE,
    "decode": INFERENCE,
    "dispatch": INFERENCE,
}
"""Workloads that stand for one use (others, like `dynamic`, count everywhere)."""


def _chosen(value: Any) -> set[str]:
    return {str(v) for v in value} if isinstance(value, list) else set()


def hardware_used(by_role: Mapping[str, Any], use: str) -> set[str]:
    """The answer choices naming the hardware `use` runs on (empty: not answered)."""
    training = _chosen(by_role.get(TRAINING_HARDWARE))
    if use == TRAINING:
        return training
    inference = _chosen(by_role.get(INFERENCE_HARDWARE))
    if not inference or SAME_AS_TRAINING in inference:
        return training | (inference - {SAME_AS_TRAINING})
    return inference


def probe_hardware(probe: ProbeFile, use: str) -> str:
    training, inference = HARDWARE_OF_PROBE[probe.settings.device]
    return training if use == TRAINING else inference


def counted(
    probes: Sequence[ProbeFile], by_role: Mapping[str, Any], workload: str
) -> tuple[list[bool], str]:
    """Which probe files count for the workload, and the note for those that do not."""
    use = USE_OF_WORKLOAD.get(workload)
    everywhere = [True] * len(probes)
    if use is None:
        return everywhere, ""
    used = hardware_used(by_role, use)
    mask = [probe_hardware(p, use) in used for p in probes]
    if not any(mask):
        return everywhere, ""
    return mask, f"not counted: the answers run {use} on other hardware than this node's"


def node_name(probe: ProbeFile) -> str | None:
    """A fleet probe file's kind of node (None for a probe of one machine)."""
    node = probe.fingerprint.cluster_node
    return None if node is None else f"{node.kind} ({probe.settings.device})"
