"""The machine, read without importing a framework: CPU, memory, GPUs, OS, Python.

Framework versions, builds and thread settings come from the workers (they import them).
"""

from __future__ import annotations

import datetime as dt
import os
import platform
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

from fwadvisor import __version__
from fwadvisor.fingerprint import Fingerprint, GpuInfo

FLAGS_OF_INTEREST = ("avx", "avx2", "fma", "avx512f", "avx512_bf16", "amx_tile", "neon", "asimd")
THREAD_VARS = (
    "OMP_NUM_THREADS",
    "MKL_NUM_THREADS",
    "OPENBLAS_NUM_THREADS",
    "OMP_WAIT_POLICY",
    "TF_ENABLE_ONEDNN_OPTS",
    "XLA_FLAGS",
    "CUDA_VISIBLE_DEVICES",
)
GpuDetector = Callable[[], list[GpuInfo]]


def _cpuinfo() -> dict[str, str]:
    info: dict[str, str] = {}
    try:
        text = Path("/proc/cpuinfo").read_text(encoding="utf-8", errors="replace")
    except OSError:
        return info
    for line in text.splitlines():
        key, _, value = line.partition(":")
        info.setdefault(key.strip(), value.strip())
    return info


def _physical_cores() -> int | None:
    try:
        text = Path("/proc/cpuinfo").read_text(encoding="utf-8", errors="replace")
    except OSError:
        return None
    pairs = set()
    phys = core = ""
    for line in text.splitlines():
        if line.startswith("physical id"):
            phys = line.split(":")[1].strip()
        elif line.startswith("core id"):
            core = line.split(":")[1].strip()
            pairs.add((phys, core))
    return len(pairs) or None


def _memory_bytes() -> int | None:
    try:
        return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (ValueError, OSError, AttributeError):
        return None


def nvidia_gpus() -> list[GpuInfo]:
    """GPUs as nvidia-smi lists them; none when it is missing or fails."""
    exe = shutil.which("nvidia-smi")
    if exe is None:
        return []
    query = "--query-gpu=name,driver_version,memory.total"
    try:
        out = subprocess.run(
            [exe, query, "--format=csv,noheader,nounits"],
            capture_output=True,
            text=True,
            timeout=20,
            check=True,
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return []
    gpus = []
    for line in out.splitlines():
        parts = [p.strip() for p in line.split(",")]
        if len(parts) == 3 and parts[0]:
            mem = (
                int(float(parts[2]) * 1024 * 1024) if parts[2].replace(".", "").isdigit() else None
            )
            gpus.append(GpuInfo(name=parts[0], driver=parts[1], memory_bytes=mem))
    return gpus


def machine_fingerprint(gpus: list[GpuInfo]) -> Fingerprint:
    cpu = _cpuinfo()
    flags = set(cpu.get("flags", cpu.get("Features", "")).split())
    return Fingerprint(
        machine=platform.node() or "unknown",
        cpu_model=cpu.get("model name") or platform.processor() or platform.machine(),
        cpu_cores_logical=os.cpu_count() or 1,
        cpu_cores_physical=_physical_cores(),
        cpu_flags=[f for f in FLAGS_OF_INTEREST if f in flags],
        memory_bytes=_memory_bytes(),
        gpus=gpus,
        os=platform.platform(),
        python=platform.python_version(),
        fwadvisor_version=__version__,
        timestamp=dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
        env={k: os.environ[k] for k in THREAD_VARS if k in os.environ},
    )
