"""`fwadvisor report` and `recommend --format` through the real entry point."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from fwadvisor.report.formats import FORMATS
from fwadvisor.report.json_report import render as render_json
from fwadvisor.report.markdown_report import render as render_markdown
from tests.cli_run import cli
from tests.report.report_fixture import build_recommendation

PAIR = {"leader": "pytorch", "other": "caffe", "margin": 0.1, "share": 0.9}


@pytest.fixture
def saved(tmp_path: Path) -> Path:
    path = tmp_path / "rec.json"
    path.write_text(render_json(build_recommendation()), encoding="utf-8")
    return path


def test_every_format_is_registered() -> None:
    assert set(FORMATS) == {"text", "json", "markdown", "html"}


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_report_renders_every_format(
    capsys: pytest.CaptureFixture[str], saved: Path, fmt: str
) -> None:
    code, out, err = cli(capsys, "report", str(saved), "--format", fmt)
    assert code == 0, err
    assert "PyTorch" in out


def test_report_rerenders_exactly(capsys: pytest.CaptureFixture[str], saved: Path) -> None:
    code, out, _ = cli(capsys, "report", str(saved), "--format", "markdown")
    assert code == 0 and out == render_markdown(build_recommendation())
    code, out, _ = cli(capsys, "report", str(saved), "--format", "json")
    assert code == 0 and out == saved.read_text(encoding="utf-8")


def test_output_is_written_once_without_force(
    capsys: pytest.CaptureFixture[str], saved: Path, tmp_path: Path
) -> None:
    target = tmp_path / "rec.html"
    assert cli(capsys, "report", str(saved), "-f", "html", "-o", str(target))[0] == 0
    assert target.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    target.write_text("mine", encoding="utf-8")
    code, _, err = cli(capsys, "report", str(saved), "-f", "html", "-o", str(target))
    assert code == 2 and "already exists" in err and "--force" in err
    assert target.read_text(encoding="utf-8") == "mine"
    assert cli(capsys, "report", str(saved), "-f", "html", "-o", str(target), "--force")[0] == 0
    assert target.read_text(encoding="utf-8") != "mine"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["rec.html", "rec.json"]


def test_invalid_recommendation_names_file_line_and_field(
    capsys: pytest.CaptureFixture[str], saved: Path
) -> None:
    data = json.loads(saved.read_text(encoding="utf-8"))
    data["verdict"] = "maybe"
    data["ranking"][1]["total"] = "lots"
    saved.write_text(json.dumps(data, indent=2), encoding="utf-8")
    code, out, err = cli(capsys, "report", str(saved))
    assert code == 2 and out == ""
    assert f"{saved}:4: verdict:" in err
    assert "ranking[1].total:" in err
    assert "Traceback" not in err


@pytest.mark.parametrize(
    ("body", "needle"),
    [
        ("{not json", "not valid JSON"),
        ("[1, 2]", "must be a JSON object"),
        ('{"schema_version": 1}', "project: required key is missing"),
    ],
)
def test_bad_files_exit_2(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, body: str, needle: str
) -> None:
    path = tmp_path / "bad.json"
    path.write_text(body, encoding="utf-8")
    code, _, err = cli(capsys, "report", str(path))
    assert code == 2 and needle in err and str(path) in err


def test_missing_file_and_unknown_format(
    capsys: pytest.CaptureFixture[str], saved: Path, tmp_path: Path
) -> None:
    code, _, err = cli(capsys, "report", str(tmp_path / "nope.json"))
    assert code == 2 and "not found" in err
    code, _, err = cli(capsys, "report", str(saved), "--format", "pdf")
    assert code == 2 and "unknown format 'pdf'" in err


def test_every_format_has_a_file_suffix() -> None:
    from fwadvisor.report.formats import SUFFIX

    assert set(SUFFIX) == set(FORMATS)


@pytest.mark.parametrize(
    ("edit", "field"),
    [
        (lambda d: d.update(winner="mmmm"), "winner"),
        (lambda d: d.update(leader="nobody"), "leader"),
        (lambda d: d.update(candidates=[*d["candidates"], "mxnet"]), "candidates"),
        (lambda d: d["scores"].pop(d["ranking"][0]["candidate"]), "scores"),
        (lambda d: d["ranking"].append(dict(d["ranking"][0])), "ranking"),
        (lambda d: d["counterfactuals"][0].update(new_winner="x"), "counterfactuals"),
        (lambda d: d["pairwise"].append(PAIR), "pairwise"),
    ],
)
def test_a_saved_recommendation_naming_an_unknown_candidate_is_exit_2(
    capsys: pytest.CaptureFixture[str], saved: Path, edit: Any, field: str
) -> None:
    """A hand-edited recommendation whose winner is not among its ranked candidates crashed
    the report with a KeyError (found by the fuzzing test); every candidate a file refers to
    must be one it ranked, and every ranked one must have its scores."""
    data = json.loads(saved.read_text(encoding="utf-8"))
    assert data["counterfactuals"]
    edit(data)
    saved.write_text(json.dumps(data, indent=2), encoding="utf-8")
    for fmt in ("text", "html"):
        code, _, err = cli(capsys, "report", str(saved), "--format", fmt)
        assert code == 2, err
        assert "rec.json" in err and field in err and "Traceback" not in err
