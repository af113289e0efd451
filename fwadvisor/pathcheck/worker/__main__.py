"""Path-check worker: `python -m fwadvisor.pathcheck.worker` (spec as JSON on stdin).

Runs one check (one toolchain) on each model in turn in this fresh process: build the model,
its eager output, convert, load the artifact with the product's runtime, compare, time.
Frameworks and converters are imported only here, from probes/paths/ modules loaded by path.
With an inspect spec it only loads a user's model and says which framework it belongs to.
"""

from __future__ import annotations

import gc
import importlib.metadata
import importlib.util
import sys
from collections.abc import Callable
from pathlib import Path
from typing import IO, Any

from pydantic import ValidationError

from fwadvisor.pathcheck.protocol import (
    CheckSpec,
    Done,
    Hello,
    Inspected,
    InspectSpec,
    Msg,
    Result,
    Start,
    Unavailable,
    encode,
)
from fwadvisor.pathcheck.worker.check import check_one, first_lines
from fwadvisor.pathcheck.worker.usermodel import (
    UserModelProblem,
    call_factory,
    detect_framework,
    load_module,
)
from fwadvisor.records import validate_json
from fwadvisor.workers.channel import protocol_channel
from fwadvisor.workers.modules import load_file
from fwadvisor.workers.reaper import reaping


def _versions(names: list[str]) -> dict[str, str]:
    dists = importlib.metadata.packages_distributions()
    out: dict[str, str] = {}
    for name in names:
        for dist in dists.get(name, [name]):
            try:
                out[dist] = importlib.metadata.version(dist)
            except importlib.metadata.PackageNotFoundError:
                continue
    return out


def _load(path: Path, name: str) -> Any:
    # the check modules import their shared runtimes (probes/paths/runtimes.py) by name
    if str(path.parent) not in sys.path:
        sys.path.insert(0, str(path.parent))
    return load_file(path, name)


def run_check(spec: CheckSpec, emit: Callable[[Msg], None]) -> None:
    check, fw = spec.check, spec.framework
    missing = [r for r in check.requires if importlib.util.find_spec(r) is None]
    if missing:
        emit(
            Unavailable(reason=f"{', '.join(missing)} not installed; install with: {check.install}")
        )
        return
    folder = Path(spec.folder)
    try:
        runtime = _load(folder / fw.runtime, "fwadvisor_paths_runtime")
        models = _load(folder / fw.models, "fwadvisor_paths_models")
        checks = _load(folder / check.module, "fwadvisor_paths_checks")
    except ImportError as exc:
        emit(
            Unavailable(
                reason=f"{check.framework} is not installed ({exc}); install with: {fw.install}"
            )
        )
        return
    emit(Hello(versions=_versions([*fw.detect, *check.requires])))
    runtime.setup(spec.threads)
    funcs = (
        getattr(checks, f"{check.function}_convert"),
        getattr(checks, check.load or f"{check.function}_load"),
    )
    for model_id in spec.models:
        emit(Start(model=model_id))
        emit(Result(result=check_one(spec, runtime, models, funcs, model_id, emit)))
        # the previous artifact's runtime (its thread pool) must not run beside the next model
        gc.collect()
    emit(Done())


def run_inspect(spec: InspectSpec, emit: Callable[[Msg], None]) -> None:
    """Load the user's model; name its framework; run it eagerly once on its inputs."""
    try:
        module = load_module(Path(spec.user_file))
        model, inputs = call_factory(module, spec.user_factory, spec.user_file)
        fw_id = detect_framework(model, {k: f.detect for k, f in spec.frameworks.items()})
        fw = spec.frameworks[fw_id]
        runtime = _load(Path(spec.folder) / fw.runtime, "fwadvisor_paths_runtime")
        why = runtime.check_model(model, inputs)
        if why:
            raise UserModelProblem(why)
        try:
            runtime.eager(model, inputs)
        except Exception as exc:
            raise UserModelProblem(
                f"the model fails on its example inputs: {first_lines(exc)}"
            ) from None
    except UserModelProblem as exc:
        emit(Inspected(error=str(exc)))
        return
    emit(Inspected(framework=fw_id))


def main() -> None:
    send: IO[str] = protocol_channel()

    def emit(msg: Msg) -> None:
        send.write(encode(msg))
        send.flush()

    text = sys.stdin.read()
    try:
        spec: CheckSpec | InspectSpec = validate_json(CheckSpec, text)
    except ValidationError:
        spec = validate_json(InspectSpec, text)
    if isinstance(spec, CheckSpec):
        run_check(spec, emit)
    else:
        run_inspect(spec, emit)


if __name__ == "__main__":
    with reaping():  # nothing the code under test starts outlives this worker
        main()
