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
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from xml.etree import ElementTree

import pytest

INSIDE = "FLEET_TEST_IN_NETNS"  # not FWADVISOR_*: conftest clears those
ROOT = Path(__file__).resolve().parents[2]


def inside() -> bool:
    return os.environ.get(INSIDE) == "1"


@dataclass(frozen=True)
class Outcome:
    """How one test ended in the namespace: passed, failed (with why) or skipped."""

    result: str
    message: str
    output: str


def run_inside(nodeids: list[str], timeout: float) -> dict[str, Outcome]:
    """Run the tests `nodeids` in one fresh network namespace (one pytest process, so that
    module-scoped fixtures are shared); each one's outcome by its name."""
    if shutil.which("unshare") is None or shutil.which("ip") is None or os.geteuid() != 0:
        pytest.skip("needs root, unshare and ip to keep the Ray cluster on a private loopback")
    probe = subprocess.run(["unshare", "-n", "true"], capture_output=True, timeout=30)
    if probe.returncode != 0:
        pytest.skip(f"cannot make a network namespace: {probe.stderr.decode()[:200]}")
    with tempfile.TemporaryDirectory(prefix="fleet-netns-") as tmp:
        report = Path(tmp) / "report.xml"
        cmd = [
            *(sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider"),
            *("-o", "junit_logging=system-out", f"--junitxml={report}", *nodeids),
        ]
        proc = subprocess.run(
            ["unshare", "-n", "sh", "-c", 'ip link set lo up && exec "$@"', "sh", *cmd],
            cwd=ROOT,
            env={**os.environ, INSIDE: "1"},
            capture_output=True,
            text=True,
            timeout=timeout,
        )
        assert report.exists(), proc.stdout[-4000:] + proc.stderr[-2000:]
        return _outcomes(ElementTree.parse(report).getroot())


def _outcomes(root: ElementTree.Element) -> dict[str, Outcome]:
    outcomes: dict[str, Outcome] = {}
    for case in root.iter("testcase"):
        output = "".join(e.text or "" for e in case.iter("system-out"))
        ended = [e for e in case if e.tag in ("failure", "error", "skipped")]
        if not ended:
            outcomes[case.attrib["name"]] = Outcome("passed", "", output)
            continue
        first = ended[0]
        message = f"{first.attrib.get('message', '')}\n{first.text or ''}".strip()
        result = "skipped" if first.tag == "skipped" else "failed"
        outcomes[case.attrib["name"]] = Outcome(result, message, output)
    return outcomes


def listening() -> list[str]:
    """Local addresses with a listening TCP socket (ss -ltn), in this namespace."""
    out = subprocess.run(["ss", "-Hltn"], capture_output=True, text=True, timeout=30).stdout
    return [line.split()[3] for line in out.splitlines() if len(line.split()) > 3]


def loopback_only(addresses: list[str]) -> bool:
    return all(a.rsplit(":", 1)[0] in ("127.0.0.1", "[::ffff:127.0.0.1]") for a in addresses)


def _in_namespace() -> dict[int, int]:
    """The processes of this namespace other than this one: id -> parent id."""
    mine = os.readlink("/proc/self/ns/net")
    found: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        try:
            if os.readlink(entry / "ns" / "net") == mine:
                stat = (entry / "stat").read_text()
                found[int(entry.name)] = int(stat.rsplit(")", 1)[1].split()[1])
        except (OSError, ValueError, IndexError):
            continue
    return found


def descendants(pid: int) -> list[int]:
    """The processes of this namespace descended from `pid`, nearest first."""
    parents = _in_namespace()
    found: list[int] = []
    frontier = [pid]
    while frontier:
        children = [c for c, parent in parents.items() if parent in frontier and c not in found]
        found += children
        frontier = children
    return found


def command_line(pid: int) -> str:
    """The process's command line, words joined by spaces ("" once it has gone)."""
    try:
        return (Path("/proc") / str(pid) / "cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        return ""


def reap_namespace(grace_s: float = 20.0, keep_descendants: bool = False) -> list[int]:
    """Wait for the processes of this namespace (other than this one) to end, then kill the
    rest by id: a removed node's orphaned probe workers. With `keep_descendants`, this
    process's own descendants (a running cluster's head and nodes) are left alone and only
    the orphans are waited for. Returns the ids killed."""

    def others() -> list[int]:
        parents = _in_namespace()
        if not keep_descendants:
            return list(parents)
        kept: set[int] = {os.getpid()}
        grew = True
        while grew:
            grew = False
            for pid, parent in parents.items():
                if parent in kept and pid not in kept:
                    kept.add(pid)
                    grew = True
        return [pid for pid in parents if pid not in kept]

    deadline = time.monotonic() + grace_s
    while others() and time.monotonic() < deadline:
        time.sleep(0.5)
    left = others()
    for pid in left:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
    return left
