"""Ending a worker with everything it started, even processes that left its process group.

A worker runs in a session of its own, so killing its process group ends what it forked. Code
under test may also fork and call `setsid` (a daemon): that process leaves the group. Two
things keep track of it (Linux; elsewhere only the process group is ended):
- the worker makes itself a child subreaper (`PR_SET_CHILD_SUBREAPER`): an orphaned
  descendant is re-parented to the worker, not to init, so while the worker lives every
  process it started is among its descendants in /proc;
- every worker's environment carries a token (`TOKEN_ENV`), inherited by all it starts, so a
  process that outlived the worker is still found by its environment.
Ending is two steps: SIGTERM to all of them (converters remove their temporary files), then
SIGKILL to whatever is left after a short grace period. Processes are stopped (SIGSTOP) while
they are collected, so none can fork a new one in between.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import signal
import time
from collections.abc import Iterable, Iterator
from pathlib import Path

TOKEN_ENV = "FWADVISOR_WORKER_TOKEN"
PR_SET_CHILD_SUBREAPER = 36
PROC = Path("/proc")
GRACE_S = 1.0


def become_subreaper() -> bool:
    """Adopt this process's orphaned descendants (Linux); False where not possible."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        return int(libc.prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0)) == 0
    except (OSError, AttributeError):
        return False


def _stat(pid: int) -> tuple[str, int, int] | None:
    """(state, parent pid, process group) of a process; None when it is gone."""
    try:
        text = (PROC / str(pid) / "stat").read_text()
    except OSError:
        return None
    fields = text[text.rfind(")") + 2 :].split()
    return fields[0], int(fields[1]), int(fields[2])


def _pids() -> list[int]:
    try:
        return [int(p.name) for p in PROC.iterdir() if p.name.isdigit()]
    except OSError:
        return []


def _has_token(pid: int, marker: bytes) -> bool:
    try:
        return marker in (PROC / str(pid) / "environ").read_bytes().split(b"\0")
    except OSError:  # gone, or another user's
        return False


def members(root: int, token: str | None = None) -> set[int]:
    """Live processes that belong to the worker `root`: its process group, its descendants,
    and every process whose environment carries `token`."""
    stats = {pid: s for pid in _pids() if (s := _stat(pid)) is not None and s[0] != "Z"}
    children: dict[int, list[int]] = {}
    for pid, (_, ppid, _) in stats.items():
        children.setdefault(ppid, []).append(pid)
    found = {pid for pid, (_, _, pgid) in stats.items() if pgid == root}
    stack = [root, *found]
    while stack:
        for child in children.get(stack.pop(), []):
            if child not in found:
                found.add(child)
                stack.append(child)
    if token:
        marker = f"{TOKEN_ENV}={token}".encode()
        me = os.getpid()
        found |= {pid for pid in stats if pid != me and _has_token(pid, marker)}
    if root in stats:
        found.add(root)
    found.discard(os.getpid())
    return found


def _signal(pids: Iterable[int], sig: int) -> None:
    for pid in pids:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.kill(pid, sig)


def _frozen(root: int, token: str | None) -> set[int]:
    """Stop every member until no new one appears; the stopped set."""
    stopped: set[int] = set()
    for _ in range(20):
        new = members(root, token) - stopped
        if not new:
            break
        _signal(new, signal.SIGSTOP)
        stopped |= new
    return stopped


def is_running(pid: int) -> bool:
    """The process exists and has not exited (a zombie waiting to be reaped has)."""
    state = _stat(pid)
    return state is not None and state[0] != "Z"


def _alive(pids: Iterable[int]) -> set[int]:
    return {pid for pid in pids if is_running(pid)}


def end_tree(root: int, token: str | None = None, grace_s: float = GRACE_S) -> None:
    """SIGTERM the worker `root` and every process it started, then SIGKILL what is left."""
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(root, signal.SIGSTOP)
    pids = _frozen(root, token)
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(root, signal.SIGTERM)
    _signal(pids, signal.SIGTERM)
    _signal(pids, signal.SIGCONT)
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(root, signal.SIGCONT)
    deadline = time.monotonic() + grace_s
    while _alive(pids) and time.monotonic() < deadline:
        time.sleep(0.02)
    pids |= members(root, token)
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(root, signal.SIGKILL)
    _signal(_alive(pids), signal.SIGKILL)


def end_descendants() -> None:
    """Inside a worker, before it exits: end every process it started (SIGTERM, then SIGKILL),
    and reap them (this process is their subreaper)."""
    me = os.getpid()
    pids = members(me) - {me}
    if not pids:
        return
    _signal(pids, signal.SIGTERM)
    deadline = time.monotonic() + GRACE_S
    while _alive(pids) and time.monotonic() < deadline:
        _reap()
        time.sleep(0.02)
    _signal(_alive(pids | (members(me) - {me})), signal.SIGKILL)
    _reap()


def _reap() -> None:
    with contextlib.suppress(ChildProcessError):
        while os.waitpid(-1, os.WNOHANG)[0] > 0:
            pass


@contextlib.contextmanager
def reaping() -> Iterator[None]:
    """For a worker's whole life: adopt orphans, and end them all before leaving."""
    become_subreaper()
    try:
        yield
    finally:
        end_descendants()
