"""`probe --ray` against a real two-node Ray cluster on a private loopback (CI runs these).

The tests run inside one fresh network namespace (netns.py), in one pytest process, around one
`ray.cluster_utils.Cluster`: a head and one more node on this machine, with different labels,
so `--group-by fleet-role` sees two kinds. A test that removes the second node gets it back for
the next (a new node with the same label). The smoke suite runs JAX only (the quickest to
import and compile) to keep CI short.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from fwadvisor.errors import ExitCode
from fwadvisor.measurements.fleet import INDEX_NAME, load_fleet_index, load_probe_folder
from fwadvisor.measurements.read import load_probe_file
from tests.fleet.netns import (
    command_line,
    descendants,
    inside,
    listening,
    loopback_only,
    reap_namespace,
)
from tests.signalled import as_in_a_terminal

pytestmark = [pytest.mark.slow, pytest.mark.timed, pytest.mark.fleet]
ROOT = Path(__file__).resolve().parents[2]
TRAIN, SERVE = "fleet-role-train", "fleet-role-serve"


SERVE_NODE = {"num_cpus": 1, "labels": {"fleet-role": "serve"}}


@pytest.fixture(scope="module")
def ray_cluster() -> Iterator[Any]:
    """The head (train) of the module's cluster; None outside the namespace."""
    if not inside():
        yield None
        return
    cluster_utils = pytest.importorskip("ray.cluster_utils")
    c = cluster_utils.Cluster(
        initialize_head=True,
        head_node_args={
            "num_cpus": 1,
            "labels": {"fleet-role": "train"},
            "include_dashboard": False,
        },
    )
    try:
        yield c
    finally:
        c.shutdown()
        reap_namespace()


@dataclass
class Fleet:
    """A two-node cluster, and one test's `probe --ray` run on it: its output folder, and
    its stdout and stderr in files (a pipe nobody reads would stall it)."""

    cluster: Any
    worker: Any
    out: Path
    logs: Path
    proc: subprocess.Popen[str] | None = None

    def start(self) -> subprocess.Popen[str]:
        env = {**os.environ, "PYTHONPATH": str(ROOT), "RAY_ADDRESS": ""}
        self.proc = subprocess.Popen(
            fleet_cmd(self.cluster.address, self.out),
            env=env,
            stdout=(self.logs / "stdout").open("w"),
            stderr=(self.logs / "stderr").open("w"),
            text=True,
            preexec_fn=as_in_a_terminal,  # Ctrl-C reaches it even from a background job
        )
        return self.proc

    def finish(self, timeout: float) -> tuple[str, str]:
        """(stdout, stderr) once the run has ended."""
        assert self.proc is not None
        self.proc.wait(timeout=timeout)
        return (self.logs / "stdout").read_text(), (self.logs / "stderr").read_text()


@pytest.fixture
def fleet(ray_cluster: Any, tmp_path: Path) -> Iterator[Fleet | None]:
    """The module's cluster with its serve node up (added again if a test removed it)."""
    if ray_cluster is None:
        yield None
        return
    if not ray_cluster.worker_nodes:
        ray_cluster.add_node(**SERVE_NODE)
    ray_cluster.wait_for_nodes()
    (worker,) = ray_cluster.worker_nodes
    fleet = Fleet(ray_cluster, worker, tmp_path / "fleet", tmp_path)
    yield fleet
    if fleet.proc is not None and fleet.proc.poll() is None:  # a failed test's run
        fleet.proc.kill()  # this Popen's own process, by its pid
        fleet.proc.wait(timeout=30)
    # a removed node's probe workers outlive it: gone before the next test
    reap_namespace(keep_descendants=True)


def fleet_cmd(address: str, out: Path) -> list[str]:
    return [
        *(sys.executable, "-m", "fwadvisor", "probe", "--ray", address, "--suite", "smoke"),
        *("--frameworks", "jax", "--group-by", "fleet-role", "--output", str(out)),
    ]


@pytest.mark.netns
def test_two_kinds_of_node_give_two_files_and_an_index(fleet: Fleet) -> None:
    out = fleet.out
    began = time.monotonic()
    proc = fleet.start()
    seen: list[str] = []
    while proc.poll() is None and time.monotonic() - began < 400:  # what listens meanwhile
        seen += listening()
        time.sleep(2)
    stdout, stderr = fleet.finish(30)
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


def freeze_first_probe_worker(fleet: Fleet, timeout: float = 240) -> int:
    """Once discovery is over (the index is written), stop the serve node's first probe
    worker as it starts (SIGSTOP, by its id): that node's run cannot finish before the node
    is removed, however quick the smoke suite is on this machine. Returns the worker's id."""
    proc = fleet.proc
    assert proc is not None
    raylet = fleet.worker.all_processes["raylet"][0].process.pid
    deadline = time.monotonic() + timeout
    while not (fleet.out / INDEX_NAME).exists():
        assert proc.poll() is None and time.monotonic() < deadline, fleet.finish(30)
        time.sleep(0.02)
    while True:
        for pid in descendants(raylet):
            if "fwadvisor.probe.worker" in command_line(pid):
                os.kill(pid, signal.SIGSTOP)
                return pid
        assert proc.poll() is None and time.monotonic() < deadline, fleet.finish(30)
        time.sleep(0.02)


@pytest.mark.netns
def test_a_lost_node_leaves_an_incomplete_file_and_exit_7(fleet: Fleet) -> None:
    out = fleet.out
    proc = fleet.start()
    frozen = freeze_first_probe_worker(fleet)
    try:
        fleet.cluster.remove_node(fleet.worker)
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.kill(frozen, signal.SIGKILL)
    stdout, stderr = fleet.finish(400)
    assert proc.returncode == ExitCode.SOME_NODES_FAILED, stderr[-3000:]
    index = load_fleet_index(out)
    assert not index.complete
    entries = {e.kind: e for e in index.kinds}
    assert entries[TRAIN].status == "complete"
    assert entries[SERVE].status == "incomplete" and entries[SERVE].reason
    lost = load_probe_file(out / f"{SERVE}.json")
    assert not lost.complete and lost.incomplete_reason == entries[SERVE].reason
    assert lost.fingerprint.cluster_node and lost.fingerprint.cluster_node.kind == SERVE
    assert load_probe_file(out / f"{TRAIN}.json").complete
    assert f"{SERVE}: incomplete" in stdout
    print(f"lost node's reason: {entries[SERVE].reason}")


@pytest.mark.netns
def test_ctrl_c_cancels_the_runs_and_keeps_the_folder(fleet: Fleet) -> None:
    out = fleet.out
    proc = fleet.start()
    frozen = freeze_first_probe_worker(fleet)  # the serve run is still going at Ctrl-C
    proc.send_signal(signal.SIGINT)
    os.kill(frozen, signal.SIGCONT)  # for its run's cancellation to stop it
    _, stderr = fleet.finish(120)
    assert proc.returncode == ExitCode.INTERRUPTED, stderr[-3000:]
    assert "Traceback" not in stderr
    index = load_fleet_index(out)
    for entry in index.kinds:
        assert entry.status == "complete" or entry.reason == "interrupted (Ctrl-C)", entry
    for probe in load_probe_folder(out):
        assert probe.complete or probe.incomplete_reason == "interrupted (Ctrl-C)"
