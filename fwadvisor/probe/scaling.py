"""dp_train: each framework's training step data-parallel on 1 and on N devices of this node.

N is every GPU of a CUDA node, or 2 on a CPU node (each "device" then gets half the cores:
the figure is the framework's data-parallel overhead, since CPU devices share one host).
Per process round the 1-device and the N-device configuration run one after the other in
fresh workers, alternating which goes first; PyTorch runs one worker per rank (DDP),
TensorFlow and JAX one worker holding all N devices. Scaling efficiency = step time on 1 /
step time on N (weak scaling), with a two-level bootstrap interval over processes and samples.
"""

from __future__ import annotations

import socket
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from fwadvisor.measurements import stats
from fwadvisor.measurements.schema import ParamValue, Scaling, Settings
from fwadvisor.probe.dpspec import DpFailed, DpResult, DpSpec, decode_dp
from fwadvisor.registry import (
    DP_MODULE,
    DP_ONE_PROCESS_PER_DEVICE,
    DP_XLA_HOST_DEVICES,
    Device,
    Framework,
    Status,
)
from fwadvisor.workers.process import Ended, WorkerProcess, WorkerTimeout

DP_WORKER = (sys.executable, "-m", "fwadvisor.probe.dpworker")
CPU_DEVICES = 2
XLA_HOST_DEVICES = "--xla_force_host_platform_device_count"


class DpError(Exception):
    def __init__(self, reason: str, missing: bool = False) -> None:
        super().__init__(reason)
        self.missing = missing


def plan(device: str, gpus: int, cores: int) -> tuple[int, int]:
    """(N devices, threads per device) for this node."""
    n = gpus if device == "cuda" else min(CPU_DEVICES, cores)
    return n, max(1, cores // max(n, 1))


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _env(base: Mapping[str, str], spec: DpSpec) -> dict[str, str]:
    env = dict(base)
    for var in ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS"):
        env[var] = str(spec.threads)
    if spec.framework in DP_XLA_HOST_DEVICES and spec.device == "cpu":
        kept = [f for f in env.get("XLA_FLAGS", "").split() if not f.startswith(XLA_HOST_DEVICES)]
        env["XLA_FLAGS"] = " ".join([*kept, f"{XLA_HOST_DEVICES}={spec.devices}"])
    return env


@dataclass
class DpRunner:
    """Runs the data-parallel scaling workload in fresh workers (PyTorch: one per rank)."""

    probes: Path
    env: Mapping[str, str]
    timeout_s: float
    worker_cmd: Sequence[str] = DP_WORKER

    def once(self, spec: DpSpec) -> DpResult:
        """One configuration: its rank-0 samples; DpError with the reason otherwise."""
        ranks = spec.devices if spec.framework in DP_ONE_PROCESS_PER_DEVICE else 1
        port = _free_port() if ranks > 1 else 0
        specs = [replace(spec, rank=r, port=port) for r in range(ranks)]
        workers = [
            WorkerProcess(self.worker_cmd, _env(self.env, s), s, decoder=decode_dp) for s in specs
        ]
        try:
            for msg in workers[0].messages(self.timeout_s):
                if isinstance(msg, DpResult):
                    return msg
                if isinstance(msg, DpFailed):
                    raise DpError(msg.reason, msg.missing)
                if isinstance(msg, Ended):
                    raise DpError(msg.reason)
            raise DpError("the worker ended without a result")
        except WorkerTimeout as exc:
            raise DpError(f"timed out: {exc}") from None
        finally:
            for w in workers:
                w.close()

    def measure(
        self,
        framework: Framework,
        device: Device,
        devices: int,
        threads: int,
        params: Mapping[str, ParamValue],
        processes: int,
        seed: int = 0,
    ) -> Scaling:
        base = Scaling(
            framework=framework,
            device=device,
            devices=devices,
            threads_per_device=threads,
            status="skipped",
            params=dict(params),
        )
        if devices < 2:
            return replace(base, reason="one device here: nothing to scale over")
        spec = DpSpec(
            framework=framework,
            module_path=str(self.probes / DP_MODULE[framework]),
            device=device,
            devices=1,
            threads=threads,
            seed=seed,
            **{
                k: int(str(params[k]))
                for k in ("batch", "width", "depth", "warmup", "samples", "block")
            },
        )
        one: list[list[float]] = []
        many: list[list[float]] = []
        strategy = None
        try:
            for p in range(processes):
                order = (1, devices) if p % 2 == 0 else (devices, 1)
                for n in order:
                    result = self.once(replace(spec, devices=n, seed=seed + p))
                    (one if n == 1 else many).append(result.step_s)
                    strategy = result.strategy
        except DpError as exc:
            status: Status = "skipped" if exc.missing else "failed"
            return replace(base, status=status, reason=str(exc))
        batch = int(str(params["batch"]))
        t1, tn = stats.center(one), stats.center(many)
        return replace(
            base,
            status="ok",
            strategy=strategy,
            step_1_s=one,
            step_n_s=many,
            throughput_1=batch / t1,
            throughput_n=batch * devices / tn,
            efficiency=t1 / tn,
            efficiency_ci95=stats.ratio_ci(one, many, paired=False),
        )


def run_scaling(
    settings: Settings,
    params: Mapping[str, ParamValue],
    probes: Path,
    env: Mapping[str, str],
    gpus: int,
    skip: set[str],
    time_left: float | None = None,
) -> list[Scaling]:
    """dp_train for every framework of the settings not known to be missing; skipped when
    the suite's budget is spent. Its own `processes` parameter (default 1) sets the rounds."""
    cores = settings.threads_intra
    devices, threads = plan(settings.device, gpus, cores)
    runner = DpRunner(probes, env, settings.timeout_s)
    rounds = int(str(params.get("processes", 1)))
    frameworks = [fw for fw in settings.frameworks if fw not in skip]
    if time_left is not None and time_left <= 0:
        return [
            Scaling(
                framework=fw,
                device=settings.device,
                devices=devices,
                threads_per_device=threads,
                status="skipped",
                reason="time budget exhausted",
                params=dict(params),
            )
            for fw in frameworks
        ]
    return [
        runner.measure(fw, settings.device, devices, threads, params, rounds, settings.seed)
        for fw in frameworks
    ]
