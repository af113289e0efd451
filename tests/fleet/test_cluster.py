"""`probe --ray` against a real two-node Ray cluster on a private loopback (CI runs these).

Each test reruns itself inside a fresh network namespace (netns.py) where it starts a
`ray.cluster_utils.Cluster`: a head and one more node on this machine, with different labels,
so `--group-by fleet-role` sees two kinds. The smoke suite runs JAX only (the quickest to import and compile) to keep CI short.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from fwadvisor.errors import ExitCode
from fwadvisor.measurements.fleet import load_fleet_index, load_probe_folder
from fwadvisor.measurements.read import load_probe_file
from tests.fleet.netns import inside, listening, loopback_only, reap_namespace, rerun_inside

pytestmark = [pytest.mark.slow, pytest.mark.fleet]
ROOT = Path(__file__).resolve().parents[2]
TRAIN, SERVE = "fleet-role-train", "fleet-role-serve"


@pytest.fixture
def cluster() -> Iterator[tuple[Any, Any]]:
    cluster_utils = pytest.importorskip("ray.cluster_utils")
    c = cluster_utils.Cluster(
        initialize_head=True,
        head_node_args={
            "num_cpus": 1,
            "labels": {"fleet-role": "train"},
            "include_dashboard": False,
        },
    )
    worker = c.add_node(num_cpus=1, labels={"fleet-role": "serve"})
    c.wait_for_nodes()
    try:
        yield c, worker
    finally:
        c.shutdown()
        reap_namespace()


def fleet_cmd(address: str, out: Path) -> list[str]:
    return [
        *(sys.executable, "-m", "fwadvisor", "probe", "--ray", address, "--suite", "smoke"),
        *("--frameworks", "jax", "--group-by", "fleet-role", "--output", str(out)),
    ]


def start(address: str, out: Path, logs: Path) -> subprocess.Popen[str]:
    """The CLI, its output into files (a pipe nobody reads would stall it)."""
    env = {**os.environ, "PYTHONPATH": str(ROOT), "RAY_ADDRESS": ""}
    return subprocess.Popen(
        fleet_cmd(address, out),
        env=env,
        stdout=(logs / "stdout").open("w"),
        stderr=(logs / "stderr").open("w"),
        text=True,
    )


def finish(proc: subprocess.Popen[str], logs: Path, timeout: float) -> tuple[str, str]:
    proc.wait(timeout=timeout)
    return (logs / "stdout").read_text(), (logs / "stderr").read_text()


def test_two_kinds_of_node_give_two_files_and_an_index(request: pytest.FixtureRequest) -> None:
    if not inside():
        print(rerun_inside(request.node.nodeid, timeout=600))
        return
    c, _ = request.getfixturevalue("cluster")
    tmp = request.getfixturevalue("tmp_path")
    out = tmp / "fleet"
    began = time.monotonic()
    proc = start(c.address, out, tmp)
    seen: list[str] = []
    while proc.poll() is None and time.monotonic() - began < 400:  # what listens meanwhile
        seen += listening()
        time.sleep(2)
    stdout, stderr = finish(proc, tmp, 30)
    wall = time.monotonic() - began
    assert proc.returncode == 0, stderr[-3000:]
    assert seen and loopback_only(seen), seen
    index = load_fleet_index(out)
    assert index.complete
    assert {e.kind for e in index.kinds} == {TRAIN, SERVE}
    assert all(e.status == "complete" and e.file for e in index.kinds)
    probes = {p.fingerprint.cluster_node.kind: p for p in load_probe_folder(out)}  # type: ignore[union-attr]
    assert set(probes) == {TRAIN, SERVE}
    train, serve = probes[TRAIN], probes[SERVE]
    assert train.fingerprint != serve.fingerprint
    assert train.fingerprint.cluster_node and serve.fingerprint.cluster_node
    assert train.fingerprint.cluster_node.labels["fleet-role"] == "train"
    assert serve.fingerprint.cluster_node.node_id != train.fingerprint.cluster_node.node_id
    for p in (train, serve):
        assert p.complete and any(m.status == "ok" for m in p.measurements)
    assert f"{TRAIN}: complete" in stdout and f"{SERVE}: complete" in stdout
    print(f"two-node smoke run (JAX): {wall:.1f} s wall, cluster start excluded")


def test_a_lost_node_leaves_an_incomplete_file_and_exit_7(
    request: pytest.FixtureRequest,
) -> None:
    if not inside():
        print(rerun_inside(request.node.nodeid, timeout=600))
        return
    c, worker = request.getfixturevalue("cluster")
    tmp = request.getfixturevalue("tmp_path")
    out = tmp / "fleet"
    proc = start(c.address, out, tmp)
    deadline = time.monotonic() + 240
    while not (out / f"{SERVE}.json").exists():  # the serve node's run has begun
        assert proc.poll() is None and time.monotonic() < deadline, finish(proc, tmp, 30)
        time.sleep(0.2)
    c.remove_node(worker)
    stdout, stderr = finish(proc, tmp, 400)
    assert proc.returncode == ExitCode.SOME_NODES_FAILED, stderr[-3000:]
    index = load_fleet_index(out)
    assert not index.complete
    entries = {e.kind: e for e in index.kinds}
    assert entries[TRAIN].status == "complete"
    assert entries[SERVE].status == "incomplete" and entries[SERVE].reason
    lost = load_probe_file(out / f"{SERVE}.json")
    assert not lost.complete and lost.incomplete_reason == entries[SERVE].reason
    assert load_probe_file(out / f"{TRAIN}.json").complete
    assert f"{SERVE}: incomplete" in stdout
    print(f"lost node's reason: {entries[SERVE].reason}")


def test_ctrl_c_cancels_the_runs_and_keeps_the_folder(request: pytest.FixtureRequest) -> None:
    if not inside():
        print(rerun_inside(request.node.nodeid, timeout=600))
        return
    c, _ = request.getfixturevalue("cluster")
    tmp = request.getfixturevalue("tmp_path")
    out = tmp / "fleet"
    proc = start(c.address, out, tmp)
    deadline = time.monotonic() + 240
    while not all((out / f"{k}.json").exists() for k in (TRAIN, SERVE)):  # both under way
        assert proc.poll() is None and time.monotonic() < deadline, finish(proc, tmp, 30)
        time.sleep(0.2)
    proc.send_signal(signal.SIGINT)
    _, stderr = finish(proc, tmp, 120)
    assert proc.returncode == ExitCode.INTERRUPTED, stderr[-3000:]
    assert "Traceback" not in stderr
    index = load_fleet_index(out)
    for entry in index.kinds:
        assert entry.status == "complete" or entry.reason == "interrupted (Ctrl-C)", entry
    for probe in load_probe_folder(out):
        assert probe.complete or probe.incomplete_reason == "interrupted (Ctrl-C)"
