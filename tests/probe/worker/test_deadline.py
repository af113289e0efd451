"""The worker's deadline: it stops starting workloads once the deadline has passed, except
the first workload of a process the runner started to measure something (a busy machine
made TensorFlow's first process start past its deadline and measure nothing, so no ratio
could be formed at all)."""

from __future__ import annotations

import io
import time
from pathlib import Path

from fwadvisor.measurements.schema import Timing
from fwadvisor.probe.worker.__main__ import run
from fwadvisor.probe.worker.protocol import Group, Result, WorkerSpec, decode

FAKE_FRAMEWORK = '''
from fwadvisor.probe.worker.npcases import NumpyMatmul

def setup(intra, inter, device):
    return {"installed": True, "version": "0", "threads_intra": intra,
            "threads_inter": inter, "devices": ["cpu"]}

def make_case(workload, params, mode, device, seed):
    return NumpyMatmul(int(params["n"]), seed)
'''

TIMING = Timing(
    warmup_s=0.0, min_warmup=1, block_s=0.001, samples=3, min_samples=3, max_s=0.05
)


def _results(tmp_path: Path, *, first_workload_always: bool) -> dict[str, set[str]]:
    module = tmp_path / "fake_framework.py"
    module.write_text(FAKE_FRAMEWORK, encoding="utf-8")
    spec = WorkerSpec(
        framework="pytorch",
        module_path=str(module),
        device="cpu",
        threads_intra=1,
        threads_inter=1,
        process=0,
        seed=0,
        deadline=time.time() - 1.0,  # already passed when the worker starts
        timing=TIMING,
        groups=[
            Group(workload="matmul", variant="default", params={"n": 8}, modes=["eager"]),
            Group(workload="dispatch", variant="default", params={"n": 8}, modes=["eager"]),
        ],
        noise_check=False,
        first_workload_always=first_workload_always,
    )
    out = io.StringIO()
    run(spec, out)
    statuses: dict[str, set[str]] = {}
    for line in out.getvalue().splitlines():
        msg = decode(line)
        if isinstance(msg, Result):
            statuses.setdefault(msg.workload, set()).add(msg.run.status)
    return statuses


def test_a_first_process_past_its_deadline_still_measures_its_first_workload(
    tmp_path: Path,
) -> None:
    assert _results(tmp_path, first_workload_always=True) == {
        "matmul": {"ok"},
        "dispatch": {"skipped"},
    }


def test_any_other_worker_past_its_deadline_starts_nothing(tmp_path: Path) -> None:
    assert _results(tmp_path, first_workload_always=False) == {
        "matmul": {"skipped"},
        "dispatch": {"skipped"},
    }
