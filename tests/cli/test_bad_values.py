"""Bad values from every place answers come from (file, --set, environment, a prompt) are
exit 2 with one message naming where: non-finite numbers, undecodable bytes, `true` as a
schema version."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from fwadvisor.questionnaire.parse import Invalid, parse_answer
from fwadvisor.rulebook.loader import load_rulebook
from tests.cli_run import cli

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "default.yaml"
NON_FINITE = ["nan", "inf", "-inf", "NaN", "1e999"]


@pytest.mark.parametrize("text", NON_FINITE)
def test_non_finite_priority_by_set(capsys: pytest.CaptureFixture[str], text: str) -> None:
    code, _, err = cli(
        capsys, "recommend", "--answers", str(EXAMPLE), "--set", f"priority_team_fit={text}"
    )
    assert code == 2, err
    assert "--set" in err and "priority_team_fit" in err and "finite" in err


@pytest.mark.parametrize("text", [".nan", ".inf", "-.inf"])
def test_non_finite_priority_in_file(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, text: str
) -> None:
    f = tmp_path / "a.yaml"
    f.write_text(f"{EXAMPLE.read_text()}  priority_team_fit: {text}\n", encoding="utf-8")
    code, _, err = cli(capsys, "recommend", "--answers", str(f))
    assert code == 2, err
    line = len(f.read_text().splitlines())
    assert f"{f}:{line}: priority_team_fit: expected a finite number" in err


def test_non_finite_priority_from_environment(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FWADVISOR_ANSWER_PRIORITY_TEAM_FIT", "nan")
    code, _, err = cli(capsys, "recommend", "--answers", str(EXAMPLE))
    assert code == 2, err
    assert "FWADVISOR_ANSWER_" in err and "finite" in err


@pytest.mark.parametrize("text", NON_FINITE)
def test_non_finite_priority_at_the_prompt(text: str) -> None:
    question = load_rulebook().question_by_id["priority_team_fit"]
    assert isinstance(parse_answer(question, text), Invalid)


def test_undecodable_set_value_is_exit_2_in_a_real_process(tmp_path: Path) -> None:
    env = {**os.environ, "TMPDIR": str(tmp_path), "LC_ALL": "C.UTF-8"}
    argv = [sys.executable, "-m", "fwadvisor", "recommend", "--answers", str(EXAMPLE)]
    for extra in (b"project_name=\xff", b"priority_team_fit=\xff1"):
        proc = subprocess.run(
            [*argv, "--set", os.fsdecode(extra), "--format", "json"],
            capture_output=True,
            env=env,
            timeout=120,
        )
        err = proc.stderr.decode("utf-8", "replace")
        assert proc.returncode == 2, err
        assert "Traceback" not in err and "not valid UTF-8" in err
    assert not list(tmp_path.glob("fwadvisor-crash-*"))


def test_undecodable_environment_value_is_exit_2(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FWADVISOR_ANSWER_PROJECT_NAME", os.fsdecode(b"x\xff"))
    code, _, err = cli(capsys, "recommend", "--answers", str(EXAMPLE), "--format", "json")
    assert code == 2, err
    assert "FWADVISOR_ANSWER_" in err and "not valid UTF-8" in err


def test_schema_version_true_is_refused(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    f = tmp_path / "a.yaml"
    f.write_text(EXAMPLE.read_text().replace("schema_version: 1", "schema_version: true"))
    code, _, err = cli(capsys, "recommend", "--answers", str(f))
    assert code == 2, err
    assert f"{f}:" in err and "schema_version" in err


def _crash(*_: object, **__: object) -> None:
    raise RuntimeError("boom \udcff")


def test_crash_handler_logs_undecodable_command_lines(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("TMPDIR", str(tmp_path))
    monkeypatch.setattr("tempfile.tempdir", None)
    monkeypatch.setattr("fwadvisor.cli.recommend_cmd.load_answers", _crash)
    monkeypatch.setattr("sys.argv", ["fwadvisor", "recommend", os.fsdecode(b"\xff")])
    code, _, err = cli(capsys, "recommend", "--answers", str(EXAMPLE))
    assert code == 1 and err.count("internal error") == 1 and "Traceback" not in err
    (log,) = tmp_path.glob("fwadvisor-crash-*.log")
    text = log.read_text(encoding="utf-8")
    assert "recommend \\udcff" in text and "RuntimeError" in text


def test_crash_handler_survives_an_unwritable_temp_dir(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr("tempfile.tempdir", str(tmp_path / "missing"))
    monkeypatch.setattr("fwadvisor.cli.recommend_cmd.load_answers", _crash)
    code, _, err = cli(capsys, "recommend", "--answers", str(EXAMPLE))
    assert code == 1 and err.count("internal error") == 1, err
    assert "no crash log" in err


def _unknown_keys(tmp_path: Path, count: int) -> Path:
    f = tmp_path / f"keys{count}.yaml"
    body = "".join(f"  unknown_{i}: 1\n" for i in range(count))
    f.write_text(f"schema_version: 1\nanswers:\n{body}", encoding="utf-8")
    return f


def test_many_unknown_keys_take_linear_time_and_one_short_message(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    times = {}
    for count in (2_000, 20_000):
        f = _unknown_keys(tmp_path, count)
        start = time.perf_counter()
        code, _, err = cli(capsys, "recommend", "--answers", str(f))
        times[count] = time.perf_counter() - start
        assert code == 2
        assert f"{f}:3: unknown_0: unknown question id" in err
        assert f"... and {count - 50} more problems" in err and len(err.splitlines()) == 51
    assert times[20_000] < 10
    assert times[20_000] < 25 * max(times[2_000], 0.05)  # quadratic would be ~100x
