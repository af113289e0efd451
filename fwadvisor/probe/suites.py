"""The suites file, probes/suites.yaml: sizes, processes and timing per suite."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field

from fwadvisor.basemodel import Record
from fwadvisor.errors import ProbeRunError
from fwadvisor.measurements.schema import ParamValue, Timing
from fwadvisor.records import SchemaVersion1
from fwadvisor.registry import SuiteName, Workload
from fwadvisor.validation import validate
from fwadvisor.yamlio import load_document


class Suite(Record):
    description: str
    processes: int = Field(ge=1)
    budget_s: float = Field(gt=0)
    slot_reserve_s: float = Field(
        ge=0,
        description="the least time a worker process is given (a framework's start and one "
        "workload)",
    )
    finish_s: float = Field(
        default=0,
        ge=0,
        description="workers stop starting work this long before the budget ends, so that "
        "the workload in hand and the last timed rounds finish within it",
    )
    timeout_s: float = Field(gt=0)
    timing: Timing
    workloads: dict[Workload, dict[str, dict[str, ParamValue]]]


class SuitesFile(Record):
    schema_version: SchemaVersion1
    suites: dict[SuiteName, Suite]


def load_suites(probes: Path) -> SuitesFile:
    doc = load_document(probes / "suites.yaml", "suites file")
    return validate(SuitesFile, doc.data, doc, ProbeRunError)
