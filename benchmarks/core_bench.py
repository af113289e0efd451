"""Core speed checks (issue: recommend start-up and a 2,000-rule rulebook).

1. `fwadvisor recommend` wall time against `python -c "import typer, rich, pydantic, yaml"`,
   interleaved runs, medians; and proof that no framework is imported.
2. Load + validate + evaluate a synthetic 2,000-rule rulebook, with robustness over 1,000
   weight perturbations, in one process; and the full advise() with counterfactuals.

Run: .venv/bin/python benchmarks/core_bench.py [--runs N]
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from fwadvisor.answers import GivenAnswer, load_answers, resolve  # noqa: E402
from fwadvisor.pipeline import AdviceOptions, advise  # noqa: E402
from fwadvisor.resources import rules_dir  # noqa: E402
from fwadvisor.rulebook.engine import evaluate  # noqa: E402
from fwadvisor.rulebook.loader import load_rulebook  # noqa: E402
from fwadvisor.rulebook.model import Rulebook  # noqa: E402
from fwadvisor.scoring.robustness import perturbation_shares  # noqa: E402
from fwadvisor.scoring.state import compute  # noqa: E402

EXAMPLE = ROOT / "examples" / "default.yaml"


def timed(cmd: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=ROOT)
    return time.perf_counter() - start


def cli_startup(runs: int) -> None:
    py = sys.executable
    commands = {
        "baseline: import typer, rich, pydantic, yaml": [
            py,
            "-c",
            "import typer, rich, pydantic, yaml",
        ],
        "recommend --format json": [
            py,
            "-m",
            "fwadvisor",
            "recommend",
            "-a",
            str(EXAMPLE),
            "-f",
            "json",
        ],
        "recommend (text)": [py, "-m", "fwadvisor", "recommend", "-a", str(EXAMPLE)],
    }
    samples: dict[str, list[float]] = {k: [] for k in commands}
    for _ in range(runs):  # interleaved, so drift hits every command alike
        for name, cmd in commands.items():
            samples[name].append(timed(cmd))
    base = statistics.median(samples["baseline: import typer, rich, pydantic, yaml"])
    print(f"CLI wall time, median of {runs} interleaved runs:")
    for name, values in samples.items():
        med = statistics.median(values)
        print(f"  {name:48s} {med * 1000:7.0f} ms  (x{med / base:.2f} of baseline)")
    trace = subprocess.run(
        [py, "-X", "importtime", "-m", "fwadvisor", "recommend", "-a", str(EXAMPLE), "-f", "json"],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    ).stderr
    heavy = sorted(
        {line.split("|")[-1].strip().split(".")[0] for line in trace.splitlines()}
        & {"torch", "tensorflow", "jax", "numpy", "matplotlib", "jinja2"}
    )
    print(f"  modules of note imported by recommend: {heavy or 'none'}")


def _leaf(book: Rulebook, rng: random.Random) -> dict[str, Any]:
    q = rng.choice([q for q in book.questions if q.kind in ("single", "multi", "bool", "scale")])
    if q.kind == "single":
        return {"fact": q.id, "op": "in", "value": rng.sample(q.choice_values(), 2)}
    if q.kind == "multi":
        return {"fact": q.id, "op": "contains", "value": rng.choice(q.choice_values())}
    if q.kind == "bool":
        return {"fact": q.id, "op": "eq", "value": rng.random() < 0.5}
    return {"fact": q.id, "op": "gte", "value": rng.randint(0, 5)}


def synthetic_rulebook(book: Rulebook, n: int, dest: Path, seed: int = 1) -> None:
    rng = random.Random(seed)
    src = rules_dir()
    for name in ("candidates.yaml", "criteria.yaml", "questions.yaml", "paths.yaml"):
        shutil.copy(src / name, dest / name)
    (dest / "rules").mkdir()
    cands = [c.id for c in book.candidates]
    crits = [c.id for c in book.criteria]
    facts: list[dict[str, Any]] = []
    rules: list[dict[str, Any]] = []
    for i in range(n):
        leaves = [_leaf(book, rng) for _ in range(rng.randint(1, 4))]
        when: dict[str, Any] = (
            leaves[0] if len(leaves) == 1 else {rng.choice(["all", "any"]): leaves}
        )
        if rng.random() < 0.1:
            when = {"not": when}
        facts.append(
            {
                "id": f"synthetic-fact-{i}",
                "claim": f"Synthetic fact {i}",
                "area": "synthetic",
                "effects": {
                    "scores": [
                        {
                            "candidate": rng.choice(cands),
                            "criterion": rng.choice(crits),
                            "delta": rng.choice([-2, -1, 0.5, 1, 2]),
                        }
                    ],
                    **(
                        {"weights": [{"criterion": rng.choice(crits), "delta": 0.5}]}
                        if rng.random() < 0.1
                        else {}
                    ),
                },
                "rationale": "A generated fact to measure engine throughput.",
                "sources": [f"https://example.org/synthetic/{i}"],
                "as_of": "2026-01-01",
                "confidence": rng.choice(["high", "medium", "low"]),
            }
        )
        rules.append(
            {
                "id": f"synthetic-{i}",
                "fact": f"synthetic-fact-{i}",
                "exposure": "core",
                "when": when,
            }
        )
    for part in range(4):  # several files, like a real rulebook
        doc = {"schema_version": 2, "facts": facts[part::4], "rules": rules[part::4]}
        (dest / "rules" / f"part{part}.yaml").write_text(
            yaml.safe_dump(doc, sort_keys=False)
        )


def engine_throughput(runs: int, n: int) -> None:
    book = load_rulebook()
    with tempfile.TemporaryDirectory() as tmp:
        synthetic_rulebook(book, n, Path(tmp))
        os.environ.pop("FWADVISOR_NO_CACHE", None)
        given = {
            k: GivenAnswer(value=v, origin="bench")
            for k, v in load_answers(book, EXAMPLE, use_env=False).values.items()
        }
        cold = []
        for _ in range(runs):  # cache off: every file parsed from YAML and validated
            os.environ["FWADVISOR_NO_CACHE"] = "1"
            start = time.perf_counter()
            load_rulebook(Path(tmp))
            cold.append(time.perf_counter() - start)
            del os.environ["FWADVISOR_NO_CACHE"]
        os.environ["FWADVISOR_CACHE_DIR"] = str(Path(tmp) / "cache")
        load_rulebook(Path(tmp))  # writes the rulebook snapshot
        core, full = [], []
        for _ in range(runs):
            start = time.perf_counter()
            big = load_rulebook(Path(tmp))
            answers = resolve(big, given)
            outcomes = evaluate(big, answers.values)
            state = compute(big, answers.values, [o.rule for o in outcomes if o.fired], {})
            rob = perturbation_shares(state, big.uncertainty, samples=1000, seed=0)
            core.append(time.perf_counter() - start)
            start = time.perf_counter()
            advise(big, answers, options=AdviceOptions(samples=1000))
            full.append(time.perf_counter() - start)
        fired = sum(o.fired for o in outcomes)
        print(
            f"\nSynthetic rulebook: {len(big.rules)} rules in 4 files, {fired} fired; {runs} runs"
        )
        print(
            f"  load + validate, YAML parsed (no cache):          median {statistics.median(cold) * 1000:.0f} ms, min {min(cold) * 1000:.0f} ms"
        )
        print(
            f"  load (snapshot) + evaluate + robustness(1000): median {statistics.median(core) * 1000:.0f} ms, "
            f"min {min(core) * 1000:.0f} ms (target < 1000 ms); leader share {rob.winner_share:.2f}"
        )
        print(
            f"  advise() incl. traces, counterfactuals, robustness: median {statistics.median(full) * 1000:.0f} ms"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--rules", type=int, default=2000)
    args = parser.parse_args()
    cli_startup(args.runs)
    engine_throughput(max(3, args.runs // 2), args.rules)


if __name__ == "__main__":
    main()
