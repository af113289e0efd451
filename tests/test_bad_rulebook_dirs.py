"""Rulebook folders that exist but cannot be read are errors, not an empty rulebook part;
far-future `as_of` dates render."""

from __future__ import annotations

import datetime as dt
import os
import shutil
from pathlib import Path

import pytest

from fwadvisor.report.adr import add_months
from tests.cli_run import cli

MINI = Path(__file__).resolve().parent / "fixtures" / "mini_rules"
EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "default.yaml"


def test_unreadable_tests_folder_is_exit_2_not_zero_passed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    rules = tmp_path / "rules"
    shutil.copytree(MINI, rules)
    real_scandir = os.scandir

    def scandir(path: object) -> object:  # what an unreadable folder does for a non-root user
        if Path(str(path)) == rules / "tests":
            raise PermissionError(13, "Permission denied", str(path))
        return real_scandir(path)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "scandir", scandir)
    code, out, err = cli(capsys, "rules", "test", "--rules", str(rules))
    assert code == 2, out + err
    assert "passed" not in out and f"{rules / 'tests'}: cannot be listed" in err


def test_tests_folder_that_is_a_file_is_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rules = tmp_path / "rules"
    shutil.copytree(MINI, rules)
    shutil.rmtree(rules / "tests")
    (rules / "tests").write_text("x")
    code, out, err = cli(capsys, "rules", "test", "--rules", str(rules))
    assert code == 2 and "not a directory" in err, out + err


def test_far_future_dates_do_not_overflow() -> None:
    assert add_months(dt.date(9999, 12, 31), 12) == dt.date.max
    assert add_months(dt.date(2026, 1, 31), 1) == dt.date(2026, 2, 28)


@pytest.mark.parametrize("fmt", ["markdown", "html", "text"])
def test_as_of_9999_renders_every_format(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], fmt: str
) -> None:
    rules = tmp_path / "rules"
    shutil.copytree(MINI, rules)
    for f in rules.rglob("*.yaml"):
        text = f.read_text(encoding="utf-8")
        lines = [
            line.split("as_of:")[0] + "as_of: 9999-12-31" if "as_of:" in line else line
            for line in text.splitlines()
        ]
        f.write_text("\n".join(lines) + "\n", encoding="utf-8")
    answers = tmp_path / "a.yaml"
    answers.write_text(
        "schema_version: 1\nanswers:\n  primary_goal: research\n  team_size: 3\n", encoding="utf-8"
    )
    code, out, err = cli(
        capsys, "recommend", "--rules", str(rules), "--answers", str(answers), "--format", fmt
    )
    assert code == 0, err
    assert out
