"""The JAX worker: default frameworks, a missing JAX skipped with its hint, thread pinning,
and the workloads themselves (eager vs jit agree, jit cache misses counted)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest

from fwadvisor.measurements.schema import ProbeFile
from fwadvisor.probe.output import ProbeState
from fwadvisor.probe.runner import Runner
from fwadvisor.probe.session import ProbeRequest, prepare
from fwadvisor.probe.suites import load_suites
from fwadvisor.records import dump_json
from fwadvisor.registry import DEFAULT_FRAMEWORKS, FRAMEWORKS, MODES, WORKER_MODULE
from fwadvisor.workers.process import worker_env
from tests.measurements.helpers import ROOT

PROBES = ROOT / "probes"


def test_jax_is_known_but_not_probed_by_default(tmp_path: Path) -> None:
    assert "jax" in FRAMEWORKS and MODES["jax"] == ("eager", "jit")
    assert (PROBES / WORKER_MODULE["jax"]).is_file()
    settings, _ = prepare(ProbeRequest(device="cpu", output=tmp_path / "p.json"), detect=lambda: [])
    assert settings.frameworks == list(DEFAULT_FRAMEWORKS) == ["pytorch", "tensorflow"]
    settings, _ = prepare(
        ProbeRequest(device="cpu", frameworks="jax,pytorch", output=tmp_path / "p.json"),
        detect=lambda: [],
    )
    assert settings.frameworks == ["pytorch", "jax"]  # canonical order


def _state(tmp_path: Path, frameworks: str) -> tuple[ProbeState, ProbeRequest]:
    req = ProbeRequest(
        suite="smoke", device="cpu", frameworks=frameworks, output=tmp_path / "p.json"
    )
    return prepare(req, detect=lambda: [])[1], req


def test_missing_jax_is_skipped_with_install_hint(tmp_path: Path) -> None:
    """The real worker, with a JAX module whose import fails as it does where JAX is absent."""
    probes = tmp_path / "probes"
    probes.mkdir()
    (probes / "suites.yaml").write_bytes((PROBES / "suites.yaml").read_bytes())
    (probes / WORKER_MODULE["jax"]).write_text("import jax_is_not_installed_here\n")
    state, _ = _state(tmp_path, "jax")
    suite = load_suites(probes).suites["smoke"]
    env = worker_env(os.environ, 1, tmp_path / "cache")
    Runner(state.settings, suite, probes, state, env=env).run()
    probe: ProbeFile = state.save(complete=True)
    assert probe.measurements and {m.status for m in probe.measurements} == {"skipped"}
    assert all("fwadvisor[jax]" in (m.reason or "") for m in probe.measurements)
    info = probe.fingerprint.frameworks["jax"]
    assert not info.installed and "fwadvisor[jax]" in (info.error or "")


def test_worker_env_points_jax_at_its_compile_cache(tmp_path: Path) -> None:
    env = worker_env({}, 2, tmp_path)
    assert env["JAX_COMPILATION_CACHE_DIR"] == str(tmp_path / "jax")
    assert env["JAX_PERSISTENT_CACHE_MIN_COMPILE_TIME_SECS"] == "0"


def test_each_framework_gets_its_own_cache_state(tmp_path: Path) -> None:
    state, _ = _state(tmp_path, "pytorch,jax")
    suite = load_suites(PROBES).suites["smoke"]
    runner = Runner(state.settings, suite, PROBES, state)
    jax_spec = runner._spec("jax", 0, runner.groups("jax"), 0.0)
    torch_spec = runner._spec("pytorch", 0, runner.groups("pytorch"), 0.0)
    assert jax_spec.compile_cache_dir and jax_spec.compile_cache_dir.endswith("jax")
    assert torch_spec.compile_cache_dir == state.inductor_dir


SCRIPT = """
import importlib.util, json, os, sys
spec = importlib.util.spec_from_file_location("w", sys.argv[1])
mod = importlib.util.module_from_spec(spec); spec.loader.exec_module(mod)
info = mod.setup(int(sys.argv[2]), 1, "cpu")
out = {"info": info, "affinity": len(os.sched_getaffinity(0))}
from fwadvisor.workers import harness
from fwadvisor.measurements.schema import Timing
from fwadvisor.records import dump
timing = Timing(warmup_s=0.0, min_warmup=1, block_s=0.001, samples=3, min_samples=3, max_s=1.0)
params = {"dynamic": {"width": 8, "lengths": [4, 8, 12]},
          "mlp_train": {"batch": 8, "width": 16, "depth": 1},
          "cnn_infer": {"batch": 2, "image": 8, "channels": 4},
          "matmul": {"n": 32}, "dispatch": {"size": 8, "length": 3}}
for w, p in params.items():
    cases = {m: mod.make_case(w, p, m, "cpu", 0) for m in mod.MODES}
    rtol, atol = mod.TOLERANCES.get(w, (1e-3, 1e-5))
    runs = harness.measure_group(cases, timing, process=0, seed=0, rtol=rtol, atol=atol)
    out[w] = {m: dump(r, mode="json") for m, r in runs.items()}
print(json.dumps(out))
"""


def _run_jax(threads: int) -> dict:  # type: ignore[type-arg]
    pytest.importorskip("jax")
    pytest.importorskip("optax")
    env = worker_env(os.environ, threads, None)
    proc = subprocess.run(
        [sys.executable, "-c", SCRIPT, str(PROBES / WORKER_MODULE["jax"]), str(threads)],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    return json.loads(proc.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


@pytest.mark.slow
@pytest.mark.timed
def test_jax_workloads_agree_and_count_jit_cache_misses() -> None:
    out = _run_jax(2 if (os.cpu_count() or 1) >= 2 else 1)
    assert out["info"]["installed"] and out["info"]["devices"] == ["cpu"]
    for w in ("dispatch", "matmul", "mlp_train", "cnn_infer", "dynamic"):
        for mode in ("eager", "jit"):
            run = out[w][mode]
            assert run["status"] == "ok", (w, mode, run["reason"])
            assert run["median_s"] > 0 and run["samples_s"]
        assert out[w]["eager"]["recompiles"] is None  # op by op: no jit cache to miss
        assert out[w]["jit"]["recompiles_timed"] == 0
        assert out[w]["jit"]["max_abs_err"] is not None  # checked against eager
    assert out["dynamic"]["jit"]["recompiles"] == 3  # one trace per sequence length
    assert out["matmul"]["jit"]["recompiles"] == 1


@pytest.mark.slow
@pytest.mark.timed
def test_one_thread_pins_xla_to_one_cpu() -> None:
    if not hasattr(os, "sched_getaffinity") or len(os.sched_getaffinity(0)) < 2:
        pytest.skip("needs two CPUs and Linux affinity")
    out = _run_jax(1)
    assert out["affinity"] == 1 and out["info"]["threads_intra"] == 1
    assert "--xla_cpu_multi_thread_eigen=false" in out["info"]["build"]["xla_flags"]


def test_probe_file_with_jax_round_trips_and_is_summarised(tmp_path: Path) -> None:
    """A three-framework probe file: consistent on load, pairwise tables, shares in the notes."""
    from fwadvisor.measurements.evidence import build_evidence
    from fwadvisor.measurements.read import load_probe_file
    from fwadvisor.measurements.summary import frameworks_tables, notes
    from tests.measurements.helpers import around, measurement, probe_file

    ms = [
        measurement(fw, mode, "matmul", "default", around(t))
        for fw, mode, t in (
            ("pytorch", "eager", 0.010),
            ("pytorch", "compiled", 0.009),
            ("tensorflow", "eager", 0.008),
            ("tensorflow", "function", 0.008),
            ("tensorflow", "xla", 0.007),
            ("jax", "eager", 0.005),
            ("jax", "jit", 0.005),
        )
    ]
    base = probe_file(ms)
    probe = replace(base, settings=replace(base.settings, frameworks=["pytorch", "tensorflow", "jax"]), wall_s=100.0, framework_wall_s={"pytorch": 50.0, "tensorflow": 30.0, "jax": 20.0})
    path = tmp_path / "p.json"
    path.write_text(dump_json(probe))
    loaded = load_probe_file(path)
    assert loaded.framework_wall_s["jax"] == 20.0
    titles = [str(t.title) for t in frameworks_tables(loaded)]
    assert [t.split(" (")[0] for t in titles] == [
        "PyTorch time / TensorFlow time",
        "PyTorch time / JAX time",
        "TensorFlow time / JAX time",
    ]
    assert any("jax 20 s (20%)" in line for line in notes(loaded))
    evidence = build_evidence([loaded], {"workload_uses": ["training"]})
    # the scored ratio is the registry's RATIO_PAIR: JAX's times are shown, never scored
    assert evidence.points.get("jax", 0.0) == 0.0
    assert all(d.numerator != "jax" and d.denominator != "jax" for d in evidence.draws)
