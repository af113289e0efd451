"""The console that command results (tables, then lines) are printed on."""

from __future__ import annotations

from rich.console import Console

from fwadvisor.terminaltext import SafeConsole

PIPED_WIDTH = 200

# Help panels: the commands and options grouped by what a user comes to do. They live here,
# not in app.py, so that the command modules app.py loads never import app.py back.
ADVICE, MEASURE, RULEBOOK = "Advice", "Measurements", "Rulebook and schemas"
INPUTS, OUTPUT, SCORING = "Inputs", "Output", "Scoring"
FLEET = "Fleet (Ray)"


def results_console() -> Console:
    """Standard output: the terminal's width, or wide enough for the tables when piped."""
    out = SafeConsole(highlight=False)
    return out if out.is_terminal else SafeConsole(highlight=False, width=PIPED_WIDTH)
