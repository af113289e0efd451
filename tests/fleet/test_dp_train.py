"""dp_train: each framework's training step on 1 and on 2 CPU devices, and what it feeds."""

from __future__ import annotations

import os
import time
from dataclasses import replace
from pathlib import Path

import pytest

from fwadvisor.measurements.scaling import scales_better, scaling_lines
from fwadvisor.measurements.schema import Scaling
from fwadvisor.probe.scaling import DpRunner, plan, run_scaling
from fwadvisor.registry import TRAINING_HARDWARE
from fwadvisor.workers.process import worker_env
from tests.measurements.helpers import ROOT, probe_file

SMALL = {"batch": 32, "width": 64, "depth": 1, "warmup": 2, "samples": 6, "block": 3}


def test_plan_uses_every_gpu_or_two_cpu_devices() -> None:
    assert plan("cuda", 8, 64) == (8, 8)
    assert plan("cpu", 0, 2) == (2, 1)
    assert plan("cpu", 0, 16) == (2, 8)
    assert plan("cpu", 0, 1) == (1, 1)


def test_one_device_is_skipped_with_the_reason() -> None:
    runner = DpRunner(ROOT / "probes", os.environ, 60)
    result = runner.measure("pytorch", "cpu", 1, 1, SMALL, 1)
    assert result.status == "skipped" and "one device" in (result.reason or "")


def scaled(fw: str, ci: tuple[float, float]) -> Scaling:
    return Scaling(
        framework=fw,  # type: ignore[arg-type]
        device="cpu",
        devices=2,
        threads_per_device=1,
        status="ok",
        efficiency=sum(ci) / 2,
        efficiency_ci95=ci,
        throughput_1=100.0,
        throughput_n=150.0,
        strategy="test",
    )


def test_scales_better_needs_separated_intervals() -> None:
    def probe(pt: tuple[float, float], tf: tuple[float, float]):  # type: ignore[no-untyped-def]
        return replace(probe_file([]), scaling=[scaled("pytorch", pt), scaled("tensorflow", tf)])

    answers = {TRAINING_HARDWARE: ["cpu_only"]}
    assert scales_better([probe((0.8, 0.9), (0.4, 0.5))], answers) == "pytorch"
    assert scales_better([probe((0.4, 0.5), (0.8, 0.9))], answers) == "tensorflow"
    assert scales_better([probe((0.5, 0.8), (0.6, 0.9))], answers) == "indistinguishable"
    assert scales_better([probe_file([])], answers) is None
    assert (
        "scaling efficiency on 2 cpu devices 0.85 [0.80-0.90]"
        in scaling_lines(probe((0.8, 0.9), (0.4, 0.5)))[0]
    )


@pytest.mark.slow
@pytest.mark.timed
@pytest.mark.fleet
@pytest.mark.netns
def test_dp_train_scales_each_framework_over_two_cpu_devices() -> None:
    """DDP (gloo), MirroredStrategy and a sharded jit on 2 CPU devices, one process round
    each (the gloo rendezvous stays on the namespace's loopback)."""
    pytest.importorskip("torch")
    pytest.importorskip("tensorflow")
    pytest.importorskip("jax")
    runner = DpRunner(Path(ROOT / "probes"), worker_env(os.environ, 1, None), 180)
    for fw in ("pytorch", "tensorflow", "jax"):
        start = time.monotonic()
        result = runner.measure(fw, "cpu", 2, 1, SMALL, 1)
        assert result.status == "ok", result.reason
        assert result.efficiency is not None and result.efficiency_ci95 is not None
        lo, hi = result.efficiency_ci95
        assert 0 < lo <= result.efficiency <= hi
        assert len(result.step_1_s) == len(result.step_n_s) == 1
        assert len(result.step_n_s[0]) == SMALL["samples"]
        assert result.strategy
        print(
            f"{scaling_lines(replace(probe_file([]), scaling=[result]))[0]}"
            f" in {time.monotonic() - start:.0f} s"
        )


def test_dp_train_is_skipped_once_the_budget_is_spent() -> None:
    settings = probe_file([]).settings
    out = run_scaling(settings, SMALL, ROOT / "probes", os.environ, 0, set(), time_left=0.0)
    assert [s.framework for s in out] == settings.frameworks
    assert all(s.status == "skipped" and s.reason == "time budget exhausted" for s in out)
