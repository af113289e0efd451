"""Print or write a rendered recommendation."""

from __future__ import annotations

from pathlib import Path

from rich.console import Console

from fwadvisor.fileio import write_atomic
from fwadvisor.models import Recommendation
from fwadvisor.report import text_report
from fwadvisor.report.formats import render

console = Console(highlight=False)


def emit(rec: Recommendation, fmt: str, output: Path | None, force: bool) -> None:
    if output is not None:
        write_atomic(output, render(rec, fmt), force=force, what="report")
        Console(stderr=True, highlight=False).print(f"wrote {fmt} report to {output}", markup=False)
    elif fmt == "text":
        console.print(text_report.renderables(rec))
    else:
        print(render(rec, fmt), end="")
