"""The transformer workloads: the same weights give the same loss in PyTorch, TensorFlow and
JAX (and the NumPy reference), graph modes agree with eager, decoding keeps its shapes."""

from __future__ import annotations

import json
import math
import subprocess
import sys

import numpy as np
import pytest

from fwadvisor.probe.suites import load_suites
from fwadvisor.probe.worker import transformer_ref as ref
from fwadvisor.registry import FRAMEWORKS, MODES, WORKER_MODULE
from tests.measurements.helpers import ROOT

TRAIN = {"batch": 2, "seq": 8, "d_model": 16, "heads": 2, "ffn": 32, "vocab": 32}
DECODE = {
    "batch": 1,
    "prompt": 3,
    "new_tokens": 4,
    "d_model": 16,
    "heads": 2,
    "ffn": 32,
    "vocab": 32,
}

SCRIPT = """
import importlib.util, json, sys
import numpy as np
fw, path, train, decode = sys.argv[1], sys.argv[2], json.loads(sys.argv[3]), json.loads(sys.argv[4])
spec = importlib.util.spec_from_file_location("wl", path)
mod = importlib.util.module_from_spec(spec); spec.loader.exec_module(mod)
mod.setup(1, 1, "cpu")
out = {}
for workload, params in (("transformer_train", train), ("decode", decode)):
    for mode in json.loads(sys.argv[5]):
        case = mod.make_case(workload, params, mode, "cpu", 0)
        first = np.asarray(case.check(), dtype=np.float64)
        case.run(); case.sync()
        out[f"{workload}/{mode}"] = first.tolist()
print(json.dumps(out))
"""


def test_reference_loss_of_a_fresh_block_is_about_uniform() -> None:
    """Small initial weights: the first loss is near ln(vocab), and a wrong loss is refused."""
    loss = ref.reference_loss(ref.init_weights(TRAIN, 0), ref.tokens(TRAIN, 0), TRAIN["heads"])
    assert abs(loss - math.log(TRAIN["vocab"])) < 0.05
    ref.check_loss(loss, TRAIN, 0)
    with pytest.raises(ValueError, match="differs from the NumPy reference"):
        ref.check_loss(loss + 1e-3, TRAIN, 0)
    other = ref.reference_loss(ref.init_weights(TRAIN, 1), ref.tokens(TRAIN, 0), TRAIN["heads"])
    assert abs(other - loss) > ref.LOSS_TOL  # other weights: the check would notice


def test_every_suite_but_smoke_has_the_transformer_workloads() -> None:
    suites = load_suites(ROOT / "probes").suites
    for name in ("quick", "full"):
        assert {"transformer_train", "decode"} <= set(suites[name].workloads)  # type: ignore[index]


@pytest.mark.slow
@pytest.mark.timed
def test_three_frameworks_give_the_same_loss_and_graph_modes_agree() -> None:
    # one process per framework, all three at once (one thread each): their imports and
    # compilations overlap instead of adding up
    procs = {
        fw: subprocess.Popen(
            [
                sys.executable,
                "-c",
                SCRIPT,
                fw,
                str(ROOT / "probes" / WORKER_MODULE[fw]),
                json.dumps(TRAIN),
                json.dumps(DECODE),
                json.dumps(list(MODES[fw])),
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            cwd=ROOT,
        )
        for fw in FRAMEWORKS
    }
    try:
        done = {fw: (proc.communicate(timeout=600), proc.returncode) for fw, proc in procs.items()}
    finally:  # none left running when one fails or hangs
        for proc in procs.values():
            if proc.poll() is None:
                proc.kill()  # this Popen's own process, by its pid
                proc.wait()
    firsts = {}
    for fw, ((stdout, stderr), code) in done.items():
        assert code == 0, (fw, stderr[-2000:])
        out = {k: np.asarray(v) for k, v in json.loads(stdout.splitlines()[-1]).items()}
        for mode in MODES[fw][1:]:
            for w in ("transformer_train", "decode"):
                np.testing.assert_allclose(out[f"{w}/{mode}"], out[f"{w}/eager"], atol=2e-5)
        assert out["decode/eager"].shape == (DECODE["new_tokens"], 1, DECODE["vocab"])
        firsts[fw] = out["transformer_train/eager"]
    losses = [float(v[0]) for v in firsts.values()]
    assert max(losses) - min(losses) < ref.LOSS_TOL
    # one AdamW step from the same weights lands on the same weights, too
    np.testing.assert_allclose(firsts["pytorch"][1:], firsts["tensorflow"][1:], atol=1e-5)
    np.testing.assert_allclose(firsts["pytorch"][1:], firsts["jax"][1:], atol=1e-5)
