"""The runner with a toolchain-free catalog: crashing, hanging, wrong and missing toolchains."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from fwadvisor.measurements.paths_file import PathsSettings
from fwadvisor.pathcheck.catalog import load_catalog
from fwadvisor.pathcheck.runner import CheckRunner
from fwadvisor.pathcheck.state import PathsState
from fwadvisor.workers.fingerprint import machine_fingerprint
from fwadvisor.workers.process import worker_env

FAKE = Path(__file__).resolve().parents[1] / "fixtures" / "paths_fake"
MODELS = ["small", "crashy", "big"]


def run(tmp_path: Path, check_ids: list[str]) -> dict[str, object]:
    catalog, folder = load_catalog(FAKE)
    checks = [c for c in catalog.checks if c.id in check_ids]
    settings = PathsSettings(
        targets=["mobile_android"], candidates=["pytorch"], models=MODELS, threads=1, timeout_s=30
    )
    out = tmp_path / "paths.json"
    state = PathsState(out, settings, machine_fingerprint([]))
    env = worker_env(os.environ, 1, tmp_path / "cache")
    CheckRunner(state, folder, dict(catalog.frameworks), tmp_path / "work", env).run(checks, MODELS)
    state.save(complete=True)
    data: dict[str, object] = json.loads(out.read_text())
    return data


def by_model(data: dict[str, object]) -> dict[str, dict[str, object]]:
    return {r["model"]: r for r in data["results"]}  # type: ignore[index,union-attr]


def test_working_toolchain_reports_size_error_and_latency(tmp_path: Path) -> None:
    results = by_model(run(tmp_path, ["fake-ok"]))
    assert set(results) == set(MODELS)
    big = results["big"]
    assert big["status"] == "ok"
    assert big["artifact_bytes"] == 16 * 16 * 4 + 128  # float32 weights + .npy header
    assert big["max_abs_err"] == 0.0
    lo, hi = big["latency_ci95_s"]  # type: ignore[misc]
    assert 0 < lo <= big["latency_median_s"] <= hi  # type: ignore[operator]
    assert big["paths"] == ["pt-android-executorch"]


def test_segfaulting_converter_fails_that_model_and_the_rest_go_on(tmp_path: Path) -> None:
    results = by_model(run(tmp_path, ["fake-crash"]))
    assert results["crashy"]["status"] == "failed"
    assert results["crashy"]["stage"] == "convert"
    assert "SIGSEGV" in str(results["crashy"]["reason"])
    assert results["small"]["status"] == "ok"
    assert results["big"]["status"] == "ok"  # done by a fresh worker


def test_hanging_converter_times_out_and_the_rest_go_on(tmp_path: Path) -> None:
    results = by_model(run(tmp_path, ["fake-hang"]))
    assert results["crashy"]["status"] == "failed"
    assert "timed out" in str(results["crashy"]["reason"])
    assert results["crashy"]["stage"] == "convert"
    assert results["big"]["status"] == "ok"


def test_artifact_with_other_numbers_fails_the_comparison(tmp_path: Path) -> None:
    results = by_model(run(tmp_path, ["fake-wrong"]))
    small = results["small"]
    assert small["status"] == "failed"
    assert small["stage"] == "compare"
    assert small["max_rel_err"] == pytest.approx(0.5, rel=1e-5)
    assert "differs from eager" in str(small["reason"])


def test_missing_toolchain_skips_with_install_hint(tmp_path: Path) -> None:
    data = run(tmp_path, ["fake-missing"])
    results = by_model(data)
    assert {r["status"] for r in results.values()} == {"skipped"}
    assert "pip install no-such-toolchain" in str(results["small"]["reason"])
    assert data["complete"] is True


def test_missing_framework_skips_with_its_install_hint(tmp_path: Path) -> None:
    results = by_model(run(tmp_path, ["fake-framework-missing"]))
    assert {r["status"] for r in results.values()} == {"skipped"}
    reason = str(results["small"]["reason"])
    assert "absent is not installed" in reason and "pip install absent-framework" in reason


def test_file_is_written_after_each_result(tmp_path: Path) -> None:
    """What an interrupted run leaves: a valid file with the results so far."""
    catalog, folder = load_catalog(FAKE)
    settings = PathsSettings(
        targets=["mobile_android"], candidates=["pytorch"], models=MODELS, threads=1, timeout_s=30
    )
    out = tmp_path / "paths.json"
    state = PathsState(out, settings, machine_fingerprint([]))
    seen: list[int] = []

    class Recorder:
        def working(self, label: str) -> None: ...

        def advance(self) -> None:
            seen.append(len(json.loads(out.read_text())["results"]))

    env = worker_env(os.environ, 1, tmp_path / "cache")
    checks = [c for c in catalog.checks if c.id == "fake-ok"]
    CheckRunner(state, folder, dict(catalog.frameworks), tmp_path / "w", env, Recorder()).run(
        checks, MODELS
    )
    assert seen == [1, 2, 3]
    assert json.loads(out.read_text())["complete"] is False  # only the caller completes it
