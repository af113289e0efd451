"""The time chart shows every measured mode, eager and graph, with its interval."""

from __future__ import annotations

from dataclasses import replace

from fwadvisor.models import EvidenceItem, ModeTime
from fwadvisor.report.charts import _series

NAMES = {"pytorch": "PyTorch", "tensorflow": "TensorFlow"}


def _item() -> EvidenceItem:
    return EvidenceItem(
        machine="lab",
        device="cpu",
        workload="mlp_train",
        purpose="training",
        pytorch_mode="compiled",
        tensorflow_mode="xla",
        pytorch_median_s=0.0018,
        tensorflow_median_s=0.0022,
        ratio=0.8,
        ratio_ci95=(0.7, 0.9),
        verdict="pytorch",
        modes=[
            ModeTime(
                framework="pytorch",
                mode="eager",
                status="ok",
                median_s=0.0014,
                ci95_s=(0.0012, 0.0018),
            ),
            ModeTime(
                framework="pytorch",
                mode="compiled",
                status="ok",
                median_s=0.0018,
                ci95_s=(0.0015, 0.0022),
            ),
            ModeTime(
                framework="tensorflow",
                mode="eager",
                status="ok",
                median_s=0.011,
                ci95_s=(0.009, 0.017),
            ),
            ModeTime(framework="tensorflow", mode="function", status="failed"),
            ModeTime(
                framework="tensorflow",
                mode="xla",
                status="ok",
                median_s=0.0022,
                ci95_s=(0.002, 0.0044),
            ),
        ],
    )


def test_series_has_every_mode_with_intervals() -> None:
    series = _series([_item()], NAMES)
    assert set(series) == {
        ("pytorch", "eager"),
        ("pytorch", "compiled"),
        ("tensorflow", "eager"),
        ("tensorflow", "function"),
        ("tensorflow", "xla"),
    }
    assert series[("pytorch", "eager")]["mlp_train"] == (0.0014, (0.0012, 0.0018))
    assert series[("tensorflow", "function")]["mlp_train"] == (None, None)  # failed: shown as such


def test_series_falls_back_to_the_compared_modes() -> None:
    item = replace(_item(), **{"modes": []})
    series = _series([item], NAMES)
    assert set(series) == {("pytorch", "compiled"), ("tensorflow", "xla")}
    assert series[("pytorch", "compiled")]["mlp_train"] == (0.0018, None)
