"""SIGTERM or SIGHUP during `fwadvisor probe` is handled like Ctrl-C: the results so far
kept and said, the worker ended, the signal's exit code."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from fwadvisor.workers.reaper import is_running

FAKE = Path(__file__).with_name("fake_worker.py")

SCRIPT = """
import sys
from fwadvisor.probe import session
session.run_probe.__defaults__ = (None, (sys.executable, sys.argv[1]))
from fwadvisor.cli.entry import run
output = sys.argv[2]
sys.argv = ["fwadvisor", "probe", "--suite", "quick", "--device", "cpu", "--output", output]
run()
"""


def _as_in_a_terminal() -> None:
    """Default dispositions in the child, whatever this process inherited (under `nohup`
    SIGHUP is ignored, and fwadvisor rightly keeps it so)."""
    for sig in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, signal.SIG_DFL)


@pytest.mark.parametrize(
    ("sig", "code", "said"),
    [(signal.SIGTERM, 143, "terminated (SIGTERM)"), (signal.SIGHUP, 129, "terminated (SIGHUP)")],
)
def test_a_signal_during_the_probe_keeps_results_and_ends_the_worker(
    tmp_path: Path, sig: signal.Signals, code: int, said: str
) -> None:
    out, pid_file = tmp_path / "probe.json", tmp_path / "worker.pid"
    env = {
        **os.environ,
        "FWADVISOR_CACHE_DIR": str(tmp_path / "cache"),
        "FAKE_WORKER": "hang:cnn_infer",
        "FAKE_WORKER_PID_FILE": str(pid_file),
    }
    proc = subprocess.Popen(
        [sys.executable, "-c", SCRIPT, str(FAKE), str(out)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        preexec_fn=_as_in_a_terminal,
    )
    deadline = time.monotonic() + 120
    while not (pid_file.exists() and pid_file.read_text()) and time.monotonic() < deadline:
        time.sleep(0.1)
    hung = int(pid_file.read_text())
    proc.send_signal(sig)
    try:
        _, err = proc.communicate(timeout=60)
    finally:  # a command that did not stop is not left behind, nor its worker
        if proc.poll() is None:
            proc.kill()
            proc.wait()
            if is_running(hung):
                os.kill(hung, signal.SIGKILL)
    assert proc.returncode == code, err
    assert "partial results kept" in err and said in err and "Traceback" not in err
    data = json.loads(out.read_text())
    assert data["complete"] is False
    assert not is_running(hung), f"the worker {hung} is still running"
