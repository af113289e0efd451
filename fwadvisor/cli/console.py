"""The console that command results (tables, then lines) are printed on."""

from __future__ import annotations

from rich.console import Console

PIPED_WIDTH = 200


def results_console() -> Console:
    """Standard output: the terminal's width, or wide enough for the tables when piped."""
    out = Console(highlight=False)
    return out if out.is_terminal else Console(highlight=False, width=PIPED_WIDTH)
