"""SIGTERM and SIGHUP handled like Ctrl-C, from the first instruction of the console script.

Each raises `Terminated` (a KeyboardInterrupt) in the main thread, so the code that keeps
partial results and ends the workers on Ctrl-C runs for them too; while that cleanup runs,
a repeated SIGTERM or SIGHUP is ignored instead of cutting it short. Standard library only:
this runs before anything heavy is imported.
"""

from __future__ import annotations

import contextlib
import functools
import signal
import sys
from collections.abc import Callable
from types import FrameType
from typing import ParamSpec, TypeVar

INTERRUPTED = 130
HANDLED = (signal.SIGTERM, signal.SIGHUP) if hasattr(signal, "SIGHUP") else (signal.SIGTERM,)


P = ParamSpec("P")
R = TypeVar("R")
_received: list[int] = []


class Stopped(Exception):
    """A command stopped by a signal; the partial work is already kept and said."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


class Terminated(KeyboardInterrupt):
    """The process was asked to stop by a signal other than Ctrl-C."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


def _raise(signum: int, frame: FrameType | None) -> None:
    for sig in HANDLED:  # once: the cleanup that follows must not be cut short
        signal.signal(sig, signal.SIG_IGN)
    _received.append(signum)
    raise Terminated(signum)


def received() -> int | None:
    """The SIGTERM or SIGHUP this process was stopped by, if any."""
    return _received[0] if _received else None


def stoppable(fn: Callable[P, R]) -> Callable[P, R]:
    """`fn`, with an interrupt (Ctrl-C, Terminated) raised as Stopped."""

    @functools.wraps(fn)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return fn(*args, **kwargs)
        except KeyboardInterrupt as exc:
            raise Stopped(stopped_by(exc) or signal.SIGINT) from exc

    return wrapper


def install() -> None:
    """Turn SIGTERM and SIGHUP into Terminated (main thread of the console script only)."""
    for sig in HANDLED:
        if signal.getsignal(sig) is not signal.SIG_IGN:  # `nohup` keeps SIGHUP ignored
            signal.signal(sig, _raise)


def stopped_by(exc: BaseException) -> int | None:
    """The signal number of a Terminated, SIGINT for Ctrl-C, found through wrapping
    exceptions (click turns KeyboardInterrupt into Abort); None for anything else."""
    seen: set[int] = set()
    cur: BaseException | None = exc
    while cur is not None and id(cur) not in seen:
        if isinstance(cur, (Terminated, Stopped)):
            return cur.signum
        if isinstance(cur, KeyboardInterrupt):
            return int(signal.SIGINT)
        seen.add(id(cur))
        cur = cur.__cause__ or cur.__context__
    return None


def exit_code(signum: int) -> int:
    """130 for Ctrl-C, as documented; 128 + the signal's number for the others (143 for
    SIGTERM, 129 for SIGHUP), the shells' convention."""
    return INTERRUPTED if signum == signal.SIGINT else 128 + signum


def message(signum: int) -> str:
    if signum == signal.SIGINT:
        return "interrupted"
    return f"terminated ({signal.Signals(signum).name})"


def say(text: str) -> None:
    """Print to stderr, where a closed terminal (SIGHUP) must not raise."""
    with contextlib.suppress(OSError, ValueError):
        print(text, file=sys.stderr, flush=True)
