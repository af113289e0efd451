"""Is the machine lying? Stalls inside a process, the run's own noise, and the load beside it.

A busy machine does not make every sample slower alike: a framework whose threads wait for a
descheduled sibling (OpenMP's barrier) shows bimodal samples, a fast cluster and a cluster
tens of times above it. Every process of that framework is disturbed alike, so its interval
is tight and a ratio built on it looks decisive although it measures the neighbours. This
module finds such samples and decides, from what the run itself measured, whether a ratio
may count and whether a whole probe file is too disturbed to decide anything.

The rule (documented in docs/probe.md):

- a sample is *stalled* when it is more than STALL_FACTOR times the measurement's fast
  level (the 10th percentile of its fastest process); a measurement with more than
  STALL_SHARE of its samples stalled is *disturbed* and none of its ratios count;
- a ratio counts only when its interval lies beyond 1 by more than the larger of the
  practical-significance band and the noise floor the run measured for both frameworks (the
  same function timed against itself, with the workloads' threads, inside the timed phase);
- a probe file is *too disturbed to decide* when other processes kept busy, beyond the cores
  the workers left free, more than OVERLOAD_SHARE of the cores the workers use (at least
  OVERLOAD_MIN_CORES), or more than
  DISTURBED_SHARE of its measurements or of its noise references stalled. Then none of its
  measurements moves a score, and `probe` and every report say so first, with what to do.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import field

from fwadvisor.measurements import stats
from fwadvisor.measurements.schema import Measurement, NoiseCheck, ProbeFile
from fwadvisor.records import Record, record
from fwadvisor.registry import FRAMEWORK_NAME

STALL_FACTOR = 3.0
"""A sample this many times the fast level is a stall (a quiet machine's process-to-process
bimodality reaches 1.9x; the stalls a busy one causes are 10-100x)."""
STALL_SHARE = 0.10
"""A measurement with more of its samples stalled is disturbed."""
FAST_QUANTILE = 0.10
OVERLOAD_SHARE = 0.25
"""Foreign CPU load beyond the cores the workers leave free, as a share of the cores the
workers use (their intra-op threads), that makes a run too disturbed: with 2 threads, half a
core. Two CPU-bound processes beside a 2-thread worker on 2 cores take their fair share, one
core (the probe recorded 1.1); a quiet machine's own daemons 0.14-0.32 cores
(docs/notes/measurements.md). A share, not a number of cores: half a core of background work
is a quarter of a 2-core machine's workers and nothing to 64 threads."""
OVERLOAD_MIN_CORES = 0.5
"""...but never less than half a core: a 1-thread worker beside two CPU-bound processes on 2
cores (`--threads 1`, the advice for a busy machine) loses a third of a core, is slowed
alike in every framework rather than stalled, and is judged by the stall rule instead."""
DISTURBED_SHARE = 1 / 3
"""Share of stalled measurements (or stalled noise references) that makes a run too disturbed."""
ADVICE = (
    "stop other work on this machine and probe again; or give the workers fewer threads "
    "(--threads 1) so they leave cores to the other work; or run more processes "
    "(--processes 5) so one disturbed process weighs less"
)


def stalled_share(groups: Sequence[Sequence[float]]) -> float | None:
    """Share of samples above STALL_FACTOR times the fast level of the fastest process."""
    groups = [g for g in groups if g]
    if not groups:
        return None
    fast = min(stats.quantile(g, FAST_QUANTILE) for g in groups)
    flat = [s for g in groups for s in g]
    return sum(s > STALL_FACTOR * fast for s in flat) / len(flat)


def measurement_stalls(m: Measurement) -> float | None:
    """The stalled share of a measurement's ok runs, recomputed from its samples."""
    return stalled_share([r.samples_s for r in m.runs if r.status == "ok" and r.samples_s])


def is_disturbed(m: Measurement) -> bool:
    share = measurement_stalls(m)
    return share is not None and share > STALL_SHARE


def stall_note(m: Measurement) -> str:
    share = measurement_stalls(m) or 0.0
    name = FRAMEWORK_NAME.get(m.framework, m.framework)
    return (
        f"{name} {m.mode}: {share:.0%} of its samples stalled (over {STALL_FACTOR:g}x its "
        "fastest): other work on the machine disturbed it"
    )


def noise_floor(noise: Iterable[NoiseCheck], frameworks: Iterable[str]) -> float:
    """The largest noise floor measured in the processes of these frameworks."""
    wanted = set(frameworks)
    return max((n.floor for n in noise if n.framework in wanted), default=0.0)


@record
class Assessment(Record):
    """Whether a probe file can decide anything, and why not."""

    too_disturbed: bool
    reasons: list[str] = field(default_factory=list)
    load: str = ""

    def headline(self, source: str = "") -> str:
        where = f" ({source})" if source else ""
        return (
            f"The machine was too busy to compare frameworks{where}: "
            + "; ".join(self.reasons)
            + f". Its measurements moved no score. To fix: {ADVICE}."
        )


def overload_cores(probe: ProbeFile) -> float:
    """The foreign load, in cores beyond the free ones, that makes this run too disturbed."""
    return max(OVERLOAD_MIN_CORES, OVERLOAD_SHARE * probe.settings.threads_intra)


def _foreign_excess(probe: ProbeFile) -> tuple[float | None, str]:
    """Median foreign load during the workers beyond the cores they left free, and a summary."""
    state = probe.machine
    if state is None or not state.during:
        return None, ""
    cores = len(state.cores_allowed) or probe.fingerprint.cpu_cores_logical
    free = max(0.0, cores - probe.settings.threads_intra)
    loads = sorted(p.foreign_cores for p in state.during)
    median = stats.median(loads)
    steal = max((p.steal_share for p in state.during), default=0.0)
    text = (
        f"other processes kept {median:.1f} of {cores} cores busy while the workers ran "
        f"(at most {loads[-1]:.1f}; CPU steal up to {steal:.0%})"
    )
    return median - free, text


def assess(probe: ProbeFile) -> Assessment:
    reasons: list[str] = []
    excess, load = _foreign_excess(probe)
    if excess is not None and excess > overload_cores(probe):
        reasons.append(load)
    ok = [m for m in probe.measurements if m.status == "ok"]
    stalled = [m for m in ok if is_disturbed(m)]
    if ok and len(stalled) > DISTURBED_SHARE * len(ok):
        reasons.append(
            f"{len(stalled)} of {len(ok)} measurements stalled (samples over "
            f"{STALL_FACTOR:g}x their fastest)"
        )
    refs = [n for n in probe.noise if n.stalled_share is not None]
    bad_refs = [n for n in refs if (n.stalled_share or 0.0) > STALL_SHARE]
    if refs and len(bad_refs) > DISTURBED_SHARE * len(refs):
        reasons.append(f"the noise reference stalled in {len(bad_refs)} of {len(refs)} processes")
    return Assessment(too_disturbed=bool(reasons), reasons=reasons, load=load)
