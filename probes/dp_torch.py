"""dp_train for PyTorch: the MLP training step, data-parallel with DistributedDataParallel.

One process per device (rank); gloo on CPU, NCCL on GPUs, rendezvous on 127.0.0.1. Each rank
keeps its own batch of `batch` rows (weak scaling), so N devices train N x batch rows per
step. Rank 0 reports seconds per step. Loaded by path inside a dp worker only.
The step is the MLP of `mlp_train`; it should move to the transformer block once the probe
has one.
"""

from __future__ import annotations

import os
import time
from typing import Any

import torch
import torch.distributed as dist
import torch.nn.functional as F
from torch import nn
from torch.nn.parallel import DistributedDataParallel

STRATEGY = {"cpu": "DistributedDataParallel (gloo)", "cuda": "DistributedDataParallel (NCCL)"}


def _mlp(width: int, depth: int, classes: int) -> nn.Module:
    layers: list[nn.Module] = []
    for _ in range(depth):
        layers += [nn.Linear(width, width), nn.ReLU()]
    return nn.Sequential(*layers, nn.Linear(width, classes))


def dp_train(spec: dict[str, Any]) -> list[float]:
    rank, world, device = int(spec["rank"]), int(spec["devices"]), str(spec["device"])
    torch.set_num_threads(int(spec["threads"]))
    cuda = device == "cuda"
    if world > 1:
        os.environ.setdefault("GLOO_SOCKET_IFNAME", "lo")
        dist.init_process_group(
            "nccl" if cuda else "gloo",
            init_method=f"tcp://127.0.0.1:{int(spec['port'])}",
            rank=rank,
            world_size=world,
        )
    dev = torch.device(f"cuda:{rank}" if cuda else "cpu")
    torch.manual_seed(int(spec["seed"]))  # the same weights on every rank
    width, depth, batch = int(spec["width"]), int(spec["depth"]), int(spec["batch"])
    model: nn.Module = _mlp(width, depth, 10).to(dev)
    if world > 1:
        model = DistributedDataParallel(model, device_ids=[rank] if cuda else None)
    gen = torch.Generator().manual_seed(int(spec["seed"]) + rank)  # each rank its own rows
    x = torch.randn(batch, width, generator=gen).to(dev)
    y = torch.randint(0, 10, (batch,), generator=gen).to(dev)
    opt = torch.optim.SGD(model.parameters(), lr=0.01)

    def sync() -> None:
        if cuda:
            torch.cuda.synchronize(dev)

    def step() -> None:
        opt.zero_grad(set_to_none=True)
        F.cross_entropy(model(x), y).backward()  # DDP all-reduces the gradients here
        opt.step()

    for _ in range(int(spec["warmup"])):
        step()
    sync()
    block, samples = int(spec["block"]), []
    for _ in range(int(spec["samples"])):
        start = time.perf_counter()
        for _ in range(block):
            step()
        sync()
        samples.append((time.perf_counter() - start) / block)
    if world > 1:
        dist.barrier()
        dist.destroy_process_group()
    return samples if rank == 0 else []
