"""PyTorch workloads for the fwadvisor probe. Loaded by file path inside a worker process only.

Modes: eager, compiled (torch.compile, inductor). Every case returns its first output as a
NumPy array (checked against eager) and counts the graphs dynamo compiled.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

import torch
import torch.nn.functional as F
from torch import nn

TOLERANCES = {"dynamic": (1e-3, 1e-4), "mlp_train": (1e-3, 1e-5)}


def setup(intra: int, inter: int, device: str) -> dict[str, Any]:
    torch.set_num_threads(intra)
    torch.set_num_interop_threads(inter)
    devices = ["cpu"] + (["cuda"] if torch.cuda.is_available() else [])
    build = {
        "cpu_capability": str(torch.backends.cpu.get_cpu_capability()),
        "mkldnn": str(torch.backends.mkldnn.is_available()),
        "openmp": str(torch.backends.openmp.is_available()),
        "cuda": str(torch.version.cuda),
    }
    for line in torch.__config__.show().splitlines():
        for key in ("BLAS_INFO", "LAPACK_INFO"):
            if f"{key}=" in line:
                build[key.lower()] = line.split(f"{key}=")[1].split(",")[0]
    if torch.cuda.is_available():
        build["gpu"] = torch.cuda.get_device_name(0)
    error = None if device in devices else "this PyTorch build has no CUDA support or no GPU"
    return {
        "installed": True,
        "version": torch.__version__,
        "build": build,
        "threads_intra": torch.get_num_threads(),
        "threads_inter": torch.get_num_interop_threads(),
        "devices": devices,
        "error": error,
    }


def _graphs() -> int:
    from torch._dynamo.utils import counters

    return int(counters["stats"]["unique_graphs"])


class TorchCase:
    def __init__(
        self,
        fn: Callable[[], Any],
        device: str,
        compiled: bool,
        check: Callable[[], Any] | None = None,
    ) -> None:
        self.fn, self.device, self.compiled = fn, device, compiled
        self._check = check or fn

    def check(self) -> Any:
        out = self._check()
        return out.detach().float().cpu().numpy()

    def run(self) -> None:
        self.fn()

    def sync(self) -> None:
        if self.device == "cuda":
            torch.cuda.synchronize()

    def compiles(self) -> int | None:
        return _graphs() if self.compiled else None

    def reset_peak_mem(self) -> None:
        if self.device == "cuda":
            torch.cuda.reset_peak_memory_stats()

    def peak_mem(self) -> int | None:
        return int(torch.cuda.max_memory_allocated()) if self.device == "cuda" else None


def _rand(gen: torch.Generator, *shape: int) -> torch.Tensor:
    return torch.randn(*shape, generator=gen)


def _maybe_compile(fn: Any, mode: str) -> Any:
    return torch.compile(fn) if mode == "compiled" else fn


def _dispatch(p: dict[str, Any], mode: str, dev: str, gen: torch.Generator) -> TorchCase:
    x = _rand(gen, int(p["size"])).to(dev)
    length = int(p["length"])

    def chain(y: torch.Tensor) -> torch.Tensor:
        for _ in range(length):
            y = torch.sin(y) * 0.5 + 0.1  # a chain: y used once (reuse blows up inductor)
        return y

    f = _maybe_compile(chain, mode)
    return TorchCase(lambda: f(x), dev, mode == "compiled")


def _matmul(p: dict[str, Any], mode: str, dev: str, gen: torch.Generator) -> TorchCase:
    n = int(p["n"])
    a, b = _rand(gen, n, n).to(dev), _rand(gen, n, n).to(dev)
    f = _maybe_compile(torch.matmul, mode)
    return TorchCase(lambda: f(a, b), dev, mode == "compiled")


def _mlp(width: int, depth: int, classes: int, gen: torch.Generator) -> nn.Module:
    torch.manual_seed(int(torch.randint(0, 2**31 - 1, (1,), generator=gen)))
    layers: list[nn.Module] = []
    for _ in range(depth):
        layers += [nn.Linear(width, width), nn.ReLU()]
    return nn.Sequential(*layers, nn.Linear(width, classes))


def _mlp_train(p: dict[str, Any], mode: str, dev: str, gen: torch.Generator) -> TorchCase:
    batch, width, depth = int(p["batch"]), int(p["width"]), int(p["depth"])
    model = copy.deepcopy(_mlp(width, depth, 10, gen)).to(dev)
    x = _rand(gen, batch, width).to(dev)
    y = torch.randint(0, 10, (batch,), generator=gen).to(dev)
    opt = torch.optim.SGD(model.parameters(), lr=0.01)
    fwd = _maybe_compile(model, mode)

    def step() -> torch.Tensor:
        opt.zero_grad(set_to_none=True)
        loss = F.cross_entropy(fwd(x), y)
        loss.backward()
        opt.step()
        return loss

    def first() -> torch.Tensor:
        loss = step()
        weights = next(model.parameters()).detach().flatten()[:1024]
        return torch.cat([loss.detach().reshape(1), weights])

    return TorchCase(step, dev, mode == "compiled", first)


def _cnn(p: dict[str, Any], mode: str, dev: str, gen: torch.Generator) -> TorchCase:
    batch, size, ch = int(p["batch"]), int(p["image"]), int(p["channels"])
    torch.manual_seed(int(torch.randint(0, 2**31 - 1, (1,), generator=gen)))
    model = (
        nn.Sequential(
            nn.Conv2d(3, ch, 3, padding=1),
            nn.ReLU(),
            nn.MaxPool2d(2),
            nn.Conv2d(ch, 2 * ch, 3, padding=1),
            nn.ReLU(),
            nn.AdaptiveAvgPool2d(1),
            nn.Flatten(),
            nn.Linear(2 * ch, 10),
        )
        .to(dev)
        .eval()
    )
    x = _rand(gen, batch, 3, size, size).to(dev)
    f = _maybe_compile(model, mode)

    def call() -> torch.Tensor:
        with torch.no_grad():
            out: torch.Tensor = f(x)
            return out

    return TorchCase(call, dev, mode == "compiled")


def _dynamic(p: dict[str, Any], mode: str, dev: str, gen: torch.Generator) -> TorchCase:
    width, lengths = int(p["width"]), [int(n) for n in p["lengths"]]
    w1, w2 = _rand(gen, width, width).to(dev) / width**0.5, _rand(gen, width, width).to(dev)
    signs = [1.0 if i % 2 == 0 else -1.0 for i in range(len(lengths))]
    xs = [(_rand(gen, n, width).abs() * s).to(dev) for n, s in zip(lengths, signs, strict=True)]

    def seq(x: torch.Tensor) -> torch.Tensor:
        h = torch.cumsum(torch.tanh(x @ w1), dim=0)  # length varies per call
        if h.mean() > 0:  # noqa: SIM108 (a data-dependent branch, on purpose)
            h = torch.tanh(h @ w2)
        else:
            h = -h
        return h.sum(dim=0)

    f = _maybe_compile(seq, mode)
    return TorchCase(lambda: torch.stack([f(x) for x in xs]), dev, mode == "compiled")


BUILDERS = {
    "dispatch": _dispatch,
    "matmul": _matmul,
    "mlp_train": _mlp_train,
    "cnn_infer": _cnn,
    "dynamic": _dynamic,
}


def make_case(
    workload: str, params: dict[str, Any], mode: str, device: str, seed: int
) -> TorchCase:
    if mode not in ("eager", "compiled"):
        raise ValueError(f"unknown PyTorch mode {mode!r}")
    gen = torch.Generator().manual_seed(seed)
    return BUILDERS[workload](params, mode, device, gen)


__all__ = ["TOLERANCES", "make_case", "setup"]
