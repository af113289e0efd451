"""What the scaling runner and a dp worker say to each other (dp_train).

The runner writes one DpSpec on the worker's stdin; the worker answers with one line,
`@@fwdp <json>`, on its original stdout (everything else goes to stderr).
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, TypeAdapter

from fwadvisor.basemodel import Record
from fwadvisor.registry import Device, Framework
from fwadvisor.workers.channel import decode_line

DP_PREFIX = "@@fwdp "


class DpSpec(Record):
    framework: Framework
    module_path: str
    device: Device
    devices: int = Field(ge=1)
    rank: int = Field(0, ge=0)
    port: int = Field(0, ge=0, description="torch.distributed rendezvous on 127.0.0.1")
    threads: int = Field(ge=1, description="per device")
    seed: int = 0
    batch: int = Field(ge=1, description="rows per device")
    width: int = Field(ge=1)
    depth: int = Field(ge=1)
    warmup: int = Field(ge=0)
    samples: int = Field(ge=1)
    block: int = Field(ge=1, description="steps per timed sample")


class DpResult(Record):
    type: Literal["dp_result"] = "dp_result"
    step_s: list[float]
    strategy: str


class DpFailed(Record):
    type: Literal["dp_failed"] = "dp_failed"
    reason: str
    missing: bool = False


DpMessage = Annotated[DpResult | DpFailed, Field(discriminator="type")]
_adapter: TypeAdapter[DpMessage] = TypeAdapter(DpMessage)


def decode_dp(line: str) -> DpMessage | None:
    return decode_line(DP_PREFIX, _adapter, line)
