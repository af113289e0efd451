"""One `fwadvisor probe` invocation: check the request, prepare, run, and judge the outcome."""

from __future__ import annotations

import os
import shutil
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

from fwadvisor.errors import ProbeRunError, UsageError
from fwadvisor.fingerprint import GpuInfo
from fwadvisor.measurements.schema import ProbeFile, Settings
from fwadvisor.probe import machine
from fwadvisor.probe.output import ProbeState
from fwadvisor.probe.runner import DEFAULT_WORKER, Reporter, Runner, SilentReporter
from fwadvisor.probe.scaling import run_scaling
from fwadvisor.probe.suites import load_suites
from fwadvisor.records import Record, record
from fwadvisor.records import validate as validate_record
from fwadvisor.registry import (
    DEFAULT_FRAMEWORKS,
    DEFAULT_WORKLOADS,
    DEVICE_CHOICES,
    FRAMEWORKS,
    SUITES,
    WORKLOADS,
)
from fwadvisor.resources import cache_root, probes_dir
from fwadvisor.validation import parse_choices
from fwadvisor.workers.fingerprint import GpuDetector, machine_fingerprint, nvidia_gpus
from fwadvisor.workers.process import worker_env


@record
class ProbeRequest(Record):
    """`probe` as the user asked for it, before it is validated."""

    suite: str = "quick"
    frameworks: str | None = None
    workloads: str | None = None
    device: str = "auto"
    budget_s: float | None = None
    output: Path = Path("fwadvisor-probe.json")
    force: bool = False
    threads: int | None = None
    processes: int | None = None
    seed: int = 0


def resolve_device(requested: str, detect: GpuDetector) -> tuple[str, list[GpuInfo]]:
    if requested not in DEVICE_CHOICES:
        raise UsageError.at(
            f"unknown device {requested!r}; valid: {', '.join(DEVICE_CHOICES)}", field="--device"
        )
    gpus = detect() if requested != "cpu" else []
    if requested == "cuda" and not gpus:
        raise UsageError.at(
            "--device cuda was asked for but no NVIDIA GPU was found (nvidia-smi lists none)",
            field="--device",
            hint="use --device cpu, or run the probe on the GPU machine",
        )
    return ("cuda" if gpus else "cpu"), gpus


def prepare(req: ProbeRequest, detect: GpuDetector | None = None) -> tuple[Settings, ProbeState]:
    if req.suite not in SUITES:
        raise UsageError.at(
            f"unknown suite {req.suite!r}; valid: {', '.join(SUITES)}", field="--suite"
        )
    frameworks = parse_choices(
        req.frameworks, FRAMEWORKS, "framework", "--frameworks", DEFAULT_FRAMEWORKS
    )
    workloads = parse_choices(
        req.workloads, WORKLOADS, "workload", "--workloads", list(DEFAULT_WORKLOADS)
    )
    device, gpus = resolve_device(req.device, detect or nvidia_gpus)
    if req.budget_s is not None and req.budget_s <= 0:
        raise UsageError.at("the budget must be a positive number of seconds", field="--budget")
    if req.output.exists() and not req.force:
        raise UsageError.at(f"{req.output} exists; pass --force to overwrite it", field="--output")
    if not req.output.parent.is_dir():
        raise UsageError.at(f"directory {req.output.parent} does not exist", field="--output")
    suite = load_suites(probes_dir()).suites[req.suite]  # type: ignore[index]
    # FWADVISOR_NO_CACHE: compile caches start cold in a directory of their own
    cache = cache_root() or Path(tempfile.mkdtemp(prefix="fwadvisor-compile-cache-"))
    inductor = cache / "torchinductor"
    warm = inductor.is_dir() and any(inductor.iterdir())
    threads = req.threads or os.cpu_count() or 1
    settings = validate_record(
        Settings,
        dict(
            suite=req.suite,
            frameworks=frameworks,
            workloads=workloads,
            device=device,
            budget_s=req.budget_s or suite.budget_s,
            processes=req.processes or suite.processes,
            threads_intra=threads,
            threads_inter=1,
            timeout_s=suite.timeout_s,
            compile_cache_dir=str(cache),
            compile_cache_at_start="warm" if warm else "cold",
            timing=suite.timing,
            seed=req.seed,
        ),
    )
    state = ProbeState(
        output=req.output,
        settings=settings,
        fingerprint=machine_fingerprint(gpus),
        inductor_dir=str(inductor),
    )
    return settings, state


def run_probe(
    settings: Settings,
    state: ProbeState,
    reporter: Reporter | None = None,
    worker_cmd: Sequence[str] = DEFAULT_WORKER,
) -> ProbeFile:
    """Measure; the file is complete on return, partial (and kept) on Ctrl-C or crash."""
    probes = probes_dir()
    suite = load_suites(probes).suites[settings.suite]
    # each worker gets a private $TMPDIR, removed when it ends; torch's precompiled headers
    # go to the compile cache (TORCH_HEADERS_ENV), reused by later runs
    env = worker_env(os.environ, settings.threads_intra, Path(settings.compile_cache_dir or "."))
    reporter = reporter or SilentReporter()
    runner = Runner(settings, suite, probes, state, reporter, worker_cmd, env)
    state.set_quiet_load(machine.new_state(), machine.quiet_window())
    state.save()
    try:
        runner.run()
        if "dp_train" in settings.workloads and "dp_train" in suite.workloads:
            reporter.working("dp_train: data-parallel training on 1 and on N devices")
            state.scaling = run_scaling(
                settings,
                suite.workloads["dp_train"]["default"],
                probes,
                env,
                len(state.fingerprint.gpus),
                runner.unavailable,
                time_left=settings.budget_s - (time.monotonic() - state.started),
            )
    finally:
        if cache_root() is None and settings.compile_cache_dir:  # FWADVISOR_NO_CACHE's own
            shutil.rmtree(settings.compile_cache_dir, ignore_errors=True)
    probe = state.save(complete=True)
    if not any(m.status == "ok" for m in probe.measurements) and not any(
        s.status == "ok" for s in probe.scaling
    ):
        reasons = sorted({m.reason or m.status for m in probe.measurements})[:3]
        raise ProbeRunError(
            "the probe could not measure anything: " + "; ".join(reasons),
            hint=f"details are in {state.output}",
        )
    return probe
