"""In-process time of `pipeline.advise` and of rendering its report (what `recommend` spends
after start-up), on the shipped rulebook with a warm parse cache.

For each case one warm-up call is made and left out, then N timed calls; the median and the
interquartile range are printed in milliseconds. Cases: examples/default.yaml with the default
comparison, and with all three candidates plus a complete probe file (the slowest common case:
evidence rebuilt for every counterfactual). `text` is the file rendering (width 110); `terminal`
prints the renderables to an 80-column console, as `recommend` does on a terminal.

Run: .venv/bin/python benchmarks/advise_bench.py [--runs N] [--example PATH] [--profile]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from functools import partial
from io import StringIO
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from rich.console import Console  # noqa: E402

from fwadvisor.answers import load_answers  # noqa: E402
from fwadvisor.models import Recommendation  # noqa: E402
from fwadvisor.pipeline import advise  # noqa: E402
from fwadvisor.report import text_report  # noqa: E402
from fwadvisor.report.formats import FORMATS, render  # noqa: E402
from fwadvisor.rulebook.loader import load_rulebook  # noqa: E402
from tests.measurements.helpers import full_probe  # noqa: E402


def timed(fn: Callable[[], object], runs: int) -> list[float]:
    fn()  # warm-up, not counted
    out = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        out.append(time.perf_counter() - start)
    return out


def line(name: str, values: list[float]) -> str:
    q = statistics.quantiles(values, n=4)
    return (
        f"  {name:28s} median {statistics.median(values) * 1000:7.2f} ms"
        f"  (IQR {q[0] * 1000:.2f}-{q[2] * 1000:.2f}, min {min(values) * 1000:.2f},"
        f" n={len(values)})"
    )


def terminal(rec: Recommendation) -> str:
    buf = StringIO()
    Console(file=buf, width=80, color_system=None, highlight=False).print(
        text_report.renderables(rec)
    )
    return buf.getvalue()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--example", type=Path, default=ROOT / "examples" / "default.yaml")
    parser.add_argument("--profile", action="store_true", help="cProfile advise instead")
    args = parser.parse_args()
    rulebook = load_rulebook(None)
    cases = {
        "default": (load_answers(rulebook, args.example, [], use_env=False), []),
        "three + probe": (
            load_answers(
                rulebook, args.example, [], use_env=False, candidates="pytorch,tensorflow,jax"
            ),
            [full_probe(pt=1e-3, tf=2e-3)],
        ),
    }
    if args.profile:
        import cProfile
        import pstats

        answers, probes = cases["default"]
        advise(rulebook, answers, probes)
        prof = cProfile.Profile()
        prof.enable()
        for _ in range(args.runs):
            advise(rulebook, answers, probes)
        prof.disable()
        pstats.Stats(prof).sort_stats("cumulative").print_stats(40)
        return
    print(f"Python {sys.version.split()[0]}, {args.example.name}, {args.runs} runs per line")
    for name, (answers, probes) in cases.items():
        run = partial(advise, rulebook, answers, probes)
        print(line(f"advise [{name}]", timed(run, args.runs)))
        rec = run()
        for fmt in ("text", "terminal", *[f for f in FORMATS if f != "text"]):
            fn = partial(terminal, rec) if fmt == "terminal" else partial(render, rec, fmt)
            print(line(f"emit {fmt} [{name}]", timed(fn, args.runs)))


if __name__ == "__main__":
    main()
