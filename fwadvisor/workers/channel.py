"""The line channel between a parent and its worker, shared by both measuring programs.

A message is one line, a program's prefix and the message's JSON; a line without the prefix
is stray output (not ours), a line with it that does not validate is a ProtocolError.
"""

from __future__ import annotations

import json
import os
from typing import IO, TypeVar

from pydantic import BaseModel, TypeAdapter, ValidationError

T = TypeVar("T")


class ProtocolError(Exception):
    """A worker line that starts like a message but is not one."""


def encode_line(prefix: str, msg: BaseModel) -> str:
    """One message as a protocol line: the prefix, then the message's JSON."""
    return prefix + msg.model_dump_json() + "\n"


def decode_line(prefix: str, adapter: TypeAdapter[T], line: str) -> T | None:
    """A message of `adapter`'s union, or None for a stray line (not ours); ProtocolError for
    a line that starts like a message but is not one."""
    if not line.startswith(prefix):
        return None
    try:
        return adapter.validate_python(json.loads(line[len(prefix) :]))
    except (json.JSONDecodeError, ValidationError) as exc:
        raise ProtocolError(f"unreadable worker message: {line[:200]!r}") from exc


def protocol_channel() -> IO[str]:
    """Keep the real stdout for messages; send everything else printed to stderr."""
    channel = os.fdopen(os.dup(1), "w", buffering=1, encoding="utf-8")
    os.dup2(2, 1)
    return channel
