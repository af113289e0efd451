"""SIGTERM or SIGHUP during `fwadvisor probe` is handled like Ctrl-C: the results so far
kept and said, the worker ended, the signal's exit code."""

from __future__ import annotations

import os
import signal
from pathlib import Path

import pytest

from tests.signalled import TERMINATIONS, pid_in, start, stop_keeping_results, wait_for

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


@pytest.mark.parametrize(("sig", "code", "said"), TERMINATIONS)
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
    proc = start(SCRIPT, str(FAKE), str(out), env=env)
    hung = wait_for(lambda: pid_in(pid_file), "worker pid file")
    stop_keeping_results(proc, sig, code, said, out, hung)
