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

from dataclasses import field
from typing import Annotated, Literal

from fwadvisor.fingerprint import ClusterNode as ClusterNode
from fwadvisor.fingerprint import Fingerprint
from fwadvisor.fingerprint import FrameworkInfo as FrameworkInfo
from fwadvisor.fingerprint import GpuInfo as GpuInfo
from fwadvisor.records import Limits, Record, SchemaVersion1, record
from fwadvisor.registry import Device, Framework, Status, Workload

PROBE_SCHEMA_VERSION = 1
CacheState = Literal["cold", "warm"]
ParamValue = int | float | str | list[int]
Seconds = float


@record
class Timing(Record):
    """How a worker samples (from the suite); see probes/suites.yaml."""

    warmup_s: Annotated[float, Limits(ge=0)]
    min_warmup: Annotated[int, Limits(ge=0)]
    block_s: Annotated[float, Limits(gt=0)]
    """target time of one timed block"""
    samples: Annotated[int, Limits(ge=1)]
    """timed blocks per mode (rounds)"""
    min_samples: Annotated[int, Limits(ge=1)]
    max_s: Annotated[float, Limits(gt=0)]
    """cap on a worker's timed phase (all its workloads)"""
    target_ci: Annotated[float, Limits(ge=0)] = 0.0
    """stop sampling once every median's 95% interval is within this fraction of it (0: never
    early)"""


@record
class Settings(Record):
    """What a probe run was asked for: suite, frameworks, workloads, device, budget and threads."""

    suite: Literal["smoke", "quick", "full"]
    frameworks: list[Framework]
    workloads: list[Workload]
    device: Device
    budget_s: Annotated[float, Limits(gt=0)]
    processes: Annotated[int, Limits(ge=1)]
    """fresh worker processes per framework"""
    threads_intra: Annotated[int, Limits(ge=1)]
    threads_inter: Annotated[int, Limits(ge=1)]
    timeout_s: Annotated[float, Limits(gt=0)]
    """per workload, per process"""
    compile_cache_dir: str | None = None
    compile_cache_at_start: CacheState = "cold"
    timing: Timing | None = None
    """the suite's sampling settings"""
    seed: int = 0


@record
class NoiseCheck(Record):
    """The same function timed against itself, interleaved, at the start of each process."""

    framework: Framework
    process: Annotated[int, Limits(ge=0)]
    ratio_ci95: tuple[float, float]
    floor: Annotated[float, Limits(ge=0)]
    """how far from 1 the interval reaches"""
    reference: str | None = None
    """what was timed against itself (absent: NumPy matmul, one thread)"""
    threads: int | None = None
    """threads the reference ran with"""
    during_timing: bool = False
    """timed inside the workloads' rounds (else before them)"""
    stalled_share: Annotated[float, Limits(ge=0, le=1)] | None = None
    """share of the reference's samples that stalled"""


@record
class LoadSample(Record):
    """What else used the CPUs over one window (Linux /proc/stat; absent elsewhere)."""

    wall_s: Annotated[float, Limits(ge=0)]
    foreign_cores: Annotated[float, Limits(ge=0)]
    """CPU time of other processes (ours subtracted) per second, in cores"""
    steal_share: Annotated[float, Limits(ge=0, le=1)] = 0.0
    """CPU steal over all CPU time"""
    cpu_mhz: float | None = None
    """mean current frequency over the cores"""
    loadavg_1m: float | None = None


@record
class ProcessLoad(LoadSample):
    """The load beside one worker process, from its start to its exit."""

    framework: Framework
    process: Annotated[int, Limits(ge=0)]
    worker_cpu_s: float | None = None
    """CPU time of the worker (and children)"""


@record
class MachineState(Record):
    """The machine's state before and during the probe."""

    cores_allowed: list[int] = field(default_factory=list)
    """CPUs the workers may run on (sched_getaffinity)"""
    before: LoadSample | None = None
    """a quiet window before any worker"""
    during: list[ProcessLoad] = field(default_factory=list)


@record
class Run(Record):
    """One measurement in one worker process."""

    process: Annotated[int, Limits(ge=0)]
    status: Status
    reason: str | None = None
    samples_s: list[Seconds] = field(default_factory=list)
    median_s: Seconds | None = None
    block_calls: int | None = None
    """calls per timed block"""
    first_call_s: Seconds | None = None
    """first call, includes compile/trace"""
    compile_s: Seconds | None = None
    """first call minus steady-state call"""
    compile_cache: CacheState | None = None
    """torch inductor cache state"""
    recompiles: int | None = None
    """graphs compiled / traces before timing"""
    recompiles_timed: int | None = None
    """must be 0, else samples invalid"""
    peak_mem_bytes: int | None = None
    """peak device memory (GPU)"""
    peak_rss_bytes: int | None = None
    """peak resident memory of the worker over this mode's warm-up calls"""
    max_abs_err: float | None = None
    """versus eager output"""
    reference_samples_s: list[Seconds] = field(default_factory=list)
    """NumPy reference, interleaved (matmul only)"""


@record
class Measurement(Record):
    """One framework, mode and workload variant, over every process: median, intervals and spread."""

    framework: Framework
    mode: str
    workload: Workload
    variant: str = "default"
    device: Device
    status: Status
    reason: str | None = None
    params: dict[str, ParamValue] = field(default_factory=dict)
    samples_s: list[Seconds] = field(default_factory=list)
    """all ok runs, in order"""
    median_s: Seconds | None = None
    iqr_s: Seconds | None = None
    ci95_s: tuple[Seconds, Seconds] | None = None
    processes: Annotated[int, Limits(ge=0)] = 0
    """ok runs"""
    process_medians_s: list[Seconds] = field(default_factory=list)
    spread_cv: float | None = None
    """process-to-process CV"""
    unstable: bool = False
    stalled_share: Annotated[float, Limits(ge=0, le=1)] | None = None
    """share of samples over 3x the fastest process's fast level (stalls)"""
    compile_s: Seconds | None = None
    """median over runs"""
    compile_cold_s: Seconds | None = None
    compile_warm_s: Seconds | None = None
    recompiles: int | None = None
    peak_mem_bytes: int | None = None
    """peak device memory (GPU), max over runs"""
    peak_rss_bytes: int | None = None
    """peak worker RSS, max over runs"""
    max_abs_err: float | None = None
    gflops: float | None = None
    tokens_per_s: float | None = None
    """decode: tokens per second"""
    reference_median_s: Seconds | None = None
    """NumPy, same processes"""
    reference_fraction: float | None = None
    """reference time / this time"""
    runs: list[Run] = field(default_factory=list)


@record
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
    devices: Annotated[int, Limits(ge=1)]
    """N"""
    threads_per_device: Annotated[int, Limits(ge=1)]
    strategy: str | None = None
    """DDP (gloo/NCCL), MirroredStrategy, mesh"""
    status: Status
    reason: str | None = None
    params: dict[str, ParamValue] = field(default_factory=dict)
    step_1_s: list[list[Seconds]] = field(default_factory=list)
    step_n_s: list[list[Seconds]] = field(default_factory=list)
    throughput_1: float | None = None
    """rows per second on one device"""
    throughput_n: float | None = None
    """rows per second on N devices"""
    efficiency: float | None = None
    efficiency_ci95: tuple[float, float] | None = None
    """two-level bootstrap over processes and samples"""


@record
class ProbeFile(Record):
    """A probe file: the machine and its state, the settings, noise checks and measurements."""

    schema_version: SchemaVersion1 = 1
    complete: bool
    """false when interrupted or still running"""
    wall_s: float | None = None
    framework_wall_s: dict[str, float] = field(default_factory=dict)
    """seconds spent in each framework's worker processes (start to exit)"""
    fingerprint: Fingerprint
    settings: Settings
    noise: list[NoiseCheck] = field(default_factory=list)
    machine: MachineState | None = None
    """load beside the probe"""
    measurements: list[Measurement] = field(default_factory=list)
    scaling: list[Scaling] = field(default_factory=list)
    """dp_train results"""
    incomplete_reason: str | None = None
    """why the probe did not finish (a fleet node failed, was lost, timed out)"""
