"""build_evidence: relevant workloads, modes per answers, intervals decide, facts filled."""

from __future__ import annotations

from fwadvisor.measurements.evidence import NO_EVIDENCE, build_evidence, relevant_workloads
from fwadvisor.measurements.schema import Measurement, ProbeFile
from fwadvisor.registry import RATIO_PAIR
from tests.measurements.helpers import around, full_probe, measurement, probe_file

EAGER_TRAINING = {"workload_uses": ["training"], "execution_mode": "eager"}
"""Answers (keyed by question role): training, run eagerly."""


def eager_training(pytorch: list[list[float]], tensorflow: list[list[float]]) -> list[Measurement]:
    """PyTorch and TensorFlow eager training measurements from per-process samples."""
    return [
        measurement("pytorch", "eager", "mlp_train", "default", pytorch),
        measurement("tensorflow", "eager", "mlp_train", "default", tensorflow),
    ]


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
        ("transformer_train", "default"),  # counted where a probe file measured it
        ("cnn_infer", "latency"),
        ("decode", "default"),
        ("dispatch", "default"),
        ("dynamic", "default"),
    ]
    assert "training; fine-tuning" in picked[0][2]


def test_clearly_faster_framework_gets_capped_log_points() -> None:
    probe = full_probe(pt=1e-3, tf=2e-3)  # pytorch twice as fast
    ev = build_evidence([probe], EAGER_TRAINING)
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
    assert ev.points == dict.fromkeys(RATIO_PAIR, 0.0)  # the scored pair, neither scored


def test_unstable_but_far_apart_still_decides_discounted() -> None:
    """An unstable 3-5x difference is widened and halved, not erased."""
    bimodal = [[1e-3] * 10, [2e-3] * 10, [1e-3] * 10]
    ms = eager_training(bimodal, around(5e-3))
    ev = build_evidence([probe_file(ms)], EAGER_TRAINING)
    (item,) = ev.items
    assert item.unstable and item.verdict == "pytorch"
    assert item.ratio_ci95 is not None and item.decision_ci95 is not None
    lo, hi = item.ratio_ci95
    wlo, whi = item.decision_ci95
    assert wlo < lo and whi > hi  # widened around the ratio
    stable = build_evidence(
        [full_probe(pt=item.pytorch_median_s or 0, tf=5e-3)],
        EAGER_TRAINING,
    )
    assert 0 < ev.points["pytorch"] < stable.points["pytorch"]  # discounted
    assert "widened" in item.note


def test_unstable_near_one_does_not_decide() -> None:
    bimodal = [[1e-3] * 10, [1.3e-3] * 10, [1e-3] * 10]
    ms = eager_training(bimodal, around(1.1e-3))
    ev = build_evidence([probe_file(ms)], EAGER_TRAINING)
    assert ev.items[0].verdict == "unstable" and sum(ev.points.values()) == 0


def test_difference_inside_practical_band_does_not_decide() -> None:
    """A tight interval wholly below 1 but within 10% of it is not a difference to act on."""
    ev = build_evidence([full_probe(pt=0.95e-3, tf=1e-3)], EAGER_TRAINING)
    (item,) = ev.items
    assert item.ratio_ci95 is not None and item.ratio_ci95[1] < 1  # separated from 1 ...
    assert item.verdict == "indistinguishable" and "band" in item.note  # ... but not by 10%
    assert sum(ev.points.values()) == 0


def test_points_grow_with_strength_of_evidence() -> None:
    small = build_evidence([full_probe(pt=1e-3, tf=1.3e-3)], EAGER_TRAINING).points["pytorch"]
    large = build_evidence([full_probe(pt=1e-3, tf=3e-3)], EAGER_TRAINING).points["pytorch"]
    assert 0 < small < large


def test_evidence_rebuilds_for_other_answers() -> None:
    """The pipeline's evidence function re-derives the items for changed answers."""
    from fwadvisor.pipeline import evidence_for
    from fwadvisor.rulebook.loader import load_rulebook

    probe = full_probe(pt=1e-3, tf=2e-3)
    evidence_of = evidence_for(load_rulebook(), [probe])
    ev = evidence_of({"workloads": ["training"], "execution_mode": "eager"})
    assert ev.draws and [i.workload for i in ev.items] == ["mlp_train"]
    other = evidence_of({"workloads": ["batch_inference"], "execution_mode": "eager"})
    assert [i.workload for i in other.items] == ["cnn_infer"]


def test_modes_follow_execution_mode() -> None:
    probe = full_probe(pt=1e-3, tf=2e-3)
    for mode, expected in (
        ("eager", ("eager", "eager")),
        ("compiled", ("compiled", "function")),
        ("unsure", ("compiled", "function")),
    ):
        item = build_evidence(
            [probe], {"workload_uses": ["training"], "execution_mode": mode}
        ).items[0]
        assert (item.pytorch_mode, item.tensorflow_mode)[0] == expected[0]
        if mode != "unsure":
            assert item.tensorflow_mode == expected[1]


def test_missing_measurement_is_reported_not_scored() -> None:
    ms = [measurement("pytorch", "eager", "mlp_train", "default", around(1e-3))]
    ev = build_evidence([probe_file(ms)], EAGER_TRAINING)
    assert ev.items[0].verdict == "missing" and sum(ev.points.values()) == 0


def test_facts_and_fingerprints() -> None:
    probe: ProbeFile = full_probe(pt=1e-3, tf=2e-3)
    ev = build_evidence([probe, probe], EAGER_TRAINING)
    assert ev.facts["probe.gpu_present"] is False
    assert ev.facts["probe.torch_compile_ok"] is True
    assert ev.facts["probe.tf_xla_ok"] is True
    assert ev.facts["probe.pytorch_installed"] is True
    assert ev.facts["probe.cpu_cores"] == 2
    assert ev.facts["probe.noisy"] is False
    assert ev.facts["probe.faster_training"] == "pytorch"
    assert ev.facts["probe.faster_inference"] == "pytorch"
    assert len(ev.fingerprints) == 2 and ev.fingerprints[0].machine == "testbox"
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


def test_counterfactual_answers_carry_their_measured_effect() -> None:
    """Changing the workloads changes which measurements count, and the verdict with them."""
    from fwadvisor.answers import GivenAnswer, resolve
    from fwadvisor.pipeline import AdviceOptions, advise
    from fwadvisor.rulebook.loader import load_rulebook

    ms = [
        measurement("pytorch", "eager", "mlp_train", "default", around(8e-3)),
        measurement("tensorflow", "eager", "mlp_train", "default", around(1e-3)),
        measurement("pytorch", "eager", "cnn_infer", "throughput", around(1e-3)),
        measurement("tensorflow", "eager", "cnn_infer", "throughput", around(8e-3)),
    ]
    answers = {
        "workloads": ["training"],
        "execution_mode": "eager",
        "priority_measured_performance": 5,
    }
    book = load_rulebook()
    resolved = resolve(book, {k: GivenAnswer(value=v, origin="given") for k, v in answers.items()})
    ev = build_evidence([probe_file(ms)], EAGER_TRAINING)
    assert ev.points["tensorflow"] > 0 and ev.points["pytorch"] == 0
    rec = advise(book, resolved, [probe_file(ms)], AdviceOptions(samples=100))
    swap = [c for c in rec.counterfactuals if c.question_id == "workloads" and c.measured_effect]
    assert swap, [c.description for c in rec.counterfactuals]


def test_a_ratio_counts_only_outside_the_noise_the_run_measured() -> None:
    """The run's own noise floor is the band a ratio must clear (it used to only widen it)."""
    ms = eager_training(around(1e-3), around(1.5e-3))  # PyTorch 0.67x TensorFlow
    quiet = build_evidence([probe_file(ms, noise=0.01)], EAGER_TRAINING)
    assert quiet.items[0].verdict == "pytorch" and quiet.points["pytorch"] > 0
    noisy = build_evidence([probe_file(ms, noise=0.6)], EAGER_TRAINING)
    (item,) = noisy.items
    assert item.verdict == "indistinguishable" and "noise this run measured" in item.note
    assert noisy.points["pytorch"] == 0 and not noisy.draws[0].band < 0.6
    clear = build_evidence(
        [probe_file(eager_training(around(1e-3), around(4e-3)), noise=0.6)], EAGER_TRAINING
    )
    assert clear.items[0].verdict == "pytorch" and clear.points["pytorch"] > 0
