"""The console that command results (tables, then lines) are printed on."""

from __future__ import annotations

from rich.console import Console

from fwadvisor.terminaltext import SafeConsole

PIPED_WIDTH = 200


def results_console() -> Console:
    """Standard output: the terminal's width, or wide enough for the tables when piped."""
    out = SafeConsole(highlight=False)
    return out if out.is_terminal else SafeConsole(highlight=False, width=PIPED_WIDTH)
