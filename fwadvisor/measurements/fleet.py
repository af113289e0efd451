"""A fleet folder (`probe --ray --output DIR`): the index file and one probe file per kind.

The index lists every kind of node found, the file measured on it and whether that run
finished; nodes the probe could not even describe are listed apart. `recommend --probe DIR`
reads the folder through the index, so a stray file in it is never taken for a measurement.
"""

from __future__ import annotations

from dataclasses import field
from pathlib import Path
from typing import Literal

from fwadvisor.errors import ProbeError
from fwadvisor.measurements.read import load_probe_file
from fwadvisor.measurements.schema import ProbeFile
from fwadvisor.records import Record, record
from fwadvisor.validation import load_json_record

FLEET_SCHEMA_VERSION = 1
INDEX_NAME = "fleet-index.json"
FleetStatus = Literal["complete", "incomplete", "failed"]


@record
class FleetEntry(Record):
    """One kind of node in a fleet index: its probe file, or why there is none."""

    kind: str
    status: FleetStatus
    """complete; incomplete (the file keeps what was measured, with the reason); failed (nothing
    measured, no file)"""
    file: str | None = None
    """the probe file's name inside the folder"""
    reason: str | None = None
    key: dict[str, str] = field(default_factory=dict)
    """what the kind's nodes share"""
    node_id: str
    """the node measured"""
    address: str
    nodes: list[str] = field(default_factory=list)
    """every node of this kind"""
    wall_s: float | None = None


@record
class UnreachableNode(Record):
    """A node the fleet probe could not reach or describe, and why."""

    node_id: str
    address: str
    reason: str


@record
class FleetIndex(Record):
    """fleet-index.json of a fleet folder: the cluster, the suite and one entry per kind of node."""

    schema_version: Literal[1] = 1
    cluster: str
    """the --ray address as given"""
    started: str
    """ISO 8601, UTC"""
    suite: str
    group_by: str | None = None
    every_node: bool = False
    complete: bool
    """true when every kind's run finished"""
    wall_s: float | None = None
    kinds: list[FleetEntry] = field(default_factory=list)
    unreachable: list[UnreachableNode] = field(default_factory=list)
    """alive nodes the probe could not describe"""


def load_fleet_index(folder: Path) -> FleetIndex:
    path = folder / INDEX_NAME
    if not path.is_file():
        raise ProbeError.at(
            f"{folder} is a folder without {INDEX_NAME}",
            folder,
            hint="pass probe files one by one, or a folder written by `fwadvisor probe --ray`",
        )
    index = load_json_record(
        path,
        "fleet index",
        FleetIndex,
        ProbeError,
        schema_version=FLEET_SCHEMA_VERSION,
        rerun="re-run `fwadvisor probe --ray` with this version of fwadvisor",
    )
    for i, entry in enumerate(index.kinds):
        if entry.file is not None and (
            Path(entry.file).name != entry.file or not entry.file.endswith(".json")
        ):
            raise ProbeError.at(
                f"{entry.file!r} is not a JSON file name inside the folder",
                path,
                field=f"kinds.{i}.file",
            )
    return index


def load_probe_folder(folder: Path) -> list[ProbeFile]:
    """Every probe file the folder's index lists, complete or not (a partial file says so)."""
    index = load_fleet_index(folder)
    return [load_probe_file(folder / e.file) for e in index.kinds if e.file is not None]
