"""The machine a probe or a path check ran on, as its result files record it.

`workers/fingerprint.py` reads it; probe files, path-check files and the recommendation's
provenance carry it (the probe file's schema re-exports these records).
"""

from __future__ import annotations

import dataclasses
from dataclasses import field
from typing import Annotated

from fwadvisor.records import Limits, Record, record
from fwadvisor.registry import SuiteName


@record
class GpuInfo(Record):
    """One GPU the machine showed: its name, driver and memory."""

    name: str
    driver: str | None = None
    memory_bytes: int | None = None


@record
class FrameworkInfo(Record):
    """One framework in a worker: whether it imported, its version, build, threads and devices."""

    installed: bool
    version: str | None = None
    build: dict[str, str] = field(default_factory=dict)
    """BLAS, CPU capability, CUDA"""
    threads_intra: int | None = None
    """intra-op threads as set and read back"""
    threads_inter: int | None = None
    devices: list[str] = field(default_factory=list)
    error: str | None = None
    """why it could not be used, with an install hint"""


@record
class ClusterNode(Record):
    """Where a fleet probe ran (`probe --ray`): the kind of node and the Ray node measured."""

    kind: str
    """the kind's name, also the file's stem"""
    group_key: dict[str, str]
    """what nodes of this kind share: GPU model and count, CPU model and cores, or the --group-by
    label's value"""
    node_id: str
    address: str
    """the node's IP address as Ray reports it"""
    labels: dict[str, str] = field(default_factory=dict)
    resources: dict[str, float] = field(default_factory=dict)
    """as Ray reports them"""
    nodes_of_kind: Annotated[int, Limits(ge=1)] = 1
    """nodes of this kind in the cluster"""


@record
class Fingerprint(Record):
    """The machine a measurement ran on: host, CPU, memory, GPUs, OS, Python and frameworks."""

    machine: str
    """host name"""
    cpu_model: str
    cpu_cores_logical: Annotated[int, Limits(ge=1)]
    cpu_cores_physical: int | None = None
    cpu_flags: list[str] = field(default_factory=list)
    """SIMD flags that matter"""
    memory_bytes: int | None = None
    gpus: list[GpuInfo] = field(default_factory=list)
    os: str
    python: str
    fwadvisor_version: str
    timestamp: str
    """ISO 8601, UTC, when the probe started"""
    frameworks: dict[str, FrameworkInfo] = field(default_factory=dict)
    env: dict[str, str] = field(default_factory=dict)
    """thread-related variables"""
    cluster_node: ClusterNode | None = None
    """set by `probe --ray`: the Ray node measured and its kind"""


@record
class ProbeFingerprint(Fingerprint):
    """The machine of one probe file a recommendation used, with the file's suite and whether
    it was complete."""

    suite: SuiteName | None = None
    complete: bool = True

    @classmethod
    def of(cls, machine: Fingerprint, suite: SuiteName, complete: bool) -> ProbeFingerprint:
        fields = {f.name: getattr(machine, f.name) for f in dataclasses.fields(machine)}
        return cls(**fields, suite=suite, complete=complete)
