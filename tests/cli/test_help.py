"""typer's own conventions: shell completion and rich help panels."""

from __future__ import annotations

import pytest

from tests.cli_run import cli


def test_root_help_offers_completion_and_groups_commands(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, _ = cli(capsys, "--help")
    assert code == 0
    assert "--install-completion" in out and "--show-completion" in out
    for panel in ("Advice", "Measurements", "Rulebook and schemas"):
        assert panel in out


def test_recommend_help_groups_options(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = cli(capsys, "recommend", "--help")
    assert code == 0
    for panel in ("Inputs", "Output", "Scoring"):
        assert f"─ {panel} ─" in out
