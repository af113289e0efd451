"""The line channel between a parent and its worker, shared by both measuring programs.

A message is one line, a program's prefix and the message's JSON; a line without the prefix
is stray output (not ours), a line with it that does not validate is a ProtocolError.
"""

from __future__ import annotations

import json
import os
import secrets
from typing import IO, TypeVar

from pydantic import TypeAdapter, ValidationError

from fwadvisor.records import Record, dump_json

T = TypeVar("T")


class ProtocolError(Exception):
    """A worker line that starts like a message but is not one."""


def encode_line(prefix: str, msg: Record) -> str:
    """One message as a protocol line: the prefix, then the message's JSON."""
    return prefix + dump_json(msg) + "\n"


def decode_line(prefix: str, adapter: TypeAdapter[T], line: str) -> T | None:
    """A message of `adapter`'s union, or None for a stray line (not ours); ProtocolError for
    a line that starts like a message but is not one."""
    if not line.startswith(prefix):
        return None
    try:
        return adapter.validate_python(json.loads(line[len(prefix) :]))
    except (json.JSONDecodeError, ValidationError) as exc:
        raise ProtocolError(f"unreadable worker message: {line[:200]!r}") from exc


CHANNEL_FD_ENV = "FWADVISOR_CHANNEL_FD"
"""The variable that tells a worker which inherited file descriptor is its channel."""


def protocol_channel() -> IO[str]:
    """The worker's end of its channel, taken out of reach of the code it runs.

    The parent passes a pipe of its own (CHANNEL_FD_ENV), not stdout: whatever the code under
    test prints, to stdout or stderr, from this process or a child, lands in the captured
    log and can never pass for a message. The descriptor is not inherited by child processes
    and its number leaves the environment. Run by hand (no such variable), the original
    stdout is the channel and everything else printed goes to stderr.
    """
    fd_text = os.environ.pop(CHANNEL_FD_ENV, None)
    if fd_text is None:
        fd = os.dup(1)
        os.dup2(2, 1)
    else:
        fd = _out_of_the_way(int(fd_text))
    return os.fdopen(fd, "w", buffering=1, encoding="utf-8")


def _out_of_the_way(fd: int) -> int:
    """The descriptor moved to an unpredictable high number, not inherited by children."""
    try:
        import fcntl

        moved = fcntl.fcntl(fd, fcntl.F_DUPFD_CLOEXEC, 256 + secrets.randbelow(768))
    except (ImportError, OSError):
        os.set_inheritable(fd, False)
        return fd
    os.close(fd)
    return moved
