"""How sizes and latencies are written, the same in every output (probe, path checks, reports)."""

from __future__ import annotations

from collections.abc import Sequence


def byte_size(n: int | None) -> str:
    """Bytes in binary units, three significant digits: 512 B, 12.3 KiB, 1.5 MiB, 2.05 GiB."""
    if n is None:
        return "-"
    for unit, scale in (("GiB", 2**30), ("MiB", 2**20), ("KiB", 2**10)):
        if n >= scale:
            return f"{n / scale:.3g} {unit}"
    return f"{n} B"


def latency_ms(
    median_s: float | None, ci95_s: Sequence[float] | None = None, *, noisy: bool = False
) -> str:
    """A latency in milliseconds with its 95% interval: "1.23 ms [1.2, 1.3]", "noisy" after
    it when its interval is too wide to rely on."""
    if median_s is None:
        return "-"
    text = f"{median_s * 1e3:.3g} ms"
    if ci95_s:
        lo, hi = ci95_s
        text += f" [{lo * 1e3:.3g}, {hi * 1e3:.3g}]"
    return text + (", noisy" if noisy else "")
