"""Drive the real program in a pseudo-terminal."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pexpect

from tests.signalled import as_in_a_terminal

REPO = Path(__file__).resolve().parents[2]
TIMEOUT = 60  # generous: a cold start on a busy CI machine can take seconds
# A question's input line: a line of its own, two spaces, what to type, the default, ": ".
# The tests answer when it appears, so it must match nothing else the program writes: a key
# typed while the report is written is echoed by the terminal wherever the output has got
# to, which can be inside a character (a report line held "[rule-id]: weight ...").
PROMPT = r"\n  [^\r\n]*(\]|blank): "


def spawn(cwd: Path, *args: str, columns: int = 120) -> pexpect.spawn:
    env = {
        **{
            k: v
            for k, v in os.environ.items()
            # buffered as on a user's terminal, whatever the test runner's environment says
            if not k.startswith("FWADVISOR_") and k != "PYTHONUNBUFFERED"
        },
        "PYTHONPATH": str(REPO),
        "NO_COLOR": "1",
        "TERM": "dumb",
        "COLUMNS": str(columns),
        "LINES": "50",
    }
    return pexpect.spawn(
        sys.executable,
        ["-m", "fwadvisor", "questionnaire", *args],
        cwd=str(cwd),
        env=env,
        encoding="utf-8",
        timeout=TIMEOUT,
        dimensions=(50, columns),
        # Ctrl-C reaches it even when the tests run as a script's background job, which
        # leaves SIGINT ignored for everything it starts (every Ctrl-C test then waited out)
        preexec_fn=as_in_a_terminal,
    )


def finish(child: pexpect.spawn) -> int:
    child.expect(pexpect.EOF)
    child.close()
    status = child.exitstatus
    assert status is not None, f"killed by signal {child.signalstatus}"
    return int(status)


def interrupt(child: pexpect.spawn, then: str) -> None:
    """Ctrl-C, until `then` appears: a signal that lands just before the program blocks
    reading the terminal may wait for the next key, so a bounded retry keeps this robust."""
    for _ in range(5):
        child.sendintr()
        if child.expect_exact([then, pexpect.TIMEOUT], timeout=5) == 0:
            return
    raise AssertionError(f"Ctrl-C did not lead to {then!r}")
