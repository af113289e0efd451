"""Interrupts end every command with a message and the signal's exit code, never a traceback
and never a silent 130 (typer turns a KeyboardInterrupt into a bare exit code)."""

from __future__ import annotations

import signal
import sys
import types
from pathlib import Path

import pytest

from fwadvisor.cli import entry, recommend_cmd, signals
from fwadvisor.cli.app import main

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(
    ("raised", "code", "said"),
    [
        (KeyboardInterrupt(), 130, "interrupted"),
        (signals.Terminated(signal.SIGTERM), 143, "terminated (SIGTERM)"),
        (signals.Terminated(signal.SIGHUP), 129, "terminated (SIGHUP)"),
    ],
)
def test_recommend_interrupted_says_so_and_exits_with_the_signals_code(
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    raised: BaseException,
    code: int,
    said: str,
) -> None:
    def advise(*args: object, **kwargs: object) -> None:
        raise raised

    monkeypatch.setattr(recommend_cmd, "advise", advise)
    with pytest.raises(SystemExit) as info:
        main(["recommend", "--answers", str(ROOT / "examples" / "default.yaml")])
    err = capsys.readouterr().err
    assert info.value.code == code
    assert said in err and "Traceback" not in err


def test_an_interrupt_while_the_app_loads_is_said_too(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    class Loading(types.ModuleType):
        def __getattr__(self, name: str) -> object:
            raise KeyboardInterrupt

    monkeypatch.setitem(sys.modules, "fwadvisor.cli.app", Loading("fwadvisor.cli.app"))
    monkeypatch.setattr(signals, "install", lambda: None)
    ended: list[int] = []
    monkeypatch.setattr(entry.os, "_exit", ended.append)
    entry.run()
    assert ended == [130]
    assert capsys.readouterr().err == "interrupted\n"


def test_sigterm_and_sighup_raise_terminated_once(monkeypatch: pytest.MonkeyPatch) -> None:
    saved = {sig: signal.getsignal(sig) for sig in signals.HANDLED}
    try:
        for sig in signals.HANDLED:
            monkeypatch.setattr(signals, "_received", [])
            for other in signals.HANDLED:  # as in a terminal (not under nohup)
                signal.signal(other, signal.SIG_DFL)
            signals.install()
            with pytest.raises(signals.Terminated) as info:
                signal.raise_signal(sig)
            assert info.value.signum == sig and signals.received() == sig
            assert signal.getsignal(sig) is signal.SIG_IGN  # the cleanup is not cut short
    finally:  # every disposition as it was: child processes of this one inherit them
        for sig, handler in saved.items():
            signal.signal(sig, handler)
