"""Worker entry point: `python -m fwadvisor.probe.worker` (spec as JSON on stdin).

Runs one framework's workloads in this fresh process. Each workload is prepared in turn
(built, first call with compile, checked against eager, warmed up, calibrated), announced
with Start; then all of them are timed together, interleaved (Sampling), and the results
follow. The framework is imported only here, by loading probes/<framework module> by path.
"""

from __future__ import annotations

import random
import sys
import time
from dataclasses import dataclass, replace
from pathlib import Path
from types import ModuleType
from typing import IO

from fwadvisor.fingerprint import FrameworkInfo
from fwadvisor.measurements.schema import CacheState, Run
from fwadvisor.probe.worker.npcases import NumpyMatmul
from fwadvisor.probe.worker.protocol import (
    Done,
    Group,
    Hello,
    Msg,
    Noise,
    Result,
    Sampling,
    Start,
    Unavailable,
    WorkerSpec,
    encode,
)
from fwadvisor.records import validate, validate_json
from fwadvisor.registry import INSTALL_HINT
from fwadvisor.workers import harness
from fwadvisor.workers.channel import protocol_channel
from fwadvisor.workers.modules import load_file
from fwadvisor.workers.reaper import reaping

NOISE_N = 128
"""The noise reference: the framework's own eager matmul of this size, with the workloads'
threads, timed as two slots inside the workloads' rounds."""
REFERENCE_MAX_S = 0.5  # the NumPy matmul reference is timed alone, before the framework


def _cache_state(cache_dir: str | None) -> CacheState | None:
    if not cache_dir:
        return None
    path = Path(cache_dir)
    return "warm" if path.is_dir() and any(path.iterdir()) else "cold"


def _references(spec: WorkerSpec) -> dict[int, list[float]]:
    """NumPy matmul per size, timed before the framework loads (see harness.measure_alone)."""
    if spec.device != "cpu":
        return {}
    timing = replace(spec.timing, max_s=min(spec.timing.max_s, REFERENCE_MAX_S))
    sizes = {int(str(g.params["n"])) for g in spec.groups if g.workload == "matmul"}
    return {
        n: harness.measure_alone(NumpyMatmul(n, spec.seed), timing, seed=spec.seed)
        for n in sorted(sizes)
    }


@dataclass
class Prepared:
    """One workload variant ready to time: its slots per mode, the modes that failed to
    build, and the NumPy reference."""

    group: Group
    slots: dict[str, harness.Slot]
    failed: dict[str, Run]
    reference: list[float]


def _prepare(
    mod: ModuleType, spec: WorkerSpec, group: Group, refs: dict[int, list[float]]
) -> Prepared:
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
    slots = harness.first_calls(cases, spec.timing, rtol, atol)
    return Prepared(group, slots, failed, reference)


def _noise_slots(mod: ModuleType, spec: WorkerSpec) -> dict[str, harness.Slot] | None:
    """The noise reference, ready to time with the workloads; None when it cannot be built."""
    try:
        case = mod.make_case("matmul", {"n": NOISE_N}, "eager", spec.device, spec.seed)
        slots = harness.reference_slots(case, spec.timing)
    except Exception:  # no reference is no noise figure, not a failed probe
        return None
    return slots if all(s.error is None for s in slots.values()) else None


def run(spec: WorkerSpec, send: IO[str]) -> None:
    def emit(msg: Msg) -> None:
        send.write(encode(msg))
        send.flush()

    cache = _cache_state(spec.compile_cache_dir)
    refs = _references(spec)
    try:
        mod = load_file(spec.module_path, f"fwadvisor_probe_{spec.framework}")
        info = validate(
            FrameworkInfo, mod.setup(spec.threads_intra, spec.threads_inter, spec.device)
        )
    except ImportError as exc:
        hint = INSTALL_HINT[spec.framework]
        emit(Unavailable(reason=f"{spec.framework} is not installed ({exc}); {hint}"))
        return
    if spec.device not in info.devices:
        emit(Unavailable(reason=info.error or f"{spec.framework} cannot use {spec.device} here"))
        return
    emit(Hello(info=info, compile_cache=cache))
    noise = _noise_slots(mod, spec) if spec.noise_check else None
    prepared: list[Prepared] = []
    for group in spec.groups:
        guaranteed = spec.first_workload_always and not prepared
        if not guaranteed and spec.deadline is not None and time.time() > spec.deadline:
            for mode in group.modes:
                run_ = Run(process=spec.process, status="skipped", reason="time budget exhausted")
                emit(Result(workload=group.workload, variant=group.variant, mode=mode, run=run_))
            continue
        emit(Start(workload=group.workload, variant=group.variant))
        prepared.append(_prepare(mod, spec, group, refs))
    if prepared:
        emit(Sampling())
        left = None if spec.deadline is None else max(0.0, spec.deadline - time.time())
        harness.sample(
            [p.slots for p in prepared] + ([noise] if noise else []),
            spec.timing,
            random.Random(spec.seed),
            time.perf_counter,
            left,
        )
        if noise:
            ci, floor, stalled = harness.self_ratio(noise)
            emit(
                Noise(
                    ratio_ci95=ci,
                    floor=floor,
                    reference=f"{spec.framework} eager matmul {NOISE_N}",
                    threads=spec.threads_intra,
                    during_timing=True,
                    stalled_share=stalled,
                )
            )
    for p in prepared:
        runs = harness.results(
            p.slots, process=spec.process, cache=cache, reference_samples=p.reference
        )
        for mode, run_ in {**p.failed, **runs}.items():
            emit(Result(workload=p.group.workload, variant=p.group.variant, mode=mode, run=run_))
    emit(Done())


def main() -> None:
    send = protocol_channel()
    spec = validate_json(WorkerSpec, sys.stdin.read())
    run(spec, send)


if __name__ == "__main__":
    with reaping():  # nothing the code under test starts outlives this worker
        main()
