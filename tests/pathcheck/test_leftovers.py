"""Nothing the code under test starts outlives the command: a user model that forks a daemon
(fork, setsid, fork) and writes scratch files in $TMPDIR leaves neither behind."""

from __future__ import annotations

import os
import tempfile
import time
from pathlib import Path

import pytest

from fwadvisor.workers.reaper import is_running
from tests.pathcheck.user_models import run_fake_checks, write_model

DAEMON_MODEL = """
import os, tempfile, time
from pathlib import Path

LOG = Path({log!r})


def _daemon():
    ready_r, ready_w = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.setsid()  # leaves the worker's process group and session
        if os.fork() == 0:
            with LOG.open("a") as f:
                f.write(f"daemon {{os.getpid()}}\\n")
            os.write(ready_w, b"x")
            time.sleep(3600)
            os._exit(0)
        os.read(ready_r, 1)
        os._exit(0)
    os.waitpid(pid, 0)


with LOG.open("a") as f:
    f.write(f"scratch {{tempfile.mkdtemp(prefix='model-scratch-')}}\\n")
_daemon()


def build():
    return _build("small", 0)
"""


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads /proc (Linux)")
def test_a_models_daemons_and_scratch_files_are_gone_after_the_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    log = tmp_path / "log.txt"
    model = tmp_path / "daemon_model.py"
    write_model(model, DAEMON_MODEL.format(log=str(log)))
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(tmp))
    result = run_fake_checks(tmp_path, monkeypatch, model, "mobile_android", "fake-ok")
    assert [r.status for r in result.results if r.model == "user"] == ["ok"]
    lines = [line.split(" ", 1) for line in log.read_text().splitlines()]
    daemons = [int(v) for k, v in lines if k == "daemon"]
    scratch = [Path(v) for k, v in lines if k == "scratch"]
    assert len(daemons) >= 2 and len(scratch) >= 2
    try:
        deadline = time.monotonic() + 5
        while any(is_running(pid) for pid in daemons) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not [pid for pid in daemons if is_running(pid)], "a daemon outlived its worker"
        assert not [d for d in scratch if d.exists()], "scratch files outlived the worker"
        assert all(d.parent.parent == tmp for d in scratch)  # in the worker's private folder
        assert not list(tmp.iterdir()), "nothing left in $TMPDIR"
    finally:
        for pid in daemons:  # never leave one behind, even when this test fails
            if is_running(pid):
                os.kill(pid, 9)
