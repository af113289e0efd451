"""Paths-check files -> findings, vetoes and report rows (pure: synthetic files)."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest

from fwadvisor.answers import load_answers
from fwadvisor.cli.app import main
from fwadvisor.errors import PathCheckError
from fwadvisor.measurements.paths_evidence import load_paths_check_file, path_evidence
from fwadvisor.measurements.paths_file import CheckResult, PathsCheckFile, PathsSettings, UserModel
from fwadvisor.pipeline import AdviceOptions, advise
from fwadvisor.records import dump_json
from fwadvisor.report import html_report, markdown_report, text_report
from fwadvisor.report.wording import note_text
from fwadvisor.rulebook.loader import load_rulebook
from fwadvisor.workers.fingerprint import machine_fingerprint
from tests.pathcheck.helpers import CRASH, GUARD, check_result

ROOT = Path(__file__).resolve().parents[2]
MOBILE = ROOT / "examples" / "mobile_app.yaml"


result = check_result


def doc(results: list[CheckResult], user: bool = True) -> PathsCheckFile:
    return PathsCheckFile(
        complete=True,
        fingerprint=machine_fingerprint([]),
        settings=PathsSettings(
            targets=["mobile_android", "mobile_ios"],
            candidates=["pytorch"],
            models=["user"] if user else ["cnn"],
            user_model=UserModel(file="/x/my_model.py", factory="build", framework="pytorch")
            if user
            else None,
            threads=2,
            timeout_s=300,
        ),
        results=results,
    )


EXECUTORCH = ["pt-android-executorch", "pt-edge-linux-executorch", "pt-ios-executorch-coreml"]
LITERT_TORCH = ["pt-android-ai-edge-torch", "pt-mcu-ai-edge-torch-litert-micro"]


def test_every_path_failing_in_its_toolchain_vetoes_the_candidate() -> None:
    book = load_rulebook(None)
    ev = path_evidence(
        [
            doc(
                [
                    result("torch-executorch-xnnpack", EXECUTORCH, "failed", reason=CRASH),
                    result("torch-litert-torch", LITERT_TORCH, "failed", reason=CRASH),
                ]
            )
        ],
        book,
        ["mobile_android", "mobile_ios"],
    )
    veto = ev.vetoes["pytorch"]
    assert (veto.by, veto.rule_id) == ("paths_check", "torch-executorch-xnnpack")
    assert "mobile_android" in veto.reason and "SIGSEGV" in veto.reason
    assert "not in your model" in veto.reason
    # iOS: the Core ML tools path could not be checked here, so no veto from iOS alone
    assert any("pt-ios-coremltools" in n and "may still work" in n for n in map(note_text, ev.notes))
    # only paths of the user's targets are shown (not edge_linux or the microcontroller)
    assert all(t in ("mobile_android", "mobile_ios") for i in ev.items for t in i.targets)


def test_one_working_path_means_no_veto() -> None:
    ev = path_evidence(
        [
            doc(
                [
                    result("torch-executorch-xnnpack", EXECUTORCH, "failed"),
                    result("torch-litert-torch", LITERT_TORCH, "ok"),
                ]
            )
        ],
        load_rulebook(None),
        ["mobile_android"],
    )
    assert ev.vetoes == {}
    assert [i.status for i in ev.items] == ["failed", "ok"]
    # the failure is still a finding against that path, with the converter's error
    assert len(ev.notes) == 1
    assert note_text(ev.notes[0]).startswith(
        f"Your model failed torch-executorch-xnnpack (pt-android-executorch) at convert: {GUARD}"
        ". Fix: data-dependent control flow"
    )


def test_reference_model_failures_never_veto() -> None:
    ev = path_evidence(
        [
            doc(
                [
                    result("torch-executorch-xnnpack", EXECUTORCH, "failed", model="branch"),
                    result("torch-litert-torch", LITERT_TORCH, "failed", model="branch"),
                ],
                user=False,
            )
        ],
        load_rulebook(None),
        ["mobile_android"],
    )
    assert ev.vetoes == {} and len(ev.items) == 2


def test_recommendation_carries_the_veto_and_every_format_shows_checks() -> None:
    book = load_rulebook(None)
    answers = load_answers(book, MOBILE, use_env=False)
    files = [
        doc(
            [
                result("torch-executorch-xnnpack", EXECUTORCH, "failed", reason=CRASH),
                result("torch-litert-torch", LITERT_TORCH, "failed", reason=CRASH),
                result("tf-litert-float", ["tf-android-litert", "tf-ios-litert"], "ok", "cnn"),
            ]
        )
    ]
    assert path_evidence(files, book, ["mobile_android", "mobile_ios"]).vetoes
    rec = advise(book, answers, options=AdviceOptions(samples=50), path_checks=files)
    assert [v.candidate for v in rec.vetoes if v.by == "paths_check"] == ["pytorch"]
    assert next(r for r in rec.ranking if r.candidate == "pytorch").vetoed
    assert rec.leader == "tensorflow"
    assert len(rec.path_checks) == 3
    text = text_report.render(rec, width=200)
    md = markdown_report.render(rec)
    html = html_report.render(rec)
    for out in (text, md, html):
        assert "tf-litert-float" in out and "torch-litert-torch" in out
        assert "25 KiB" in out and "0.068 ms" in out
        assert "SIGSEGV" in out
    assert "Checked on a machine" in html
    assert json.loads(dump_json(rec))["path_checks"][0]["check"] == "torch-executorch-xnnpack"


def test_html_escapes_what_the_model_file_brings() -> None:
    book = load_rulebook(None)
    answers = load_answers(book, MOBILE, use_env=False)
    bad = replace(result("torch-litert-torch", LITERT_TORCH, "failed"), reason="<script>alert(1)</script>")
    html = html_report.render(
        advise(book, answers, options=AdviceOptions(samples=20), path_checks=[doc([bad])])
    )
    assert "<script>alert(1)" not in html and "&lt;script&gt;" in html


def test_bad_paths_check_file_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "paths.json"
    bad.write_text(json.dumps({"schema_version": 1, "complete": True}))
    with pytest.raises(PathCheckError):
        load_paths_check_file(bad)
    with pytest.raises(SystemExit) as info:
        main(["recommend", "--answers", str(MOBILE), "--paths-check", str(bad)])
    err = capsys.readouterr().err
    assert info.value.code == 2 and str(bad) in err and "Traceback" not in err


def test_a_written_paths_check_file_is_read_back_by_recommend(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    written = doc([result("torch-executorch-xnnpack", EXECUTORCH, "failed")])
    path = tmp_path / "paths.json"
    path.write_text(dump_json(written, indent=1))
    assert load_paths_check_file(path) == written
    with pytest.raises(SystemExit) as info:
        main(["recommend", "--answers", str(MOBILE), "--paths-check", str(path)])
    out = capsys.readouterr().out
    assert info.value.code in (0, None)
    assert "torch-executorch-xnnpack" in out


def test_a_data_dependent_branch_is_a_finding_with_a_fix_and_never_a_veto() -> None:
    """Every PyTorch route to Android fails on the user's model, for a reason in the model
    (one `if` on a tensor's value): a finding with the stage, the converter's line and the
    fix; PyTorch stays in, and leads as it did without the check."""
    book = load_rulebook(None)
    answers = load_answers(book, MOBILE, use_env=False)
    files = [
        doc(
            [
                result("torch-executorch-xnnpack", EXECUTORCH, "failed"),
                result("torch-litert-torch", LITERT_TORCH, "failed"),
            ]
        )
    ]
    ev = path_evidence(files, book, ["mobile_android"])
    assert ev.vetoes == {}
    item = ev.items[0]
    assert (item.cause, item.stage, item.error_line) == ("model", "convert", GUARD)
    assert item.hint and "torch.cond" in item.hint
    assert any("pytorch is not ruled out for mobile_android" in n for n in map(note_text, ev.notes))
    options = AdviceOptions(samples=50)
    rec = advise(book, answers, options=options, path_checks=files)
    plain = advise(book, answers, options=options)
    assert rec.vetoes == plain.vetoes and rec.leader == plain.leader
    assert not any(v.by == "paths_check" for v in rec.vetoes)
    for out in (text_report.render(rec, width=200), markdown_report.render(rec)):
        assert "torch.cond" in out and GUARD in out


SPEC_VIOLATION = (
    "SpecViolationError: \n"
    "Operator torch._ops.aten._native_batch_norm_legit_functional.default is not Aten Canonical."
)


def test_an_empty_converter_head_line_takes_its_message_and_a_training_hint() -> None:
    ev = path_evidence(
        [doc([result("torch-executorch-xnnpack", EXECUTORCH, "failed", reason=SPEC_VIOLATION)])],
        load_rulebook(None),
        ["mobile_android"],
    )
    item = ev.items[0]
    assert item.reason_line == (
        "SpecViolationError: Operator "
        "torch._ops.aten._native_batch_norm_legit_functional.default is not Aten Canonical."
    )
    assert item.cause == "model" and item.hint and "model.eval()" in item.hint
