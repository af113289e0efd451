"""Timing inside a worker process; framework-free (the cases bring the framework).

Per workload variant (a group): each mode's first call is timed apart (it includes compile
or trace) and its output checked against eager; then warm-up (peak RSS read over it, where
the OS tells) and block calibration (blocks long enough that the clock and device sync are
negligible). Then rounds: in each round every mode of every prepared group times one block,
in shuffled order. Samples of the same round are paired, and a workload's samples are spread
over the whole timed phase instead of one short window, so a burst of noise from a
neighbour on a shared machine moves a few samples, not a whole median. Sampling stops once
every median's 95% interval is within `target_ci` of it (after `min_samples` rounds), or at
`samples` rounds, `max_s` seconds or the deadline.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol, runtime_checkable

from fwadvisor.measurements import stats
from fwadvisor.measurements.disturbance import stalled_share
from fwadvisor.measurements.schema import Run, Timing
from fwadvisor.workers import rss

Clock = Callable[[], float]
MAX_BLOCK = 1 << 20


@runtime_checkable
class Case(Protocol):
    """One workload in one mode, ready to call."""

    def check(self) -> Any:
        """The first call; returns the output as a NumPy array for the correctness check."""

    def run(self) -> None:
        """One call, not synchronized."""

    def sync(self) -> None:
        """Wait for queued device work (no-op on CPU)."""

    def compiles(self) -> int | None:
        """Graphs compiled or functions traced so far; None where not countable."""

    def reset_peak_mem(self) -> None:
        """Start a new device-memory peak (no-op on CPU)."""

    def peak_mem(self) -> int | None:
        """Peak device memory since the last reset, where the framework exposes it."""


def time_block(case: Case, calls: int, clock: Clock = time.perf_counter) -> float:
    """Seconds for `calls` calls, synchronized before the clock is read."""
    case.sync()
    t0 = clock()
    for _ in range(calls):
        case.run()
    case.sync()
    return clock() - t0


def calibrate(case: Case, target_s: float, clock: Clock = time.perf_counter) -> int:
    """Calls per block so that one block takes about target_s (at least one call)."""
    calls = 1
    while True:
        # min of two: one block slowed by a neighbour must not end calibration early
        t = min(time_block(case, calls, clock) for _ in range(2))
        if t >= target_s or calls >= MAX_BLOCK:
            return calls
        grow = target_s / t if t > 0 else 10.0
        calls = min(MAX_BLOCK, max(calls + 1, int(calls * min(10.0, grow * 1.1))))


def warm_up(case: Case, timing: Timing, clock: Clock = time.perf_counter) -> None:
    start = clock()
    n = 0
    while n < timing.min_warmup or clock() - start < timing.warmup_s:
        case.run()
        n += 1
    case.sync()


def _failure(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {exc}"[:500]


def output_error(ref: Any, out: Any, rtol: float, atol: float) -> tuple[float, bool]:
    """Max absolute difference and whether it is within atol + rtol * max|ref|."""
    import numpy as np

    a, b = np.asarray(ref, dtype=np.float64), np.asarray(out, dtype=np.float64)
    if a.shape != b.shape:
        return float("inf"), False
    err = float(np.max(np.abs(a - b))) if a.size else 0.0
    scale = float(np.max(np.abs(a))) if a.size else 0.0
    return err, err <= atol + rtol * scale


@dataclass
class Slot:
    """One case being timed: its first call, compile counts, its output's error against the
    reference (or why it failed), and its samples."""

    case: Case
    first_call_s: float | None = None
    compiles_start: int | None = None  # the case's counter before its first call
    graphs: int | None = None  # compiled or traced in its first call and warm-up
    timed_compiles: int | None = None  # while timed: must stay 0
    max_abs_err: float | None = None
    error: str | None = None
    calls: int = 1
    peak_rss: int | None = None
    peak_mem: int | None = None
    samples: list[float] = field(default_factory=list)

    def tight(self, target: float) -> bool:
        ci = stats.median_rank_ci(self.samples)
        if ci is None:
            return False
        mid = stats.median(self.samples)
        return mid > 0 and (ci[1] - ci[0]) / 2 <= target * mid


def _first_calls(
    cases: Mapping[str, Case], rtol: float, atol: float, clock: Clock
) -> dict[str, Slot]:
    slots: dict[str, Slot] = {}
    ref: Any = None
    for mode, case in cases.items():  # eager first: its output is the reference
        slot = Slot(case)
        slots[mode] = slot
        try:
            slot.compiles_start = case.compiles()
            t0 = clock()
            out = case.check()
            case.sync()
            slot.first_call_s = clock() - t0
        except Exception as exc:  # a workload failing in one mode is a result, not a crash
            slot.error = _failure(exc)
            continue
        if mode == "eager":
            ref = out
        elif ref is not None:
            slot.max_abs_err, ok = output_error(ref, out, rtol, atol)
            if not ok:
                slot.error = f"output differs from eager: max abs error {slot.max_abs_err:.3g}"
    return slots


def prepare(slots: Mapping[str, Slot], timing: Timing, clock: Clock) -> None:
    """Warm up and calibrate every mode that passed its first call."""
    for slot in slots.values():
        if slot.error is not None:
            continue
        try:
            # peaks over this mode's steady-state calls alone: the modes are interleaved later
            slot.case.reset_peak_mem()
            rss.reset_peak()
            warm_up(slot.case, timing, clock)
            slot.peak_rss = rss.peak_bytes()
            slot.peak_mem = slot.case.peak_mem()
            slot.calls = calibrate(slot.case, timing.block_s, clock)
            now = slot.case.compiles()
            if now is not None and slot.compiles_start is not None:
                slot.graphs = now - slot.compiles_start
        except Exception as exc:
            slot.error = _failure(exc)


def sample(
    groups: Sequence[Mapping[str, Slot]],
    timing: Timing,
    rng: random.Random,
    clock: Clock,
    max_s: float | None = None,
) -> None:
    """Rounds over every live slot of every group, shuffled, until the intervals are tight."""
    live = [slot for g in groups for slot in g.values() if slot.error is None]
    cap = timing.max_s if max_s is None else min(timing.max_s, max_s)
    start = clock()
    for rnd in range(timing.samples):
        if rnd >= timing.min_samples:
            if clock() - start > cap:
                break
            if timing.target_ci > 0 and all(s.tight(timing.target_ci) for s in live):
                break
        order = list(live)
        rng.shuffle(order)
        for slot in order:
            try:
                # a framework's graph counter may be global: read it around each block, so a
                # recompile is charged to the case that caused it
                before = slot.case.compiles()
                slot.samples.append(time_block(slot.case, slot.calls, clock) / slot.calls)
                after = slot.case.compiles()
                if before is not None and after is not None:
                    slot.timed_compiles = (slot.timed_compiles or 0) + after - before
            except Exception as exc:
                slot.error = _failure(exc)
                live.remove(slot)


def first_calls(
    cases: Mapping[str, Case],
    timing: Timing,
    rtol: float = 1e-3,
    atol: float = 1e-5,
    clock: Clock = time.perf_counter,
) -> dict[str, Slot]:
    """First calls, correctness against eager, warm-up and calibration: ready to sample."""
    slots = _first_calls(cases, rtol, atol, clock)
    prepare(slots, timing, clock)
    return slots


def _run_of(process: int, mode: str, slot: Slot, cache: str | None, ref: list[float]) -> Run:
    compiled = mode != "eager"
    if slot.error is not None:
        return Run(
            process=process,
            status="failed",
            reason=slot.error,
            first_call_s=slot.first_call_s,
            max_abs_err=slot.max_abs_err,
        )
    timed = slot.timed_compiles
    med = stats.median(slot.samples)
    first = slot.first_call_s
    common: dict[str, Any] = {
        "process": process,
        "first_call_s": first,
        "compile_s": max(0.0, first - med) if compiled and first is not None else None,
        "compile_cache": cache if compiled else None,
        "recompiles": slot.graphs,
        "recompiles_timed": timed,
        "peak_mem_bytes": slot.peak_mem,
        "peak_rss_bytes": slot.peak_rss,
        "max_abs_err": slot.max_abs_err,
        "block_calls": slot.calls,
    }
    if timed:
        return Run(
            status="failed",
            **common,
            reason=f"recompiled {timed} times while timed: samples invalid",
        )
    return Run(status="ok", samples_s=slot.samples, median_s=med, reference_samples_s=ref, **common)


def results(
    slots: Mapping[str, Slot],
    *,
    process: int,
    cache: str | None = None,
    reference_samples: Sequence[float] = (),
) -> dict[str, Run]:
    """One Run per mode of a sampled group."""
    ref = list(reference_samples)
    return {mode: _run_of(process, mode, s, cache, ref) for mode, s in slots.items()}


def measure_group(
    cases: Mapping[str, Case],
    timing: Timing,
    *,
    process: int,
    seed: int,
    cache: str | None = None,
    reference_samples: Sequence[float] = (),
    rtol: float = 1e-3,
    atol: float = 1e-5,
    clock: Clock = time.perf_counter,
) -> dict[str, Run]:
    """Measure every mode of one workload variant on its own, interleaved; one Run per mode."""
    slots = first_calls(cases, timing, rtol, atol, clock)
    sample([slots], timing, random.Random(seed), clock)
    return results(slots, process=process, cache=cache, reference_samples=reference_samples)


def _time_alone(slots: dict[str, Slot], timing: Timing, seed: int, clock: Clock) -> dict[str, Slot]:
    """Warm up, calibrate and sample slots whose first call needs no check."""
    prepare(slots, timing, clock)
    sample([slots], timing, random.Random(seed), clock)
    return slots


def measure_alone(
    case: Case, timing: Timing, *, seed: int, clock: Clock = time.perf_counter
) -> list[float]:
    """Samples of one case on its own (the NumPy reference: its BLAS thread pool must not
    alternate with the framework's, which slows both by a third or more)."""
    case.check()
    return _time_alone({"ref": Slot(case)}, timing, seed, clock)["ref"].samples


def noise_floor(
    case: Case, timing: Timing, *, seed: int, clock: Clock = time.perf_counter
) -> tuple[tuple[float, float], float]:
    """Time one case against itself, interleaved; the ratio interval shows the noise."""
    slots = reference_slots(case, timing, clock)
    sample([slots], timing, random.Random(seed), clock)
    ci, floor, _ = self_ratio(slots)
    return ci, floor


def reference_slots(
    case: Case, timing: Timing, clock: Clock = time.perf_counter
) -> dict[str, Slot]:
    """The same case as two slots, ready to sample (alone, or in the workloads' rounds: then
    it sees what the workloads saw, with their threads)."""
    case.check()
    slots = {"a": Slot(case), "b": Slot(case)}
    prepare(slots, timing, clock)
    return slots


def self_ratio(slots: Mapping[str, Slot]) -> tuple[tuple[float, float], float, float | None]:
    """The interval of a / b of a case timed against itself, how far it reaches from 1 (the
    noise floor), and the share of its samples that stalled."""
    a, b = slots["a"].samples, slots["b"].samples
    if not a or not b:
        return (1.0, 1.0), 0.0, None
    ci = stats.ratio_ci([a], [b], paired=True, n_boot=500)
    return ci, max(0.0, ci[1] - 1.0, 1.0 - ci[0]), stalled_share([a, b])
