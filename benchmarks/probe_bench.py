"""Check the probe against its targets on this machine and print the figures.

  python benchmarks/probe_bench.py [--runs 3] [--full] [--skip-smoke]
                                  [--frameworks pytorch,tensorflow,jax]

1. suite wall times: smoke (< 45 s), quick (< 120 s, >= 3 processes per framework), full (< 600 s);
2. accuracy: eager matmul n=1024 measured independently (torch.utils.benchmark.Timer with
   num_threads set; timeit with .numpy() for TensorFlow; timeit with block_until_ready() for
   JAX, its threads pinned the way the worker pins them), compared with the probe's median
   (target: within 10%), two ways:
   a. end to end: the reference in fresh processes just before and just after each quick
      run (the median of their medians, like the probe's own estimate), so that it spans the
      same stretch of machine time as the run;
   b. harness alone: in fresh processes, the probe's harness (the quick suite's timing) and
      the independent timer take turns on the same case, so machine drift hits both alike;
3. cross-run agreement of quick medians not flagged unstable (target: within 10%), and of
   the ratios the recommendation uses (graph vs eager, PyTorch vs TensorFlow): how many
   change direction between runs;
4. process-to-process spread and the unstable flags; compile time cold vs warm; a machine
   check (a bare torch matmul loop in a fresh process) next to each run.
The first quick run uses a fresh compile cache (cold), the others the warm one.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TORCH_TIMER = """
import torch, torch.utils.benchmark as b
torch.set_num_threads({t}); torch.set_num_interop_threads(1)
a = torch.randn(1024, 1024); c = torch.randn(1024, 1024)
timer = b.Timer("a @ c", globals={{"a": a, "c": c}}, num_threads={t})
timer.blocked_autorange(min_run_time=0.3)  # warm-up, as the probe has
print(timer.blocked_autorange(min_run_time=1.0).median)
"""
BARE_LOOP = """
import time, statistics, torch
torch.set_num_threads({t}); torch.set_num_interop_threads(1)
a = torch.randn(1024, 1024); c = torch.randn(1024, 1024)
for _ in range(10): a @ c
s = sorted(min(1.0, (lambda t0: (a @ c, time.perf_counter() - t0)[1])(time.perf_counter())) for _ in range(60))
print((s[45] - s[15]) / statistics.median(s))
"""
TF_TIMEIT = """
import timeit, statistics, numpy as np, tensorflow as tf
tf.config.threading.set_intra_op_parallelism_threads({t})
tf.config.threading.set_inter_op_parallelism_threads(1)
a = tf.constant(np.random.rand(1024, 1024).astype("float32"))
c = tf.constant(np.random.rand(1024, 1024).astype("float32"))
f = lambda: tf.linalg.matmul(a, c).numpy()
for _ in range(20): f()
print(statistics.median(t / 20 for t in timeit.repeat(f, number=20, repeat=15)))
"""
# XLA:CPU sizes its thread pool from the affinity mask; one thread also needs Eigen's flag
JAX_TIMEIT = """
import os, timeit, statistics
t = {t}
cpus = sorted(os.sched_getaffinity(0))
if t < len(cpus): os.sched_setaffinity(0, cpus[:t])
if t == 1: os.environ["XLA_FLAGS"] = "--xla_cpu_multi_thread_eigen=false intra_op_parallelism_threads=1"
import numpy as np, jax, jax.numpy as jnp
jax.config.update("jax_platforms", "cpu")
a = jnp.asarray(np.random.rand(1024, 1024).astype("float32"))
c = jnp.asarray(np.random.rand(1024, 1024).astype("float32"))
f = lambda: jnp.matmul(a, c).block_until_ready()
for _ in range(10): f()
print(statistics.median(x / 5 for x in timeit.repeat(f, number=5, repeat=15)))
"""
WORKER_FILES = {
    "pytorch": "torch_workloads.py",
    "tensorflow": "tf_workloads.py",
    "jax": "jax_workloads.py",
}
# the probe's harness and the independent timer taking turns on the same case, one process
HARNESS_VS_TIMER = """
import importlib.util, json, random, statistics, sys, timeit
from fwadvisor.workers import harness
from fwadvisor.probe.suites import load_suites
from fwadvisor.resources import probes_dir
fw, t = {fw!r}, {t}
timing = load_suites(probes_dir()).suites["quick"].timing
path = probes_dir() / {file!r}
spec = importlib.util.spec_from_file_location("w", path)
mod = importlib.util.module_from_spec(spec); spec.loader.exec_module(mod)
mod.setup(t, 1, "cpu")
case = mod.make_case("matmul", {{"n": 1024}}, "eager", "cpu", 0)
if fw == "pytorch":
    import torch.utils.benchmark as b
    timer = b.Timer("f()", globals={{"f": case.run}}, num_threads=t)
    independent = lambda: timer.blocked_autorange(min_run_time=1.0).median
else:
    if fw == "jax":
        f = lambda: case.fn().block_until_ready()
    else:
        f = lambda: case.fn().numpy()
    independent = lambda: statistics.median(x / 5 for x in timeit.repeat(f, number=5, repeat=15))
ours, theirs = [], []
for i in range(4):
    ours.append(harness.measure_group({{"eager": case}}, timing, process=0, seed=i)["eager"].median_s)
    theirs.append(independent())
print(json.dumps([statistics.median(ours), statistics.median(theirs)]))
"""


def run_probe(
    suite: str, out: Path, cache: Path, threads: int | None = None, frameworks: str | None = None
) -> tuple[float, dict]:  # type: ignore[type-arg]
    env = {**os.environ, "PYTHONPATH": str(ROOT), "FWADVISOR_CACHE_DIR": str(cache)}
    start = time.monotonic()
    cmd = [
        sys.executable,
        "-m",
        "fwadvisor",
        "probe",
        "--suite",
        suite,
        "--output",
        str(out),
        "--force",
        *("--device", "cpu"),  # the independent references run on the CPU
        *(["--threads", str(threads)] if threads else []),
        *(["--frameworks", frameworks] if frameworks else []),
    ]
    proc = subprocess.run(cmd, env=env, capture_output=True, text=True)
    wall = time.monotonic() - start
    if proc.returncode != 0:
        sys.exit(f"{suite} probe failed ({proc.returncode}): {proc.stderr[-1500:]}")
    return wall, json.loads(out.read_text())


def independent(code: str, threads: int, **fmt: str) -> str:
    env = {
        **os.environ,
        "OMP_NUM_THREADS": str(threads),
        "TF_CPP_MIN_LOG_LEVEL": "2",
        "PYTHONPATH": str(ROOT),
    }
    proc = subprocess.run(
        [sys.executable, "-c", code.format(t=threads, **fmt)],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return proc.stdout.strip().splitlines()[-1]


REFERENCE_CODE = {"pytorch": TORCH_TIMER, "tensorflow": TF_TIMEIT, "jax": JAX_TIMEIT}
REFERENCE_NAME = {
    "pytorch": "Timer",
    "tensorflow": "timeit+.numpy()",
    "jax": "timeit+block_until_ready()",
}


def references(threads: int, processes: int, frameworks: list[str]) -> dict[str, list[float]]:
    """Independent eager matmul times, one per fresh process, per framework."""
    return {
        fw: [float(independent(REFERENCE_CODE[fw], threads)) for _ in range(processes)]
        for fw in frameworks
    }


def deviation(xs: list[float]) -> float:
    """How far apart repeated values are: max / min - 1."""
    return max(xs) / min(xs) - 1


def ms(xs: list[float]) -> str:
    return "/".join(f"{x * 1e3:.2f}" for x in xs)


def medians(probe: dict) -> dict[tuple[str, ...], tuple[float, bool]]:  # type: ignore[type-arg]
    return {
        (m["framework"], m["mode"], m["workload"], m["variant"]): (m["median_s"], m["unstable"])
        for m in probe["measurements"]
        if m["status"] == "ok"
    }


def ratio_agreement(files: list[Path]) -> None:
    """The ratios the recommendation reads, run to run: spread, and changes of direction."""
    from fwadvisor.measurements.compare import Ratio, cross_ratio, find, paired_ratio
    from fwadvisor.measurements.read import load_probe_file

    def ratios(path: Path) -> dict[tuple[str, ...], Ratio]:
        probe = load_probe_file(path)
        out: dict[tuple[str, ...], Ratio] = {}
        for m in probe.measurements:
            if m.status != "ok":
                continue
            key = (m.workload, m.variant)
            if m.mode != "eager":
                eager = find(probe, m.framework, "eager", *key)
                r = paired_ratio(eager, m) if eager else None
                if r:
                    out[(m.framework, f"{m.mode}/eager", *key)] = r
            if m.framework == "pytorch":
                other = find(
                    probe, "tensorflow", "eager" if m.mode == "eager" else "function", *key
                )
                r = cross_ratio(m, other) if other else None
                if r:
                    out[(f"pytorch {m.mode}", "/tensorflow", *key)] = r
            if m.framework == "jax":
                other = find(probe, "pytorch", "eager" if m.mode == "eager" else "compiled", *key)
                r = cross_ratio(m, other) if other else None
                if r:
                    out[(f"jax {m.mode}", "/pytorch", *key)] = r
        return out

    per_run = [ratios(f) for f in files]
    keys = set.intersection(*(set(r) for r in per_run))
    devs = sorted(deviation([r[k].value for r in per_run]) for k in keys)
    decisive = [
        k for k in keys if all(not r[k].unstable and not r[k].indistinguishable for r in per_run)
    ]
    called = [k for k in keys if any(not r[k].indistinguishable for r in per_run)]
    flips = [
        k
        for k in called
        if len({r[k].value > 1 for r in per_run if not r[k].indistinguishable}) > 1
    ]
    if devs:
        print(
            f"ratios (graph/eager, pytorch/tensorflow, jax/pytorch) over {len(files)} runs: {len(devs)}; "
            f"{sum(d <= 0.10 for d in devs)} within 10%, median deviation {devs[len(devs) // 2]:.1%}; "
            f"decisive (stable, interval off 1) in every run: {len(decisive)}; called a "
            f"direction in some run: {len(called)}, of which opposite directions in two runs: "
            f"{len(flips)}"
        )


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--full", action="store_true")
    ap.add_argument("--skip-smoke", action="store_true")
    ap.add_argument("--threads", type=int, default=None, help="intra-op threads (default: all)")
    ap.add_argument("--frameworks", default="pytorch,tensorflow,jax", help="comma-separated")
    args = ap.parse_args()
    fws = [fw for fw in REFERENCE_CODE if fw in args.frameworks.split(",")]
    work = Path(tempfile.mkdtemp(prefix="fwadvisor-bench-"))
    cache = work / "cache"  # fresh: the first run compiles cold
    if not args.skip_smoke:
        wall, _ = run_probe(
            "smoke", work / "smoke.json", work / "smoke-cache", None, args.frameworks
        )
        print(f"smoke: {wall:.1f} s (target < 45 s, cold compile cache)")
    runs = []
    files = []
    refs: list[dict[str, float]] = []
    threads = args.threads or os.cpu_count() or 1
    for i in range(args.runs):
        before = references(threads, 2, fws)
        wall, probe = run_probe(
            "quick", work / f"quick{i}.json", cache, args.threads, args.frameworks
        )
        after = references(threads, 2, fws)
        bare = float(independent(BARE_LOOP, threads))
        files.append(work / f"quick{i}.json")
        m = medians(probe)
        ref = {fw: statistics.median(before[fw] + after[fw]) for fw in fws}
        refs.append(ref)
        ours = {
            fw: m.get((fw, "eager", "matmul", "default"), (float("nan"), False))[0] for fw in fws
        }
        spent = probe.get("framework_wall_s", {})
        procs = {x["processes"] for x in probe["measurements"] if x["status"] == "ok"}
        print(
            f"quick run {i + 1}: {wall:.1f} s (target < 120 s), processes per measurement "
            f"{sorted(procs)}; noise floor max "
            f"{max((n['floor'] for n in probe['noise']), default=float('nan')):.1%}; machine check: a bare "
            f"torch matmul loop with {threads} threads in a fresh process has IQR/median {bare:.1%}"
        )
        print(
            "  time in each framework's workers: "
            + ", ".join(f"{fw} {t:.1f} s ({t / wall:.0%})" for fw, t in spent.items())
        )
        print(
            "  matmul 1024 eager: "
            + "; ".join(
                f"{fw} probe {ours[fw] * 1e3:.3f} ms vs {REFERENCE_NAME[fw]} {ref[fw] * 1e3:.3f} ms "
                f"({(ours[fw] / ref[fw] - 1):+.1%})"
                for fw in fws
            )
        )
        print(
            "    references per process, before the run | after (ms): "
            + "; ".join(f"{fw} {ms(before[fw])} | {ms(after[fw])}" for fw in fws)
        )
        spreads = sorted(
            x["spread_cv"] for x in probe["measurements"] if x["spread_cv"] is not None
        )
        unstable = [
            f"{x['framework']}/{x['mode']}/{x['workload']}/{x['variant']}"
            for x in probe["measurements"]
            if x["unstable"]
        ]
        if spreads:
            print(
                f"  spread (process CV): median {spreads[len(spreads) // 2]:.1%}, "
                f"max {spreads[-1]:.1%}; unstable {len(unstable)}: {', '.join(unstable)}"
            )
        for x in probe["measurements"]:
            if x["mode"] != "eager" and x["framework"] == "pytorch" and x["compile_s"] is not None:
                cold, warm = x["compile_cold_s"], x["compile_warm_s"]
                print(
                    f"  compile {x['workload']}/{x['variant']}: cold "
                    f"{'-' if cold is None else f'{cold:.2f} s'}, warm "
                    f"{'-' if warm is None else f'{warm:.2f} s'}"
                )
        runs.append(m)
    if len(runs) >= 2:
        keys = set.intersection(*(set(r) for r in runs))
        stable = [k for k in keys if not any(r[k][1] for r in runs)]
        devs = sorted((deviation([r[k][0] for r in runs]), k) for k in stable)
        within = sum(d <= 0.10 for d, _ in devs)
        print(
            f"cross-run agreement (max/min - 1) over {len(runs)} runs: {within}/{len(devs)} "
            f"stable measurements within 10%; worst:"
        )
        for d, k in devs[-5:]:
            print(f"  {'/'.join(k)}: {d:.1%}")
        every = sorted(deviation([r[k][0] for r in runs]) for k in keys)
        if every:
            print(
                f"  all {len(every)} measurements, flagged or not: "
                f"{sum(d <= 0.10 for d in every)} within 10%, median deviation "
                f"{every[len(every) // 2]:.1%}, worst {every[-1]:.1%}"
            )
    if len(files) >= 2:
        ratio_agreement(files)
        drift = {fw: deviation([r[fw] for r in refs]) for fw in fws}
        print(
            f"the independent references themselves over {len(refs)} runs (max/min - 1): "
            + ", ".join(f"{fw} {REFERENCE_NAME[fw]} {d:.1%}" for fw, d in drift.items())
            + ": the machine's own drift between runs, which no estimator inside a run can remove"
        )
    for fw in fws:
        pairs = [
            json.loads(independent(HARNESS_VS_TIMER, threads, fw=fw, file=WORKER_FILES[fw]))
            for _ in range(3)
        ]
        devs = [ours / theirs - 1 for ours, theirs in pairs]
        print(
            f"harness vs independent timer, taking turns in one process ({fw}, matmul 1024 "
            f"eager), 3 fresh processes: "
            + ", ".join(
                f"{o * 1e3:.2f} vs {t * 1e3:.2f} ms ({d:+.1%})"
                for (o, t), d in zip(pairs, devs, strict=True)
            )
        )
    if args.full:
        wall, probe = run_probe("full", work / "full.json", cache, args.threads, args.frameworks)
        statuses = [(m["status"], m["processes"]) for m in probe["measurements"]]
        print(
            f"full: {wall:.1f} s (target < 600 s); ok {sum(s == 'ok' for s, _ in statuses)}"
            f"/{len(statuses)}, processes per measurement "
            f"{sorted({p for _, p in statuses})}, unstable "
            f"{sum(m['unstable'] for m in probe['measurements'])}"
        )
    print(f"files in {work}")


if __name__ == "__main__":
    main()
