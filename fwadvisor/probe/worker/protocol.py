"""What the runner and a worker say to each other.

The runner writes one WorkerSpec as JSON on the worker's stdin. The worker answers with one
message per line on its original stdout, each line `@@fwprobe <json>`; everything else the
worker or a framework prints goes to stderr, which the runner captures to a file.
"""

from __future__ import annotations

import json
import os
from typing import IO, Annotated, Literal, TypeVar

from pydantic import BaseModel, Field, TypeAdapter, ValidationError

from fwadvisor.basemodel import Record
from fwadvisor.measurements.schema import CacheState, FrameworkInfo, ParamValue, Run, Timing
from fwadvisor.registry import Device, Framework

T = TypeVar("T")

PREFIX = "@@fwprobe "


class Msg(Record):
    """A message between runner and worker (frozen, unknown keys rejected)."""


class Group(Msg):
    """One workload variant, all its modes timed interleaved in one process."""

    workload: str
    variant: str
    params: dict[str, ParamValue]
    modes: list[str]


class WorkerSpec(Msg):
    framework: Framework
    module_path: str
    device: Device
    threads_intra: int
    threads_inter: int
    process: int
    seed: int
    deadline: float | None = Field(None, description="time.time() after which nothing starts")
    compile_cache_dir: str | None = None
    timing: Timing
    groups: list[Group]
    noise_check: bool = True


class Hello(Msg):
    type: Literal["hello"] = "hello"
    info: FrameworkInfo
    compile_cache: CacheState | None = None


class Unavailable(Msg):
    type: Literal["unavailable"] = "unavailable"
    reason: str


class Noise(Msg):
    type: Literal["noise"] = "noise"
    ratio_ci95: tuple[float, float]
    floor: float
    reference: str | None = None
    threads: int | None = None
    during_timing: bool = False
    stalled_share: float | None = None


class Start(Msg):
    type: Literal["start"] = "start"
    workload: str
    variant: str


class Sampling(Msg):
    """Every started workload is prepared; they are now timed together, interleaved."""

    type: Literal["sampling"] = "sampling"


class Result(Msg):
    type: Literal["result"] = "result"
    workload: str
    variant: str
    mode: str
    run: Run


class Done(Msg):
    type: Literal["done"] = "done"


Message = Annotated[
    Hello | Unavailable | Noise | Start | Sampling | Result | Done, Field(discriminator="type")
]
_adapter: TypeAdapter[Message] = TypeAdapter(Message)


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


def encode(msg: Msg) -> str:
    return encode_line(PREFIX, msg)


def decode(line: str) -> Message | None:
    return decode_line(PREFIX, _adapter, line)


def protocol_channel() -> IO[str]:
    """Keep the real stdout for messages; send everything else printed to stderr."""
    channel = os.fdopen(os.dup(1), "w", buffering=1, encoding="utf-8")
    os.dup2(2, 1)
    return channel
