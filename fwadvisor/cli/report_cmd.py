"""`fwadvisor report REC.json`: re-render a saved recommendation without re-running anything."""

from __future__ import annotations

from pathlib import Path

import typer

from fwadvisor.cli.output import emit
from fwadvisor.errors import UsageError
from fwadvisor.report.formats import FORMATS
from fwadvisor.report.saved import load_recommendation


def report(
    recommendation: Path = typer.Argument(
        ..., help="A recommendation saved with `recommend --format json`."
    ),
    fmt: str = typer.Option("text", "--format", "-f", help=f"Output format: {', '.join(FORMATS)}."),
    output: Path | None = typer.Option(
        None, "--output", "-o", help="Write to this file instead of stdout."
    ),
    force: bool = typer.Option(False, "--force", help="Overwrite an existing output file."),
) -> None:
    """Re-render a saved recommendation (JSON) as text, Markdown, HTML or JSON."""
    if fmt not in FORMATS:
        raise UsageError(f"unknown format {fmt!r}; choose one of: {', '.join(FORMATS)}")
    emit(load_recommendation(recommendation), fmt, output, force)


def register(app: typer.Typer) -> None:
    from fwadvisor.cli.app import ADVICE

    app.command("report", rich_help_panel=ADVICE)(report)
