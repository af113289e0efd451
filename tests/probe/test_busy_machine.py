"""The probe on deliberately busy CPUs: one spinning process per core beside it (started and
stopped here, by their own pids). No ratio may count, and the recommendation must say first
that the machine was busy. (How far a busy run's ratios stray from a quiet run's is measured
by benchmarks/busy_machine_bench.py; docs/notes/measurements.md has the figures.)"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from fwadvisor.measurements.disturbance import assess, overload_cores
from fwadvisor.measurements.evidence import build_evidence
from fwadvisor.measurements.schema import ProbeFile
from fwadvisor.probe.session import ProbeRequest, prepare, run_probe
from fwadvisor.registry import FRAMEWORKS
from tests.cli_run import cli
from tests.measurements.helpers import ROOT

# a ceiling: one process per framework (a framework's first process always measures its
# first workload, however late a busy machine lets it start); the quick suite's 115 s and
# three processes would only add processes whose ratios may not count anyway
BUDGET_S = 55.0
ANSWERS = {"workload_uses": ["training", "online_inference"], "latency_sensitive": True}


@contextmanager
def spinning(count: int) -> Iterator[list[int]]:
    """`count` CPU-bound processes for as long as the block runs."""
    procs = [subprocess.Popen([sys.executable, "-c", "while True: pass"]) for _ in range(count)]
    try:
        yield [p.pid for p in procs]
    finally:
        for p in procs:
            p.kill()  # this Popen's own process, by its pid
            p.wait(timeout=30)


def _probe(tmp_path: Path, name: str) -> tuple[Path, ProbeFile]:
    out = tmp_path / f"{name}.json"
    req = ProbeRequest(
        suite="quick",
        frameworks="pytorch,tensorflow",
        workloads="mlp_train,cnn_infer",
        device="cpu",
        output=out,
        processes=1,
        budget_s=BUDGET_S,
    )
    settings, state = prepare(req, detect=lambda: [])
    return out, run_probe(settings, state)


def _counted(probe: ProbeFile) -> dict[tuple[str, str, str, str], str]:
    """(workload, variant, numerator, denominator) -> the framework a counted ratio favours."""
    items = build_evidence([probe], {**ANSWERS, "execution_mode": "eager"}).items
    items += build_evidence([probe], {**ANSWERS, "execution_mode": "compiled"}).items
    return {
        (i.workload, i.variant, i.numerator, i.denominator): i.verdict
        for i in items
        if i.verdict in FRAMEWORKS and i.points
    }


@pytest.mark.slow
@pytest.mark.timed
def test_a_busy_machine_counts_no_ratio_and_says_so(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    cores = len(os.sched_getaffinity(0))
    with spinning(cores):
        busy_file, busy = _probe(tmp_path, "busy")

    loads = [p.foreign_cores for p in (busy.machine.during if busy.machine else [])]
    assert loads and statistics.median(loads) > overload_cores(busy)  # the spinners were seen
    assert assess(busy).too_disturbed
    assert any(m.status == "ok" for m in busy.measurements)  # measured, then held back
    verdicts = {i.verdict for i in build_evidence([busy], ANSWERS).items}
    assert "disturbed" in verdicts  # ratios were formed, and held back as disturbed
    assert _counted(busy) == {}

    answers = tmp_path / "answers.yaml"
    answers.write_text(
        (ROOT / "examples" / "default.yaml").read_text(encoding="utf-8"), encoding="utf-8"
    )
    rec_file = tmp_path / "rec.json"
    code, _, err = cli(
        capsys,
        "recommend",
        "--answers",
        str(answers),
        "--set",
        "workloads=training,online_inference",
        "--set",
        "latency_sensitive=true",
        "--probe",
        str(busy_file),
        "--format",
        "json",
        "-o",
        str(rec_file),
    )
    assert code == 0, err
    rec = json.loads(rec_file.read_text(encoding="utf-8"))
    assert rec["summary"].startswith("The machine was too busy to compare frameworks")
    assert "--threads 1" in rec["summary"]
    measured = [s["measured_performance"]["raw"] for s in rec["scores"].values()]
    assert all(abs(v) < 1e-9 for v in measured)  # the busy file moved no score
