"""Bad input through the real command line: exit 2, one clear message, never a traceback."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from fwadvisor.errors import ExitCode
from tests.cli_run import cli

MINI = Path(__file__).resolve().parents[1] / "fixtures" / "mini_rules"


def answers(tmp_path: Path, body: str, name: str = "a.yaml") -> str:
    f = tmp_path / name
    f.write_text(body)
    return str(f)


@pytest.mark.parametrize(
    ("body", "needle"),
    [
        ("", "answers file is empty"),
        ("schema_version: 1\nanswers: {primary_goal: [\n", "not valid YAML"),
        ("just a string", "must be a mapping"),
        ("schema_version: 1\nanswers:\n  primry_goal: research\n", ":3: primry_goal: unknown question id (did you mean 'primary_goal'?)"),
        ("schema_version: 1\nanswers:\n  primary_goal: science\n", ":3: primary_goal: 'science' is not a choice"),
        ("schema_version: 1\nanswers:\n  primary_goal: research\n  team_size: lots\n", ":4: team_size: expected a number"),
        ("schema_version: 1\nanswers: {}\n", "primary_goal: required question has no answer"),
        ("schema_version: 7\nanswers: {}\n", "schema_version"),
        ("\x00\x01", "not valid YAML"),
    ],
)
def test_bad_answers_exit_2(capsys: pytest.CaptureFixture[str], tmp_path: Path, body: str, needle: str) -> None:
    code, out, err = cli(capsys, "recommend", "--rules", str(MINI), "--answers", answers(tmp_path, body))
    assert code == 2, err
    assert needle in err
    assert "Traceback" not in err + out
    assert err.startswith("error: ")


def test_missing_answers_file(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, _, err = cli(capsys, "recommend", "--rules", str(MINI), "--answers", str(tmp_path / "none.yaml"))
    assert code == 2 and "none.yaml: answers file not found" in err


def test_bad_set_and_format(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = cli(capsys, "recommend", "--rules", str(MINI), "--set", "primary_goal")
    assert code == 2 and "expected id=value" in err
    code, _, err = cli(capsys, "recommend", "--rules", str(MINI), "--set", "primary_goal=research", "--format", "pdf")
    assert code == 2 and "unknown format 'pdf'" in err


def test_broken_rules_directory(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    rules = tmp_path / "rules"
    shutil.copytree(MINI, rules)
    core = rules / "rules" / "core.yaml"
    core.write_text(core.read_text().replace("op: in, value: [research, both]", "op: in, value: [reserch]"))
    code, _, err = cli(capsys, "recommend", "--rules", str(rules), "--set", "primary_goal=research")
    assert code == 2 and "core.yaml:6" in err and "did you mean 'research'" in err
    code, _, err = cli(capsys, "rules", "validate", "--rules", str(rules))
    assert code == 2 and "core.yaml:6" in err


def test_output_is_written_atomically_and_not_clobbered(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    out = tmp_path / "rec.json"
    args = ["recommend", "--rules", str(MINI), "--set", "primary_goal=research", "--format", "json", "--output", str(out)]
    assert cli(capsys, *args)[0] == 0
    first = out.read_text()
    code, _, err = cli(capsys, *args)
    assert code == 2 and "already exists" in err and out.read_text() == first
    assert cli(capsys, *args, "--force")[0] == 0
    assert [p.name for p in tmp_path.iterdir()] == ["rec.json"]  # no temp files left behind


def test_rules_commands(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = cli(capsys, "rules", "list", "--rules", str(MINI))
    assert code == 0 and "research-eager" in out
    code, out, _ = cli(capsys, "rules", "show", "tf-serving-estate", "--rules", str(MINI))
    assert code == 0 and "rationale:" in out and "https://" in out
    code, out, _ = cli(capsys, "rules", "show", "questions", "--rules", str(MINI))
    assert code == 0 and "primary_goal" in out
    code, _, err = cli(capsys, "rules", "show", "research-eagre", "--rules", str(MINI))
    assert code == 2 and "did you mean 'research-eager'" in err
    code, out, _ = cli(capsys, "rules", "test", "--rules", str(MINI))
    assert code == 0 and "5 passed, 0 failed" in out


def test_failing_rule_scenario_exits_4(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    rules = tmp_path / "rules"
    shutil.copytree(MINI, rules)
    cases = rules / "tests" / "cases.yaml"
    cases.write_text(cases.read_text().replace("winner: tensorflow", "winner: pytorch"))
    code, out, _ = cli(capsys, "rules", "test", "--rules", str(rules))
    assert code == 4 and "FAIL scenario: TF estate" in out and "4 passed, 1 failed" in out


@pytest.mark.parametrize("kind", ["answers", "recommendation", "rules"])
def test_schemas_are_json(capsys: pytest.CaptureFixture[str], kind: str) -> None:
    import json

    code, out, _ = cli(capsys, "schema", kind)
    assert code == 0 and "properties" in json.loads(out)


def test_unknown_schema(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = cli(capsys, "schema", "nope")
    assert code == 2 and "choose one of" in err


def test_usage_error_is_exit_2_without_traceback() -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "fwadvisor", "recommend", "--samples", "abc"],
        capture_output=True, text=True, check=False,
    )
    assert proc.returncode == 2 and "Traceback" not in proc.stderr


def test_cli_process_never_imports_a_framework(tmp_path: Path) -> None:
    code = (
        "import sys\n"
        "from fwadvisor.cli.app import main\n"
        "try:\n"
        f"    main(['recommend', '--rules', {str(MINI)!r}, '--set', 'primary_goal=research', '--format', 'json'])\n"
        "except SystemExit as e:\n"
        "    assert e.code == 0, e.code\n"
        "bad = [m for m in ('torch', 'tensorflow', 'jax', 'numpy') if m in sys.modules]\n"
        "assert not bad, bad\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert proc.returncode == 0, proc.stderr


def test_new_output_files_get_normal_permissions(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    import os

    out = tmp_path / "rec.json"  # the extension matches --format json (a mismatch is refused)
    umask = os.umask(0o022)
    try:
        code, _, _ = cli(capsys, "recommend", "--rules", str(MINI), "--set", "primary_goal=research", "--format", "json", "--output", str(out))
    finally:
        os.umask(umask)
    assert code == 0 and (out.stat().st_mode & 0o777) == 0o644


def test_failing_rule_tests_have_their_own_exit_code(
    capsys: pytest.CaptureFixture[str], mini_copy: Path
) -> None:
    cases = mini_copy / "tests" / "cases.yaml"
    cases.write_text(cases.read_text().replace("fires: [research-eager]", "fires: [gpu-probe]", 1))
    code, out, _ = cli(capsys, "rules", "test", "--rules", str(mini_copy))
    assert code == ExitCode.RULE_TESTS_FAILED == 4
    assert "FAIL case: research team" in out and "expected gpu-probe to fire" in out
    code, _, _ = cli(capsys, "rules", "test", "--rules", str(MINI))
    assert code == 0
