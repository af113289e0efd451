"""Peak resident memory of this process, per workload mode, where the OS tells (Linux).

Frameworks expose peak memory for GPUs only. On Linux, writing 5 to /proc/self/clear_refs
resets the process's peak RSS (VmHWM), so the peak over a stretch of calls can be read from
/proc/self/status. Elsewhere both calls do nothing and the peak is unknown (None).
"""

from __future__ import annotations

from pathlib import Path

CLEAR_REFS = Path("/proc/self/clear_refs")
STATUS = Path("/proc/self/status")


def reset_peak() -> bool:
    """Start a new peak; False where the OS does not allow it."""
    try:
        CLEAR_REFS.write_text("5")
    except OSError:
        return False
    return True


def peak_bytes() -> int | None:
    """Peak RSS since the last reset (or process start), in bytes; None where unknown."""
    try:
        text = STATUS.read_text()
    except OSError:
        return None
    for line in text.splitlines():
        if line.startswith("VmHWM:"):
            parts = line.split()
            if len(parts) >= 2 and parts[1].isdigit():
                return int(parts[1]) * 1024
    return None
