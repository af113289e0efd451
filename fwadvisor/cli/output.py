"""Print or write a rendered recommendation; the format follows the output file's name."""

from __future__ import annotations

from pathlib import Path

import typer

from fwadvisor.cli.completion import formats
from fwadvisor.cli.console import stderr_console
from fwadvisor.errors import UsageError
from fwadvisor.fileio import write_atomic
from fwadvisor.models import Recommendation
from fwadvisor.report.formats import FORMATS, SUFFIX, render
from fwadvisor.terminaltext import escape_controls

FORMAT_BY_SUFFIX: dict[str, str] = {
    **{suffix: fmt for fmt, suffix in SUFFIX.items()},
    ".text": "text",
    ".markdown": "markdown",
    ".htm": "html",
}


def format_option(panel: str | None = None) -> str | None:
    """`--format`: left out, the output file's extension picks it (text on stdout)."""
    return typer.Option(  # type: ignore[no-any-return]
        None,
        "--format",
        "-f",
        help=f"Output format: {', '.join(FORMATS)}; default: from the --output file's "
        "extension (.txt, .json, .md, .html), else text.",
        autocompletion=formats,
        rich_help_panel=panel,
    )


def resolve_format(fmt: str | None, output: Path | None) -> str:
    """The format to write: the one named, else the one the file name implies, else text.
    A format that contradicts the file's extension is refused (x.html holding plain text)."""
    if fmt is not None and fmt not in FORMATS:
        raise UsageError.at(
            f"unknown format {fmt!r}; choose one of: {', '.join(FORMATS)}", field="--format"
        )
    implied = FORMAT_BY_SUFFIX.get(output.suffix.lower()) if output is not None else None
    if fmt is None:
        return implied or "text"
    if implied is not None and implied != fmt:
        raise UsageError.at(
            f"--output {output} names a {implied} file but --format is {fmt}",
            field="--format",
            hint=f"drop --format to write {implied}, or name the file *{SUFFIX[fmt]}",
        )
    return fmt


def emit(rec: Recommendation, fmt: str | None, output: Path | None, force: bool) -> None:
    fmt = resolve_format(fmt, output)
    if output is not None:
        write_atomic(output, render(rec, fmt), force=force, what="report")
        stderr_console().print(f"wrote {fmt} report to {output}", markup=False)
    elif fmt == "text":
        from fwadvisor.report import text_report  # its tables are not loaded for other formats
        from fwadvisor.terminalconsole import SafeConsole

        SafeConsole(highlight=False).print(text_report.renderables(rec))
    else:
        text = render(rec, fmt)  # JSON escapes control characters itself; documents do not
        # flushed: on a pipe shared with stderr (2>&1) a line said after it comes after it
        print(text if fmt == "json" else escape_controls(text), end="", flush=True)
