"""Print or write a rendered recommendation."""

from __future__ import annotations

from pathlib import Path

from fwadvisor.fileio import write_atomic
from fwadvisor.models import Recommendation
from fwadvisor.report import text_report
from fwadvisor.report.formats import render
from fwadvisor.terminaltext import SafeConsole, escape_controls

console = SafeConsole(highlight=False)


def emit(rec: Recommendation, fmt: str, output: Path | None, force: bool) -> None:
    if output is not None:
        write_atomic(output, render(rec, fmt), force=force, what="report")
        SafeConsole(stderr=True, highlight=False).print(f"wrote {fmt} report to {output}", markup=False)
    elif fmt == "text":
        console.print(text_report.renderables(rec))
    else:
        text = render(rec, fmt)  # JSON escapes control characters itself; documents do not
        print(text if fmt == "json" else escape_controls(text), end="")
