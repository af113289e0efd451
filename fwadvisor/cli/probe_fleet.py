"""`fwadvisor probe --ray`: the probe on every kind of node of a Ray cluster, one file each.

Ray is imported only when the option is given (fwadvisor.fleet.cluster); the rest of the CLI
starts without it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskID, TextColumn

from fwadvisor.cli.console import results_console, stderr_console
from fwadvisor.errors import ExitCode, UsageError
from fwadvisor.measurements.fleet import INDEX_NAME, FleetIndex
from fwadvisor.probe.session import ProbeRequest
from fwadvisor.registry import DEFAULT_FRAMEWORKS, FRAMEWORKS
from fwadvisor.validation import parse_choices

if TYPE_CHECKING:
    from fwadvisor.fleet.kinds import Kind, NodeSeen

DEFAULT_FOLDER = Path("fwadvisor-fleet")
ADDRESS = re.compile(r"(ray://)?[A-Za-z0-9._\-\[\]:]+:\d+")


class FleetProgress:
    """One progress line per kind of node (the node it runs on, what it is doing)."""

    def __init__(self, console: Console) -> None:
        self.console = console
        self.bars = Progress(
            TextColumn("{task.fields[kind]}"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("{task.description}"),
            console=console,
        )
        self.tasks: dict[str, TaskID] = {}

    def __enter__(self) -> FleetProgress:
        self.bars.start()
        return self

    def __exit__(
        self, et: type[BaseException] | None, ev: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.bars.stop()

    def kinds(self, kinds: Sequence[Kind], unreachable: Sequence[NodeSeen]) -> None:
        for node in unreachable:
            self.console.print(
                f"node {node.address} ({node.node_id[:8]}) left out: {node.error}", markup=False
            )
        for kind in kinds:
            label = f"{kind.name} @ {kind.chosen.address} ({len(kind.nodes)} node(s))"
            self.tasks[kind.name] = self.bars.add_task("starting", total=None, kind=label)

    def progress(self, kind: str, label: str, done: int, total: int) -> None:
        self.bars.update(self.tasks[kind], description=label, completed=done, total=total)

    def finished(self, kind: str, status: str, reason: str | None) -> None:
        text = status if reason is None else f"{status}: {reason[:120]}"
        self.bars.update(self.tasks[kind], description=text)


def check_folder(output: Path, force: bool) -> None:
    if output.exists() and not output.is_dir():
        raise UsageError.at(f"{output} is a file; --ray writes a folder", field="--output")
    if (output / INDEX_NAME).exists() and not force:
        raise UsageError.at(
            f"{output} already holds a fleet probe; pass --force to overwrite it",
            field="--output",
        )
    if not output.parent.is_dir():
        raise UsageError.at(f"directory {output.parent} does not exist", field="--output")


def summary(index: FleetIndex, output: Path) -> None:
    out = results_console()
    for entry in index.kinds:
        where = f"{entry.address}, {len(entry.nodes)} node(s) of this kind"
        text = f"{entry.kind}: {entry.status} ({where})"
        if entry.reason:
            text += f": {entry.reason}"
        out.print(text, markup=False)
    for node in index.unreachable:
        out.print(f"{node.address}: not probed: {node.reason}", markup=False)
    out.print(f"written to {output}/ ({INDEX_NAME} and one file per kind)", markup=False)


def run_fleet(
    address: str,
    request: ProbeRequest,
    output: Path,
    group_by: str | None,
    every_node: bool,
    runtime_env_arg: str | None,
    node_timeout: float | None,
) -> None:
    """Probe the cluster; exit 0 when every kind finished, SOME_NODES_FAILED otherwise."""
    if address not in ("auto", "local") and not ADDRESS.fullmatch(address):
        raise UsageError.at(
            f"{address!r} is not a Ray address",
            field="--ray",
            hint="use auto, local, ray://HOST:PORT or HOST:PORT",
        )
    check_folder(output, request.force)
    if every_node and group_by:
        raise UsageError("--every-node and --group-by exclude each other", hint="pick one")
    if node_timeout is not None and node_timeout <= 0:
        raise UsageError.at("the node timeout must be positive seconds", field="--node-timeout")
    frameworks = parse_choices(
        request.frameworks, FRAMEWORKS, "framework", "--frameworks", DEFAULT_FRAMEWORKS
    )
    from fwadvisor.fleet.runtime_env import runtime_env

    env = runtime_env(runtime_env_arg, frameworks)
    try:
        from fwadvisor.fleet.cluster import FleetRequest, probe_fleet
    except ImportError as exc:
        raise UsageError(
            f"--ray needs Ray ({exc})", hint="install it with: pip install 'fwadvisor[ray]'"
        ) from None
    output.mkdir(exist_ok=True)
    req = FleetRequest(
        address=address,
        output=output,
        probe=request,
        group_by=group_by,
        every_node=every_node,
        runtime_env=env,
        node_timeout_s=node_timeout,
    )
    err = stderr_console()
    err.print(f"probing the Ray cluster at {address} ({request.suite} suite), one run per kind")
    try:
        with FleetProgress(err) as reporter:
            index = probe_fleet(req, reporter)
    except KeyboardInterrupt:
        err.print(f"interrupted: what finished is kept in {output}/")
        raise
    summary(index, output)
    if not index.complete:
        raise typer.Exit(int(ExitCode.SOME_NODES_FAILED))
