"""Inductor's precompiled headers go to the private cache, in probe and path-check workers."""

from __future__ import annotations

import os
import subprocess
import sys
import types
from pathlib import Path

import pytest

from fwadvisor.registry import TORCH_HEADERS_ENV
from fwadvisor.workers import torch_headers

ROOT = Path(__file__).resolve().parents[1]


def test_points_the_headers_folder_into_the_cache(monkeypatch: pytest.MonkeyPatch) -> None:
    codecache = types.SimpleNamespace(_HEADER_DIR="/tmp/torchinductor_u/precompiled_headers")
    monkeypatch.delenv(TORCH_HEADERS_ENV, raising=False)
    assert not torch_headers.wanted()
    assert not torch_headers.keep_in_cache(codecache)  # type: ignore[arg-type]
    monkeypatch.setenv(TORCH_HEADERS_ENV, "/cache/torch-headers")
    assert torch_headers.wanted()
    assert torch_headers.keep_in_cache(codecache)  # type: ignore[arg-type]
    assert codecache._HEADER_DIR == "/cache/torch-headers"
    assert codecache._HEADER_LOCK_DIR == "/cache/torch-headers/locks"
    assert not torch_headers.keep_in_cache(types.SimpleNamespace())  # type: ignore[arg-type]


@pytest.mark.slow
def test_real_torch_workers_use_the_cache(tmp_path: Path) -> None:
    """The pinned torch still has the attribute, and both PyTorch workers' setup moves it
    (the probe's workloads and the path checks, one process)."""
    pytest.importorskip("torch")
    code = f"""
import sys
sys.path.insert(0, {str(ROOT / "probes" / "paths")!r})
from fwadvisor.workers.modules import load_file
from torch._inductor import codecache
for path, name in (("torch_workloads.py", "w"), ("paths/torch_checks.py", "c")):
    codecache._HEADER_DIR = "elsewhere"
    mod = load_file({str(ROOT / "probes")!r} + "/" + path, name)
    mod.setup(1, 1, "cpu") if name == "w" else mod.setup(1)
    print(codecache._HEADER_DIR)
"""
    env = {**os.environ, TORCH_HEADERS_ENV: str(tmp_path / "h"), "PYTHONPATH": str(ROOT)}
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    ).stdout
    assert out.split() == [str(tmp_path / "h")] * 2
