"""The fleet folder as it fills: one probe file per kind, rewritten as snapshots arrive, and
the index, rewritten after every change, so an interrupted run leaves a readable folder."""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass, field, replace
from pathlib import Path

from fwadvisor.errors import ProbeRunError
from fwadvisor.fileio import write_atomic
from fwadvisor.fingerprint import ClusterNode
from fwadvisor.fleet.kinds import Kind, NodeSeen
from fwadvisor.measurements.fleet import INDEX_NAME, FleetEntry, FleetIndex, UnreachableNode
from fwadvisor.measurements.schema import ProbeFile
from fwadvisor.records import dump_json


def cluster_node(kind: Kind) -> ClusterNode:
    node = kind.chosen
    return ClusterNode(
        kind=kind.name,
        group_key=kind.key,
        node_id=node.node_id,
        address=node.address,
        labels=node.labels,
        resources=node.resources,
        nodes_of_kind=len(kind.nodes),
    )


def unfinished_probe(kind: Kind, reason: str) -> ProbeFile | None:
    """A probe file for a kind whose run produced nothing: fingerprint and settings from
    discovery, no measurements."""
    node = kind.chosen
    if node.fingerprint is None or node.settings is None:
        return None
    return ProbeFile(
        complete=False,
        fingerprint=replace(node.fingerprint, cluster_node=cluster_node(kind)),
        settings=node.settings,
        incomplete_reason=reason,
    )


@dataclass
class FleetWriter:
    """Writes the fleet folder: one probe file per kind of node, and the index, after every change."""

    folder: Path
    cluster: str
    suite: str
    group_by: str | None
    every_node: bool
    unreachable: list[NodeSeen] = field(default_factory=list)
    entries: dict[str, FleetEntry] = field(default_factory=dict)
    started: float = field(default_factory=time.monotonic)
    started_at: str = field(
        default_factory=lambda: dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")
    )

    def _write(self, name: str, text: str, what: str) -> None:
        try:
            # the CLI refused a folder holding a fleet index without --force before starting
            write_atomic(self.folder / name, text, force=True, what=what)
        except OSError as exc:
            raise ProbeRunError(f"cannot write {self.folder / name}: {exc.strerror}") from None

    def start(self, kinds: list[Kind]) -> None:
        for kind in kinds:
            self.entries[kind.name] = FleetEntry(
                kind=kind.name,
                status="incomplete",
                reason="running",
                key=kind.key,
                node_id=kind.chosen.node_id,
                address=kind.chosen.address,
                nodes=[n.node_id for n in kind.nodes],
            )
        self.save_index()

    def snapshot(self, kind: str, probe: ProbeFile) -> None:
        """A partial probe file from a running node (kept if the node is lost)."""
        self._write(f"{kind}.json", dump_json(probe, indent=1), "probe")
        self.entries[kind] = replace(self.entries[kind], file=f"{kind}.json")
        self.save_index()

    def finish(self, kind: str, probe: ProbeFile) -> None:
        self._write(f"{kind}.json", dump_json(probe, indent=1), "probe")
        self.entries[kind] = replace(
            self.entries[kind],
            file=f"{kind}.json",
            status="complete",
            reason=None,
            wall_s=probe.wall_s,
        )
        self.save_index()

    def fail(self, kind: Kind, reason: str, last: ProbeFile | None) -> None:
        """The run on this kind's node ended without a complete file: keep what it measured,
        marked incomplete with the reason."""
        probe = (
            replace(last, complete=False, incomplete_reason=reason)
            if last is not None
            else unfinished_probe(kind, reason)
        )
        entry = replace(self.entries[kind.name], reason=reason)
        if probe is None:
            entry = replace(entry, status="failed")
        else:
            self._write(f"{kind.name}.json", dump_json(probe, indent=1), "probe")
            entry = replace(entry, status="incomplete", file=f"{kind.name}.json")
        self.entries[kind.name] = entry
        self.save_index()

    def index(self) -> FleetIndex:
        entries = list(self.entries.values())
        return FleetIndex(
            cluster=self.cluster,
            started=self.started_at,
            suite=self.suite,
            group_by=self.group_by,
            every_node=self.every_node,
            complete=bool(entries) and all(e.status == "complete" for e in entries),
            wall_s=round(time.monotonic() - self.started, 3),
            kinds=entries,
            unreachable=[
                UnreachableNode(node_id=n.node_id, address=n.address, reason=n.error or "unknown")
                for n in self.unreachable
            ],
        )

    def save_index(self) -> FleetIndex:
        index = self.index()
        self._write(INDEX_NAME, dump_json(index, indent=1), "fleet index")
        return index
