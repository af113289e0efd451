"""build_evidence: relevant workloads, modes per answers, intervals decide, facts filled."""

from __future__ import annotations

from fwadvisor.measurements.evidence import NO_EVIDENCE, build_evidence, relevant_workloads
from fwadvisor.measurements.schema import ProbeFile

from .helpers import around, full_probe, measurement, probe_file


def test_no_probe_no_evidence() -> None:
    assert build_evidence([], {}) is NO_EVIDENCE


def test_relevant_workloads_follow_answers() -> None:
    picked = relevant_workloads(
        {
            "workload_uses": ["training", "fine_tuning", "online_inference"],
            "latency_sensitive": True,
            "dynamic_models": True,
        }
    )
    keys = [(w, v) for w, v, _ in picked]
    assert keys == [
        ("mlp_train", "default"),
        ("cnn_infer", "latency"),
        ("dispatch", "default"),
        ("dynamic", "default"),
    ]
    assert "training; fine-tuning" in picked[0][2]


def test_clearly_faster_framework_gets_capped_log_points() -> None:
    probe = full_probe(pt=1e-3, tf=2e-3)  # pytorch twice as fast
    ev = build_evidence([probe], {"workload_uses": ["training"], "execution_mode": "eager"})
    (item,) = ev.items
    assert item.verdict == "pytorch" and item.workload == "mlp_train"
    assert item.ratio is not None and 0.45 < item.ratio < 0.55
    assert 0.8 < ev.points["pytorch"] <= 1.0 and ev.points["tensorflow"] == 0
    huge = build_evidence([full_probe(pt=1e-3, tf=100e-3)], {"workload_uses": ["training"]})
    assert huge.points["pytorch"] == 2.0  # capped


def test_interval_spanning_one_scores_nothing() -> None:
    probe = full_probe(pt=1e-3, tf=1.001e-3, jitter=0.05)
    ev = build_evidence([probe], {"workload_uses": ["batch_inference"]})
    assert ev.items[0].verdict == "indistinguishable"
    assert ev.points == {"pytorch": 0.0, "tensorflow": 0.0}


def test_unstable_measurement_scores_nothing() -> None:
    bimodal = [[1e-3] * 10, [2e-3] * 10, [1e-3] * 10]
    ms = [
        measurement("pytorch", "eager", "mlp_train", "default", bimodal),
        measurement("tensorflow", "eager", "mlp_train", "default", around(5e-3)),
    ]
    ev = build_evidence([probe_file(ms)], {"workload_uses": ["training"], "execution_mode": "eager"})
    assert ev.items[0].verdict == "unstable" and sum(ev.points.values()) == 0


def test_modes_follow_execution_mode() -> None:
    probe = full_probe(pt=1e-3, tf=2e-3)
    for mode, expected in (
        ("eager", ("eager", "eager")),
        ("compiled", ("compiled", "function")),
        ("unsure", ("compiled", "function")),
    ):
        item = build_evidence([probe], {"workload_uses": ["training"], "execution_mode": mode}).items[0]
        assert (item.pytorch_mode, item.tensorflow_mode)[0] == expected[0]
        if mode != "unsure":
            assert item.tensorflow_mode == expected[1]


def test_missing_measurement_is_reported_not_scored() -> None:
    ms = [measurement("pytorch", "eager", "mlp_train", "default", around(1e-3))]
    ev = build_evidence([probe_file(ms)], {"workload_uses": ["training"], "execution_mode": "eager"})
    assert ev.items[0].verdict == "missing" and sum(ev.points.values()) == 0


def test_facts_and_fingerprints() -> None:
    probe: ProbeFile = full_probe(pt=1e-3, tf=2e-3)
    ev = build_evidence([probe, probe], {"workload_uses": ["training"], "execution_mode": "eager"})
    assert ev.facts["probe.gpu_present"] is False
    assert ev.facts["probe.torch_compile_ok"] is True
    assert ev.facts["probe.tf_xla_ok"] is True
    assert ev.facts["probe.pytorch_installed"] is True
    assert ev.facts["probe.cpu_cores"] == 2
    assert ev.facts["probe.noisy"] is False
    assert ev.facts["probe.faster_training"] == "pytorch"
    assert ev.facts["probe.faster_inference"] == "pytorch"
    assert len(ev.fingerprints) == 2 and ev.fingerprints[0]["machine"] == "testbox"
    assert len({i.machine for i in ev.items}) == 2
    assert 0.8 < ev.points["pytorch"] <= 1.0  # averaged over machines, not summed


def test_facts_use_only_known_names() -> None:
    from fwadvisor.rulebook.facts import PROBE_FACTS

    ev = build_evidence([full_probe(pt=1e-3, tf=2e-3)], {})
    assert set(ev.facts) <= set(PROBE_FACTS)


def test_items_carry_every_measured_mode_for_charts() -> None:
    ev = build_evidence([full_probe(pt=1e-3, tf=2e-3)], {"workload_uses": ["training"]})
    (item,) = ev.items
    modes = {(m.framework, m.mode) for m in item.modes}
    assert {("pytorch", "eager"), ("tensorflow", "eager")} <= modes
    assert any(m.mode != "eager" for m in item.modes)
    assert all(m.ci95_s is not None for m in item.modes if m.status == "ok")
