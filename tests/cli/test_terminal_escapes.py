"""Control and escape characters from data are shown escaped on the terminal: in the text
report, in error messages, in rule listings and in prompts; never raw."""

from __future__ import annotations

import io
import re
import shutil
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from fwadvisor.terminalconsole import SafeConsole
from fwadvisor.terminaltext import escape_controls
from tests.cli_run import cli

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "default.yaml"
MINI = Path(__file__).resolve().parents[1] / "fixtures" / "mini_rules"
HOSTILE = "\x1b]0;owned\x07\x1b[2J\x9b31m\u202eevil\r"
RAW = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def _answers(tmp_path: Path, extra: str) -> Path:
    f = tmp_path / "a.yaml"
    f.write_text(EXAMPLE.read_text(encoding="utf-8") + extra, encoding="utf-8")
    return f


def test_escape_controls() -> None:
    assert escape_controls(HOSTILE) == "\\x1b]0;owned\\x07\\x1b[2J\\x9b31m\\u202eevil\\x0d"
    assert escape_controls("tab\tand\nnewline, ümlaut, 中文") == "tab\tand\nnewline, ümlaut, 中文"
    assert escape_controls("bad byte \udcff") == "bad byte \\xff"


@given(st.text())
def test_escape_is_idempotent_and_leaves_nothing_raw(text: str) -> None:
    once = escape_controls(text)
    assert escape_controls(once) == once
    assert not RAW.search(once)


def test_console_keeps_its_own_styles_and_escapes_data() -> None:
    buf = io.StringIO()
    console = SafeConsole(
        file=buf, force_terminal=True, color_system="standard", width=80, highlight=False
    )
    console.print(f"[bold]name:[/bold] {HOSTILE}", markup=True)
    out = buf.getvalue()
    assert "\x1b[1m" in out  # rich's bold, not data
    assert "owned" in out and "\x1b]0;" not in out and "\x07" not in out and "\x9b" not in out
    assert "\\x1b]0;owned" in out  # (rich itself drops the bell)


def test_project_name_in_the_text_report(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    f = _answers(tmp_path, "")
    code, out, err = cli(capsys, "recommend", "--answers", str(f), "--set", f"project_name={HOSTILE}")
    assert code == 0, err
    assert "\\x1b]0;owned" in out and not RAW.search(out)


def test_project_name_in_markdown_on_stdout(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    f = tmp_path / "a.yaml"
    text = EXAMPLE.read_text(encoding="utf-8")
    f.write_text(
        text.replace("project_name: Quick start", 'project_name: "\\e]0;owned\\a\\e[2J"'),
        encoding="utf-8",
    )
    code, out, err = cli(capsys, "recommend", "--answers", str(f), "--format", "markdown")
    assert code == 0, err
    assert "\\x1b" in out and "owned" in out and not RAW.search(out)


def test_unknown_key_in_an_error_message(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    f = _answers(tmp_path, '  "bad\\e[2Jkey\\a": 1\n')
    code, _, err = cli(capsys, "recommend", "--answers", str(f))
    assert code == 2
    assert "bad\\x1b[2Jkey" in err and not RAW.search(err)


def test_unknown_set_key_in_an_error_message(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = cli(capsys, "recommend", "--answers", str(EXAMPLE), "--set", f"{HOSTILE}=1")
    assert code == 2 and "owned" in err and not RAW.search(err)


def test_rule_title_in_rules_list(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rules = tmp_path / "rules"
    shutil.copytree(MINI, rules)
    core = rules / "rules" / "core.yaml"
    text = core.read_text(encoding="utf-8")
    first_title = re.search(r"claim: (.*)", text)
    assert first_title
    core.write_text(
        text.replace(first_title.group(0), 'claim: "Evil \\e]0;owned\\a title"', 1), encoding="utf-8"
    )
    code, out, err = cli(capsys, "rules", "list", "--rules", str(rules))
    assert code == 0, err
    assert "owned" in out and not RAW.search(out)


def test_usage_error_echoes_escaped(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = cli(capsys, "recommend", f"--{HOSTILE}")
    assert code == 2
    assert not RAW.search(out + err)


def test_every_console_is_the_sanitising_one() -> None:
    """Output reaches the terminal only through SafeConsole: no module builds a plain one."""
    package = Path(__file__).resolve().parents[2] / "fwadvisor"
    plain = [
        f"{path.relative_to(package)}:{n}"
        for path in package.rglob("*.py")
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if re.search(r"(?<!Safe)Console\(", line) and "class SafeConsole" not in line
    ]
    assert plain == []
