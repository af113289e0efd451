"""dp_train read back: which framework scales better across devices, and one line each.

`probe.scales_better` compares the RATIO_PAIR's scaling efficiencies on the probe files that
count for training (fleetuse): a framework is better on a file when its efficiency interval
lies wholly above the other's, by more than the practical band; the files must agree, as
for `probe.faster_training`. Rules turn it into distributed-scale points only when the
answers say training spans several devices (rules/rules/measurement.yaml).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from fwadvisor.measurements.fleetuse import counted
from fwadvisor.measurements.schema import ProbeFile, Scaling
from fwadvisor.registry import FRAMEWORK_NAME, RATIO_PAIR

BAND = 0.10


def _better(a: Scaling, b: Scaling) -> str:
    assert a.efficiency_ci95 is not None and b.efficiency_ci95 is not None
    if a.efficiency_ci95[0] > b.efficiency_ci95[1] * (1 + BAND):
        return a.framework
    if b.efficiency_ci95[0] > a.efficiency_ci95[1] * (1 + BAND):
        return b.framework
    return "indistinguishable"


def scales_better(probes: Sequence[ProbeFile], by_role: Mapping[str, Any]) -> str | None:
    mask, _ = counted(probes, by_role, "mlp_train")
    verdicts = []
    for probe, counts in zip(probes, mask, strict=True):
        ok: dict[str, Scaling] = {
            s.framework: s for s in probe.scaling if s.status == "ok" and s.efficiency_ci95
        }
        if counts and all(fw in ok for fw in RATIO_PAIR):
            verdicts.append(_better(ok[RATIO_PAIR[0]], ok[RATIO_PAIR[1]]))
    decided = {v for v in verdicts if v in RATIO_PAIR}
    if len(decided) == 1:
        return decided.pop()
    return "indistinguishable" if verdicts else None


def scaling_lines(probe: ProbeFile) -> list[str]:
    lines = []
    for s in probe.scaling:
        name = FRAMEWORK_NAME[s.framework]
        if s.status != "ok" or s.efficiency is None or s.efficiency_ci95 is None:
            lines.append(f"dp_train {name}: {s.status}: {s.reason}")
            continue
        lo, hi = s.efficiency_ci95
        lines.append(
            f"dp_train {name} ({s.strategy}): scaling efficiency on {s.devices} {s.device} "
            f"devices {s.efficiency:.2f} [{lo:.2f}-{hi:.2f}] "
            f"({s.throughput_1:.0f} -> {s.throughput_n:.0f} rows/s, "
            f"{s.threads_per_device} thread(s) per device)"
        )
    return lines
