"""Command-line conventions: -o picks the format from the extension (or refuses a mismatch),
`report` names probe and paths-check files, no answers at all is said on stderr, partial
probe files are noted, `--expect` exits 6 when the verdict differs, `compare A B`, value
completion, `paths check --format`."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest

from fwadvisor.cli import completion
from fwadvisor.errors import ExitCode
from tests.cli_run import cli

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"
FAST = ("--samples", "50")


@pytest.mark.parametrize(
    ("name", "marker"),
    [
        ("x.html", "<!DOCTYPE html>"),
        ("x.md", "# Framework decision"),
        ("x.json", '"schema_version": 1'),
        ("x.txt", "Verdict: "),
    ],
)
def test_output_extension_picks_the_format(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, name: str, marker: str
) -> None:
    out = tmp_path / name
    code, _, err = cli(
        capsys, "recommend", "--answers", str(EXAMPLES / "default.yaml"), *FAST, "-o", str(out)
    )
    assert code == 0, err
    assert out.read_text(encoding="utf-8").lstrip().startswith(marker) or marker in out.read_text()


def test_a_format_that_contradicts_the_extension_is_refused(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    out = tmp_path / "x.html"
    code, _, err = cli(
        capsys, "recommend", *FAST, "--answers", str(EXAMPLES / "default.yaml"),
        "--format", "text", "-o", str(out),
    )  # fmt: skip
    assert code == ExitCode.BAD_INPUT and "names a html file but --format is text" in err
    assert not out.exists()


def test_report_names_a_probe_file(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    probe = tmp_path / "probe.json"
    probe.write_text(
        json.dumps({"schema_version": 1, "complete": True, "fingerprint": {}, "settings": {},
                    "measurements": []})
    )  # fmt: skip
    code, _, err = cli(capsys, "report", str(probe))
    assert code == ExitCode.BAD_INPUT
    assert "this is a probe file" in err and "recommend --probe" in err
    assert err.count("\n") < 6  # one message, not a list of schema errors


def test_report_names_a_paths_check_file(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    f = tmp_path / "paths.json"
    f.write_text(json.dumps({"schema_version": 1, "fingerprint": {}, "results": []}))
    code, _, err = cli(capsys, "report", str(f))
    assert code == ExitCode.BAD_INPUT and "this is a paths-check file" in err
    assert "recommend --paths-check" in err


def test_no_answers_at_all_is_said(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = cli(capsys, "recommend", *FAST, "--format", "json")
    assert code == 0
    assert "No answers were given" in err
    assert any("No answers were given" in n for n in json.loads(out)["notes"])


def test_answers_given_are_not_flagged(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = cli(capsys, "recommend", *FAST, "--set", "primary_goal=research", "-f", "json")
    assert code == 0 and "No answers were given" not in err


def test_expect_passes_and_fails_with_its_own_code(capsys: pytest.CaptureFixture[str]) -> None:
    answers = str(EXAMPLES / "tf_enterprise.yaml")
    code, _, _ = cli(
        capsys, "recommend", *FAST, "-a", answers, "-f", "json", "--expect", "tensorflow"
    )
    assert code == 0
    code, _, err = cli(
        capsys, "recommend", *FAST, "-a", answers, "-f", "json", "--expect", "PyTorch"
    )
    assert code == ExitCode.VERDICT_DIFFERS == 6
    assert "expected PyTorch, but the verdict is: Recommended: TensorFlow (clear)" in err
    code, _, err = cli(capsys, "recommend", *FAST, "-a", answers, "--expect", "mxnet")
    assert code == ExitCode.BAD_INPUT and "--expect 'mxnet' is not a candidate" in err


def test_expect_is_in_the_readme_exit_codes() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "| 6 |" in readme and "--expect" in readme


def test_compare_names_the_answers_and_facts_that_differ(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    saved = tmp_path / "b.json"
    code, _, _ = cli(
        capsys, "recommend", *FAST, "-a", str(EXAMPLES / "tf_team_llm_pivot.yaml"), "-o", str(saved)
    )
    assert code == 0
    code, out, err = cli(capsys, "compare", str(EXAMPLES / "tf_enterprise.yaml"), str(saved), *FAST)
    assert code == 0, err
    flat = " ".join(out.replace("│", " ").split())
    assert "Answers that differ" in flat and "uses_huggingface" in flat
    assert "Facts that make the difference" in flat
    assert "Hugging Face Transformers (since v5) and Diffusers" in flat and "not fired" in flat
    assert "Recommended: TensorFlow (clear)" in flat


def test_completion_offers_values() -> None:
    assert completion.formats("m") == ["markdown"]
    assert "quick" in completion.suites("")
    assert "primary_goal=" in completion.question_ids("prim")
    assert "primary_goal=research" in completion.question_ids("primary_goal=r")
    assert completion.rule_ids("team-knows-")
    assert completion.path_ids("")


def test_paths_check_refuses_an_unknown_format(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = cli(capsys, "paths", "check", "--targets", "mobile_android", "--format", "xml")
    assert code == ExitCode.BAD_INPUT and "unknown format 'xml'" in err


def test_partial_probe_file_is_noted() -> None:

    from fwadvisor.answers import load_answers
    from fwadvisor.pipeline import AdviceOptions, advise
    from fwadvisor.report.formats import render
    from fwadvisor.rulebook.loader import load_rulebook
    from tests.measurements.helpers import full_probe

    book = load_rulebook(None)
    probe = replace(full_probe(0.01, 0.02), complete=False)
    answers = load_answers(book, EXAMPLES / "default.yaml", use_env=False)
    rec = advise(book, answers, [probe], AdviceOptions(samples=50))
    assert any("partial (complete: false" in n for n in rec.notes)
    for fmt in ("html", "markdown"):
        out = render(rec, fmt)
        summary = out[: out.index("Context and problem statement")]
        assert "testbox is partial (complete: false" in summary, fmt  # in the summary
    text = render(rec, "text")
    assert "testbox is partial" in text[text.index("Summary") :]
    complete = advise(book, answers, [full_probe(0.01, 0.02)], AdviceOptions(samples=50))
    assert not any("partial" in n for n in complete.notes)


def test_install_hints_match_the_readme() -> None:
    import yaml

    checks = yaml.safe_load((ROOT / "probes" / "paths" / "checks.yaml").read_text())
    hints = [c["install"] for c in checks["checks"] if "fwadvisor[paths]" in c["install"]]
    assert hints and all("make paths-toolchains" in h for h in hints)
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "make paths-toolchains" in readme and "pip install 'fwadvisor[paths]'" in readme


def test_the_shell_completes_option_values(tmp_path: Path) -> None:
    import os
    import subprocess
    import sys

    def complete(words: str) -> list[str]:
        env = {
            **os.environ,
            "_FWADVISOR_COMPLETE": "complete_bash",
            "COMP_WORDS": words,
            "COMP_CWORD": str(len(words.split(" ")) - 1),
        }
        script = Path(sys.executable).parent / "fwadvisor"  # the installed console script
        done = subprocess.run(
            [str(script)], env=env, cwd=tmp_path, capture_output=True, text=True, check=False
        )
        return done.stdout.split()

    assert complete("fwadvisor recommend --format m") == ["markdown"]
    assert "primary_goal=" in complete("fwadvisor recommend --set prim")
    assert "quick" in complete("fwadvisor probe --suite ")
