from __future__ import annotations

import json
from pathlib import Path

import pytest

from fwadvisor.errors import ExitCode, ProbeError
from fwadvisor.measurements.read import load_probe_file
from fwadvisor.measurements.schema import ProbeFile
from fwadvisor.records import dump_json, json_schema
from tests.measurements.helpers import full_probe


def _write(tmp_path: Path, data: object) -> Path:
    path = tmp_path / "probe.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def _data() -> dict:  # type: ignore[type-arg]
    return json.loads(dump_json(full_probe(1e-3, 2e-3)))


def test_round_trip(tmp_path: Path) -> None:
    probe = load_probe_file(_write(tmp_path, _data()))
    assert isinstance(probe, ProbeFile)
    assert len(probe.measurements) == 30


def _error(tmp_path: Path, data: object) -> ProbeError:
    with pytest.raises(ProbeError) as info:
        load_probe_file(_write(tmp_path, data))
    assert info.value.exit_code == ExitCode.BAD_INPUT
    return info.value


def test_malformed_json_names_file(tmp_path: Path) -> None:
    path = tmp_path / "bad.json"
    path.write_text("{not json", encoding="utf-8")
    with pytest.raises(ProbeError) as info:
        load_probe_file(path)
    assert "bad.json" in info.value.render()


def test_other_schema_version(tmp_path: Path) -> None:
    data = _data()
    data["schema_version"] = 2
    err = _error(tmp_path, data)
    assert err.problems[0].field == "schema_version"
    assert "probe.json" in err.render()


def test_unknown_workload_names_field(tmp_path: Path) -> None:
    data = _data()
    data["measurements"][3]["workload"] = "resnet"
    err = _error(tmp_path, data)
    assert any(p.field == "measurements[3].workload" for p in err.problems)


@pytest.mark.parametrize(
    ("edit", "field"),
    [
        (lambda m: m.update(median_s=m["median_s"] * 2), "measurements[0].median_s"),
        (lambda m: m.update(mode="function"), "measurements[0].mode"),
        (lambda m: m.update(unstable=True), "measurements[0].unstable"),
        (lambda m: m["samples_s"].pop(), "measurements[0].samples_s"),
        (lambda m: m.update(ci95_s=[1.0, 2.0]), "measurements[0].ci95_s"),
        (lambda m: m.update(status="failed", reason=None), "measurements[0].reason"),
        (lambda m: m.update(compile_s=-1.0), "measurements[0].compile_s"),
        (lambda m: m.update(peak_rss_bytes=-1), "measurements[0].peak_rss_bytes"),
        (lambda m: m.update(max_abs_err=-0.5), "measurements[0].max_abs_err"),
        (lambda m: m["runs"][0].update(first_call_s=-3.0), "measurements[0].runs[0]"),
    ],
)
def test_inconsistent_edits_are_caught(tmp_path: Path, edit, field: str) -> None:  # type: ignore[no-untyped-def]
    data = _data()
    edit(data["measurements"][0])
    err = _error(tmp_path, data)
    assert any((p.field or "").startswith(field) for p in err.problems), err.render()


def test_json_schema_is_available() -> None:
    schema = json_schema(ProbeFile)
    assert "measurements" in schema["properties"]


def test_schema_errors_name_the_line(tmp_path: Path) -> None:
    data = _data()
    data["measurements"][3]["workload"] = "resnet"
    path = tmp_path / "probe.json"
    text = json.dumps(data, indent=1)
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ProbeError) as info:
        load_probe_file(path)
    (problem,) = [p for p in info.value.problems if p.field == "measurements[3].workload"]
    lines = text.splitlines()
    assert problem.line is not None and '"resnet"' in lines[problem.line - 1]
    assert problem.file == str(path)
