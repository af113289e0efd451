"""Look at a user's model in a worker before anything is converted: which framework, and
does it run on its example inputs. Anything wrong is a user error (exit 2)."""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

from fwadvisor.errors import PathCheckError
from fwadvisor.pathcheck.protocol import Inspected, InspectSpec, decode
from fwadvisor.pathcheck.schema import Catalog
from fwadvisor.resources import cache_root
from fwadvisor.workers.process import Ended, WorkerProcess, WorkerTimeout, worker_env


def inspect_user_model(
    catalog: Catalog,
    folder: Path,
    file: Path,
    factory: str,
    worker_cmd: Sequence[str],
    timeout_s: float,
) -> str:
    spec = InspectSpec(
        frameworks=dict(catalog.frameworks),
        folder=str(folder),
        user_file=str(file),
        user_factory=factory,
    )
    env = worker_env(os.environ, os.cpu_count() or 1, cache_root())
    worker = WorkerProcess(worker_cmd, env, spec, decode)
    try:
        for msg in worker.messages(timeout_s):
            if isinstance(msg, Inspected):
                if msg.error or not msg.framework:
                    raise PathCheckError.at(msg.error or "unusable model", file, field="--model")
                return msg.framework
            if isinstance(msg, Ended):
                raise PathCheckError.at(
                    f"loading the model crashed: {msg.reason}", file, field="--model"
                )
    except WorkerTimeout:
        raise PathCheckError.at(
            f"loading the model took more than {timeout_s:.0f} s", file, field="--model"
        ) from None
    finally:
        worker.close()
    raise PathCheckError.at("the model could not be inspected", file, field="--model")
