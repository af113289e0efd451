"""Run a test again inside a private network namespace with only the loopback up.

A Ray cluster started by a test then cannot listen or connect beyond 127.0.0.1: the namespace
has no other interface. Needs root and `unshare`; without them the test is skipped.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

INSIDE = "FLEET_TEST_IN_NETNS"  # not FWADVISOR_*: conftest clears those
ROOT = Path(__file__).resolve().parents[2]


def inside() -> bool:
    return os.environ.get(INSIDE) == "1"


def rerun_inside(nodeid: str, timeout: float) -> str:
    """Run the test `nodeid` in a fresh network namespace; its output, or a failure."""
    if shutil.which("unshare") is None or shutil.which("ip") is None or os.geteuid() != 0:
        pytest.skip("needs root, unshare and ip to keep the Ray cluster on a private loopback")
    probe = subprocess.run(["unshare", "-n", "true"], capture_output=True, timeout=30)
    if probe.returncode != 0:
        pytest.skip(f"cannot make a network namespace: {probe.stderr.decode()[:200]}")
    cmd = f"ip link set lo up && exec {sys.executable} -m pytest -q -x -s -p no:cacheprovider"
    proc = subprocess.run(
        ["unshare", "-n", "sh", "-c", f"{cmd} '{nodeid}'"],
        cwd=ROOT,
        env={**os.environ, INSIDE: "1"},
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    assert proc.returncode == 0, proc.stdout[-4000:] + proc.stderr[-2000:]
    return proc.stdout


def listening() -> list[str]:
    """Local addresses with a listening TCP socket (ss -ltn), in this namespace."""
    out = subprocess.run(["ss", "-Hltn"], capture_output=True, text=True, timeout=30).stdout
    return [line.split()[3] for line in out.splitlines() if len(line.split()) > 3]


def loopback_only(addresses: list[str]) -> bool:
    return all(a.rsplit(":", 1)[0] in ("127.0.0.1", "[::ffff:127.0.0.1]") for a in addresses)


def reap_namespace(grace_s: float = 20.0) -> list[int]:
    """Wait for the processes of this namespace (other than this one) to end, then kill the
    rest by id: a removed node's orphaned probe workers. Returns the ids killed."""
    mine = os.readlink("/proc/self/ns/net")

    def others() -> list[int]:
        pids = []
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit() or int(entry.name) == os.getpid():
                continue
            try:
                if os.readlink(entry / "ns" / "net") == mine:
                    pids.append(int(entry.name))
            except OSError:
                continue
        return pids

    deadline = time.monotonic() + grace_s
    while others() and time.monotonic() < deadline:
        time.sleep(0.5)
    left = others()
    for pid in left:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
    return left
