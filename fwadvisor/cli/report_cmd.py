"""`fwadvisor report REC.json`: re-render a saved recommendation without re-running anything."""

from __future__ import annotations

from pathlib import Path

import typer

from fwadvisor.cli.output import emit, format_option
from fwadvisor.report.saved import load_recommendation


def report(
    recommendation: Path = typer.Argument(
        ..., help="A recommendation saved with `recommend --format json`."
    ),
    fmt: str | None = format_option(),
    output: Path | None = typer.Option(
        None, "--output", "-o", help="Write to this file instead of stdout."
    ),
    force: bool = typer.Option(False, "--force", help="Overwrite an existing output file."),
) -> None:
    """Re-render a saved recommendation (JSON) as text, Markdown, HTML or JSON."""
    emit(load_recommendation(recommendation), fmt, output, force)


def register(app: typer.Typer) -> None:
    from fwadvisor.cli.console import ADVICE

    app.command("report", rich_help_panel=ADVICE)(report)
