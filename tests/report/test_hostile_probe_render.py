"""Probe files with extreme but well-formed values render in every format: subnormal times
(whose ratio overflows to inf) and a 1 MB machine name."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from fwadvisor.records import dump_json
from tests.cli_run import cli
from tests.measurements.helpers import full_probe

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "default.yaml"


def _write(tmp_path: Path, data: dict[str, object]) -> Path:
    f = tmp_path / "probe.json"
    f.write_text(json.dumps(data), encoding="utf-8")
    return f


def test_subnormal_times_render_as_html(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    probe = _write(tmp_path, json.loads(dump_json(full_probe(1e-3, 5e-324))))
    code, out, err = cli(
        capsys, "recommend", "--answers", str(EXAMPLE), "--probe", str(probe), "--format", "html"
    )
    assert code in (0, 2), err
    assert "Traceback" not in err and "internal error" not in err
    if code == 0:
        assert out.startswith("<!DOCTYPE html>")


def test_megabyte_machine_name_renders_quickly(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = json.loads(dump_json(full_probe(1e-3, 2e-3)))
    data["fingerprint"]["machine"] = "m" * 1_000_000
    probe = _write(tmp_path, data)
    start = time.perf_counter()
    code, _, err = cli(
        capsys, "recommend", "--answers", str(EXAMPLE), "--probe", str(probe), "--format", "html"
    )
    assert code in (0, 2), err
    assert "internal error" not in err
    assert time.perf_counter() - start < 60
