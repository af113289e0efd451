"""The probe on a quiet and on a deliberately busy machine, and the quick suite's wall time.

  python benchmarks/busy_machine_bench.py [--skip-busy] [--skip-three] [--cache DIR]

1. quiet: the issue's command (`probe --suite quick --frameworks pytorch,tensorflow
   --workloads mlp_train,cnn_infer`), then `recommend --set workloads=training,online_inference
   --set latency_sensitive=true --probe FILE`: every ratio the recommendation read, its
   interval, its verdict and the points it moved;
2. busy: the same with two CPU-bound processes spinning beside it (started and stopped here);
3. the quick suite with all three frameworks, twice with one compile cache: cold (an empty
   cache, unless --cache names one) and warm; wall time and each framework's share, and the
   ratios `recommend --candidates pytorch,tensorflow,jax` counted.

Every run prints the machine's own record (other processes' load before and during the
run, the verdict on disturbance): read it before trusting a figure. Run it alone.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
CLI = [sys.executable, "-m", "fwadvisor"]
ISSUE_PROBE = ["--suite", "quick", "--frameworks", "pytorch,tensorflow"]
ISSUE_WORKLOADS = ["--workloads", "mlp_train,cnn_infer"]
FORMAT = ["--format", "json"]
ANSWERS = [
    *("--answers", str(ROOT / "examples" / "default.yaml")),
    *("--set", "workloads=training,online_inference", "--set", "latency_sensitive=true"),
]


def _spin() -> None:  # pragma: no cover - runs in a child process
    while True:
        pass


def probe(args: list[str], out: Path, env: dict[str, str]) -> tuple[float, dict[str, Any]]:
    start = time.monotonic()
    proc = subprocess.run(
        [*CLI, "probe", *args, "--output", str(out), "--force"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    wall = time.monotonic() - start
    if proc.returncode != 0:
        print(proc.stderr[-1500:])
    return wall, json.loads(out.read_text())


def recommend(out: Path, env: dict[str, str], candidates: str) -> dict[str, Any]:
    proc = subprocess.run(
        [*CLI, "recommend", *ANSWERS, "--candidates", candidates, "--probe", str(out), *FORMAT],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    rec: dict[str, Any] = json.loads(proc.stdout)
    return rec


def report(label: str, wall: float, data: dict[str, Any], rec: dict[str, Any]) -> None:
    m = data["machine"]
    during = [d["foreign_cores"] for d in m.get("during", [])]
    print(f"\n## {label}: wall {wall:.1f} s")
    before = m.get("before") or {}
    print(
        f"other processes: before {before.get('foreign_cores')} cores (load "
        f"{before.get('loadavg_1m')}), during {min(during, default=0):.2f}-"
        f"{max(during, default=0):.2f} cores"
    )
    shares = data.get("framework_wall_s") or {}
    total = sum(shares.values()) or 1.0
    print(
        "workers' time: "
        + ", ".join(f"{fw} {s:.0f} s ({100 * s / total:.0f}%)" for fw, s in shares.items())
    )
    counts: dict[str, int] = {}
    for meas in data["measurements"]:
        for run in meas["runs"]:
            counts[run["status"]] = counts.get(run["status"], 0) + 1
    print(f"runs by status: {counts}")
    print(f"summary: {rec['summary'][:300]}")
    print("| workload | ratio | interval | verdict | points |")
    print("|---|---|---|---|---|")
    for e in rec["evidence"]:
        ratio = "-" if e.get("ratio") is None else f"{e['ratio']:.2f}x"
        ci = e.get("ratio_ci95")
        interval = "-" if not ci else f"[{ci[0]:.2f}, {ci[1]:.2f}]"
        pair = f"{e.get('numerator')}/{e.get('denominator')}"
        by = e.get("by_candidate") or {}
        modes = "/".join(str((by.get(c) or {}).get("mode")) for c in pair.split("/"))
        name = f"{e['workload']} ({e['variant']}, {e['purpose']}) {pair} {modes}"
        points = ", ".join(f"{k} +{v:.2f}" for k, v in (e.get("points") or {}).items())
        print(f"| {name} | {ratio} | {interval} | {e['verdict']} | {points or '-'} |")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--skip-busy", action="store_true")
    ap.add_argument("--skip-three", action="store_true")
    ap.add_argument("--skip-issue", action="store_true")
    ap.add_argument("--cache", help="compile cache folder for the three-framework runs")
    a = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="fwadvisor-busy-bench-"))
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    print(f"cores: {os.cpu_count()}, load before: {os.getloadavg()}")
    if not a.skip_issue:
        out = work / "quiet.json"
        wall, data = probe([*ISSUE_PROBE, *ISSUE_WORKLOADS], out, env)
        report("quiet, the issue's command", wall, data, recommend(out, env, "pytorch,tensorflow"))
    if not a.skip_busy:
        spinners = [multiprocessing.Process(target=_spin, daemon=True) for _ in range(2)]
        for s in spinners:
            s.start()
        try:
            out = work / "busy.json"
            wall, data = probe([*ISSUE_PROBE, *ISSUE_WORKLOADS], out, env)
        finally:
            for s in spinners:
                s.terminate()
                s.join()
        report(
            "busy (two spinning processes)", wall, data, recommend(out, env, "pytorch,tensorflow")
        )
    if not a.skip_three:
        cache = Path(a.cache) if a.cache else work / "cache"
        env3 = {**env, "FWADVISOR_CACHE_DIR": str(cache)}
        three = ["--suite", "quick", "--frameworks", "pytorch,tensorflow,jax"]
        for label in ("cold" if not a.cache else "as given", "warm"):
            out = work / f"three-{label}.json"
            wall, data = probe(three, out, env3)
            rec = recommend(out, env3, "pytorch,tensorflow,jax")
            report(f"three frameworks, quick, cache {label}", wall, data, rec)
            measured = {fw: s["measured_performance"]["raw"] for fw, s in rec["scores"].items()}
            print(f"measured points: {measured}")
    print(f"\nfiles in {work}")


if __name__ == "__main__":
    main()
