"""The CLI raises the collector's threshold while a command runs and restores it after."""

from __future__ import annotations

import gc

import pytest

from fwadvisor.cli import app as cli_app
from tests.cli_run import cli


def test_threshold_is_raised_during_a_command_and_restored_after(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[tuple[int, ...]] = []

    def spy(exc: object) -> None:
        seen.append(gc.get_threshold())

    before = gc.get_threshold()
    monkeypatch.setattr(cli_app, "report_user_error", spy)
    code, _, _ = cli(capsys, "recommend", "--answers", "no-such-file.yaml")
    assert code == 2
    assert seen == [cli_app.GC_THRESHOLD]
    assert gc.get_threshold() == before != cli_app.GC_THRESHOLD
