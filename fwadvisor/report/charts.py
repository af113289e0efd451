"""Charts for the HTML report, drawn with matplotlib and returned as inline SVG text.

matplotlib is imported only when a chart is drawn (the CLI starts without it). Figures are
built with matplotlib.figure.Figure, never pyplot, so no global backend or figure registry is
touched; the SVG canvas renders them without a display. Output is deterministic: a fixed
hash salt per chart (also keeping clip-path ids unique within one HTML page), no date in the
metadata, text kept as <text> (svg.fonttype none: selectable, searchable, no embedded glyph
ids that would collide between charts) and mathtext parsing off so `$` in a label is literal.

What is charted is only what the Recommendation carries: weighted scores per criterion, the
median time per call of each compared candidate and mode per workload (with its 95% interval
where the evidence carries every measured mode), side by side in the order chosen, and the
time ratio of the registry's RATIO_PAIR with its 95% interval. A candidate outside the pair
(JAX) is drawn with its measured times although the ratio does not score it; a framework the
probe measured but the comparison left out is not drawn. Candidate names and colours come
from the ranking (candidates.yaml); a candidate without a colour gets one of EXTRA_COLORS.
"""

from __future__ import annotations

import io
import math
import re
from collections.abc import Collection, Iterator, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any
from xml.sax.saxutils import quoteattr

from fwadvisor.models import EvidenceItem, Recommendation
from fwadvisor.report.wording import candidate_names, compared, pair_modes, seconds

if TYPE_CHECKING:
    from matplotlib.figure import Figure

EXTRA_COLORS = ("#2a9d6f", "#8e5bb5", "#b58b00", "#555555")
NEUTRAL = "#7a7a7a"
GRAPH_LIKE = ("graph", "compile", "compiled", "function", "xla", "jit", "script")


def palette(rec: Recommendation) -> dict[str, str]:
    """Candidate -> colour: its own from candidates.yaml, else one by ranking position."""
    return {
        r.candidate: r.color or EXTRA_COLORS[i % len(EXTRA_COLORS)]
        for i, r in enumerate(rec.ranking)
    }


@contextmanager
def _style(salt: str) -> Iterator[None]:
    import matplotlib

    with matplotlib.rc_context(
        {
            "svg.hashsalt": f"fwadvisor-{salt}",
            "svg.fonttype": "none",
            "text.parse_math": False,
            "font.family": "sans-serif",
            "font.sans-serif": ["DejaVu Sans", "Liberation Sans", "Arial", "Helvetica"],
            "font.size": 9.5,
            "axes.spines.top": False,
            "axes.spines.right": False,
            "axes.titlesize": 10.5,
            "axes.titleweight": "bold",
        }
    ):
        yield


_ID_USES = re.compile(r'(\bid="|url\(#|href="#)([^"()]+)')


def _scoped(svg: str, prefix: str) -> str:
    """Prefix every id and reference: several charts share one HTML page and its id space."""
    return _ID_USES.sub(lambda m: f"{m.group(1)}{prefix}-{m.group(2)}", svg)


def _svg(fig: Figure, name: str, label: str) -> str:
    buf = io.StringIO()
    fig.savefig(
        buf,
        format="svg",
        bbox_inches="tight",
        metadata={"Date": None, "Creator": None, "Format": None, "Type": None},
    )
    text = buf.getvalue()
    svg = _scoped(text[text.index("<svg") :].strip(), f"chart-{name}")
    head = f'<svg class="chart" role="img" aria-label={quoteattr(label)} '
    return svg.replace("<svg ", head, 1) + "\n"


def _new_figure(width: float, height: float) -> Figure:
    from matplotlib.figure import Figure

    return Figure(figsize=(width, height), layout="constrained")


def scores_svg(rec: Recommendation) -> str:
    """Horizontal grouped bars: weighted score of each candidate on each criterion."""
    candidates = [(r.candidate, r.name) for r in rec.ranking]
    colors = palette(rec)
    criteria = [w for w in rec.weights if w.weight]
    with _style("scores"):
        fig = _new_figure(5.8, 1.1 + 0.42 * max(len(criteria), 1) * max(len(candidates), 1) / 2)
        ax = fig.add_subplot()
        n = max(len(candidates), 1)
        height = 0.8 / n
        ys = list(range(len(criteria)))
        for i, (cand, name) in enumerate(candidates):
            values = [rec.scores.get(cand, {}).get(w.criterion) for w in criteria]
            xs = [v.weighted if v is not None else 0.0 for v in values]
            offsets = [y - 0.4 + height * (i + 0.5) for y in ys]
            ax.barh(offsets, xs, height=height * 0.92, label=name, color=colors[cand])
        ax.set_yticks(ys, [f"{w.name} (weight {w.weight:g})" for w in criteria])
        ax.invert_yaxis()
        ax.axvline(0, color="#333333", linewidth=0.8)
        ax.set_xlabel("weighted points (rule and measured points x criterion weight)")
        ax.set_title("Weighted score per criterion")
        ax.grid(axis="x", color="#dddddd", linewidth=0.6)
        ax.set_axisbelow(True)
        if candidates:
            fig.legend(loc="outside lower center", ncols=len(candidates), frameon=False)
        return _svg(fig, "scores", "Weighted score per criterion and candidate")


def _mode_label(mode: str) -> str:
    graph = mode.lower() in GRAPH_LIKE and mode.lower() != "graph"
    return f"{mode} (graph mode)" if graph else mode


Interval = tuple[float, float] | None
Point = tuple[float | None, Interval]


def _series(
    items: Sequence[EvidenceItem], known: Collection[str]
) -> dict[tuple[str, str], dict[str, Point]]:
    """(framework, mode) -> workload -> (median seconds or None when it failed, 95% interval),
    for the compared candidates `known`, in their order (eager before graph modes).

    Every measured mode (eager and graph) when the item carries them, else the modes the
    evidence judged each candidate in; the first value wins on repeats. A framework the probe
    measured but the comparison left out is not drawn."""
    out: dict[tuple[str, str], dict[str, Point]] = {}
    for e in items:
        entries: list[tuple[str, str, float | None, Interval]] = [
            (m.framework, m.mode, m.median_s if m.status == "ok" else None, m.ci95_s)
            for m in e.modes
            if m.status != "skipped"
        ] or [(fw, t.mode, t.median_s, None) for fw, t in e.candidate_times().items()]
        for fw, mode, value, ci in entries:
            if fw not in known or mode == "-":
                continue
            good = value is not None and value > 0
            point = (value if good else None, ci)
            out.setdefault((fw, mode), {}).setdefault(_workload_label(e), point)
    order = {c: i for i, c in enumerate(known)}
    return dict(
        sorted(out.items(), key=lambda kv: (order[kv[0][0]], kv[0][1].lower() in GRAPH_LIKE))
    )


MAX_LABEL = 60
"""Longest machine name a chart draws (matplotlib lays a 1 MB label out for minutes)."""


def _short(text: str) -> str:
    return text if len(text) <= MAX_LABEL else text[: MAX_LABEL - 1] + "…"


def _machines(rec: Recommendation) -> dict[str, list[EvidenceItem]]:
    by: dict[str, list[EvidenceItem]] = {}
    for e in rec.evidence:
        suffix = f"({e.device})"
        label = e.machine if e.machine.endswith(suffix) else f"{e.machine} {suffix}"
        label = _short(label)
        by.setdefault(label, []).append(e)
    return by


def _seconds_axis(ax: Any) -> None:
    from matplotlib.ticker import FuncFormatter, LogLocator, NullFormatter

    ax.set_yscale("log")
    # 1-2-5 steps: times within one decade (the usual case) still get labelled ticks
    ax.yaxis.set_major_locator(LogLocator(base=10, subs=(1.0, 2.0, 5.0)))
    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _pos: seconds(v)))
    ax.yaxis.set_minor_formatter(NullFormatter())


def _legend_columns(handles: dict[tuple[str, str], Any]) -> tuple[list[Any], list[str], int]:
    """One legend column per candidate, its modes down the column (matplotlib fills columns
    first, so shorter columns are padded with blank entries)."""
    from matplotlib.patches import Patch

    by_fw: dict[str, list[tuple[str, Any]]] = {}
    for (fw, label), handle in handles.items():
        by_fw.setdefault(fw, []).append((label, handle))
    rows = max((len(v) for v in by_fw.values()), default=0)
    artists: list[Any] = []
    labels: list[str] = []
    for entries in by_fw.values():
        for i in range(rows):
            label, handle = entries[i] if i < len(entries) else ("", Patch(visible=False))
            artists.append(handle)
            labels.append(label)
    return artists, labels, max(len(by_fw), 1)


def times_svg(rec: Recommendation) -> str | None:
    """Per machine (side by side), per workload: median time per call of each framework/mode."""
    machines = _machines(rec)
    shown, colors, order = candidate_names(rec), palette(rec), compared(rec)
    if not any(any(s.values()) for s in (_series(i, order) for i in machines.values())):
        return None
    handles: dict[tuple[str, str], Any] = {}
    with _style("times"):
        cols = len(machines)
        most = max(len({_workload_label(e) for e in items}) for items in machines.values())
        fig = _new_figure(min(max(3.6, 1.25 * most) * cols + 1.4, 12.0), 4.1)
        axes = fig.subplots(1, cols, sharey=True, squeeze=False)[0]
        for ax, (machine, items) in zip(axes, machines.items(), strict=True):
            series = _series(items, order)
            workloads = list(dict.fromkeys(_workload_label(e) for e in items))
            width = 0.8 / max(len(series), 1)
            for i, ((fw, mode), values) in enumerate(series.items()):
                graph = mode.lower() in GRAPH_LIKE
                label = f"{shown[fw]} {_mode_label(mode)}"
                for w, workload in enumerate(workloads):
                    x = w + width * (i + 0.5) - 0.4
                    value, ci = values.get(workload, (None, None))
                    if value is None:
                        if workload in values:  # measured, but failed
                            ax.annotate(
                                "missing",
                                (x, 0),
                                xycoords=("data", "axes fraction"),
                                rotation=90,
                                ha="center",
                                va="bottom",
                                fontsize=7.5,
                                color=colors[fw],
                            )
                        continue
                    err = None
                    if ci is not None:
                        err = [[max(0.0, value - ci[0])], [max(0.0, ci[1] - value)]]
                    bars = ax.bar(
                        [x],
                        [value],
                        yerr=err,
                        error_kw={"ecolor": "#333333", "elinewidth": 0.9, "capsize": 2.5},
                        width=width * 0.92,
                        color="white" if graph else colors[fw],
                        edgecolor=colors[fw],
                        hatch="///" if graph else None,
                        linewidth=1.0,
                        label=label,
                    )
                    handles.setdefault((fw, label), bars)
            _seconds_axis(ax)
            ax.set_xlim(-0.5, len(workloads) - 0.5)
            ax.set_xticks(range(len(workloads)), [w.replace(" (", "\n(") for w in workloads])
            ax.set_title(machine)
            ax.grid(axis="y", color="#dddddd", linewidth=0.6, which="major")
            ax.set_axisbelow(True)
        axes[0].set_ylabel("median time per call (log scale)")
        artists, labels, columns = _legend_columns(handles)
        fig.legend(artists, labels, loc="outside lower center", ncols=columns, frameon=False)
        return _svg(fig, "times", "Median time per call per workload, framework and mode")


NICE_RATIOS = (0.05, 0.1, 0.2, 0.5, 1.0, 2.0, 5.0, 10.0, 20.0)
FINE_RATIOS = (0.5, 0.67, 0.8, 0.9, 1.0, 1.1, 1.25, 1.5, 2.0)  # for a narrow range


def _workload_label(e: EvidenceItem) -> str:
    return e.workload if e.variant == "default" else f"{e.workload} ({e.variant})"


def _ratio_axis(ax: Any, low: float, high: float) -> None:
    from matplotlib.ticker import FixedLocator, FuncFormatter, NullLocator

    low, high = min(low, 0.9), max(high, 1.1)
    ax.set_xscale("log")
    ax.set_xlim(low / 1.1, high * 1.1)
    choices = FINE_RATIOS if high / low < 3 else NICE_RATIOS
    ticks = [t for t in choices if low / 1.1 <= t <= high * 1.1]
    ax.xaxis.set_major_locator(FixedLocator(ticks))
    ax.xaxis.set_minor_locator(NullLocator())
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _pos: f"{v:g}"))


def _drawable(*values: float) -> bool:
    """On a log axis: positive and finite (a time ratio of subnormal times can be inf or 0)."""
    return all(0 < v < math.inf for v in values)


def ratios_svg(rec: Recommendation) -> str | None:
    """The RATIO_PAIR's time ratio with its 95% interval, log scale around 1, grouped by
    machine (one band per machine)."""
    colors = palette(rec)
    rows = [
        (machine, e)
        for machine, items in _machines(rec).items()
        for e in items
        if e.ratio is not None and _drawable(e.ratio, *(e.ratio_ci95 or ()))
    ]
    if not rows:
        return None
    with _style("ratios"):
        fig = _new_figure(7.6, 1.2 + 0.36 * len(rows))
        ax = fig.add_subplot()
        lows, highs = [], []
        for y, (_machine, e) in enumerate(rows):
            ratio = float(e.ratio or 1.0)
            lo, hi = e.ratio_ci95 if e.ratio_ci95 else (ratio, ratio)
            lows.append(min(lo, ratio))
            highs.append(max(hi, ratio))
            ax.errorbar(
                [ratio],
                [y],
                xerr=[[max(ratio - lo, 0.0)], [max(hi - ratio, 0.0)]],
                fmt="o",
                color=colors.get(e.verdict, NEUTRAL),
                capsize=3,
                markersize=5,
            )
        for y in range(1, len(rows)):
            if rows[y][0] != rows[y - 1][0]:
                ax.axhline(y - 0.5, color="#999999", linewidth=0.6)
        ax.axvline(1.0, color="#333333", linewidth=0.8, linestyle="--")
        _ratio_axis(ax, min(lows), max(highs))
        ax.set_yticks(
            range(len(rows)),
            [f"{m} · {_workload_label(e)}: {pair_modes(e)}" for m, e in rows],
        )
        ax.set_ylim(len(rows) - 0.5, -0.5)
        ax.set_xlabel("first named time / second named time (log scale; < 1: the first faster)")
        ax.set_title("Measured ratio with its 95% interval")
        ax.grid(axis="x", color="#dddddd", linewidth=0.6)
        ax.set_axisbelow(True)
        return _svg(fig, "ratios", "time ratios of each compared pair with 95% intervals")
