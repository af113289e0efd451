"""Terminal summary of a probe file, as rich renderables (the CLI prints them)."""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterator

from rich.table import Table

from fwadvisor.measurements.compare import (
    Ratio,
    best_graph,
    break_even_calls,
    cross_ratio,
    find,
    paired_ratio,
)
from fwadvisor.measurements.disturbance import assess, is_disturbed
from fwadvisor.measurements.evidence import PRACTICAL_BAND
from fwadvisor.measurements.schema import Measurement, ProbeFile
from fwadvisor.registry import EAGER, FRAMEWORK_NAME, FRAMEWORKS
from fwadvisor.report.wording import seconds
from fwadvisor.units import byte_size


def fmt_ratio(r: Ratio | None) -> str:
    if r is None:
        return "-"
    text = f"{r.value:.2f}x [{r.ci95[0]:.2f}, {r.ci95[1]:.2f}]"
    if r.unstable:
        return text + " unstable"
    if r.indistinguishable:
        return text + " indistinguishable"
    return text


def _variants(probe: ProbeFile) -> Iterator[tuple[str, str]]:
    seen: list[tuple[str, str]] = []
    for m in probe.measurements:
        if (m.workload, m.variant) not in seen:
            seen.append((m.workload, m.variant))
    yield from seen


def _median_cell(m: Measurement) -> str:
    if m.status != "ok":
        return f"{m.status}: {(m.reason or '')[:60]}"
    assert m.ci95_s is not None
    cell = f"{seconds(m.median_s)} [{seconds(m.ci95_s[0])}, {seconds(m.ci95_s[1])}]"
    if m.tokens_per_s:
        cell += f" {m.tokens_per_s:.3g} tokens/s"
    if m.gflops:
        cell += f" {m.gflops:.3g} GFLOP/s"
        if m.reference_fraction:
            cell += f" ({m.reference_fraction:.2f}x NumPy)"
    return cell


def _memory_cell(m: Measurement) -> str:
    """Device memory on a GPU; otherwise the worker's peak RSS (runtime included)."""
    if m.peak_mem_bytes is not None:
        return byte_size(m.peak_mem_bytes)
    if m.peak_rss_bytes is not None:
        return f"{byte_size(m.peak_rss_bytes)} RSS"
    return "-"


def _compile_cell(eager: Measurement | None, m: Measurement) -> str:
    if m.mode == "eager" or m.compile_s is None:
        return "-"
    parts = []
    if m.compile_cold_s is not None:
        parts.append(f"cold {seconds(m.compile_cold_s)}")
    if m.compile_warm_s is not None:
        parts.append(f"warm {seconds(m.compile_warm_s)}")
    calls = break_even_calls(eager, m) if eager is not None else None
    if calls is not None:
        parts.append("never pays" if math.isinf(calls) else f"pays after {calls:.0f} calls")
    if m.recompiles:
        parts.append(f"{m.recompiles} graphs/traces")
    return ", ".join(parts)


def measurements_table(probe: ProbeFile) -> Table:
    table = Table(title="Measurements (median [95% CI] per call)", title_justify="left")
    for col in (
        "workload",
        "framework",
        "mode",
        "median",
        "spread",
        "vs eager",
        "compile",
        "peak mem",
    ):
        table.add_column(col)
    for workload, variant in _variants(probe):
        for fw in FRAMEWORKS:
            eager = find(probe, fw, "eager", workload, variant)
            for m in probe.measurements:
                if (m.framework, m.workload, m.variant) != (fw, workload, variant):
                    continue
                spread = "-" if m.spread_cv is None else f"{m.spread_cv:.0%}"
                if m.unstable:
                    spread += " unstable"
                speedup = None
                if m.mode != "eager" and eager is not None:
                    speedup = paired_ratio(eager, m)
                table.add_row(
                    f"{workload} ({variant})",
                    fw,
                    m.mode,
                    _median_cell(m),
                    spread,
                    fmt_ratio(speedup),
                    _compile_cell(eager, m),
                    _memory_cell(m),
                )
    return table


def frameworks_table(probe: ProbeFile, first: str, second: str) -> Table:
    a, b = FRAMEWORK_NAME.get(first, first), FRAMEWORK_NAME.get(second, second)
    table = Table(title=f"{a} time / {b} time (below 1: {a} faster)", title_justify="left")
    for col in ("workload", "eager vs eager", "best graph vs best graph"):
        table.add_column(col)
    for workload, variant in _variants(probe):
        pe = find(probe, first, EAGER, workload, variant)
        te = find(probe, second, EAGER, workload, variant)
        eager = cross_ratio(pe, te) if pe and te else None
        pg = best_graph(probe, first, workload, variant)
        tg = best_graph(probe, second, workload, variant)
        graph = cross_ratio(pg, tg) if pg and tg else None
        label = f" ({pg.mode} vs {tg.mode})" if graph and pg and tg else ""
        table.add_row(f"{workload} ({variant})", fmt_ratio(eager), fmt_ratio(graph) + label)
    return table


def frameworks_tables(probe: ProbeFile) -> list[Table]:
    """One ratio table per pair of the frameworks probed, in their canonical order."""
    probed = [fw for fw in FRAMEWORKS if fw in probe.settings.frameworks]
    return [frameworks_table(probe, a, b) for a, b in itertools.combinations(probed, 2)]


def headline(probe: ProbeFile) -> str | None:
    """What to say before anything else when the run was too disturbed to decide."""
    verdict = assess(probe)
    return verdict.headline() if verdict.too_disturbed else None


def _times(x: float) -> str:
    return f"{x:.2g}x" if x < 10 else f"{x:,.0f}x"


def _spread(floor: float) -> str:
    """A self-ratio's reach from 1 in words: a percentage, or a factor past doubling."""
    return f"{floor:.0%}" if floor < 1 else f"a factor of {_times(1 + floor)}"


def noise_advice(probe: ProbeFile) -> str | None:
    """The run's own noise in plain words: the smallest difference it can tell apart."""
    if not probe.noise:
        return None
    floor = max(n.floor for n in probe.noise)
    band = max(PRACTICAL_BAND, floor)
    if floor <= PRACTICAL_BAND:
        return (
            f"Noise: the same code timed against itself differed by up to {floor:.0%}; "
            f"differences above {band:.0%} can count."
        )
    return (
        f"Noise: the same code timed against itself differed by up to {_spread(floor)}, so only "
        f"a framework more than {_times(1 + band)} faster can count here; for finer comparisons "
        "stop other work on this machine, or use fewer threads (--threads 1) or more "
        "processes (--processes 5)."
    )


def machine_line(probe: ProbeFile) -> str | None:
    state = probe.machine
    if state is None:
        return "machine state: not recorded (needs Linux /proc)"
    parts = [f"workers may use {len(state.cores_allowed)} cores"]
    if state.before is not None:
        parts.append(f"before the run other processes used {state.before.foreign_cores:.1f} cores")
    if state.during:
        loads = sorted(p.foreign_cores for p in state.during)
        parts.append(
            f"beside the workers {loads[len(loads) // 2]:.1f} (median; up to {loads[-1]:.1f})"
        )
        steal = max(p.steal_share for p in state.during)
        if steal:
            parts.append(f"CPU steal up to {steal:.0%}")
    mhz = [p.cpu_mhz for p in state.during if p.cpu_mhz]
    if mhz:
        parts.append(f"CPU {min(mhz):.0f}-{max(mhz):.0f} MHz")
    return "machine: " + "; ".join(parts)


def notes(probe: ProbeFile) -> list[str]:
    out = []
    advice = noise_advice(probe)
    if advice:
        out.append(advice)
    line = machine_line(probe)
    if line:
        out.append(line)
    stalled = [m for m in probe.measurements if m.status == "ok" and is_disturbed(m)]
    if stalled:
        out.append(
            f"{len(stalled)} measurements stalled and count for nothing: "
            + ", ".join(f"{m.framework} {m.mode} {m.workload} ({m.variant})" for m in stalled)
        )
    for fw, info in probe.fingerprint.frameworks.items():
        if not info.installed:
            out.append(f"{fw}: skipped: {info.error}")
        else:
            build = ", ".join(f"{k}={v}" for k, v in info.build.items())
            out.append(
                f"{fw} {info.version}: threads {info.threads_intra}/{info.threads_inter}"
                f" (intra/inter); {build}"
            )
    spent = probe.framework_wall_s
    if spent and probe.wall_s:
        shares = ", ".join(f"{fw} {s:.0f} s ({s / probe.wall_s:.0%})" for fw, s in spent.items())
        out.append(f"wall time {probe.wall_s:.0f} s; in each framework's workers: {shares}")
    if not probe.complete:
        out.append("partial results: the probe was interrupted")
    return out
