"""The driver of `fwadvisor probe --ray`: the only module that imports Ray.

It connects, asks every alive node to describe itself (a task pinned to the node), groups
the nodes into kinds, then runs the probe once per kind, in parallel, each task pinned to its
node with NodeAffinitySchedulingStrategy (hard affinity, no retries: a lost node is a
result, not something to hide by running elsewhere). Progress and each rewrite of a node's
probe file travel back through a small actor; the driver writes them into the folder.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import ray
from ray.util.scheduling_strategies import NodeAffinitySchedulingStrategy

from fwadvisor.errors import ProbeRunError
from fwadvisor.fingerprint import Fingerprint
from fwadvisor.fleet import onnode
from fwadvisor.fleet.kinds import Kind, NodeSeen, group_nodes
from fwadvisor.fleet.output import FleetWriter, cluster_node
from fwadvisor.measurements.fleet import FleetIndex
from fwadvisor.measurements.schema import ProbeFile, Settings
from fwadvisor.probe.session import ProbeRequest
from fwadvisor.records import Record, record, validate_json

POLL_S = 0.5
CANCEL_GRACE_S = 15.0
DESCRIBE_TIMEOUT_S = 120.0
LOOPBACK = "127.0.0.1"


@record
class FleetRequest(Record):
    """`probe --ray` as asked: the cluster's address, the output folder, the probe to run on
    each kind of node and how to group nodes."""

    address: str
    output: Path
    probe: ProbeRequest
    group_by: str | None = None
    every_node: bool = False
    runtime_env: dict[str, Any] | None = None
    node_timeout_s: float | None = None


class FleetReporter(Protocol):
    def kinds(self, kinds: Sequence[Kind], unreachable: Sequence[NodeSeen]) -> None: ...
    def progress(self, kind: str, label: str, done: int, total: int) -> None: ...
    def finished(self, kind: str, status: str, reason: str | None) -> None: ...


@ray.remote(num_cpus=0)
class Board:
    """Where tasks post progress and probe-file snapshots; the driver drains it."""

    def __init__(self) -> None:
        self.events: list[tuple[str, str, Any]] = []

    def post(self, kind: str, what: str, payload: Any) -> None:
        self.events.append((kind, what, payload))

    def drain(self) -> list[tuple[str, str, Any]]:
        events, self.events = self.events, []
        return events


@ray.remote(num_cpus=0, max_retries=0)
def _describe(request: ProbeRequest) -> tuple[str, str]:
    return onnode.describe(request)


@ray.remote(num_cpus=0, max_retries=0)
def _probe(request: ProbeRequest, node: Any, board: Any) -> str:
    def send(what: str, payload: Any) -> None:
        board.post.remote(node.kind, what, payload)

    return onnode.probe_here(request, node, send)


def _init_kwargs(req: FleetRequest) -> dict[str, Any]:
    kwargs: dict[str, Any] = {
        "log_to_driver": False,
        "logging_level": "ERROR",
        "configure_logging": True,
    }
    if req.runtime_env is not None:
        kwargs["runtime_env"] = req.runtime_env
    if req.address == "local":
        # a private one-machine cluster: nothing of it listens beyond this machine
        kwargs |= {"address": "local", "include_dashboard": False, "_node_ip_address": LOOPBACK}
    else:
        kwargs["address"] = req.address
    return kwargs


@contextlib.contextmanager
def connected(req: FleetRequest) -> Iterator[None]:
    try:
        ray.init(**_init_kwargs(req))
    except (ConnectionError, RuntimeError, ValueError, TimeoutError) as exc:
        raise ProbeRunError(
            f"cannot connect to the Ray cluster at {req.address!r}: {exc}",
            hint="`--ray auto` joins the cluster this machine belongs to, `--ray local` "
            "starts one here; see docs/fleet.md",
        ) from None
    try:
        yield
    finally:
        ray.shutdown()


def _pinned(node_id: str) -> NodeAffinitySchedulingStrategy:
    return NodeAffinitySchedulingStrategy(node_id=node_id, soft=False)


def _reason(exc: BaseException) -> str:
    if isinstance(exc, ray.exceptions.RayTaskError):
        cause = exc.cause if exc.cause is not None else exc
        text = f"{type(cause).__name__}: {cause}"
    elif isinstance(exc, ray.exceptions.NodeDiedError | ray.exceptions.LocalRayletDiedError):
        text = f"node lost: {exc}"
    elif isinstance(exc, ray.exceptions.WorkerCrashedError | ray.exceptions.ActorDiedError):
        text = f"the task's process died: {exc}"
    else:
        text = f"{type(exc).__name__}: {exc}"
    return " ".join(text.split())[:600]


def discover(request: ProbeRequest) -> list[NodeSeen]:
    """Every alive node, described by a task pinned to it (or why that failed)."""
    nodes = [n for n in ray.nodes() if n.get("Alive")]
    refs = {
        _describe.options(scheduling_strategy=_pinned(n["NodeID"])).remote(request): n
        for n in nodes
    }
    ready, _ = ray.wait(list(refs), num_returns=len(refs), timeout=DESCRIBE_TIMEOUT_S)
    seen: list[NodeSeen] = []
    for ref, node in refs.items():
        base = {
            "node_id": node["NodeID"],
            "address": str(node.get("NodeManagerAddress", "?")),
            "labels": {str(k): str(v) for k, v in (node.get("Labels") or {}).items()},
            "resources": {
                str(k): float(v)
                for k, v in (node.get("Resources") or {}).items()
                if not str(k).startswith("node:")
            },
        }
        if ref not in ready:
            ray.cancel(ref, force=True)
            seen.append(NodeSeen(**base, error=f"no answer in {DESCRIBE_TIMEOUT_S:.0f} s"))
            continue
        try:
            fp, settings = ray.get(ref)
        except ray.exceptions.RayError as exc:
            seen.append(NodeSeen(**base, error=_reason(exc)))
            continue
        seen.append(
            NodeSeen(
                **base,
                fingerprint=validate_json(Fingerprint, fp),
                settings=validate_json(Settings, settings),
            )
        )
    return seen


@dataclass
class _Run:
    """One kind of node's probe while it runs: its Ray task, deadline, latest probe file and
    when it was cancelled."""

    kind: Kind
    ref: Any
    started: float
    deadline: float
    last: ProbeFile | None = None
    cancelled_at: float | None = None


class FleetProbe:
    def __init__(self, req: FleetRequest, reporter: FleetReporter) -> None:
        self.req = req
        self.reporter = reporter
        self.runs: dict[str, _Run] = {}
        self.writer: FleetWriter | None = None
        self.board: Any = None

    def run(self) -> FleetIndex:
        req = self.req
        nodes = discover(req.probe)
        unreachable = [n for n in nodes if n.fingerprint is None]
        kinds = group_nodes(nodes, req.group_by, req.every_node)
        self.reporter.kinds(kinds, unreachable)
        if not kinds:
            why = "; ".join(sorted({n.error or "?" for n in unreachable})[:3]) or "no alive node"
            raise ProbeRunError(
                f"no node of the cluster could be probed: {why}",
                hint="nodes need fwadvisor and the frameworks installed (docs/fleet.md)",
            )
        self.writer = FleetWriter(
            req.output, req.address, req.probe.suite, req.group_by, req.every_node, unreachable
        )
        self.writer.start(kinds)
        self.board = Board.options(  # type: ignore[attr-defined]
            scheduling_strategy=NodeAffinitySchedulingStrategy(
                node_id=ray.get_runtime_context().get_node_id(), soft=True
            )
        ).remote()
        now = time.monotonic()
        for kind in kinds:
            budget = kind.chosen.settings.budget_s if kind.chosen.settings else 600.0
            timeout = req.node_timeout_s or 2 * budget + 120.0
            ref = _probe.options(scheduling_strategy=_pinned(kind.chosen.node_id)).remote(
                req.probe, cluster_node(kind), self.board
            )
            self.runs[kind.name] = _Run(kind, ref, now, now + timeout)
        try:
            self._wait()
        except KeyboardInterrupt:
            self._cancel_all("interrupted (Ctrl-C)")
            raise
        return self.writer.save_index()

    def _drain(self) -> None:
        assert self.writer is not None
        with contextlib.suppress(ray.exceptions.RayError):
            for kind, what, payload in ray.get(self.board.drain.remote(), timeout=30):
                run = self.runs.get(kind)
                if run is None or run.cancelled_at is not None:
                    continue
                if what == "progress":
                    self.reporter.progress(
                        kind, payload["label"], payload["done"], payload["total"]
                    )
                elif what == "snapshot":
                    run.last = validate_json(ProbeFile, payload)
                    self.writer.snapshot(kind, run.last)

    def _pending(self) -> list[_Run]:
        return [r for r in self.runs.values() if r.cancelled_at is None]

    def _end(self, run: _Run, status: str, reason: str | None) -> None:
        assert self.writer is not None
        run.cancelled_at = time.monotonic()
        if status != "complete":
            self.writer.fail(run.kind, reason or "unknown", run.last)
        self.reporter.finished(run.kind.name, status, reason)

    def _wait(self) -> None:
        assert self.writer is not None
        while self._pending():
            pending = self._pending()
            ready, _ = ray.wait([r.ref for r in pending], num_returns=1, timeout=POLL_S)
            self._drain()
            for run in pending:
                if run.ref in ready:
                    try:
                        probe = validate_json(ProbeFile, ray.get(run.ref))
                    except ray.exceptions.RayError as exc:
                        self._drain()  # the last snapshot may still be on its way
                        self._end(run, "incomplete", _reason(exc))
                    else:
                        self.writer.finish(run.kind.name, probe)
                        self._end(run, "complete", None)
                elif time.monotonic() > run.deadline:
                    ray.cancel(run.ref)  # KeyboardInterrupt in the task: its workers are killed
                    self._end(
                        run, "incomplete", f"timed out after {run.deadline - run.started:.0f} s"
                    )
        self._reap([r.ref for r in self.runs.values()])

    def _cancel_all(self, reason: str) -> None:
        pending = self._pending()
        for run in pending:
            ray.cancel(run.ref)
        self._drain()
        for run in pending:
            self._end(run, "incomplete", reason)
        self._reap([r.ref for r in pending])

    @staticmethod
    def _reap(refs: list[Any]) -> None:
        """Cancelled tasks get a grace period to kill their workers, then are force-killed."""
        if not refs:
            return
        _, left = ray.wait(refs, num_returns=len(refs), timeout=CANCEL_GRACE_S)
        for ref in left:
            with contextlib.suppress(ray.exceptions.RayError):
                ray.cancel(ref, force=True)


def probe_fleet(req: FleetRequest, reporter: FleetReporter) -> FleetIndex:
    with connected(req):
        return FleetProbe(req, reporter).run()
