"""The suites file, probes/suites.yaml: sizes, processes and timing per suite."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

from fwadvisor.errors import ProbeRunError
from fwadvisor.measurements.schema import ParamValue, Timing
from fwadvisor.records import Limits, Record, SchemaVersion1, record
from fwadvisor.registry import SuiteName, Workload
from fwadvisor.validation import validate
from fwadvisor.yamlio import load_document


@record
class Suite(Record):
    """One probe suite: its workloads and sizes, processes, budget and timing."""

    description: str
    processes: Annotated[int, Limits(ge=1)]
    budget_s: Annotated[float, Limits(gt=0)]
    slot_reserve_s: Annotated[float, Limits(ge=0)]
    """the least time a worker process is given (a framework's start and one workload)"""
    finish_s: Annotated[float, Limits(ge=0)] = 0
    """workers stop starting work this long before the budget ends, so that the workload in
    hand and the last timed rounds finish within it"""
    timeout_s: Annotated[float, Limits(gt=0)]
    timing: Timing
    workloads: dict[Workload, dict[str, dict[str, ParamValue]]]


@record
class SuitesFile(Record):
    """suites.yaml: the probe suites."""

    schema_version: SchemaVersion1
    suites: dict[SuiteName, Suite]


def load_suites(probes: Path) -> SuitesFile:
    doc = load_document(probes / "suites.yaml", "suites file")
    return validate(SuitesFile, doc.data, doc, ProbeRunError)
