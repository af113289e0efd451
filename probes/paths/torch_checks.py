"""PyTorch deployment-path checks: each `*_convert` writes the artifact into a directory,
each `*_load` loads it with the runtime the product would ship and returns a call that
runs it on the example inputs, giving NumPy arrays. Loaded by path in a worker only."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import torch
from runtimes import Run, litert_runner, ort_runner

from fwadvisor.workers import torch_headers


def _arrays(out: Any) -> list[Any]:
    if isinstance(out, torch.Tensor):
        return [out.detach().cpu().numpy()]
    if isinstance(out, (list, tuple)):
        return [a for o in out for a in _arrays(o)]
    if isinstance(out, dict):
        return [a for o in out.values() for a in _arrays(o)]
    return [np.asarray(out)]


def eager(model: Any, inputs: tuple[Any, ...]) -> list[Any]:
    with torch.no_grad():
        return _arrays(model(*inputs))


def check_model(model: Any, inputs: tuple[Any, ...]) -> str | None:
    """Why this is not a PyTorch model with tensor inputs, or None."""
    if not isinstance(model, torch.nn.Module):
        return f"the factory returned a {type(model).__name__}, not a torch.nn.Module"
    bad = [type(x).__name__ for x in inputs if not isinstance(x, torch.Tensor)]
    return f"example inputs must be torch tensors, got {', '.join(bad)}" if bad else None


def setup(threads: int) -> None:
    if torch_headers.wanted():  # inductor's precompiled headers go to the private cache
        from torch._inductor import codecache

        torch_headers.keep_in_cache(codecache)
    torch.set_num_threads(threads)


def onnx_convert(model: Any, inputs: tuple[Any, ...], out: Path) -> None:
    program = torch.onnx.export(model, inputs, dynamo=True)
    if program is None:  # only a legacy (TorchScript) export returns None
        raise RuntimeError("torch.onnx.export(dynamo=True) returned no program")
    program.save(str(out / "model.onnx"))


def onnx_load(out: Path, inputs: tuple[Any, ...], threads: int) -> Run:
    return ort_runner(out / "model.onnx", [x.numpy() for x in inputs], threads)


def executorch_convert(model: Any, inputs: tuple[Any, ...], out: Path) -> None:
    from executorch.backends.xnnpack.partition.xnnpack_partitioner import XnnpackPartitioner
    from executorch.exir import to_edge_transform_and_lower

    exported = torch.export.export(model, inputs)
    program = to_edge_transform_and_lower(
        exported, partitioner=[XnnpackPartitioner()]
    ).to_executorch()
    (out / "model.pte").write_bytes(program.buffer)


def executorch_load(out: Path, inputs: tuple[Any, ...], threads: int) -> Run:
    from executorch.runtime import Runtime

    method = Runtime.get().load_program(out / "model.pte").load_method("forward")
    args = list(inputs)
    return lambda: _arrays(method.execute(args))


def aotinductor_convert(model: Any, inputs: tuple[Any, ...], out: Path) -> None:
    exported = torch.export.export(model, inputs)
    torch._inductor.aoti_compile_and_package(exported, package_path=str(out / "model.pt2"))


def aotinductor_load(out: Path, inputs: tuple[Any, ...], threads: int) -> Run:
    compiled = torch._inductor.aoti_load_package(str(out / "model.pt2"))

    def run() -> list[Any]:
        with torch.no_grad():
            return _arrays(compiled(*inputs))

    return run


def litert_torch_convert(model: Any, inputs: tuple[Any, ...], out: Path) -> None:
    import litert_torch

    litert_torch.convert(model, inputs).export(str(out / "model.tflite"))


def litert_torch_load(out: Path, inputs: tuple[Any, ...], threads: int) -> Run:
    return litert_runner(out / "model.tflite", [x.numpy() for x in inputs], threads)
