"""The console that command results (tables, then lines) are printed on."""

from __future__ import annotations

import functools
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


@functools.cache
def stderr_console(*, soft_wrap: bool = False) -> SafeConsole:
    """Standard error, made when first needed: rich's console is not imported by a command
    that prints no table (docs/notes/startup.md)."""
    from fwadvisor.terminalconsole import SafeConsole

    return SafeConsole(stderr=True, highlight=False, soft_wrap=soft_wrap)
