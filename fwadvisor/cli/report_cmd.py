"""`fwadvisor report REC.json`: re-render a saved recommendation without re-running anything."""

from __future__ import annotations

import json
from pathlib import Path

import typer
from pydantic import ValidationError

from fwadvisor.cli.output import emit
from fwadvisor.errors import InputFileError, ReportError, UsageError
from fwadvisor.models import Recommendation
from fwadvisor.report.formats import FORMATS
from fwadvisor.validation import problems_from
from fwadvisor.yamlio import Document, read_text


def load_recommendation(path: Path) -> Recommendation:
    """Read and validate a recommendation JSON; each problem names file, line and field."""
    text = read_text(path, "recommendation")
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputFileError.at(f"not valid JSON: {exc.msg}", path, exc.lineno) from None
    if not isinstance(data, dict):
        raise ReportError.at(
            f"a recommendation must be a JSON object, not {type(data).__name__}", path, 1
        )
    try:
        return Recommendation.model_validate(data)
    except ValidationError as exc:
        raise ReportError(
            problems=problems_from(exc, Document(data, str(path), text)),
            hint="report reads the output of `fwadvisor recommend --format json`",
        ) from None


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
