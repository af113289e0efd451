"""What the scaling runner and a dp worker say to each other (dp_train).

The runner writes one DpSpec on the worker's stdin; the worker answers with one line,
`@@fwdp <json>`, on its original stdout (everything else goes to stderr).
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, TypeAdapter

from fwadvisor.records import Limits, Record, record
from fwadvisor.registry import Device, Framework
from fwadvisor.workers.channel import decode_line

DP_PREFIX = "@@fwdp "


@record
class DpSpec(Record):
    """What one data-parallel worker is asked to run (PyTorch: one worker per rank;
    TensorFlow and JAX: one worker for all devices)."""

    framework: Framework
    module_path: str
    device: Device
    devices: Annotated[int, Limits(ge=1)]
    rank: Annotated[int, Limits(ge=0)] = 0
    port: Annotated[int, Limits(ge=0)] = 0
    """torch.distributed rendezvous on 127.0.0.1"""
    threads: Annotated[int, Limits(ge=1)]
    """per device"""
    seed: int = 0
    batch: Annotated[int, Limits(ge=1)]
    """rows per device"""
    width: Annotated[int, Limits(ge=1)]
    depth: Annotated[int, Limits(ge=1)]
    warmup: Annotated[int, Limits(ge=0)]
    samples: Annotated[int, Limits(ge=1)]
    block: Annotated[int, Limits(ge=1)]
    """steps per timed sample"""


@record
class DpResult(Record):
    """A data-parallel worker's timed step and the strategy it used."""

    type: Literal["dp_result"] = "dp_result"
    step_s: list[float]
    strategy: str


@record
class DpFailed(Record):
    """A data-parallel worker could not run, and why."""

    type: Literal["dp_failed"] = "dp_failed"
    reason: str
    missing: bool = False


DpMessage = Annotated[DpResult | DpFailed, Field(discriminator="type")]
_adapter: TypeAdapter[DpMessage] = TypeAdapter(DpMessage)


def decode_dp(line: str) -> DpMessage | None:
    return decode_line(DP_PREFIX, _adapter, line)
