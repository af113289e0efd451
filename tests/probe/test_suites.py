"""The shipped suites file: valid, and shaped as the issue's targets need."""

from __future__ import annotations

from pathlib import Path

from fwadvisor.probe.suites import load_suites
from fwadvisor.registry import WORKLOADS
from fwadvisor.resources import probes_dir


def test_suites_load_and_meet_their_contract() -> None:
    suites = load_suites(probes_dir()).suites
    assert set(suites) == {"smoke", "quick", "full"}
    assert suites["quick"].processes >= 3 and suites["full"].processes > suites["quick"].processes
    assert suites["smoke"].budget_s < 45 and suites["quick"].budget_s < 120
    assert suites["full"].budget_s < 600
    for name in ("quick", "full"):
        assert set(suites[name].workloads) == set(WORKLOADS)
        assert suites[name].workloads["matmul"]["default"]["n"] == 1024
        assert set(suites[name].workloads["cnn_infer"]) == {"latency", "throughput"}


def test_workload_modules_ship_beside_the_suites() -> None:
    assert (probes_dir() / "torch_workloads.py").is_file()
    assert (probes_dir() / "tf_workloads.py").is_file()


def test_every_workload_is_described_in_the_probe_docs() -> None:
    table = (Path(__file__).resolve().parents[2] / "docs" / "probe.md").read_text(encoding="utf-8")
    assert [w for w in WORKLOADS if f"| `{w}` |" not in table] == []
