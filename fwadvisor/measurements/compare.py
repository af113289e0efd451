"""Comparisons with intervals: graph vs eager (paired rounds) and PyTorch vs TensorFlow."""

from __future__ import annotations

import math

from fwadvisor.measurements import stats
from fwadvisor.measurements.schema import Measurement, ProbeFile
from fwadvisor.records import Record, record
from fwadvisor.registry import GRAPH_MODES


@record
class Ratio(Record):
    """a / b of two measurements' times, with its bootstrap 95% interval."""

    value: float
    ci95: tuple[float, float]
    unstable: bool

    @property
    def indistinguishable(self) -> bool:
        return stats.spans_one(self.ci95)

    @property
    def conservative(self) -> float:
        """The end of the interval nearest to 1 (1 when it spans 1)."""
        lo, hi = self.ci95
        if lo <= 1.0 <= hi:
            return 1.0
        return lo if lo > 1.0 else hi


def find(
    probe: ProbeFile,
    framework: str,
    mode: str,
    workload: str,
    variant: str = "default",
    device: str | None = None,
) -> Measurement | None:
    for m in probe.measurements:
        if (m.framework, m.mode, m.workload, m.variant) == (
            framework,
            mode,
            workload,
            variant,
        ) and (device is None or m.device == device):
            return m
    return None


def _ok_runs(m: Measurement) -> dict[int, list[float]]:
    return {r.process: r.samples_s for r in m.runs if r.status == "ok" and r.samples_s}


def paired_ratio(a: Measurement, b: Measurement) -> Ratio | None:
    """a/b where both were timed in the same processes, interleaved round by round."""
    ra, rb = _ok_runs(a), _ok_runs(b)
    common = sorted(set(ra) & set(rb))
    if a.status != "ok" or b.status != "ok" or not common:
        return None
    xa, xb = [ra[p] for p in common], [rb[p] for p in common]
    value = stats.center(xa) / stats.center(xb)
    return Ratio(
        value=value, ci95=stats.ratio_ci(xa, xb, paired=True), unstable=a.unstable or b.unstable
    )


def cross_ratio(a: Measurement, b: Measurement) -> Ratio | None:
    """a/b of measurements from different processes; process i of each pairs up."""
    if a.status != "ok" or b.status != "ok":
        return None
    xa, xb = list(_ok_runs(a).values()), list(_ok_runs(b).values())
    if not xa or not xb:
        return None
    value = stats.center(xa) / stats.center(xb)
    return Ratio(
        value=value, ci95=stats.ratio_ci(xa, xb, paired=False), unstable=a.unstable or b.unstable
    )


def break_even_calls(eager: Measurement, graph: Measurement) -> float | None:
    """Calls after which compiling pays off; inf when the graph mode is not faster."""
    if eager.median_s is None or graph.median_s is None or graph.compile_s is None:
        return None
    gain = eager.median_s - graph.median_s
    if gain <= 0:
        return math.inf
    return math.ceil(graph.compile_s / gain)


def best_graph(probe: ProbeFile, fw: str, workload: str, variant: str) -> Measurement | None:
    """The framework's fastest graph-mode measurement that succeeded, if any."""
    found = [find(probe, fw, mode, workload, variant) for mode in GRAPH_MODES[fw]]
    ok = [m for m in found if m is not None and m.status == "ok" and m.median_s is not None]
    return min(ok, key=lambda m: m.median_s or math.inf, default=None)
