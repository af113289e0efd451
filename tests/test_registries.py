"""Explicit registries stay complete: every command module is registered."""

from __future__ import annotations

from pathlib import Path

from fwadvisor.cli.app import COMMAND_MODULES

CLI_DIR = Path(__file__).resolve().parent.parent / "fwadvisor" / "cli"


def test_every_command_module_is_registered() -> None:
    modules = {f"fwadvisor.cli.{p.stem}" for p in CLI_DIR.glob("*_cmd.py")}
    assert modules == set(COMMAND_MODULES)
