"""The kinds of node in a cluster: nodes grouped by what makes their measurements differ.

By default a kind is the GPU model and count with the CPU model and core count; `--group-by
LABEL` groups by a node label instead, and `--every-node` makes every node its own kind.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import field

from fwadvisor.fingerprint import Fingerprint
from fwadvisor.measurements.schema import Settings
from fwadvisor.records import Record, record

MAX_SLUG = 60


@record
class NodeSeen(Record):
    """One alive Ray node as the discovery task on it described it (or why it could not)."""

    node_id: str
    address: str
    labels: dict[str, str] = field(default_factory=dict)
    resources: dict[str, float] = field(default_factory=dict)
    fingerprint: Fingerprint | None = None
    settings: Settings | None = None
    error: str | None = None


@record
class Kind(Record):
    """One kind of node in the cluster: its name, the key that groups nodes, and its nodes."""

    name: str
    key: dict[str, str]
    nodes: tuple[NodeSeen, ...]

    @property
    def chosen(self) -> NodeSeen:
        """The node the kind is measured on: the first by id, so reruns pick the same one."""
        return self.nodes[0]


def slug(text: str) -> str:
    """A file-name-safe form of a kind's description."""
    cleaned = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return cleaned[:MAX_SLUG].strip("-") or "node"


def hardware_key(fp: Fingerprint) -> dict[str, str]:
    gpus = sorted({g.name for g in fp.gpus})
    return {
        "gpu": f"{len(fp.gpus)}x {' + '.join(gpus)}" if gpus else "none",
        "cpu": f"{fp.cpu_model}, {fp.cpu_cores_logical} cores",
    }


def _describe(key: dict[str, str]) -> str:
    if "gpu" in key:
        gpu = "cpu-only" if key["gpu"] == "none" else key["gpu"]
        return f"{gpu} {key['cpu']}"
    return " ".join(f"{k}-{v}" for k, v in key.items())


def group_nodes(
    nodes: Sequence[NodeSeen], group_by: str | None = None, every_node: bool = False
) -> list[Kind]:
    """The kinds among the described nodes (nodes whose discovery failed are left out)."""
    groups: dict[tuple[tuple[str, str], ...], list[NodeSeen]] = {}
    for node in sorted(nodes, key=lambda n: n.node_id):
        if node.fingerprint is None:
            continue
        if every_node:
            key = {"node": node.node_id}
        elif group_by is not None:
            key = {group_by: node.labels.get(group_by, "(unlabelled)")}
        else:
            key = hardware_key(node.fingerprint)
        groups.setdefault(tuple(key.items()), []).append(node)
    kinds: list[Kind] = []
    used: set[str] = set()
    for items, members in groups.items():
        key = dict(items)
        if every_node:
            base = slug(f"{members[0].address}-{members[0].node_id[:8]}")
        else:
            base = slug(_describe(key))
        name, n = base, 2
        while name in used:
            name, n = f"{base}-{n}", n + 1
        used.add(name)
        kinds.append(Kind(name=name, key=key, nodes=tuple(members)))
    return kinds
