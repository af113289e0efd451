"""The console that command results (tables, then lines) are printed on."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from fwadvisor.terminalconsole import SafeConsole

PIPED_WIDTH = 200

# Help panels: the commands and options grouped by what a user comes to do. They live here,
# not in app.py, so that the command modules app.py loads never import app.py back.
ADVICE, MEASURE, RULEBOOK = "Advice", "Measurements", "Rulebook and schemas"
INPUTS, OUTPUT, SCORING = "Inputs", "Output", "Scoring"
FLEET = "Fleet (Ray)"


def results_console() -> SafeConsole:
    """Standard output: the terminal's width, or wide enough for the tables when piped."""
    from fwadvisor.terminalconsole import SafeConsole

    out = SafeConsole(highlight=False)
    return out if out.is_terminal else SafeConsole(highlight=False, width=PIPED_WIDTH)
