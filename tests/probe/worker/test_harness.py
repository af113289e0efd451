"""Worker-side timing with fake cases, including an asynchronous (CUDA-like) device."""

from __future__ import annotations

import random
from dataclasses import replace
from typing import Any

import numpy as np

from fwadvisor.measurements.schema import Timing
from fwadvisor.workers import harness, rss

TIMING = Timing(warmup_s=0.0, min_warmup=1, block_s=0.001, samples=6, min_samples=3, max_s=1.0)


class FakeClock:
    def __init__(self) -> None:
        self.t = 0.0

    def __call__(self) -> float:
        return self.t


class AsyncDeviceCase:
    """Calls enqueue work; only sync() waits for it, like a CUDA stream."""

    def __init__(self, clock: FakeClock, cost: float = 1e-4, out: float = 1.0) -> None:
        self.clock, self.cost, self.out = clock, cost, out
        self.queued = 0
        self.resets = 0
        self.graphs = 0
        self.retrace_every_call = False

    def check(self) -> Any:
        self.graphs += 1
        self.run()
        self.sync()
        return np.full(4, self.out, dtype=np.float32)

    def run(self) -> None:
        self.queued += 1
        self.clock.t += 1e-6  # launch overhead only
        if self.retrace_every_call:
            self.graphs += 1

    def sync(self) -> None:
        self.clock.t += self.queued * self.cost
        self.queued = 0

    def compiles(self) -> int | None:
        return self.graphs

    def reset_peak_mem(self) -> None:
        self.resets += 1

    def peak_mem(self) -> int | None:
        return 1234


def test_time_block_syncs_before_reading_the_clock() -> None:
    clock = FakeClock()
    case = AsyncDeviceCase(clock, cost=1e-3)
    assert harness.time_block(case, 10, clock) >= 10 * 1e-3  # without sync it would be 1e-5


def test_calibrate_reaches_target() -> None:
    clock = FakeClock()
    case = AsyncDeviceCase(clock, cost=1e-5)
    calls = harness.calibrate(case, 1e-3, clock)
    assert calls * 1e-5 >= 1e-3 * 0.9


def test_measure_group_pairs_modes_and_checks_outputs() -> None:
    clock = FakeClock()
    cases = {
        "eager": AsyncDeviceCase(clock, 2e-4),
        "compiled": AsyncDeviceCase(clock, 1e-4),
        "bad": AsyncDeviceCase(clock, 1e-4, out=2.0),
    }
    runs = harness.measure_group(cases, TIMING, process=0, seed=1, cache="cold", clock=clock)
    assert runs["eager"].status == "ok" and runs["compiled"].status == "ok"
    assert len(runs["eager"].samples_s) == len(runs["compiled"].samples_s) == 6
    assert runs["compiled"].median_s is not None and runs["eager"].median_s is not None
    assert runs["compiled"].median_s < runs["eager"].median_s
    assert runs["compiled"].compile_cache == "cold" and runs["eager"].compile_cache is None
    assert runs["compiled"].peak_mem_bytes == 1234
    assert cases["compiled"].resets == 1  # its own peak, before its warm-up
    assert runs["bad"].status == "failed" and "differs from eager" in (runs["bad"].reason or "")


def test_recompiles_while_timed_invalidate_samples() -> None:
    clock = FakeClock()
    eager, graph = AsyncDeviceCase(clock), AsyncDeviceCase(clock)
    graph.retrace_every_call = True
    runs = harness.measure_group(
        {"eager": eager, "function": graph}, TIMING, process=0, seed=1, clock=clock
    )
    assert runs["function"].status == "failed"
    assert "recompiled" in (runs["function"].reason or "")


def test_a_mode_that_raises_fails_alone() -> None:
    clock = FakeClock()

    class Broken(AsyncDeviceCase):
        def check(self) -> Any:
            raise RuntimeError("inductor: no C++ compiler")

    runs = harness.measure_group(
        {"eager": AsyncDeviceCase(clock), "compiled": Broken(clock)},
        TIMING,
        process=0,
        seed=1,
        clock=clock,
    )
    assert runs["eager"].status == "ok"
    assert runs["compiled"].status == "failed" and "C++" in (runs["compiled"].reason or "")


def test_noise_floor_of_a_steady_case_is_small() -> None:
    clock = FakeClock()
    ci, floor = harness.noise_floor(AsyncDeviceCase(clock), TIMING, seed=0, clock=clock)
    assert floor < 0.01 and ci[0] <= 1.0 <= ci[1]


class Counter:
    """A graph counter shared by cases, like torch dynamo's global one."""

    def __init__(self) -> None:
        self.n = 0


class SharedCounterCase(AsyncDeviceCase):
    def __init__(self, clock: FakeClock, counter: Counter, cost: float = 1e-4) -> None:
        super().__init__(clock, cost)
        self.counter = counter

    def check(self) -> Any:
        self.counter.n += 1
        return super().check()

    def run(self) -> None:
        super().run()
        if self.retrace_every_call:
            self.counter.n += 1

    def compiles(self) -> int | None:
        return self.counter.n


def test_groups_are_timed_together_in_shuffled_rounds() -> None:
    clock = FakeClock()
    blocks: list[str] = []

    class Logged(AsyncDeviceCase):
        def __init__(self, name: str) -> None:
            super().__init__(clock)
            self.name = name

        def sync(self) -> None:  # time_block syncs once before and once after each block
            blocks.append(self.name)
            super().sync()

    groups = [
        harness.first_calls(
            {"eager": Logged("a/eager"), "compiled": Logged("a/compiled")}, TIMING, clock=clock
        ),
        harness.first_calls({"eager": Logged("b/eager")}, TIMING, clock=clock),
    ]
    blocks.clear()
    harness.sample(groups, TIMING, random.Random(0), clock)
    timed = blocks[::2]
    names = {"a/eager", "a/compiled", "b/eager"}
    rounds = [timed[i : i + 3] for i in range(0, len(timed), 3)]
    assert len(rounds) == TIMING.samples
    assert all(set(r) == names for r in rounds)  # every slot once per round
    assert len({tuple(r) for r in rounds}) > 1  # in shuffled order
    runs = harness.results(groups[0], process=0)
    assert runs["eager"].status == runs["compiled"].status == "ok"
    assert len(runs["eager"].samples_s) == len(runs["compiled"].samples_s) == TIMING.samples


def test_sampling_stops_early_once_intervals_are_tight() -> None:
    clock = FakeClock()
    steady = harness.first_calls({"eager": AsyncDeviceCase(clock)}, TIMING, clock=clock)
    timing = replace(TIMING, samples=50, min_samples=8, target_ci=0.01)
    harness.sample([steady], timing, random.Random(0), clock)
    assert len(steady["eager"].samples) == 8  # constant times: tight at once
    never = harness.first_calls({"eager": AsyncDeviceCase(clock)}, TIMING, clock=clock)
    harness.sample([never], replace(timing, target_ci=0.0), random.Random(0), clock)
    assert len(never["eager"].samples) == 50


def test_a_recompile_is_charged_to_the_case_that_caused_it() -> None:
    clock, counter = FakeClock(), Counter()
    steady, retracing = SharedCounterCase(clock, counter), SharedCounterCase(clock, counter)
    a = harness.first_calls(
        {"eager": AsyncDeviceCase(clock), "compiled": steady}, TIMING, clock=clock
    )
    b = harness.first_calls(
        {"eager": AsyncDeviceCase(clock), "compiled": retracing}, TIMING, clock=clock
    )
    retracing.retrace_every_call = True
    harness.sample([a, b], TIMING, random.Random(0), clock)
    ok, bad = harness.results(a, process=0), harness.results(b, process=0)
    assert ok["compiled"].status == "ok" and ok["compiled"].recompiles == 1
    assert bad["compiled"].status == "failed" and "recompiled" in (bad["compiled"].reason or "")


def test_peak_rss_is_recorded_where_the_os_tells() -> None:
    clock = FakeClock()
    runs = harness.measure_group({"eager": AsyncDeviceCase(clock)}, TIMING, process=0, seed=0)
    expected = rss.peak_bytes() is not None
    assert (runs["eager"].peak_rss_bytes is not None) == expected
    if expected:
        assert (runs["eager"].peak_rss_bytes or 0) > 10 * 2**20  # a Python with NumPy


def test_rss_peak_resets() -> None:
    if not rss.reset_peak():
        return  # not Linux: nothing to reset, peak_bytes() is None there
    blob = bytearray(64 * 2**20)
    for i in range(0, len(blob), 4096):
        blob[i] = 1
    high = rss.peak_bytes() or 0
    del blob
    assert rss.reset_peak()
    assert (rss.peak_bytes() or 0) < high - 32 * 2**20
