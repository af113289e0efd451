"""What a fleet task does on its node: exactly what `fwadvisor probe` does there.

`describe` runs the probe's own preparation (device, threads, suite, fingerprint) with a
throwaway output; `probe_here` runs the probe itself, workers in their own subprocesses, and
streams progress and every rewrite of the probe file back through `send`, so the driver
keeps what was measured if the node is lost.
"""

from __future__ import annotations

import dataclasses
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from fwadvisor.fingerprint import ClusterNode
from fwadvisor.measurements.schema import ProbeFile
from fwadvisor.probe.output import ProbeState
from fwadvisor.probe.session import ProbeRequest, prepare, run_probe
from fwadvisor.records import dump_json

Send = Callable[[str, Any], None]
"""send(what, payload): "progress" with {label, done, total, left_s}, or "snapshot" with the
probe file's JSON."""


def describe(request: ProbeRequest) -> tuple[str, str]:
    """This node's fingerprint and probe settings, as JSON."""
    with tempfile.TemporaryDirectory(prefix="fwadvisor-fleet-") as tmp:
        req = dataclasses.replace(request, output=Path(tmp) / "probe.json", force=True)
        settings, state = prepare(req)
    return dump_json(state.fingerprint), dump_json(settings)


@dataclass
class StreamedState(ProbeState):
    """The probe file as it is rewritten, each version also sent to the driver."""

    send: Send | None = None

    def save(self, complete: bool = False) -> ProbeFile:
        probe = super().save(complete)
        if self.send is not None:
            self.send("snapshot", dump_json(probe))
        return probe


@dataclass
class NodeReporter:
    """The probe's progress, sent to the driver instead of drawn on a terminal."""

    send: Send
    done: int = 0
    total: int = 0
    deadline: float = 0.0
    label: str = field(default="starting")

    def _post(self) -> None:
        left = max(0.0, self.deadline - time.time())
        self.send(
            "progress",
            {"label": self.label, "done": self.done, "total": self.total, "left_s": left},
        )

    def begin(self, total: int, deadline: float) -> None:
        self.total, self.deadline = total, deadline
        self._post()

    def working(self, label: str) -> None:
        self.label = label
        self._post()

    def advance(self, steps: int = 1) -> None:
        self.done += steps
        self._post()


def probe_here(request: ProbeRequest, node: ClusterNode, send: Send) -> str:
    """Probe this node; the complete probe file's JSON (its fingerprint names the node)."""
    with tempfile.TemporaryDirectory(prefix="fwadvisor-fleet-") as tmp:
        req = dataclasses.replace(request, output=Path(tmp) / f"{node.kind}.json", force=True)
        settings, local = prepare(req)
        state = StreamedState(
            output=local.output,
            settings=settings,
            fingerprint=replace(local.fingerprint, cluster_node=node),
            inductor_dir=local.inductor_dir,
            send=send,
        )
        return dump_json(run_probe(settings, state, NodeReporter(send)))
