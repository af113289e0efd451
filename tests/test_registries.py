"""Explicit registries stay complete: every command module is registered."""

from __future__ import annotations

from pathlib import Path

import fwadvisor
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


def test_a_json_recommendation_never_imports_richs_console() -> None:
    """Start-up: `recommend --format json` prints no table, so it must not pay for
    rich.console (about 30-40 ms; docs/notes/startup.md)."""
    import subprocess
    import sys

    example = Path(__file__).resolve().parent.parent / "examples" / "default.yaml"
    code = (
        "import sys\n"
        "from fwadvisor.cli.app import main\n"
        "try:\n"
        f"    main(['recommend', '-a', {str(example)!r}, '--format', 'json'])\n"
        "except SystemExit as exc:\n"
        "    assert exc.code == 0, exc.code\n"
        "print('rich.console' in sys.modules, file=sys.stderr)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.startswith("{")  # the recommendation, as JSON
    assert out.stderr.strip().splitlines()[-1] == "False"


def test_version_loads_no_command() -> None:
    """`fwadvisor --version` is answered by an eager option: it used to register every
    command first (about 0.5 s of imports)."""
    import subprocess
    import sys

    code = (
        "import sys\n"
        "from fwadvisor.cli.app import _loaded, app, load_commands\n"
        "load_commands(['--version'])\n"
        "print(sorted(_loaded))\n"
        "app(args=['--version'], standalone_mode=False)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.splitlines() == ["[]", f"fwadvisor {fwadvisor.__version__}"]


def test_help_lists_every_command() -> None:
    import subprocess
    import sys

    from fwadvisor.cli.app import COMMANDS

    out = subprocess.run([sys.executable, "-m", "fwadvisor", "--help"], capture_output=True, text=True, check=True).stdout
    for name in COMMANDS:
        assert name in out


def test_command_modules_never_import_the_app_back() -> None:
    """app.py loads every *_cmd module through importlib; those modules used to import app.py
    back for the help-panel names, a cycle import-linter cannot see. The names live in
    cli/console.py; only the entry point imports app.py."""
    import ast

    cli = Path(__file__).resolve().parents[1] / "fwadvisor" / "cli"
    offenders = []
    for path in sorted(cli.glob("*.py")):
        if path.name in ("app.py", "entry.py"):
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module == "fwadvisor.cli.app":
                offenders.append(path.name)
            if isinstance(node, ast.ImportFrom) and node.module == "fwadvisor.cli":
                offenders += [path.name for a in node.names if a.name == "app"]
    assert offenders == []
