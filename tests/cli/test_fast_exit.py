"""The console script ends with os._exit once the command's output is flushed: every exit code
comes through, and nothing printed is lost (the interpreter's own flush at exit is skipped)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from fwadvisor.cli import app as cli_app

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(
    ("raised", "status"), [(None, 0), (0, 0), (2, 2), (4, 4), ("a message", 1)]
)
def test_every_exit_code_reaches_os_exit(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], raised: object, status: int
) -> None:
    def command() -> None:
        print("report text")
        sys.exit(raised)  # type: ignore[arg-type]

    ended: list[int] = []
    monkeypatch.setattr(cli_app, "main", command)
    monkeypatch.setattr(cli_app.os, "_exit", ended.append)
    cli_app.run()
    out, err = capsys.readouterr()
    assert ended == [status]
    assert out == "report text\n"
    assert err == ("a message\n" if raised == "a message" else "")


def test_a_real_run_through_a_pipe_keeps_all_output_and_the_exit_code(tmp_path: Path) -> None:
    env = {"FWADVISOR_CACHE_DIR": str(tmp_path), "PATH": "/usr/bin:/bin"}
    ok = subprocess.run(
        [
            sys.executable,
            "-m",
            "fwadvisor",
            "recommend",
            "-a",
            "examples/default.yaml",
            "-f",
            "json",
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        check=False,
    )
    assert ok.returncode == 0, ok.stderr
    assert ok.stdout.rstrip().endswith("}") and '"verdict"' in ok.stdout
    bad = subprocess.run(
        [sys.executable, "-m", "fwadvisor", "recommend", "-a", str(tmp_path / "missing.yaml")],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        check=False,
    )
    assert bad.returncode == 2
    assert "missing.yaml" in bad.stderr and "Traceback" not in bad.stderr


def test_fwadvisor_no_fast_exit_ends_through_the_interpreter(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """For debuggers, coverage and atexit hooks: the same codes, through a normal SystemExit."""
    monkeypatch.setenv("FWADVISOR_NO_FAST_EXIT", "1")
    monkeypatch.setattr(cli_app, "main", lambda: sys.exit(4))
    monkeypatch.setattr(cli_app.os, "_exit", lambda code: pytest.fail("os._exit was called"))
    with pytest.raises(SystemExit) as info:
        cli_app.run()
    assert info.value.code == 4
