"""The probe on deliberately busy CPUs: two spinning processes beside it (started and stopped
here, by their own pids). No ratio may count in a direction the quiet run contradicts, and
the recommendation must say first that the machine was busy."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from fwadvisor.measurements.evidence import build_evidence
from fwadvisor.measurements.schema import ProbeFile
from fwadvisor.probe.session import ProbeRequest, prepare, run_probe
from fwadvisor.registry import FRAMEWORKS
from tests.cli_run import cli
from tests.measurements.helpers import ROOT

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
        processes=2,
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
def test_a_busy_machine_moves_no_score_and_says_so(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    cores = len(os.sched_getaffinity(0))
    with spinning(cores):
        busy_file, busy = _probe(tmp_path, "busy")
    quiet_file, quiet = _probe(tmp_path, "quiet")

    loads = [p.foreign_cores for p in (busy.machine.during if busy.machine else [])]
    assert loads and max(loads) > 1.0  # the spinners were seen beside the workers
    quiet_says = _counted(quiet)
    for key, favoured in _counted(busy).items():
        assert quiet_says.get(key) in (None, favoured), (key, favoured, quiet_says)

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
    assert quiet_file.exists()
