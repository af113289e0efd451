"""Start-up of `fwadvisor recommend`, measured against a bare import of its libraries.

Prints two ratios, each a median over interleaved runs (so machine drift hits all alike):

1. `fwadvisor recommend -a examples/default.yaml` / `python -c "import typer, rich, pydantic,
   yaml"`, for the text, JSON and HTML formats (targets: text and JSON <= 2.0x, aim 1.5x;
   HTML < 4x);
2. the same command on a synthetic 2,000-rule rulebook with a cold cache (a fresh cache
   directory every run: every file parsed and validated), as a ratio to the same baseline and in seconds (target < 1 s).

fwadvisor's modules are byte-compiled first (as `pip install` does for the libraries the
baseline imports; this shell may set PYTHONDONTWRITEBYTECODE, which would otherwise make every
run compile fwadvisor from source). The spread is printed as the interquartile range and the ratio's range over rounds (each
round's own ratio, which cancels drift between rounds). CPU time (user + system of each child
process) is printed beside the wall time: other tenants of a shared machine slow the wall
clock far more than they inflate a process's own CPU time.

Run: .venv/bin/python benchmarks/startup_bench.py [--runs N] [--rules N]
"""

from __future__ import annotations

import argparse
import compileall
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))
sys.path.insert(0, str(ROOT))

from core_bench import synthetic_rulebook  # noqa: E402

from fwadvisor.rulebook.loader import load_rulebook  # noqa: E402

EXAMPLE = ROOT / "examples" / "default.yaml"
FWADVISOR = [sys.executable, "-m", "fwadvisor"]
BARE = [sys.executable, "-c", "import typer, rich, pydantic, yaml"]


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def timed(cmd: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Wall seconds and CPU seconds (user + system) of one run of `cmd`."""
    cpu = _children_cpu()
    start = time.perf_counter()
    subprocess.run(
        cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=ROOT, env=env
    )
    return time.perf_counter() - start, _children_cpu() - cpu


def quartiles(values: list[float]) -> tuple[float, float]:
    q = statistics.quantiles(values, n=4)
    return q[0], q[2]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--rules", type=int, default=2000)
    args = parser.parse_args()
    compileall.compile_dir(ROOT / "fwadvisor", quiet=1)
    env = {k: v for k, v in os.environ.items() if not k.startswith("FWADVISOR_")}
    with tempfile.TemporaryDirectory() as tmp:
        big = Path(tmp) / "rules"
        big.mkdir()
        synthetic_rulebook(load_rulebook(), args.rules, big)
        warm_env = {**env, "FWADVISOR_CACHE_DIR": str(Path(tmp) / "warm-cache")}
        commands = {
            "bare import": (BARE, env),
            "recommend": ([*FWADVISOR, "recommend", "-a", str(EXAMPLE)], warm_env),
            "recommend --format json": (
                [*FWADVISOR, "recommend", "-a", str(EXAMPLE), "--format", "json"],
                warm_env,
            ),
            "recommend --format html": (
                [*FWADVISOR, "recommend", "-a", str(EXAMPLE), "--format", "html"],
                warm_env,
            ),
            f"recommend, {args.rules} rules, cold cache": (
                [*FWADVISOR, "recommend", "-a", str(EXAMPLE), "--rules", str(big)],
                env,
            ),
        }
        timed(commands["recommend"][0], warm_env)  # the shipped rulebook's cache, as users have it
        samples: dict[str, list[float]] = {k: [] for k in commands}
        cpu: dict[str, list[float]] = {k: [] for k in commands}
        for i in range(args.runs):
            for name, (cmd, cmd_env) in commands.items():
                if "cold" in name:
                    cmd_env = {**cmd_env, "FWADVISOR_CACHE_DIR": str(Path(tmp) / f"cold-{i}")}
                wall, used = timed(cmd, cmd_env)
                samples[name].append(wall)
                cpu[name].append(used)
    print(f"{sys.platform}, Python {sys.version.split()[0]}, {args.runs} interleaved rounds")
    for name, values in samples.items():
        lo, hi = quartiles(values)
        print(
            f"  {name:34s} median {statistics.median(values) * 1000:6.0f} ms"
            f"  (IQR {lo * 1000:.0f}-{hi * 1000:.0f} ms)"
            f"  CPU median {statistics.median(cpu[name]) * 1000:.0f} ms"
        )
    for label, series in (("wall", samples), ("CPU", cpu)):
        base = series["bare import"]
        for name in list(commands)[1:]:
            per_round = [v / b for v, b in zip(series[name], base, strict=True)]
            lo, hi = quartiles(per_round)
            ratio = statistics.median(series[name]) / statistics.median(base)
            print(
                f"{label} ratio {name:34s} {ratio:.2f}x of the bare import  (per-round ratios:"
                f" median {statistics.median(per_round):.2f}, IQR {lo:.2f}-{hi:.2f})"
            )


if __name__ == "__main__":
    main()
