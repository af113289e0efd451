"""Render every example in every format, with and without probe and path-check files, to a
directory: run it before and after a change to `advise` or the reports and `diff -r` the two
directories (speed work must not change one byte).

Cases: each examples/*.yaml x {the default comparison, --candidates pytorch,tensorflow,jax} x
{no probe file, a complete two-framework probe file, the same plus JAX measurements, a probe
file where the execution mode decides the winner} at seed 0 and 1,000 samples; plus every
example with a path-check file (a user model failing every PyTorch mobile path), and every
example at seed 7 with 50 samples (the coarse-sample note). The probe and path-check files are
the synthetic fixtures the tests build (tests/measurements/helpers.py), with a fixed machine
fingerprint, so the output depends on the code alone. `generated_at` is pinned.

The text format is written twice: `render` (files, width 110) and the renderables printed by a
80-column console (what `recommend` prints on a terminal).

Run: .venv/bin/python benchmarks/golden_reports.py OUT_DIR  (then: diff -r BEFORE AFTER)
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from dataclasses import replace
from io import StringIO
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from rich.console import Console  # noqa: E402

from fwadvisor.answers import load_answers  # noqa: E402
from fwadvisor.measurements.paths_file import PathsCheckFile, PathsSettings, UserModel  # noqa: E402
from fwadvisor.measurements.schema import ProbeFile  # noqa: E402
from fwadvisor.pipeline import AdviceOptions, advise  # noqa: E402
from fwadvisor.report import text_report  # noqa: E402
from fwadvisor.report.formats import FORMATS, SUFFIX, render  # noqa: E402
from fwadvisor.rulebook.loader import load_rulebook  # noqa: E402
from tests.measurements.helpers import (  # noqa: E402
    around,
    eager_pytorch_graph_tensorflow,
    full_probe,
    measurement,
)
from tests.pathcheck.helpers import check_result  # noqa: E402

EXAMPLES = sorted((ROOT / "examples").glob("*.yaml"))
NOW = dt.datetime(2026, 11, 27, 12, 0, tzinfo=dt.timezone.utc)
THREE = "pytorch,tensorflow,jax"


def _with_jax(base: ProbeFile) -> ProbeFile:
    extra = [
        measurement("jax", mode, m.workload, m.variant, around(t))
        for m in base.measurements
        if (m.framework, m.mode) == ("pytorch", "eager")
        for mode, t in (("eager", 0.0031), ("jit", 0.0017))
    ]
    return replace(base, measurements=[*base.measurements, *extra], settings=replace(base.settings, frameworks=[*base.settings.frameworks, "jax"]))


def _path_checks(fingerprint: ProbeFile) -> PathsCheckFile:
    return PathsCheckFile(
        complete=True,
        fingerprint=fingerprint.fingerprint,
        settings=PathsSettings(
            targets=["mobile_android", "mobile_ios"],
            candidates=["pytorch"],
            models=["user"],
            user_model=UserModel(file="/x/my_model.py", factory="build", framework="pytorch"),
            threads=2,
            timeout_s=300,
        ),
        results=[
            check_result(
                "torch-executorch-xnnpack",
                ["pt-android-executorch", "pt-edge-linux-executorch", "pt-ios-executorch-coreml"],
                "failed",
            ),
            check_result(
                "torch-litert-torch",
                ["pt-android-ai-edge-torch", "pt-mcu-ai-edge-torch-litert-micro"],
                "failed",
            ),
            check_result("tf-litert-float", ["tf-android-litert", "tf-ios-litert"], "ok", "cnn"),
        ],
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("out", type=Path)
    args = parser.parse_args()
    out: Path = args.out
    out.mkdir(parents=True, exist_ok=True)
    rulebook = load_rulebook(None)
    two = full_probe(pt=1e-3, tf=2e-3)
    probe_sets: dict[str, list[ProbeFile]] = {
        "noprobe": [],
        "probe": [two],
        "probejax": [_with_jax(full_probe(pt=0.004, tf=0.005))],
        "probemode": [eager_pytorch_graph_tensorflow()],
    }
    checks = [_path_checks(two)]
    cases: list[tuple[str, Path, str | None, list[ProbeFile], list[PathsCheckFile], int, int]] = []
    for example in EXAMPLES:
        for cand_name, cands in (("default", None), ("three", THREE)):
            for probe_name, probes in probe_sets.items():
                name = f"{example.stem}.{cand_name}.{probe_name}"
                cases.append((name, example, cands, probes, [], 1000, 0))
        cases.append((f"{example.stem}.default.pathcheck", example, None, [], checks, 1000, 0))
        cases.append((f"{example.stem}.three.coarse", example, THREE, [two], [], 50, 7))
    for name, example, cands, probes, paths, samples, seed in cases:
        answers = load_answers(rulebook, example, [], candidates=cands, use_env=False)
        rec = advise(
            rulebook,
            answers,
            probes,
            AdviceOptions(samples=samples, seed=seed, now=NOW),
            path_checks=paths,
        )
        for fmt in FORMATS:
            (out / f"{name}{SUFFIX[fmt]}").write_text(render(rec, fmt), encoding="utf-8")
        buf = StringIO()
        Console(file=buf, width=80, color_system=None, highlight=False).print(
            text_report.renderables(rec)
        )
        (out / f"{name}.terminal.txt").write_text(buf.getvalue(), encoding="utf-8")
    print(f"{len(cases)} cases x {len(FORMATS) + 1} renderings written to {out}")


if __name__ == "__main__":
    main()
