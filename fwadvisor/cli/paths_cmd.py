"""`fwadvisor paths list|show ID|check`: the rulebook's deployment paths, checked for real."""

from __future__ import annotations

from pathlib import Path
from types import TracebackType

import typer
from rich.console import Console
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

from fwadvisor.cli.completion import path_ids
from fwadvisor.cli.console import results_console, stderr_console
from fwadvisor.cli.inputs import RULES_OPTION
from fwadvisor.errors import PathCheckError, UsageError
from fwadvisor.pathcheck.catalog import load_catalog
from fwadvisor.pathcheck.session import DEFAULT_TIMEOUT_S, PathsRequest, plan, run_checks
from fwadvisor.pathcheck.summary import pass_lines, path_detail, paths_table, results_table
from fwadvisor.rulebook.loader import load_rulebook

paths_app = typer.Typer(help="Deployment paths: list, show, and check them on this machine.")


class SpinnerReporter:
    def __init__(self, console: Console, total: int) -> None:
        self.progress = Progress(
            SpinnerColumn(),
            TextColumn("{task.description}"),
            TextColumn("{task.completed}/{task.total}"),
            TimeElapsedColumn(),
            console=console,
            transient=True,
        )
        self.task = self.progress.add_task("starting", total=total)

    def __enter__(self) -> SpinnerReporter:
        self.progress.start()
        return self

    def __exit__(
        self, et: type[BaseException] | None, ev: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.progress.stop()

    def working(self, label: str) -> None:
        self.progress.update(self.task, description=label)

    def advance(self) -> None:
        self.progress.update(self.task, advance=1)


@paths_app.command("list")
def list_paths(rules: Path | None = RULES_OPTION) -> None:
    """Every deployment path of the rulebook, with the check that exercises it."""
    book = load_rulebook(rules)
    catalog, _ = load_catalog()
    results_console().print(paths_table(book, catalog))


PRINT_FORMATS = ("text", "json")


@paths_app.command("show")
def show(
    path_id: str = typer.Argument(..., metavar="ID", autocompletion=path_ids),
    rules: Path | None = RULES_OPTION,
) -> None:
    """One path in full: target, candidate, steps, sources, as_of, and its checks."""
    book = load_rulebook(rules)
    catalog, _ = load_catalog()
    found = next((p for p in book.paths if p.id == path_id), None)
    if found is None:
        raise PathCheckError.at(
            f"no deployment path {path_id!r}", field="ID", hint="`fwadvisor paths list` shows them"
        )
    out = results_console()
    for line in path_detail(found, catalog):
        out.print(line, markup=False, soft_wrap=True)


@paths_app.command("check")
def check(
    answers: Path | None = typer.Option(
        None, "--answers", "-a", help="Answers file: its deployment targets."
    ),
    targets: str | None = typer.Option(
        None, "--targets", help="comma-separated deployment targets"
    ),
    candidates: str | None = typer.Option(None, "--candidates", help="comma-separated frameworks"),
    model: str | None = typer.Option(
        None, "--model", help="FILE.py:FACTORY; FACTORY() returns (model, example_inputs)"
    ),
    output: Path = typer.Option(
        Path("fwadvisor-paths.json"), "--output", "-o", help="paths-check JSON file"
    ),
    force: bool = typer.Option(False, "--force", help="overwrite an existing output file"),
    threads: int | None = typer.Option(
        None, "--threads", min=1, help="runtime threads (default: all)"
    ),
    timeout: float = typer.Option(
        DEFAULT_TIMEOUT_S, "--timeout", help="seconds a check may go without progress"
    ),
    checks: str | None = typer.Option(None, "--checks", help="only these check ids"),
    rules: Path | None = RULES_OPTION,
    fmt: str = typer.Option(
        "text",
        "--format",
        "-f",
        help="What to print when done: text (a table) or json (the paths-check file).",
        autocompletion=lambda incomplete: [f for f in PRINT_FORMATS if f.startswith(incomplete)],
    ),
) -> None:
    """Export and run each deployment toolchain for the targets, on reference models or yours."""
    book = load_rulebook(rules)
    request = PathsRequest(
        answers=answers,
        targets=targets,
        candidates=candidates,
        model=model,
        output=output,
        force=force,
        threads=threads,
        timeout_s=timeout,
        checks=checks,
    )
    if fmt not in PRINT_FORMATS:
        raise UsageError.at(
            f"unknown format {fmt!r}; choose one of: {', '.join(PRINT_FORMATS)}", field="--format"
        )
    p = plan(book, request)
    err = stderr_console()
    s = p.settings
    if not p.checks:
        raise PathCheckError.at(
            f"no checkable path for targets {', '.join(s.targets) or '-'} and candidates "
            f"{', '.join(s.candidates)}",
            field="--targets",
            hint="`fwadvisor paths list` shows which paths have a check",
        )
    err.print(
        f"checking {len(p.checks)} toolchains x {len(s.models)} models for "
        f"{', '.join(s.targets)} ({', '.join(s.candidates)}, {s.threads} threads)",
        markup=False,
    )
    try:
        with SpinnerReporter(err, len(p.checks) * len(s.models)) as reporter:
            result = run_checks(p, output, reporter)
    except KeyboardInterrupt:
        err.print(f"partial results kept in {output}", markup=False)
        raise
    if fmt == "json":
        typer.echo(output.read_text(encoding="utf-8"), nl=False)
        err.print(f"written to {output} ({result.wall_s:.1f} s)", markup=False)
        return
    out = results_console()
    out.print(results_table(result))
    for line in pass_lines(result):
        out.print(line, markup=False)
    typer.echo(f"written to {output} ({result.wall_s:.1f} s)")


def register(app: typer.Typer) -> None:
    app.add_typer(paths_app, name="paths")
