"""Ctrl-C during `fwadvisor paths check`: exit 130, results so far kept, no worker left."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

FAKE = Path(__file__).resolve().parents[1] / "fixtures" / "paths_fake"

SCRIPT = """
import sys
from pathlib import Path
from fwadvisor.pathcheck import catalog
catalog.checks_dir = lambda: Path(sys.argv[1])
from fwadvisor.cli.app import main
main(["paths", "check", "--targets", "mobile_android", "--candidates", "pytorch",
      "--checks", "fake-hang", "--timeout", "600", "--output", sys.argv[2]])
"""


def test_ctrl_c_keeps_results_and_exits_130(tmp_path: Path) -> None:
    out = tmp_path / "paths.json"
    env = {**os.environ, "FWADVISOR_CACHE_DIR": str(tmp_path / "cache")}
    proc = subprocess.Popen(
        [sys.executable, "-c", SCRIPT, str(FAKE), str(out)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 120
    pattern = "paths/artifacts-*/fake-hang/crashy/hang.pid"  # the run's own artifact folder
    pid_file = tmp_path / "cache" / "none-yet"
    while time.monotonic() < deadline:  # the first model done; the second one hangs
        found = sorted((tmp_path / "cache").glob(pattern))
        if found and found[0].read_text():
            pid_file = found[0]
            break
        time.sleep(0.2)
    hung = int(pid_file.read_text())
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, err
    assert "partial results kept" in err and "Traceback" not in err
    data = json.loads(out.read_text())
    assert data["complete"] is False
    assert [r["model"] for r in data["results"]] == ["small"]
    time.sleep(0.5)
    try:
        os.kill(hung, 0)
    except ProcessLookupError:
        return
    raise AssertionError(f"the hung worker {hung} is still running")
