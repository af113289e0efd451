"""What the runner and a worker say to each other.

The runner writes one WorkerSpec as JSON on the worker's stdin. The worker answers with one
message per line on its original stdout, each line `@@fwprobe <json>`; everything else the
worker or a framework prints goes to stderr, which the runner captures to a file.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, TypeAdapter

from fwadvisor.fingerprint import FrameworkInfo
from fwadvisor.measurements.schema import CacheState, ParamValue, Run, Timing
from fwadvisor.records import Record, record
from fwadvisor.registry import Device, Framework
from fwadvisor.workers.channel import decode_line, encode_line

PREFIX = "@@fwprobe "


@record
class Msg(Record):
    """A message between runner and worker (frozen, unknown keys rejected)."""


@record
class Group(Msg):
    """One workload variant, all its modes timed interleaved in one process."""

    workload: str
    variant: str
    params: dict[str, ParamValue]
    modes: list[str]


@record
class WorkerSpec(Msg):
    """What a probe worker is asked to run (sent as JSON on its standard input)."""

    framework: Framework
    module_path: str
    device: Device
    threads_intra: int
    threads_inter: int
    process: int
    seed: int
    deadline: float | None = None
    """time.time() after which nothing starts"""
    compile_cache_dir: str | None = None
    timing: Timing
    groups: list[Group]
    noise_check: bool = True
    first_workload_always: bool = False
    """measure the first group even when the deadline has passed (a framework's first
    process, started to measure something, on a machine slow enough to start it late)"""


@record
class Hello(Msg):
    """A probe worker's first message: the framework as it loaded, and its compile cache."""

    type: Literal["hello"] = "hello"
    info: FrameworkInfo
    compile_cache: CacheState | None = None


@record
class Unavailable(Msg):
    """A probe worker's framework cannot be used here, and why."""

    type: Literal["unavailable"] = "unavailable"
    reason: str


@record
class Noise(Msg):
    """A probe worker's noise reference: its self-ratio interval, floor and stalled share."""

    type: Literal["noise"] = "noise"
    ratio_ci95: tuple[float, float]
    floor: float
    reference: str | None = None
    threads: int | None = None
    during_timing: bool = False
    stalled_share: float | None = None


@record
class Start(Msg):
    """A probe worker begins preparing one workload variant."""

    type: Literal["start"] = "start"
    workload: str
    variant: str


@record
class Sampling(Msg):
    """Every started workload is prepared; they are now timed together, interleaved."""

    type: Literal["sampling"] = "sampling"


@record
class Result(Msg):
    """A probe worker's run of one workload variant in one mode."""

    type: Literal["result"] = "result"
    workload: str
    variant: str
    mode: str
    run: Run


@record
class Done(Msg):
    """A probe worker has finished: every workload it was given measured or skipped."""

    type: Literal["done"] = "done"


Message = Annotated[
    Hello | Unavailable | Noise | Start | Sampling | Result | Done, Field(discriminator="type")
]
_adapter: TypeAdapter[Message] = TypeAdapter(Message)


def encode(msg: Msg) -> str:
    return encode_line(PREFIX, msg)


def decode(line: str) -> Message | None:
    return decode_line(PREFIX, _adapter, line)
