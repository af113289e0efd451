"""NumPy cases run inside workers: the matmul reference and the noise-floor function."""

from __future__ import annotations

from typing import Any


class NumpyMatmul:
    """float32 square GEMM through NumPy's BLAS: the reference for matmul GFLOP/s."""

    def __init__(self, n: int, seed: int = 0) -> None:
        import numpy as np

        rng = np.random.default_rng(seed)
        self.a = rng.standard_normal((n, n), dtype=np.float32)
        self.b = rng.standard_normal((n, n), dtype=np.float32)

    def check(self) -> Any:
        return self.a @ self.b

    def run(self) -> None:
        self.a @ self.b

    def sync(self) -> None:
        return None

    def compiles(self) -> int | None:
        return None

    def reset_peak_mem(self) -> None:
        return None

    def peak_mem(self) -> int | None:
        return None
