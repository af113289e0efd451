"""Explicit registries stay complete: every command module is registered."""

from __future__ import annotations

from pathlib import Path

from fwadvisor.cli.app import COMMAND_MODULES

CLI_DIR = Path(__file__).resolve().parent.parent / "fwadvisor" / "cli"


def test_every_command_module_is_registered() -> None:
    modules = {f"fwadvisor.cli.{p.stem}" for p in CLI_DIR.glob("*_cmd.py")}
    assert modules == set(COMMAND_MODULES)


def test_recommend_imports_only_what_it_needs() -> None:
    """Start-up cost: the recommend command must not import other commands' machinery."""
    import subprocess
    import sys

    code = (
        "import sys\n"
        "from fwadvisor.cli.app import load_commands\n"
        "load_commands(['recommend', '--help'])\n"
        "heavy = [m for m in sys.modules if m.split('.')[0] in ('torch', 'tensorflow', 'numpy', 'matplotlib', 'jinja2')\n"
        "         or m.startswith(('fwadvisor.probe', 'fwadvisor.questionnaire'))]\n"
        "print(heavy)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_help_lists_every_command() -> None:
    import subprocess
    import sys

    from fwadvisor.cli.app import COMMANDS

    out = subprocess.run([sys.executable, "-m", "fwadvisor", "--help"], capture_output=True, text=True, check=True).stdout
    for name in COMMANDS:
        assert name in out
