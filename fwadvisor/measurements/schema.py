"""The probe file: what `fwadvisor probe` writes and `recommend --probe` reads.

Its JSON Schema is printed by `fwadvisor schema probe`. Add fields, never rename them; a change
that old readers would misread bumps PROBE_SCHEMA_VERSION.

Timing fields are seconds per call. A measurement aggregates one (framework, mode, workload,
variant, device) over several fresh worker processes; `runs[i]` is process i, and samples of
the same process and round index were timed interleaved (paired) across the modes of that
framework. `median_s` is the median of per-process medians; `ci95_s` its two-level bootstrap
interval; `spread_cv` the process-to-process coefficient of variation.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from fwadvisor.basemodel import Record
from fwadvisor.records import SchemaVersion1
from fwadvisor.registry import Device, Framework, Status, Workload

PROBE_SCHEMA_VERSION = 1
CacheState = Literal["cold", "warm"]
ParamValue = int | float | str | list[int]
Seconds = float


class GpuInfo(Record):
    name: str
    driver: str | None = None
    memory_bytes: int | None = None


class FrameworkInfo(Record):
    installed: bool
    version: str | None = None
    build: dict[str, str] = Field(default_factory=dict, description="BLAS, CPU capability, CUDA")
    threads_intra: int | None = Field(None, description="intra-op threads as set and read back")
    threads_inter: int | None = None
    devices: list[str] = Field(default_factory=list)
    error: str | None = Field(None, description="why it could not be used, with an install hint")


class ClusterNode(Record):
    """Where a fleet probe ran (`probe --ray`): the kind of node and the Ray node measured."""

    kind: str = Field(description="the kind's name, also the file's stem")
    group_key: dict[str, str] = Field(
        description="what nodes of this kind share: GPU model and count, CPU model and cores, "
        "or the --group-by label's value"
    )
    node_id: str
    address: str = Field(description="the node's IP address as Ray reports it")
    labels: dict[str, str] = Field(default_factory=dict)
    resources: dict[str, float] = Field(default_factory=dict, description="as Ray reports them")
    nodes_of_kind: int = Field(1, ge=1, description="nodes of this kind in the cluster")


class Fingerprint(Record):
    machine: str = Field(description="host name")
    cpu_model: str
    cpu_cores_logical: int = Field(ge=1)
    cpu_cores_physical: int | None = None
    cpu_flags: list[str] = Field(default_factory=list, description="SIMD flags that matter")
    memory_bytes: int | None = None
    gpus: list[GpuInfo] = Field(default_factory=list)
    os: str
    python: str
    fwadvisor_version: str
    timestamp: str = Field(description="ISO 8601, UTC, when the probe started")
    frameworks: dict[str, FrameworkInfo] = Field(default_factory=dict)
    env: dict[str, str] = Field(default_factory=dict, description="thread-related variables")
    cluster_node: ClusterNode | None = Field(
        None, description="set by `probe --ray`: the Ray node measured and its kind"
    )


class Timing(Record):
    """How a worker samples (from the suite); see probes/suites.yaml."""

    warmup_s: float = Field(ge=0)
    min_warmup: int = Field(ge=0)
    block_s: float = Field(gt=0, description="target time of one timed block")
    samples: int = Field(ge=1, description="timed blocks per mode (rounds)")
    min_samples: int = Field(ge=1)
    max_s: float = Field(gt=0, description="cap on a worker's timed phase (all its workloads)")
    target_ci: float = Field(
        0.0,
        ge=0,
        description="stop sampling once every median's 95% interval is within this "
        "fraction of it (0: never early)",
    )


class Settings(Record):
    suite: Literal["smoke", "quick", "full"]
    frameworks: list[Framework]
    workloads: list[Workload]
    device: Device
    budget_s: float = Field(gt=0)
    processes: int = Field(ge=1, description="fresh worker processes per framework")
    threads_intra: int = Field(ge=1)
    threads_inter: int = Field(ge=1)
    timeout_s: float = Field(gt=0, description="per workload, per process")
    compile_cache_dir: str | None = None
    compile_cache_at_start: CacheState = "cold"
    timing: Timing | None = Field(None, description="the suite's sampling settings")
    seed: int = 0


class NoiseCheck(Record):
    """The same function timed against itself, interleaved, at the start of each process."""

    framework: Framework
    process: int = Field(ge=0)
    ratio_ci95: tuple[float, float]
    floor: float = Field(ge=0, description="how far from 1 the interval reaches")
    reference: str | None = Field(
        None, description="what was timed against itself (absent: NumPy matmul, one thread)"
    )
    threads: int | None = Field(None, description="threads the reference ran with")
    during_timing: bool = Field(
        False, description="timed inside the workloads' rounds (else before them)"
    )
    stalled_share: float | None = Field(
        None, ge=0, le=1, description="share of the reference's samples that stalled"
    )


class LoadSample(Record):
    """What else used the CPUs over one window (Linux /proc/stat; absent elsewhere)."""

    wall_s: float = Field(ge=0)
    foreign_cores: float = Field(
        ge=0, description="CPU time of other processes (ours subtracted) per second, in cores"
    )
    steal_share: float = Field(0.0, ge=0, le=1, description="CPU steal over all CPU time")
    cpu_mhz: float | None = Field(None, description="mean current frequency over the cores")
    loadavg_1m: float | None = None


class ProcessLoad(LoadSample):
    """The load beside one worker process, from its start to its exit."""

    framework: Framework
    process: int = Field(ge=0)
    worker_cpu_s: float | None = Field(None, description="CPU time of the worker (and children)")


class MachineState(Record):
    """The machine's state before and during the probe."""

    cores_allowed: list[int] = Field(
        default_factory=list, description="CPUs the workers may run on (sched_getaffinity)"
    )
    before: LoadSample | None = Field(None, description="a quiet window before any worker")
    during: list[ProcessLoad] = Field(default_factory=list)


class Run(Record):
    """One measurement in one worker process."""

    process: int = Field(ge=0)
    status: Status
    reason: str | None = None
    samples_s: list[Seconds] = Field(default_factory=list)
    median_s: Seconds | None = None
    block_calls: int | None = Field(None, description="calls per timed block")
    first_call_s: Seconds | None = Field(None, description="first call, includes compile/trace")
    compile_s: Seconds | None = Field(None, description="first call minus steady-state call")
    compile_cache: CacheState | None = Field(None, description="torch inductor cache state")
    recompiles: int | None = Field(None, description="graphs compiled / traces before timing")
    recompiles_timed: int | None = Field(None, description="must be 0, else samples invalid")
    peak_mem_bytes: int | None = Field(None, description="peak device memory (GPU)")
    peak_rss_bytes: int | None = Field(
        None, description="peak resident memory of the worker over this mode's warm-up calls"
    )
    max_abs_err: float | None = Field(None, description="versus eager output")
    reference_samples_s: list[Seconds] = Field(
        default_factory=list, description="NumPy reference, interleaved (matmul only)"
    )


class Measurement(Record):
    framework: Framework
    mode: str
    workload: Workload
    variant: str = "default"
    device: Device
    status: Status
    reason: str | None = None
    params: dict[str, ParamValue] = Field(default_factory=dict)
    samples_s: list[Seconds] = Field(default_factory=list, description="all ok runs, in order")
    median_s: Seconds | None = None
    iqr_s: Seconds | None = None
    ci95_s: tuple[Seconds, Seconds] | None = None
    processes: int = Field(0, ge=0, description="ok runs")
    process_medians_s: list[Seconds] = Field(default_factory=list)
    spread_cv: float | None = Field(None, description="process-to-process CV")
    unstable: bool = False
    stalled_share: float | None = Field(
        None,
        ge=0,
        le=1,
        description="share of samples over 3x the fastest process's fast level (stalls)",
    )
    compile_s: Seconds | None = Field(None, description="median over runs")
    compile_cold_s: Seconds | None = None
    compile_warm_s: Seconds | None = None
    recompiles: int | None = None
    peak_mem_bytes: int | None = Field(None, description="peak device memory (GPU), max over runs")
    peak_rss_bytes: int | None = Field(None, description="peak worker RSS, max over runs")
    max_abs_err: float | None = None
    gflops: float | None = None
    tokens_per_s: float | None = Field(None, description="decode: tokens per second")
    reference_median_s: Seconds | None = Field(None, description="NumPy, same processes")
    reference_fraction: float | None = Field(None, description="reference time / this time")
    runs: list[Run] = Field(default_factory=list)


class Scaling(Record):
    """dp_train: one framework's training step data-parallel on 1 and on N devices of a node.

    Weak scaling: every device trains `params.batch` rows, so N devices train N times the
    rows per step; `efficiency` = throughput on N / (N x throughput on 1) = step time on 1 /
    step time on N. `step_1_s[i]` and `step_n_s[i]` are process i's samples (seconds per step),
    the two configurations run one after the other, alternating which goes first.
    """

    framework: Framework
    workload: Literal["dp_train"] = "dp_train"
    device: Device
    devices: int = Field(ge=1, description="N")
    threads_per_device: int = Field(ge=1)
    strategy: str | None = Field(None, description="DDP (gloo/NCCL), MirroredStrategy, mesh")
    status: Status
    reason: str | None = None
    params: dict[str, ParamValue] = Field(default_factory=dict)
    step_1_s: list[list[Seconds]] = Field(default_factory=list)
    step_n_s: list[list[Seconds]] = Field(default_factory=list)
    throughput_1: float | None = Field(None, description="rows per second on one device")
    throughput_n: float | None = Field(None, description="rows per second on N devices")
    efficiency: float | None = None
    efficiency_ci95: tuple[float, float] | None = Field(
        None, description="two-level bootstrap over processes and samples"
    )


class ProbeFile(Record):
    schema_version: SchemaVersion1 = 1
    complete: bool = Field(description="false when interrupted or still running")
    wall_s: float | None = None
    framework_wall_s: dict[str, float] = Field(
        default_factory=dict,
        description="seconds spent in each framework's worker processes (start to exit)",
    )
    fingerprint: Fingerprint
    settings: Settings
    noise: list[NoiseCheck] = Field(default_factory=list)
    machine: MachineState | None = Field(None, description="load beside the probe")
    measurements: list[Measurement] = Field(default_factory=list)
    scaling: list[Scaling] = Field(default_factory=list, description="dp_train results")
    incomplete_reason: str | None = Field(
        None, description="why the probe did not finish (a fleet node failed, was lost, timed out)"
    )
