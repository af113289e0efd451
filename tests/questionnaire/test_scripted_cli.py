"""`fwadvisor questionnaire` without a terminal: answers from file, environment and --set."""

from __future__ import annotations

from pathlib import Path

import pytest

from fwadvisor.answers import read_answers_file
from fwadvisor.cli.app import main
from tests.cli_run import cli as run_cli
from tests.questionnaire.rules_dir import QUESTIONNAIRE_RULES

MINI = Path(__file__).resolve().parents[1] / "fixtures" / "mini_rules"
RULES = str(QUESTIONNAIRE_RULES)


def cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    """(exit code, stdout, stderr) of `fwadvisor questionnaire ARGS`."""
    return run_cli(capsys, "questionnaire", *args)


@pytest.fixture(autouse=True)
def _in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)


def test_no_tty_means_non_interactive_with_defaults(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = cli(capsys, "--rules", RULES)
    assert code == 0, err
    assert "Weighted scores per criterion" in out
    assert not Path("fwadvisor-answers.yaml").exists()  # scripted runs save only with --save


def test_every_problem_is_listed_at_once(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    answers = tmp_path / "a.yaml"
    answers.write_text("schema_version: 1\nanswers:\n  team_size: lots\n")
    monkeypatch.setenv("FWADVISOR_ANSWER_DEPLOYMENT_TARGETS", "cloud_gpu,moon")
    code, out, err = cli(
        capsys,
        "--non-interactive",
        "--rules",
        str(MINI),
        "--answers",
        str(answers),
        "--set",
        "existing_tf=perhaps",
    )
    assert code == 2
    assert "primary_goal: required question has no answer" in err
    assert "a.yaml:3: team_size: expected a number" in err
    assert "deployment_targets: 'moon' is not a choice" in err
    assert "Traceback" not in err + out


def test_set_env_and_save_round_trip(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FWADVISOR_ANSWER_TEAM_SIZE", "12")
    code, _, err = cli(
        capsys,
        "--non-interactive",
        "--rules",
        RULES,
        "--set",
        "primary_goal=production",
        "--set",
        "existing_tf=yes",
        "--save",
        "out.yaml",
    )
    assert code == 0, err
    assert "Saved answers to out.yaml" in err
    saved = {k: g.value for k, g in read_answers_file(Path("out.yaml")).items()}
    assert saved["primary_goal"] == "production"
    assert saved["existing_tf"] is True and saved["team_size"] == 12
    assert saved["priority_mobile_edge"] == 1  # defaults are written too
    # the saved file is what recommend reads
    with pytest.raises(SystemExit) as info:
        main(["recommend", "--rules", RULES, "--answers", "out.yaml"])
    assert info.value.code == 0


def test_save_refuses_to_overwrite_another_file(capsys: pytest.CaptureFixture[str]) -> None:
    Path("out.yaml").write_text("precious\n")
    code, _, err = cli(capsys, "--non-interactive", "--rules", RULES, "--save", "out.yaml")
    assert code == 2 and "already exists" in err
    assert Path("out.yaml").read_text() == "precious\n"
    code, _, err = cli(
        capsys, "--non-interactive", "--rules", RULES, "--save", "out.yaml", "--force"
    )
    assert code == 0, err


def test_answers_file_may_be_saved_back_to(capsys: pytest.CaptureFixture[str]) -> None:
    Path("a.yaml").write_text("schema_version: 1\nanswers: {primary_goal: research}\n")
    code, _, err = cli(
        capsys, "--non-interactive", "--rules", RULES, "--answers", "a.yaml", "--save", "a.yaml"
    )
    assert code == 0, err
    assert "# fwadvisor answers (complete)" in Path("a.yaml").read_text()
