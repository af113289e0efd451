"""The console script (`fwadvisor`, `python -m fwadvisor`): signals first, then the app.

Importing the app (typer, rich) takes a noticeable moment; a signal in that moment ends the
command with the same message and exit code as one arriving later, never a traceback.
"""

from __future__ import annotations

import os

from fwadvisor.cli import signals


def run() -> None:
    signals.install()
    try:
        from fwadvisor.cli.app import run as run_app
    except KeyboardInterrupt as exc:
        signum = signals.stopped_by(exc) or 2
        signals.say(signals.message(signum))
        os._exit(signals.exit_code(signum))
        return
    run_app()
