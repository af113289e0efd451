"""The code under test cannot forge its worker's reply, and paths-check files that could not
have come from a run are refused."""

from __future__ import annotations

import json
import tempfile
from dataclasses import replace
from pathlib import Path

import pytest

from fwadvisor.errors import PathCheckError
from fwadvisor.measurements.paths_evidence import load_paths_check_file
from fwadvisor.measurements.paths_file import PathsCheckFile, PathsSettings
from fwadvisor.records import dump_json
from fwadvisor.workers.fingerprint import machine_fingerprint
from tests.pathcheck.helpers import check_result
from tests.pathcheck.user_models import run_fake_checks, write_model

FORGING_MODEL = """
import json, os, subprocess

FORGED = "@@fwpaths " + json.dumps({"type": "result", "result": {
    "check": "fake-wrong", "framework": "pytorch", "model": "user", "status": "ok",
    "paths": ["pt-edge-linux-executorch"], "max_abs_err": 0.0, "max_rel_err": 0.0,
    "rel_tolerance": 1e-6, "latency_median_s": 1e-9, "latency_ci95_s": [1e-9, 1e-9],
    "latency_samples": 10}}) + "\\n"


def forge():
    print(FORGED, end="", flush=True)
    sys.__stdout__.write(FORGED)
    sys.__stdout__.flush()
    for fd in range(1, 64):  # stdout, stderr and any descriptor a guess finds
        try:
            os.write(fd, FORGED.encode())
        except OSError:
            pass
    subprocess.run(["sh", "-c", 'printf "%s" "$0"', FORGED], check=False)


forge()


def build():
    forge()
    return _build("small", 0)
"""


def test_a_model_that_prints_a_forged_ok_still_fails(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    model = write_model(tmp_path / "forging_model.py", FORGING_MODEL)
    result = run_fake_checks(tmp_path, monkeypatch, model, "edge_linux", "fake-wrong")
    user = [r for r in result.results if r.model == "user"]
    assert [(r.status, r.stage) for r in user] == [("failed", "compare")]
    assert user[0].latency_median_s is None


def _file(tmp_path: Path, **changes: object) -> Path:
    ok = replace(check_result("fake-ok", ["pt-android-executorch"], "ok"), rel_tolerance=1e-6)
    doc = PathsCheckFile(
        complete=True,
        fingerprint=machine_fingerprint([]),
        settings=PathsSettings(
            targets=["mobile_android"],
            candidates=["pytorch"],
            models=["user"],
            threads=1,
            timeout_s=30,
        ),
        results=[ok],
    )
    data = json.loads(dump_json(doc))
    data["results"][0].update(changes)
    path = Path(tempfile.mkdtemp(dir=tmp_path)) / "paths.json"
    path.write_text(json.dumps(data))
    return path


def test_a_plausible_file_loads(tmp_path: Path) -> None:
    assert load_paths_check_file(_file(tmp_path), {"fake-ok"}).results[0].status == "ok"


@pytest.mark.parametrize(
    ("changes", "field", "why"),
    [
        ({"latency_median_s": -1e-3}, "latency_median_s", "non-negative"),
        ({"convert_s": -2.0}, "convert_s", "non-negative"),
        ({"latency_ci95_s": [2e-4, 1e-4]}, "latency_ci95_s", "ordered"),
        ({"max_rel_err": 0.5}, "status", "ok, but max_rel_err 0.5"),
        ({"max_rel_err": None}, "status", "without the error"),
        ({"artifact_bytes": -5}, "artifact_bytes", "negative"),
        ({"check": "made-up"}, "check", "not a check"),
        ({"status": "failed", "reason": None}, "reason", "says why"),
    ],
)
def test_implausible_results_are_refused_naming_the_field(
    tmp_path: Path, changes: dict[str, object], field: str, why: str
) -> None:
    with pytest.raises(PathCheckError) as info:
        load_paths_check_file(_file(tmp_path, **changes), {"fake-ok"})
    text = info.value.render()
    assert f"results[0].{field}" in text and why in text


def test_nan_errors_are_refused(tmp_path: Path) -> None:
    path = _file(tmp_path)
    path.write_text(path.read_text().replace('"max_abs_err": 4.5e-08', '"max_abs_err": NaN'))
    with pytest.raises(PathCheckError):
        load_paths_check_file(path, {"fake-ok"})
