"""Run the real CLI entry point in-process (its one error handler included) and capture it."""

from __future__ import annotations

import pytest

from fwadvisor.cli.app import main


def cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    """(exit code, stdout, stderr) of `fwadvisor ARGS`."""
    with pytest.raises(SystemExit) as info:
        main(list(args))
    out, err = capsys.readouterr()
    code = info.value.code
    return (code if isinstance(code, int) else 1), out, err
