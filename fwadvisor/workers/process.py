"""One worker subprocess: start it, feed it its spec, read its messages with a timeout.

A worker runs in its own session so that Ctrl-C in the terminal reaches only the runner,
which then ends the worker and everything it started (workers.reaper). It replies on a pipe
of its own (workers.channel), never on stdout: its stdout and stderr (TensorFlow's oneDNN and
absl lines, compiler noise, whatever the code under test prints) go to a file whose tail
explains a crash. Its temporary files ($TMPDIR: compilers' scratch files, torch's
precompiled headers) go to a private folder removed when the worker is closed.
"""

from __future__ import annotations

import contextlib
import os
import queue
import secrets
import shutil
import signal
import subprocess
import tempfile
import threading
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import IO, Generic, TypeVar

from fwadvisor.records import Record, dump_json, record
from fwadvisor.registry import COMPILE_CACHE_ENV
from fwadvisor.workers import reaper
from fwadvisor.workers.channel import CHANNEL_FD_ENV, ProtocolError

M = TypeVar("M")

STDERR_TAIL = 600


@record
class Ended(Record):
    """The worker stopped without saying done: why, in words."""

    reason: str


class WorkerTimeout(Exception):
    pass


def _pump(stream: IO[str], lines: queue.Queue[str | None]) -> None:
    for line in stream:
        lines.put(line)
    lines.put(None)


class WorkerProcess(Generic[M]):
    """A worker speaking one program's protocol: `decoder` turns a line into a message of
    it, None for a stray line, or raises ProtocolError."""

    def __init__(
        self,
        cmd: Sequence[str],
        env: Mapping[str, str],
        spec: Record,
        decoder: Callable[[str], M | None],
    ) -> None:
        self._decode = decoder
        self._stderr = tempfile.TemporaryFile(  # noqa: SIM115 (closed in close())
            mode="w+", encoding="utf-8", errors="replace"
        )
        # a private $TMPDIR, removed when the worker ends (0700, as mkdtemp makes it)
        self.tmp_dir = tempfile.mkdtemp(prefix="fwadvisor-worker-")
        self.token = secrets.token_hex(8)
        read_fd, write_fd = os.pipe()
        run_env = {
            **env,
            CHANNEL_FD_ENV: str(write_fd),
            reaper.TOKEN_ENV: self.token,
            **dict.fromkeys(("TMPDIR", "TMP", "TEMP"), self.tmp_dir),
        }
        try:
            self.proc = subprocess.Popen(
                list(cmd),
                stdin=subprocess.PIPE,
                stdout=self._stderr,
                stderr=self._stderr,
                text=True,
                encoding="utf-8",
                errors="replace",
                env=run_env,
                start_new_session=True,
                pass_fds=(write_fd,),
            )
        except BaseException:
            os.close(read_fd)
            self._remove_tmp()
            raise
        finally:
            os.close(write_fd)
        assert self.proc.stdin is not None
        channel = os.fdopen(read_fd, encoding="utf-8", errors="replace")
        self._lines: queue.Queue[str | None] = queue.Queue()
        threading.Thread(target=_pump, args=(channel, self._lines), daemon=True).start()
        with contextlib.suppress(BrokenPipeError):
            self.proc.stdin.write(dump_json(spec))
            self.proc.stdin.close()
        self.stray: list[str] = []

    def messages(self, timeout_s: float) -> Iterator[M | Ended]:
        """Messages as they come; Ended at EOF; WorkerTimeout when one takes too long."""
        while True:
            try:
                line = self._lines.get(timeout=timeout_s)
            except queue.Empty:
                raise WorkerTimeout(f"no progress for {timeout_s:.0f} s") from None
            if line is None:
                yield Ended(reason=self._exit_reason())
                return
            try:
                msg = self._decode(line)
            except ProtocolError as exc:
                self.kill()
                yield Ended(reason=f"garbage output from the worker: {exc}")
                return
            if msg is None:
                self.stray.append(line.rstrip()[:200])
            else:
                yield msg

    def _exit_reason(self) -> str:
        try:
            rc = self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.kill()
            rc = self.proc.wait()
        if rc < 0:
            how = f"killed by signal {signal.Signals(-rc).name}"
            if rc == -signal.SIGKILL:
                how += " (out of memory?)"
        else:
            how = f"exited with code {rc}"
        detail = ""
        if self.stray:
            detail = f"; unexpected output: {self.stray[0]!r}"
        tail = self.stderr_tail()
        if tail:
            detail += f"; stderr: ...{tail}"
        return f"worker {how} before finishing{detail}"

    def stderr_tail(self) -> str:
        self._stderr.flush()
        self._stderr.seek(0, os.SEEK_END)
        size = self._stderr.tell()
        self._stderr.seek(max(0, size - STDERR_TAIL * 4))
        return " ".join(self._stderr.read().split())[-STDERR_TAIL:]

    def kill(self) -> None:
        """End the worker and everything it started: SIGTERM, then SIGKILL after a grace
        period; also processes that left its process group (workers.reaper)."""
        reaper.end_tree(self.proc.pid, self.token)
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.proc.wait(timeout=10)

    def close(self) -> None:
        self.kill()
        self._stderr.close()
        self._remove_tmp()

    def _remove_tmp(self) -> None:
        shutil.rmtree(self.tmp_dir, ignore_errors=True)


def worker_env(
    base: Mapping[str, str],
    threads: int,
    cache_dir: Path | None,
) -> dict[str, str]:
    """The worker's environment: matched threads for every BLAS, quiet TF, the compile caches
    (XLA's CPU threads are pinned inside the worker itself: see the docs on probe threads).

    Each worker gets a private $TMPDIR, removed when it ends; a PyTorch worker points
    inductor's precompiled headers into `cache_dir` itself (workers/torch_headers.py)."""
    env = dict(base)
    for var in ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS"):
        env[var] = str(threads)
    env.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    env["PYTHONUNBUFFERED"] = "1"
    # inductor's default pool of compile subprocesses keeps importing and compiling while
    # later workloads are timed: on a few cores that is noise, so compile in-process
    env.setdefault("TORCHINDUCTOR_COMPILE_THREADS", "1")
    package_root = str(Path(__file__).resolve().parents[2])
    env["PYTHONPATH"] = os.pathsep.join(p for p in (package_root, env.get("PYTHONPATH")) if p)
    if cache_dir is not None:
        for var, subdir in COMPILE_CACHE_ENV.items():
            env[var] = str(cache_dir / subdir)
        # JAX keeps only compiles over 1 s by default; every jit and eager-op compile counts here
        env.setdefault("JAX_PERSISTENT_CACHE_MIN_COMPILE_TIME_SECS", "0")
        env.setdefault("JAX_PERSISTENT_CACHE_MIN_ENTRY_SIZE_BYTES", "0")
    return env
