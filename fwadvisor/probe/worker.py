"""Worker entry point: `python -m fwadvisor.probe.worker` (spec as JSON on stdin).

Runs one framework's workloads in this fresh process and reports each result as soon as it
exists. The framework is imported only here, by loading probes/<framework module> by path.
"""

from __future__ import annotations

import importlib.util
import os
import resource
import sys
import time
from pathlib import Path
from types import ModuleType
from typing import IO

from fwadvisor.probe import harness
from fwadvisor.probe.ids import INSTALL_HINT
from fwadvisor.probe.npcases import NumpyMatmul
from fwadvisor.probe.protocol import (
    Done,
    Group,
    Hello,
    Msg,
    Noise,
    Result,
    Start,
    Timing,
    Unavailable,
    WorkerSpec,
    encode,
)
from fwadvisor.probe.schema import FrameworkInfo, Run

NOISE_TIMING = Timing(
    warmup_s=0.02, min_warmup=2, block_s=0.002, samples=15, min_samples=15, max_s=1.0
)


def _protocol_channel() -> IO[str]:
    """Keep the real stdout for messages; send everything else printed to stderr."""
    channel = os.fdopen(os.dup(1), "w", buffering=1, encoding="utf-8")
    os.dup2(2, 1)
    return channel


def _cache_state(cache_dir: str | None) -> str | None:
    if not cache_dir:
        return None
    path = Path(cache_dir)
    return "warm" if path.is_dir() and any(path.iterdir()) else "cold"


def _load(path: str, framework: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(f"fwadvisor_probe_{framework}", path)
    if spec is None or spec.loader is None:
        raise ImportError(f"cannot load {path}")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _references(spec: WorkerSpec) -> dict[int, list[float]]:
    """NumPy matmul per size, timed before the framework loads (see harness.measure_alone)."""
    if spec.device != "cpu":
        return {}
    sizes = {int(str(g.params["n"])) for g in spec.groups if g.workload == "matmul"}
    return {
        n: harness.measure_alone(NumpyMatmul(n, spec.seed), spec.timing, seed=spec.seed)
        for n in sorted(sizes)
    }


def _group(
    mod: ModuleType, spec: WorkerSpec, group: Group, cache: str | None, refs: dict[int, list[float]]
) -> dict[str, Run]:
    cases: dict[str, harness.Case] = {}
    failed: dict[str, Run] = {}
    for mode in group.modes:
        try:
            cases[mode] = mod.make_case(group.workload, group.params, mode, spec.device, spec.seed)
        except Exception as exc:  # a case that cannot be built is a failed measurement
            reason = f"{type(exc).__name__}: {exc}"[:500]
            failed[mode] = Run(process=spec.process, status="failed", reason=reason)
    reference: list[float] = []
    if group.workload == "matmul":
        reference = refs.get(int(str(group.params["n"])), [])
    rtol, atol = getattr(mod, "TOLERANCES", {}).get(group.workload, (1e-3, 1e-5))
    runs = harness.measure_group(
        cases,
        spec.timing,
        process=spec.process,
        seed=spec.seed,
        cache=cache,
        reference_samples=reference,
        rtol=rtol,
        atol=atol,
    )
    return {**failed, **runs}


def run(spec: WorkerSpec, send: IO[str]) -> None:
    def emit(msg: Msg) -> None:
        send.write(encode(msg))
        send.flush()

    cache = _cache_state(spec.compile_cache_dir)
    noise: tuple[tuple[float, float], float] | None = None
    if spec.noise_check:
        noise = harness.noise_floor(NumpyMatmul(128), NOISE_TIMING, seed=spec.seed)
    refs = _references(spec)
    try:
        mod = _load(spec.module_path, spec.framework)
        info = FrameworkInfo.model_validate(
            mod.setup(spec.threads_intra, spec.threads_inter, spec.device)
        )
    except ImportError as exc:
        hint = INSTALL_HINT[spec.framework]
        emit(Unavailable(reason=f"{spec.framework} is not installed ({exc}); {hint}"))
        return
    if spec.device not in info.devices:
        emit(Unavailable(reason=info.error or f"{spec.framework} cannot use {spec.device} here"))
        return
    emit(Hello(info=info, compile_cache=cache))
    if noise is not None:
        emit(Noise(ratio_ci95=noise[0], floor=noise[1]))
    for group in spec.groups:
        if spec.deadline is not None and time.time() > spec.deadline:
            for mode in group.modes:
                run_ = Run(process=spec.process, status="skipped", reason="time budget exhausted")
                emit(Result(workload=group.workload, variant=group.variant, mode=mode, run=run_))
            continue
        emit(Start(workload=group.workload, variant=group.variant))
        for mode, run_ in _group(mod, spec, group, cache, refs).items():
            emit(Result(workload=group.workload, variant=group.variant, mode=mode, run=run_))
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    emit(Done(peak_rss_bytes=rss))


def main() -> None:
    send = _protocol_channel()
    spec = WorkerSpec.model_validate_json(sys.stdin.read())
    run(spec, send)


if __name__ == "__main__":
    main()
