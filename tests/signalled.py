"""A command run in a child Python as it would run in a terminal, stopped by a signal once its
worker is under way, and the checks that it stopped keeping its partial results."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, TypeVar

from fwadvisor.workers.reaper import is_running

T = TypeVar("T")

# (signal, exit code, what the command says); Ctrl-C is SIGINT with 130 and "interrupted"
INTERRUPT = (signal.SIGINT, 130, "interrupted")
TERMINATIONS = [
    (signal.SIGTERM, 143, "terminated (SIGTERM)"),
    (signal.SIGHUP, 129, "terminated (SIGHUP)"),
]


def as_in_a_terminal() -> None:
    """Default dispositions in the child, whatever this process inherited (under `nohup`
    SIGHUP is ignored, and fwadvisor rightly keeps it so)."""
    for sig in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, signal.SIG_DFL)


def start(script: str, *args: str, env: Mapping[str, str]) -> subprocess.Popen[str]:
    """`python -c SCRIPT ARGS`, its output piped."""
    return subprocess.Popen(
        [sys.executable, "-c", script, *args],
        env=dict(env),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        preexec_fn=as_in_a_terminal,
    )


def wait_for(found: Callable[[], T | None], what: str, timeout: float = 120) -> T:
    """The first value `found()` gives that is not None, polled until `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = found()
        if value is not None:
            return value
        time.sleep(0.1)
    raise AssertionError(f"no {what} after {timeout:.0f} s")


def pid_in(path: Path) -> int | None:
    """The process id written in `path`, once it is there."""
    text = path.read_text() if path.exists() else ""
    return int(text) if text else None


def stop_keeping_results(
    proc: subprocess.Popen[str],
    sig: signal.Signals,
    code: int,
    said: str,
    output: Path,
    worker: int,
) -> dict[str, Any]:
    """Send `sig`; then the signal's exit code and message, no traceback, the worker ended,
    and an output file marked incomplete (returned, for the caller's own checks)."""
    proc.send_signal(sig)
    try:
        _, err = proc.communicate(timeout=60)
    finally:  # a command that did not stop is not left behind, nor its worker
        if proc.poll() is None:
            proc.kill()
            proc.wait()
            if is_running(worker):
                os.kill(worker, signal.SIGKILL)
    assert proc.returncode == code, err
    assert "partial results kept" in err and said in err and "Traceback" not in err
    data: dict[str, Any] = json.loads(output.read_text())
    assert data["complete"] is False
    assert not is_running(worker), f"the worker {worker} is still running"
    return data
