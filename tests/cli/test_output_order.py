"""A report on stdout is out before the next line on stderr: with both streams on one pipe
(`2>&1`, a CI log), a status line written after the report comes after it, never before or
inside it, and the stream is whole UTF-8, whatever the report's size."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from fwadvisor.errors import ExitCode
from tests.cli_run import cli

ROOT = Path(__file__).resolve().parents[2]
SMALL_RULES = ROOT / "tests" / "questionnaire" / "rules"  # its reports fit Python's 8 KiB buffer
STAMP = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d")  # when it was generated


def _unstamped(text: str) -> str:
    return STAMP.sub("<generated>", text)


def _on_one_pipe(cwd: Path, *args: str) -> tuple[int, str]:
    """Exit code and what stdout and stderr wrote, together, through one pipe; the stream
    buffered as a user's is (no PYTHONUNBUFFERED) and decoded strictly."""
    env = {
        k: v
        for k, v in os.environ.items()
        if k != "PYTHONUNBUFFERED" and not k.startswith("FWADVISOR_")
    }
    env["PYTHONPATH"] = str(ROOT)
    done = subprocess.run(
        [sys.executable, "-m", "fwadvisor", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        cwd=cwd,
        env=env,
        timeout=120,
        check=False,
    )
    return done.returncode, done.stdout.decode("utf-8")


@pytest.mark.parametrize("fmt", ["text", "markdown", "json", "html"])
def test_expect_says_the_verdict_differs_after_the_report(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, fmt: str
) -> None:
    args = ("recommend", "--rules", str(SMALL_RULES), "--samples", "20", "--format", fmt)
    args += ("--expect", "tensorflow")
    code, report, status = cli(capsys, *args)
    assert code == ExitCode.VERDICT_DIFFERS and report, status
    before, at, after = status.partition("expected TensorFlow, but the verdict is")
    assert before.startswith("No answers were given") and at

    together_code, together = _on_one_pipe(tmp_path, *args)

    assert together_code == ExitCode.VERDICT_DIFFERS
    assert _unstamped(together) == _unstamped(before + report + at + after)
