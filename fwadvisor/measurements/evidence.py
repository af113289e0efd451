"""Probe evidence for the measured-performance criterion (built from probe files).

The answers come keyed by question role (fwadvisor/registry.py), so no question id is named
here. Only the workloads relevant to the answers count, each framework in the mode the team
would use. Every pair of compared candidates that a probe file measured gives one time ratio
per workload, decided by its 95% interval: it counts when the whole interval lies on one side
of 1 and beyond the larger of the practical-significance band (PRACTICAL_BAND) and the noise
floor the run measured for both frameworks, and when neither measurement stalled (see
measurements/disturbance.py); a file too disturbed to decide counts nothing. An unstable
measurement (process-to-process spread above 10%, or too few processes to know) is not
dropped: its interval is widened UNSTABLE_WIDEN-fold in log space and its points are
multiplied by UNSTABLE_DISCOUNT. The faster framework of a pair gets points growing with the
log of the interval's conservative end (the end nearest 1): POINTS_PER_DOUBLING per factor 2,
at most CAP per workload, divided by (candidates measured - 1) so that with two candidates
this is the one ratio's points, and averaged over machines.
"""

from __future__ import annotations

import dataclasses
import itertools
import math
from collections.abc import Mapping, Sequence
from typing import Any, cast

from fwadvisor.fingerprint import ProbeFingerprint
from fwadvisor.measurements.compare import Ratio, best_graph, cross_ratio, find
from fwadvisor.measurements.disturbance import (
    Assessment,
    assess,
    is_disturbed,
    noise_floor,
    stall_note,
)
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
from fwadvisor.records import Record, record
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
    TRANSFORMER_BY_USE,
    WORKLOAD_BY_USE,
    WORKLOAD_USES,
    EvidenceVerdict,
    installed_fact,
    legacy_evidence_fields,
)
from fwadvisor.report.ratio_sentence import ratio_sentence

__all__ = ["NO_EVIDENCE", "EvidenceResult", "build_evidence", "relevant_workloads"]


MIN_PROCESSES = 2
OPTIONAL_WORKLOADS = {w for w, _, _ in TRANSFORMER_BY_USE.values()}
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
        if use in TRANSFORMER_BY_USE:
            add(*TRANSFORMER_BY_USE[use])
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


@record
class Decision(Record):
    """What one cross-framework ratio decides: the verdict, the interval that decided it, and why."""

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


def _judge(a: Measurement, b: Measurement, noise: float, busy: Assessment) -> Decision:
    """a's time / b's time decides for the faster one when its interval lies beyond the larger
    of the practical band and the noise the run measured, and neither side stalled."""
    if a.status != "ok" or b.status != "ok":
        bad = a if a.status != "ok" else b
        return Decision(
            verdict="missing",
            ratio=None,
            note=f"{bad.framework} {bad.mode}: {bad.status}: {bad.reason}",
        )
    ratio = cross_ratio(a, b)
    if ratio is None:
        return Decision(verdict="missing", ratio=None, note="no paired samples")
    if busy.too_disturbed:
        why = "the machine was too busy to compare: " + "; ".join(busy.reasons)
        return Decision(
            verdict="disturbed", ratio=ratio, note=why, interval=ratio.ci95, discount=0.0
        )
    stalled = [m for m in (a, b) if is_disturbed(m)]
    if stalled:
        return Decision(
            verdict="disturbed",
            ratio=ratio,
            note="; ".join(map(stall_note, stalled)),
            interval=ratio.ci95,
            discount=0.0,
        )
    band = max(PRACTICAL_BAND, noise)
    why_unstable = ""
    if ratio.unstable:
        why_unstable = "process-to-process spread above 10%"
    elif min(a.processes, b.processes) < MIN_PROCESSES:
        why_unstable = f"fewer than {MIN_PROCESSES} processes: spread unknown"
    interval, discount = ratio.ci95, 1.0
    if why_unstable:
        interval = _widen(ratio.value, ratio.ci95, UNSTABLE_WIDEN)
        discount = UNSTABLE_DISCOUNT
        why_unstable += f"; interval widened {UNSTABLE_WIDEN:g}x, points x{UNSTABLE_DISCOUNT:g}"
    lo, hi = interval
    verdict: str
    if hi < 1 / (1 + band):
        verdict = a.framework
    elif lo > 1 + band:
        verdict = b.framework
    else:
        verdict = "unstable" if why_unstable else "indistinguishable"
        if lo <= 1.0 <= hi:
            why = "the 95% interval spans 1"
        elif band > PRACTICAL_BAND:
            why = f"within the noise this run measured ({band:.0%} either side of 1)"
        else:
            why = f"within the {band:.0%} band around 1"
        note = f"{why_unstable}; {why}" if why_unstable else why
        return Decision(
            verdict=verdict, ratio=ratio, note=note, interval=interval, discount=discount, band=band
        )
    return Decision(
        verdict=verdict,
        ratio=ratio,
        note=why_unstable,
        interval=interval,
        discount=discount,
        band=band,
    )


def _points(d: Decision, scale: float) -> dict[str, float]:
    if d.verdict not in FRAMEWORKS or d.interval is None:
        return {}
    lo, hi = d.interval
    conservative = lo if lo > 1.0 else hi
    return {d.verdict: round(ratio_points(conservative, 0.0) * d.discount * scale, 4)}


def _draw(d: Decision, pair: tuple[str, str], scale: float) -> EvidenceDraw | None:
    if d.ratio is None or d.interval is None or d.ratio.value <= 0 or d.verdict == "disturbed":
        return None
    lo, hi = d.interval
    return EvidenceDraw(
        numerator=pair[0],
        denominator=pair[1],
        log_ratio=math.log(d.ratio.value),
        log_ci95=(math.log(lo), math.log(hi)),
        band=d.band,
        scale=scale * d.discount,
    )


def _machine_names(probes: Sequence[ProbeFile]) -> list[str]:
    names: list[str] = []
    for p in probes:
        base = node_name(p) or f"{p.fingerprint.machine} ({p.settings.device})"
        twin = f"{p.fingerprint.machine} #{len(names) + 1} ({p.settings.device})"
        names.append(base if base not in names else twin)
    return names


def compared_frameworks(probe: ProbeFile, candidates: Sequence[str]) -> list[str]:
    """The candidates this probe file measured, in the registry's order."""
    return [fw for fw in FRAMEWORKS if fw in candidates and fw in probe.settings.frameworks]


def _decide(
    probe: ProbeFile, w: str, v: str, mode: Any, pair: tuple[str, str] = RATIO_PAIR
) -> tuple[dict[str, Measurement | None], Decision]:
    """Each framework's measurement in the mode the team would use, and the pair's decision."""
    picked = {fw: pick(probe, fw, w, v, mode) for fw in FRAMEWORKS}
    first, second = (picked[fw] for fw in pair)
    if first is None or second is None:
        return picked, Decision(
            verdict="missing", ratio=None, note="not measured in this probe file"
        )
    return picked, _judge(first, second, noise_floor(probe.noise, pair), assess(probe))


def _sentence(
    name: str,
    w: str,
    v: str,
    pair: tuple[str, str],
    picked: Mapping[str, Measurement | None],
    d: Decision,
    points: Mapping[str, float],
) -> str:
    if d.ratio is None or d.ratio.value <= 0:
        return ""
    value, (lo, hi) = d.ratio.value, d.ratio.ci95
    a, b = pair
    faster, slower = (a, b) if value <= 1.0 else (b, a)
    if faster != a:
        value, lo, hi = 1 / value, 1 / hi, 1 / lo
    ma, mb = picked[faster], picked[slower]
    why_not = "" if points.get(faster) else (d.note or d.verdict)
    return ratio_sentence(
        machine=f"this machine ({name})",
        workload=w,
        variant=v,
        faster=faster,
        faster_mode=ma.mode if ma else "-",
        slower=slower,
        slower_mode=mb.mode if mb else "-",
        ratio=value,
        ci95=(lo, hi),
        points=points.get(faster, 0.0),
        why_not=why_not,
    )


def _item(
    name: str,
    probe: ProbeFile,
    w: str,
    v: str,
    purpose: str,
    mode: Any,
    pair: tuple[str, str],
    scale: float,
    compared: Sequence[str],
) -> tuple[EvidenceItem, EvidenceDraw | None]:
    picked, d = _decide(probe, w, v, mode, pair)
    by_candidate = {
        fw: CandidateTime(mode=m.mode, median_s=m.median_s)
        for fw, m in picked.items()
        if m is not None and fw in compared
    }
    legacy = legacy_evidence_fields({fw: (t.mode, t.median_s) for fw, t in by_candidate.items()})
    ratio = d.ratio
    points = _points(d, scale)
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
        verdict=cast(EvidenceVerdict, d.verdict),  # framework ids are verdict values
        points=points,
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
        numerator=pair[0],
        denominator=pair[1],
        sentence=_sentence(name, w, v, pair, picked, d, points),
    )
    return item, _draw(d, pair, scale)


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


def _pairs(compared: Sequence[str], measured: Sequence[str]) -> list[tuple[str, str]]:
    """Every pair of measured candidates; with fewer than two measured, one pair (a measured
    one first) whose item says what is missing."""
    pairs = list(itertools.combinations(measured, 2))
    if pairs:
        return pairs
    first, second = list(dict.fromkeys([*measured, *compared, *RATIO_PAIR]))[:2]
    a, b = sorted((first, second), key=FRAMEWORKS.index)
    return [(a, b)]


def build_evidence(
    probes: Sequence[ProbeFile],
    by_role: Mapping[str, Any],
    candidates: Sequence[str] = RATIO_PAIR,
) -> EvidenceResult:
    """Evidence items, points per candidate, probe.* facts and fingerprints from probe files.

    Every pair of compared candidates a file measured is one item per workload; a candidate's
    points are the points of the pairs it wins divided by (candidates measured - 1), so with
    two candidates they are the one ratio's points, and with more the scale stays the same.
    """
    if not probes:
        return NO_EVIDENCE
    names = _machine_names(probes)
    mode = by_role.get(EXECUTION_MODE)
    workloads = relevant_workloads(by_role)
    # a fleet: each kind of node counts where the answers use it (training or inference)
    uses = {w: counted(probes, by_role, w) for w, _, _ in workloads}
    built = []
    warnings = []
    for i, (name, probe) in enumerate(zip(names, probes, strict=True)):
        compared = [fw for fw in FRAMEWORKS if fw in candidates]
        measured = compared_frameworks(probe, candidates)
        pairs = _pairs(compared, measured)
        busy = assess(probe)
        if busy.too_disturbed:
            warnings.append(busy.headline(name))
        for w, v, purpose in workloads:
            if w in OPTIONAL_WORKLOADS and not any(m.workload == w for m in probe.measurements):
                continue  # a file that did not measure it (older, or --workloads) says nothing
            mask, not_counted = uses[w]
            scale = (1.0 / sum(mask) if mask[i] else 0.0) / max(1, len(measured) - 1)
            for pair in pairs:
                item, draw = _item(name, probe, w, v, purpose, mode, pair, scale, compared)
                if not mask[i]:
                    note = f"{not_counted}; {item.note}" if item.note else not_counted
                    item, draw = dataclasses.replace(item, note=note, points={}), None
                built.append((item, draw))
    items = [item for item, _ in built]
    scored = [c for c in FRAMEWORKS if c in candidates]
    points: dict[str, float] = dict.fromkeys(scored or RATIO_PAIR, 0.0)
    for item in items:
        for candidate, value in item.points.items():
            points[candidate] = round(points.get(candidate, 0.0) + value, 4)
    fingerprints = [
        ProbeFingerprint.of(p.fingerprint, p.settings.suite, p.complete) for p in probes
    ]
    return EvidenceResult(
        items=items,
        points=points,
        facts=_facts(probes, by_role),
        fingerprints=fingerprints,
        draws=[draw for _, draw in built if draw is not None],
        warnings=warnings,
    )
