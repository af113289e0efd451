"""What the path-check runner and a worker say to each other (framed like the probe's:
one JSON spec on stdin, one `@@fwpaths <json>` message per line on stdout)."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, TypeAdapter

from fwadvisor.measurements.paths_file import CheckResult
from fwadvisor.measurements.schema import Timing
from fwadvisor.pathcheck.schema import CheckDef, FrameworkDef
from fwadvisor.records import Record, record
from fwadvisor.workers.channel import decode_line, encode_line

PREFIX = "@@fwpaths "
LATENCY_TIMING = Timing(
    warmup_s=0.05,
    min_warmup=3,
    block_s=0.005,
    samples=60,
    min_samples=12,
    max_s=1.0,
    target_ci=0.02,
)


@record
class Msg(Record):
    """A message between runner and worker (frozen, unknown keys rejected)."""


@record
class CheckSpec(Msg):
    """What a path-check worker is asked to run (sent as JSON on its standard input)."""

    check: CheckDef
    framework: FrameworkDef
    folder: str
    """where the check and model modules live"""
    models: list[str]
    """reference model ids, or ['user']"""
    user_file: str | None = None
    user_factory: str | None = None
    workdir: str
    threads: int
    seed: int = 0
    timing: Timing = LATENCY_TIMING


@record
class InspectSpec(Msg):
    """Load a user's model and say which framework it is (nothing is converted)."""

    frameworks: dict[str, FrameworkDef]
    folder: str
    user_file: str
    user_factory: str


@record
class Inspected(Msg):
    """The framework a user's model file was found to use, or why it could not be loaded."""

    type: Literal["inspected"] = "inspected"
    framework: str | None = None
    error: str | None = None


@record
class Hello(Msg):
    """A path-check worker's first message: the versions of its toolchain."""

    type: Literal["hello"] = "hello"
    versions: dict[str, str]


@record
class Unavailable(Msg):
    """A path-check worker's toolchain is not installed, and how to install it."""

    type: Literal["unavailable"] = "unavailable"
    reason: str


@record
class Start(Msg):
    """A path-check worker begins one model."""

    type: Literal["start"] = "start"
    model: str


@record
class Stage(Msg):
    """A path-check worker enters one stage (build, eager, convert, load, run, compare, time) of one model."""

    type: Literal["stage"] = "stage"
    model: str
    stage: str


@record
class Result(Msg):
    """A path-check worker's result for one model."""

    type: Literal["result"] = "result"
    result: CheckResult


@record
class Done(Msg):
    """A path-check worker has checked every model."""

    type: Literal["done"] = "done"


Message = Annotated[
    Hello | Unavailable | Start | Stage | Result | Done | Inspected, Field(discriminator="type")
]
_adapter: TypeAdapter[Message] = TypeAdapter(Message)


def encode(msg: Msg) -> str:
    return encode_line(PREFIX, msg)


def decode(line: str) -> Message | None:
    return decode_line(PREFIX, _adapter, line)
