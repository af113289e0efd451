"""The CUDA path of the PyTorch workloads, with torch.cuda faked (CI has no GPU)."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[2]

torch = pytest.importorskip("torch")


def _load() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "fw_torch_workloads", ROOT / "probes" / "torch_workloads.py"
    )
    assert spec and spec.loader
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def test_cuda_case_syncs_and_reads_peak_memory(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[str] = []
    monkeypatch.setattr(torch.cuda, "synchronize", lambda *a: calls.append("sync"))
    monkeypatch.setattr(torch.cuda, "reset_peak_memory_stats", lambda *a: calls.append("reset"))
    monkeypatch.setattr(torch.cuda, "max_memory_allocated", lambda *a: 4096)
    mod = _load()
    case = mod.TorchCase(lambda: torch.ones(2), "cuda", compiled=False)
    case.reset_peak_mem()
    case.run()
    case.sync()
    assert calls == ["reset", "sync"]
    assert case.peak_mem() == 4096


@pytest.mark.skipif(torch.cuda.is_available(), reason="this build has CUDA")
def test_setup_reports_cuda_unavailable_on_a_cpu_build() -> None:
    mod = _load()
    info = mod.setup(1, 1, "cuda")
    assert "cuda" not in info["devices"] and info["error"]


@pytest.mark.parametrize("workload", ["transformer_train", "decode"])
def test_transformer_cases_run_on_the_device_asked_for(
    workload: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Tensors go to "cuda" (faked: `.to` records the device and stays on the CPU), and the
    case synchronizes CUDA around its calls; unmeasured on a real GPU so far."""
    moved: list[str] = []
    syncs: list[str] = []
    real_to = torch.Tensor.to

    def fake_to(self: torch.Tensor, *args: object, **kwargs: object) -> torch.Tensor:
        if args and args[0] == "cuda":
            moved.append("cuda")
            return self
        return real_to(self, *args, **kwargs)  # type: ignore[no-any-return, call-overload]

    monkeypatch.setattr(torch.Tensor, "to", fake_to)
    monkeypatch.setattr(torch.cuda, "synchronize", lambda *a: syncs.append("sync"))
    mod = _load()
    params = {"batch": 1, "d_model": 8, "heads": 2, "ffn": 16, "vocab": 16}
    params |= {"seq": 4} if workload == "transformer_train" else {"prompt": 2, "new_tokens": 2}
    case = mod.make_case(workload, params, "eager", "cuda", 0)
    case.check()
    case.run()
    case.sync()
    assert case.device == "cuda" and moved and syncs == ["sync"]
