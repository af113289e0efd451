"""Check that the JAX worker's thread setting takes effect: matmul 1024 eager at 1, 2, ... threads.

  python benchmarks/jax_threads_bench.py [--threads 1,2] [--processes 3]

XLA:CPU has no thread-count API; the worker (probes/jax_workloads.py, setup()) pins its pool
through the CPU affinity mask, plus Eigen's single-thread flag for one thread. Each run here
is a fresh process that calls that same setup(), then times float32 matmul n=1024 with timeit
and block_until_ready(). Printed per thread count: the median over processes of the
per-process medians, and CPU time / wall time during the timed calls (about the number of
busy threads; on a machine shared with other work it stays below that).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ONE = """
import importlib.util, json, statistics, sys, time, timeit
spec = importlib.util.spec_from_file_location("w", sys.argv[1])
mod = importlib.util.module_from_spec(spec); spec.loader.exec_module(mod)
info = mod.setup(int(sys.argv[2]), 1, "cpu")
case = mod.make_case("matmul", {"n": 1024}, "eager", "cpu", 0)
f = lambda: case.fn().block_until_ready()
for _ in range(10): f()
cpu0, wall0 = time.process_time(), time.perf_counter()
times = [t / 5 for t in timeit.repeat(f, number=5, repeat=15)]
cpu, wall = time.process_time() - cpu0, time.perf_counter() - wall0
print(json.dumps({"median_s": statistics.median(times), "busy": cpu / wall,
                  "pool": info["threads_intra"], "flags": info["build"]["xla_flags"]}))
"""


def measure(threads: int) -> dict[str, float]:
    env = {**os.environ, "OMP_NUM_THREADS": str(threads), "PYTHONPATH": str(ROOT)}
    proc = subprocess.run(
        [sys.executable, "-c", ONE, str(ROOT / "probes" / "jax_workloads.py"), str(threads)],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(proc.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--threads", default="1,2")
    ap.add_argument("--processes", type=int, default=3)
    args = ap.parse_args()
    counts = [int(t) for t in args.threads.split(",")]
    results: dict[int, list[dict[str, float]]] = {t: [] for t in counts}
    for _ in range(args.processes):  # thread counts take turns: drift hits each alike
        for t in counts:
            results[t].append(measure(t))
    base = statistics.median(r["median_s"] for r in results[counts[0]])
    for t in counts:
        med = statistics.median(r["median_s"] for r in results[t])
        per = "/".join(f"{r['median_s'] * 1e3:.2f}" for r in results[t])
        busy = "/".join(f"{r['busy']:.2f}" for r in results[t])
        print(
            f"threads {t} (XLA pool {results[t][0]['pool']:.0f}): matmul 1024 eager "
            f"{med * 1e3:.2f} ms ({per} per process), {base / med:.2f}x the {counts[0]}-thread "
            f"speed; CPU time / wall {busy}"
        )


if __name__ == "__main__":
    main()
