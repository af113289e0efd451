"""`fwadvisor probe`: measure PyTorch, TensorFlow (and JAX) on this machine; workers import them."""

from __future__ import annotations

import time
from dataclasses import replace
from pathlib import Path
from types import TracebackType

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from fwadvisor.cli.completion import suites
from fwadvisor.cli.console import FLEET, results_console, stderr_console
from fwadvisor.errors import UsageError
from fwadvisor.measurements.scaling import scaling_lines
from fwadvisor.measurements.summary import frameworks_tables, headline, measurements_table, notes
from fwadvisor.probe.session import ProbeRequest, prepare, run_probe
from fwadvisor.registry import (
    DEFAULT_FRAMEWORKS,
    DEFAULT_WORKLOADS,
    DEVICE_CHOICES,
    FRAMEWORKS,
    SUITES,
    WORKLOADS,
)


class RichReporter:
    """Progress bar with the current workload and the time left of the budget."""

    def __init__(self, console: Console) -> None:
        self.progress = Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            TextColumn("{task.fields[left]}"),
            console=console,
            transient=True,
        )
        self.deadline = 0.0
        self.task = self.progress.add_task("starting", total=1, left="")

    def __enter__(self) -> RichReporter:
        self.progress.start()
        return self

    def __exit__(
        self, et: type[BaseException] | None, ev: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.progress.stop()

    def _left(self) -> str:
        return f"{max(0.0, self.deadline - time.time()):.0f} s of budget left"

    def begin(self, total: int, deadline: float) -> None:
        self.deadline = deadline
        self.progress.update(self.task, total=total, completed=0, left=self._left())

    def working(self, label: str) -> None:
        self.progress.update(self.task, description=label, left=self._left())

    def advance(self, steps: int = 1) -> None:
        self.progress.update(self.task, advance=steps, left=self._left())


def probe(
    suite: str = typer.Option(
        "quick", "--suite", help=f"one of: {', '.join(SUITES)}", autocompletion=suites
    ),
    frameworks: str = typer.Option(
        ",".join(DEFAULT_FRAMEWORKS),
        "--frameworks",
        help=f"comma-separated, from: {','.join(FRAMEWORKS)}",
    ),
    workloads: str = typer.Option(
        ",".join(DEFAULT_WORKLOADS),
        "--workloads",
        help=f"comma-separated: {','.join(WORKLOADS)} (dp_train, the data-parallel scaling "
        "run, only when named)",
    ),
    device: str = typer.Option("auto", "--device", help=f"one of: {', '.join(DEVICE_CHOICES)}"),
    budget: float | None = typer.Option(None, "--budget", help="seconds (default: the suite's)"),
    output: Path | None = typer.Option(
        None,
        "--output",
        "-o",
        help="the probe JSON file to write (default fwadvisor-probe.json); with --ray, the "
        "folder (default fwadvisor-fleet)",
        show_default=False,
    ),
    force: bool = typer.Option(False, "--force", help="overwrite an existing output file"),
    threads: int | None = typer.Option(
        None, "--threads", min=1, help="intra-op threads for every framework (default: all)"
    ),
    processes: int | None = typer.Option(
        None, "--processes", min=1, help="fresh processes per framework (default: the suite's)"
    ),
    ray_address: str | None = typer.Option(
        None,
        "--ray",
        metavar="ADDRESS",
        help="probe every kind of node of a Ray cluster: auto (the one this machine belongs "
        "to), a ray:// or host:port address, or local (start one here); needs fwadvisor[ray] "
        "(docs/fleet.md)",
        rich_help_panel=FLEET,
    ),
    group_by: str | None = typer.Option(
        None,
        "--group-by",
        metavar="LABEL",
        help="with --ray: one run per value of this node label (default: per GPU model and "
        "count, CPU model and cores)",
        rich_help_panel=FLEET,
    ),
    every_node: bool = typer.Option(
        False, "--every-node", help="with --ray: one run per node", rich_help_panel=FLEET
    ),
    runtime_env: str | None = typer.Option(
        None,
        "--runtime-env",
        metavar="extras|FILE",
        help="with --ray: `extras` ships fwadvisor and pip-installs the frameworks' extras on "
        "the nodes; FILE (YAML/JSON) is your own Ray runtime_env (default: nodes have them)",
        rich_help_panel=FLEET,
    ),
    node_timeout: float | None = typer.Option(
        None,
        "--node-timeout",
        help="with --ray: seconds before a node's run is cancelled (default 2 x budget + 120)",
        rich_help_panel=FLEET,
    ),
) -> None:
    """Measure PyTorch and TensorFlow (and JAX on request), eager and graph modes, on this
    machine, or with --ray on every kind of node of a Ray cluster (exit 7: some node's run
    did not finish)."""
    fleet_only: dict[str, object] = {"--group-by": group_by, "--every-node": every_node or None}
    fleet_only |= {"--runtime-env": runtime_env, "--node-timeout": node_timeout}
    request = ProbeRequest(
        suite=suite,
        frameworks=frameworks,
        workloads=workloads,
        device=device,
        budget_s=budget,
        force=force,
        threads=threads,
        processes=processes,
    )
    if ray_address is not None:
        from fwadvisor.cli.probe_fleet import DEFAULT_FOLDER, run_fleet

        run_fleet(
            ray_address,
            request,
            output or DEFAULT_FOLDER,
            group_by,
            every_node,
            runtime_env,
            node_timeout,
        )
        return
    given = [name for name, value in fleet_only.items() if value is not None]
    if given:
        raise UsageError(f"{', '.join(given)} only go with --ray")
    request = replace(request, output=output or Path("fwadvisor-probe.json"))
    settings, state = prepare(request)
    err = stderr_console()
    err.print(
        f"probing {', '.join(settings.frameworks)} on {settings.device} "
        f"({settings.suite} suite, {settings.processes} processes each, "
        f"{settings.threads_intra} threads, budget {settings.budget_s:.0f} s)"
    )
    try:
        with RichReporter(err) as reporter:
            result = run_probe(settings, state, reporter)
    except KeyboardInterrupt:
        err.print(f"partial results kept in {output}")
        raise
    out = results_console()
    warning = headline(result)
    if warning:
        out.print(warning, style="bold red", markup=False)
    out.print(measurements_table(result))
    for table in frameworks_tables(result):
        out.print(table)
    for line in [*scaling_lines(result), *notes(result)]:
        out.print(line, markup=False)
    out.print(f"written to {output} ({result.wall_s:.1f} s)", markup=False)
    if warning:  # the last thing on screen, too
        out.print(warning, style="bold red", markup=False)


def register(app: typer.Typer) -> None:
    from fwadvisor.cli.console import MEASURE

    app.command("probe", rich_help_panel=MEASURE)(probe)
