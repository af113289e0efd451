"""Probe evidence for the measured-performance criterion (built from probe files).

The answers come keyed by question role (fwadvisor/registry.py), so no question id is named
here. Only the workloads relevant to the answers count, each framework in the mode the team would
use. A time ratio of the registry's RATIO_PAIR decides by its 95% interval: it counts when the whole
interval lies on one side of 1 and beyond the practical-significance band (PRACTICAL_BAND).
An unstable measurement (process-to-process spread above 10%, too few processes to know, or
a machine whose noise floor exceeds NOISY_FLOOR) is not dropped: its interval is widened
UNSTABLE_WIDEN-fold in log space and its points are multiplied by UNSTABLE_DISCOUNT. The faster
framework gets points growing with the log of the interval's conservative end (the end nearest
1): POINTS_PER_DOUBLING per factor 2, at most CAP per workload, averaged over machines.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, cast

from fwadvisor.measurements.compare import Ratio, best_graph, cross_ratio, find
from fwadvisor.measurements.fleetuse import counted, node_name
from fwadvisor.measurements.points import ratio_points
from fwadvisor.measurements.scaling import scales_better
from fwadvisor.measurements.schema import Measurement, ProbeFile
from fwadvisor.models import (
    NO_EVIDENCE,
    CandidateTime,
    EvidenceDraw,
    EvidenceItem,
    EvidenceResult,
    ModeTime,
)
from fwadvisor.registry import (
    COMPILED,
    DYNAMIC_MODELS,
    EAGER,
    EXECUTION_MODE,
    FRAMEWORKS,
    GRAPH_MODES,
    LATENCY_SENSITIVE,
    MODE_OK_FACTS,
    NOISY_FLOOR,
    RATIO_PAIR,
    WORKLOAD_BY_USE,
    WORKLOAD_USES,
    EvidenceVerdict,
    installed_fact,
    legacy_evidence_fields,
)

__all__ = ["NO_EVIDENCE", "EvidenceResult", "build_evidence", "relevant_workloads"]


MIN_PROCESSES = 2
PRACTICAL_BAND = 0.10  # a 10% difference is the smallest a team would act on
UNSTABLE_WIDEN = 2.0
UNSTABLE_DISCOUNT = 0.5

LATENCY = [("cnn_infer", "latency", "latency (batch 1)"), ("dispatch", "default", "per-op latency")]
DYNAMIC = ("dynamic", "default", "dynamic models")


def relevant_workloads(by_role: Mapping[str, Any]) -> list[tuple[str, str, str]]:
    """(workload, variant, purpose) for the answers (keyed by role); purposes of one workload
    are joined."""
    picked: dict[tuple[str, str], list[str]] = {}

    def add(w: str, v: str, purpose: str) -> None:
        purposes = picked.setdefault((w, v), [])
        if purpose not in purposes:
            purposes.append(purpose)

    uses = by_role.get(WORKLOAD_USES) or []
    for use in uses if isinstance(uses, list) else [uses]:
        if use in WORKLOAD_BY_USE:
            add(*WORKLOAD_BY_USE[use])
    if by_role.get(LATENCY_SENSITIVE) is True:
        for entry in LATENCY:
            add(*entry)
    if by_role.get(DYNAMIC_MODELS) is True:
        add(*DYNAMIC)
    if not picked:
        add("mlp_train", "default", "general (no workload given)")
        add("cnn_infer", "throughput", "general (no workload given)")
    return [(w, v, "; ".join(p)) for (w, v), p in picked.items()]


def _best_graph(probe: ProbeFile, fw: str, w: str, v: str) -> Measurement | None:
    """The fastest graph mode that ran; else the first graph mode's (failed) measurement, so
    the evidence can say why it is missing."""
    return best_graph(probe, fw, w, v) or find(probe, fw, GRAPH_MODES[fw][0], w, v)


def pick(probe: ProbeFile, fw: str, w: str, v: str, execution_mode: Any) -> Measurement | None:
    """The measurement of the mode the team would use."""
    if execution_mode == EAGER:
        return find(probe, fw, EAGER, w, v)
    if execution_mode == COMPILED:
        return find(probe, fw, GRAPH_MODES[fw][0], w, v)  # compiled / tf.function
    return _best_graph(probe, fw, w, v)  # unsure: each framework's best graph mode


@dataclass(frozen=True)
class Decision:
    verdict: str
    ratio: Ratio | None
    note: str
    interval: tuple[float, float] | None = None  # the interval that decided (maybe widened)
    discount: float = 1.0
    band: float = PRACTICAL_BAND

    @property
    def unstable(self) -> bool:
        return self.discount < 1.0


def _widen(value: float, ci: tuple[float, float], factor: float) -> tuple[float, float]:
    """The interval stretched `factor`-fold around the value, in log space."""
    centre = math.log(value)
    lo, hi = math.log(ci[0]), math.log(ci[1])
    return (math.exp(centre - factor * (centre - lo)), math.exp(centre + factor * (hi - centre)))


def _judge(pt: Measurement, tf: Measurement, noise: float) -> Decision:
    if pt.status != "ok" or tf.status != "ok":
        bad = pt if pt.status != "ok" else tf
        return Decision("missing", None, f"{bad.framework} {bad.mode}: {bad.status}: {bad.reason}")
    ratio = cross_ratio(pt, tf)
    if ratio is None:
        return Decision("missing", None, "no paired samples")
    band = PRACTICAL_BAND
    why_unstable = ""
    if ratio.unstable:
        why_unstable = "process-to-process spread above 10%"
    elif min(pt.processes, tf.processes) < MIN_PROCESSES:
        why_unstable = f"fewer than {MIN_PROCESSES} processes: spread unknown"
    elif noise > NOISY_FLOOR:
        why_unstable = f"noisy machine (noise floor {noise:.0%})"
    interval, discount = ratio.ci95, 1.0
    if why_unstable:
        interval = _widen(ratio.value, ratio.ci95, UNSTABLE_WIDEN)
        discount = UNSTABLE_DISCOUNT
        why_unstable += f"; interval widened {UNSTABLE_WIDEN:g}x, points x{UNSTABLE_DISCOUNT:g}"
    lo, hi = interval
    first, second = RATIO_PAIR
    if hi < 1 / (1 + band):
        verdict = first
    elif lo > 1 + band:
        verdict = second
    else:
        verdict = "unstable" if why_unstable else "indistinguishable"
        spans = lo <= 1.0 <= hi
        why = "the 95% interval spans 1" if spans else f"within the {band:.0%} band around 1"
        note = f"{why_unstable}; {why}" if why_unstable else why
        return Decision(verdict, ratio, note, interval, discount, band)
    return Decision(verdict, ratio, why_unstable, interval, discount, band)


def _points(d: Decision, share: float) -> dict[str, float]:
    if d.verdict not in RATIO_PAIR or d.interval is None:
        return {}
    lo, hi = d.interval
    conservative = lo if lo > 1.0 else hi
    return {d.verdict: round(ratio_points(conservative, 0.0) * d.discount * share, 4)}


def _draw(d: Decision, share: float) -> EvidenceDraw | None:
    if d.ratio is None or d.interval is None or d.ratio.value <= 0:
        return None
    lo, hi = d.interval
    return EvidenceDraw(
        numerator=RATIO_PAIR[0],
        denominator=RATIO_PAIR[1],
        log_ratio=math.log(d.ratio.value),
        log_ci95=(math.log(lo), math.log(hi)),
        band=d.band,
        scale=share * d.discount,
    )


def _machine_names(probes: Sequence[ProbeFile]) -> list[str]:
    names: list[str] = []
    for p in probes:
        base = node_name(p) or f"{p.fingerprint.machine} ({p.settings.device})"
        twin = f"{p.fingerprint.machine} #{len(names) + 1} ({p.settings.device})"
        names.append(base if base not in names else twin)
    return names


def _decide(
    probe: ProbeFile, w: str, v: str, mode: Any
) -> tuple[dict[str, Measurement | None], Decision]:
    """Each framework's measurement in the mode the team would use, and the RATIO_PAIR's
    decision on them."""
    picked = {fw: pick(probe, fw, w, v, mode) for fw in FRAMEWORKS}
    first, second = (picked[fw] for fw in RATIO_PAIR)
    if first is None or second is None:
        return picked, Decision("missing", None, "not measured in this probe file")
    noise = max((n.floor for n in probe.noise), default=0.0)
    return picked, _judge(first, second, noise)


def _item(
    name: str, probe: ProbeFile, w: str, v: str, purpose: str, mode: Any, share: float
) -> tuple[EvidenceItem, EvidenceDraw | None]:
    picked, d = _decide(probe, w, v, mode)
    by_candidate = {
        fw: CandidateTime(mode=m.mode, median_s=m.median_s)
        for fw, m in picked.items()
        if m is not None
    }
    legacy = legacy_evidence_fields({fw: (t.mode, t.median_s) for fw, t in by_candidate.items()})
    ratio = d.ratio
    item = EvidenceItem(
        machine=name,
        device=probe.settings.device,
        workload=w,
        variant=v,
        purpose=purpose,
        **legacy,
        by_candidate=by_candidate,
        ratio=ratio.value if ratio else None,
        ratio_ci95=ratio.ci95 if ratio else None,
        verdict=cast(EvidenceVerdict, d.verdict),  # RATIO_PAIR's ids are verdict values
        points=_points(d, share),
        note=d.note,
        decision_ci95=d.interval,
        unstable=d.unstable,
        modes=[
            ModeTime(
                framework=m.framework,
                mode=m.mode,
                status=m.status,
                median_s=m.median_s,
                ci95_s=m.ci95_s,
                unstable=m.unstable,
            )
            for m in probe.measurements
            if m.workload == w and m.variant == v
        ],
    )
    return item, _draw(d, share)


def _mode_ok(probes: Sequence[ProbeFile], fw: str, mode: str) -> bool | None:
    ran = [
        m
        for p in probes
        for m in p.measurements
        if (m.framework, m.mode) == (fw, mode) and m.status != "skipped"
    ]
    return all(m.status == "ok" for m in ran) if ran else None


def _installed(probes: Sequence[ProbeFile], fw: str) -> bool | None:
    infos = [p.fingerprint.frameworks[fw] for p in probes if fw in p.fingerprint.frameworks]
    return all(i.installed for i in infos) if infos else None


def _faster(probes: Sequence[ProbeFile], w: str, v: str, mode: Any) -> str | None:
    """Which of the RATIO_PAIR the probe files find faster on one workload: the one they all
    decide for, else "indistinguishable" when any decides or finds no difference."""
    verdicts = [_decide(p, w, v, mode)[1].verdict for p in probes]
    decided = {verdict for verdict in verdicts if verdict in RATIO_PAIR}
    if len(decided) == 1:
        return decided.pop()
    if decided or "indistinguishable" in verdicts:
        return "indistinguishable"
    return None


def _facts(probes: Sequence[ProbeFile], by_role: Mapping[str, Any]) -> dict[str, Any]:
    mode = by_role.get(EXECUTION_MODE)
    infer = "latency" if by_role.get(LATENCY_SENSITIVE) is True else "throughput"
    candidates: dict[str, Any] = {
        "probe.gpu_present": any(p.fingerprint.gpus for p in probes),
        **{fact: _mode_ok(probes, fw, m) for (fw, m), fact in MODE_OK_FACTS.items()},
        **{installed_fact(fw): _installed(probes, fw) for fw in FRAMEWORKS},
        "probe.cpu_cores": min(p.fingerprint.cpu_cores_logical for p in probes),
        "probe.noisy": any(n.floor > NOISY_FLOOR for p in probes for n in p.noise),
        "probe.faster_training": _faster(probes, "mlp_train", "default", mode),
        "probe.faster_inference": _faster(probes, "cnn_infer", infer, mode),
        "probe.scales_better": scales_better(probes, by_role),
    }
    return {k: v for k, v in candidates.items() if v is not None}  # absent = unknown


def build_evidence(probes: Sequence[ProbeFile], by_role: Mapping[str, Any]) -> EvidenceResult:
    """Evidence items, points per candidate, probe.* facts and fingerprints from probe files."""
    if not probes:
        return NO_EVIDENCE
    names = _machine_names(probes)
    mode = by_role.get(EXECUTION_MODE)
    workloads = relevant_workloads(by_role)
    built = []
    for w, v, purpose in workloads:
        # a fleet: each kind of node counts where the answers use it (training or inference)
        mask, not_counted = counted(probes, by_role, w)
        share = 1.0 / sum(mask)
        for name, probe, counts in zip(names, probes, mask, strict=True):
            item, draw = _item(name, probe, w, v, purpose, mode, share if counts else 0.0)
            if not counts:
                note = f"{not_counted}; {item.note}" if item.note else not_counted
                item, draw = dataclasses.replace(item, note=note, points={}), None
            built.append((item, draw))
    built.sort(key=lambda pair: names.index(pair[0].machine))  # side by side, by machine
    items = [item for item, _ in built]
    points: dict[str, float] = dict.fromkeys(RATIO_PAIR, 0.0)  # the pair a ratio scores
    for item in items:
        for candidate, value in item.points.items():
            points[candidate] = round(points.get(candidate, 0.0) + value, 4)
    fingerprints = [
        {**p.fingerprint.model_dump(mode="json"), "suite": p.settings.suite, "complete": p.complete}
        for p in probes
    ]
    return EvidenceResult(
        items=items,
        points=points,
        facts=_facts(probes, by_role),
        fingerprints=fingerprints,
        draws=[draw for _, draw in built if draw is not None],
    )
