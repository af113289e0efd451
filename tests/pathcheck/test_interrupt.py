"""Ctrl-C, SIGTERM or SIGHUP during `fwadvisor paths check`: the results so far kept, no
worker, artifact or temporary folder left, and the exit code of the signal."""

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

FAKE = Path(__file__).resolve().parents[1] / "fixtures" / "paths_fake"

SCRIPT = """
import sys
from pathlib import Path
from fwadvisor.pathcheck import catalog
folder, output = Path(sys.argv[1]), sys.argv[2]
catalog.checks_dir = lambda: folder
from fwadvisor.cli.entry import run
sys.argv = ["fwadvisor", "paths", "check", "--targets", "mobile_android", "--candidates",
            "pytorch", "--checks", "fake-hang-long", "--timeout", "600", "--output", output]
run()
"""


def _as_in_a_terminal() -> None:
    """Default dispositions in the child, whatever this process inherited (under `nohup`
    SIGHUP is ignored, and fwadvisor rightly keeps it so)."""
    for sig in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, signal.SIG_DFL)


@pytest.mark.parametrize(
    ("sig", "code", "said"),
    [
        (signal.SIGINT, 130, "interrupted"),
        (signal.SIGTERM, 143, "terminated (SIGTERM)"),
        (signal.SIGHUP, 129, "terminated (SIGHUP)"),
    ],
)
def test_a_signal_keeps_results_ends_the_workers_and_removes_temporaries(
    tmp_path: Path, sig: signal.Signals, code: int, said: str
) -> None:
    out = tmp_path / "paths.json"
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    env = {**os.environ, "FWADVISOR_CACHE_DIR": str(tmp_path / "cache"), "TMPDIR": str(tmp)}
    proc = subprocess.Popen(
        [sys.executable, "-c", SCRIPT, str(FAKE), str(out)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        preexec_fn=_as_in_a_terminal,
    )
    deadline = time.monotonic() + 120
    pattern = "paths/artifacts-*/fake-hang-long/crashy/hang.pid"  # the run's own folder
    pid_file = tmp_path / "cache" / "none-yet"
    while time.monotonic() < deadline:  # the first model done; the second one hangs
        found = sorted((tmp_path / "cache").glob(pattern))
        if found and found[0].read_text():
            pid_file = found[0]
            break
        time.sleep(0.2)
    hung = int(pid_file.read_text())
    worker_tmp = list(tmp.glob("fwadvisor-worker-*"))
    assert worker_tmp, "the worker's private temporary folder is under $TMPDIR"
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
    assert [r["model"] for r in data["results"]] == ["small"]
    assert not is_running(hung), f"the hung worker {hung} is still running"
    assert not list((tmp_path / "cache" / "paths").glob("artifacts-*"))
    assert not any(p.exists() for p in worker_tmp)
