"""Ctrl-C, SIGTERM or SIGHUP during `fwadvisor paths check`: the results so far kept, no
worker, artifact or temporary folder left, and the exit code of the signal."""

from __future__ import annotations

import os
import signal
from pathlib import Path

import pytest

from tests.pathcheck.user_models import FAKE
from tests.signalled import INTERRUPT, TERMINATIONS, pid_in, start, stop_keeping_results, wait_for

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


@pytest.mark.parametrize(("sig", "code", "said"), [INTERRUPT, *TERMINATIONS])
def test_a_signal_keeps_results_ends_the_workers_and_removes_temporaries(
    tmp_path: Path, sig: signal.Signals, code: int, said: str
) -> None:
    out = tmp_path / "paths.json"
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    env = {**os.environ, "FWADVISOR_CACHE_DIR": str(tmp_path / "cache"), "TMPDIR": str(tmp)}
    proc = start(SCRIPT, str(FAKE), str(out), env=env)
    pattern = "paths/artifacts-*/fake-hang-long/crashy/hang.pid"  # the run's own folder

    def hung_pid() -> int | None:  # the first model done; the second one hangs
        found = sorted((tmp_path / "cache").glob(pattern))
        return pid_in(found[0]) if found else None

    hung = wait_for(hung_pid, "pid file of the hung check")
    worker_tmp = list(tmp.glob("fwadvisor-worker-*"))
    assert worker_tmp, "the worker's private temporary folder is under $TMPDIR"
    data = stop_keeping_results(proc, sig, code, said, out, hung)
    assert [r["model"] for r in data["results"]] == ["small"]
    assert not list((tmp_path / "cache" / "paths").glob("artifacts-*"))
    assert not any(p.exists() for p in worker_tmp)
