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

from fwadvisor.probe.worker import transformer_ref as ref
from fwadvisor.workers import torch_headers

TOLERANCES = {
    "dynamic": (1e-3, 1e-4),
    "mlp_train": (1e-3, 1e-5),
    "transformer_train": (1e-3, 1e-5),
    "decode": (1e-3, 1e-4),
}


def setup(intra: int, inter: int, device: str) -> dict[str, Any]:
    if torch_headers.wanted():  # inductor's precompiled headers go to the private cache
        from torch._inductor import codecache

        torch_headers.keep_in_cache(codecache)
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


def _weights(p: dict[str, Any], seed: int, dev: str, grad: bool) -> dict[str, torch.Tensor]:
    return {
        k: torch.from_numpy(v).to(dev).requires_grad_(grad)
        for k, v in ref.init_weights(p, seed).items()
    }


def _mlp_block(w: dict[str, torch.Tensor], h: torch.Tensor) -> torch.Tensor:
    m = F.layer_norm(h, h.shape[-1:], w["ln2_g"], w["ln2_b"], ref.LN_EPS)
    ff = F.gelu(m @ w["w1"] + w["b1"], approximate="tanh") @ w["w2"] + w["b2"]
    return h + ff


def _logits(w: dict[str, torch.Tensor], h: torch.Tensor) -> torch.Tensor:
    h = F.layer_norm(h, h.shape[-1:], w["lnf_g"], w["lnf_b"], ref.LN_EPS)
    return h @ w["head"]


def _block_loss(
    w: dict[str, torch.Tensor], x: torch.Tensor, y: torch.Tensor, heads: int
) -> torch.Tensor:
    b, t = x.shape
    d = w["embed"].shape[1]
    h = w["embed"][x] + w["pos"][:t]
    a = F.layer_norm(h, (d,), w["ln1_g"], w["ln1_b"], ref.LN_EPS)
    q, k, v = (
        z.reshape(b, t, heads, d // heads).transpose(1, 2)
        for z in (a @ w["wqkv"] + w["bqkv"]).split(d, dim=-1)
    )
    o = F.scaled_dot_product_attention(q, k, v, is_causal=True)
    h = h + o.transpose(1, 2).reshape(b, t, d) @ w["wo"] + w["bo"]
    logits = _logits(w, _mlp_block(w, h))
    return F.cross_entropy(logits.reshape(b * t, -1), y.reshape(-1))


def _transformer_train(
    p: dict[str, Any], mode: str, dev: str, gen: torch.Generator, seed: int
) -> TorchCase:
    w = _weights(p, seed, dev, grad=True)
    toks = torch.from_numpy(ref.tokens(p, seed)).long().to(dev)
    x, y = toks[:, :-1], toks[:, 1:]
    heads = int(p["heads"])
    h = ref.ADAMW
    opt = torch.optim.AdamW(
        list(w.values()),
        lr=h["lr"],
        betas=(h["b1"], h["b2"]),
        eps=h["eps"],
        weight_decay=h["weight_decay"],
    )
    loss_fn = _maybe_compile(_block_loss, mode)

    def step() -> torch.Tensor:
        opt.zero_grad(set_to_none=True)
        loss: torch.Tensor = loss_fn(w, x, y, heads)
        loss.backward()
        opt.step()
        return loss

    def first() -> torch.Tensor:
        loss = step()
        ref.check_loss(loss.item(), p, seed)  # same weights and data: the same loss everywhere
        return torch.cat([loss.detach().reshape(1), w["wqkv"].detach().flatten()[:1024]])

    return TorchCase(step, dev, mode == "compiled", first)


def _decode_step(
    w: dict[str, torch.Tensor],
    token: torch.Tensor,
    pos: torch.Tensor,
    ck: torch.Tensor,
    cv: torch.Tensor,
) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """One token through the block with a fixed-size KV cache (shapes never change)."""
    b, heads, t, hd = ck.shape
    d = heads * hd
    h = w["embed"][token] + w["pos"].index_select(0, pos.reshape(1))  # a tensor: no recompile
    a = F.layer_norm(h, (d,), w["ln1_g"], w["ln1_b"], ref.LN_EPS)
    q, k, v = (z.reshape(b, heads, 1, hd) for z in (a @ w["wqkv"] + w["bqkv"]).split(d, -1))
    here = (torch.arange(t, device=ck.device) == pos).reshape(1, 1, t, 1)
    ck, cv = torch.where(here, k, ck), torch.where(here, v, cv)
    seen = torch.arange(t, device=ck.device) <= pos
    att = (q @ ck.transpose(2, 3)) / hd**0.5
    att = torch.where(seen, att, torch.full_like(att, ref.MASKED)).softmax(-1)
    h = h + (att @ cv).reshape(b, d) @ w["wo"] + w["bo"]
    return _logits(w, _mlp_block(w, h)), ck, cv


def _decode(p: dict[str, Any], mode: str, dev: str, gen: torch.Generator, seed: int) -> TorchCase:
    w = _weights(p, seed, dev, grad=False)
    d, heads, _, _, t = ref.dims(p)
    prompt = torch.from_numpy(ref.prompt(p, seed)).long().to(dev)
    b, n_prompt = prompt.shape
    positions = [torch.tensor(i).to(dev) for i in range(t)]
    given = [prompt[:, i].clone() for i in range(n_prompt)]  # own storage: one graph for all
    step = _maybe_compile(_decode_step, mode)

    @torch.no_grad()
    def generate() -> torch.Tensor:
        ck = torch.zeros(b, heads, t, d // heads).to(dev)
        cv = torch.zeros_like(ck)
        token, out = given[0], []
        for i in range(t - 1):  # the prompt, then one step per new token but the last
            logits, ck, cv = step(w, token, positions[i], ck, cv)
            token = given[i + 1] if i + 1 < n_prompt else logits.argmax(-1)
            if i + 1 >= n_prompt:
                out.append(logits)
        return torch.stack(out)

    return TorchCase(generate, dev, mode == "compiled")


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
    if workload == "transformer_train":
        return _transformer_train(params, mode, device, gen, seed)
    if workload == "decode":
        return _decode(params, mode, device, gen, seed)
    return BUILDERS[workload](params, mode, device, gen)


__all__ = ["TOLERANCES", "make_case", "setup"]
