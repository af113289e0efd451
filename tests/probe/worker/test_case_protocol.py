"""Every workload module meets the harness only through its `Case` protocol (checked here)."""

from __future__ import annotations

import importlib.util
from types import ModuleType
from typing import Any

import pytest

from fwadvisor.probe.suites import load_suites
from fwadvisor.registry import MODES, SCALING_WORKLOADS, WORKER_MODULE
from fwadvisor.resources import probes_dir
from fwadvisor.workers.harness import Case

IMPORT_NAME = {"pytorch": "torch", "tensorflow": "tensorflow", "jax": "jax"}


def _params() -> dict[str, dict[str, Any]]:
    """The first variant's parameters of every workload a framework's probe worker runs, over
    all suites (smallest first); the scaling workloads run in their own modules (DP_MODULE)."""
    found: dict[str, dict[str, Any]] = {}
    for suite in load_suites(probes_dir()).suites.values():
        for workload, variants in suite.workloads.items():
            if workload not in SCALING_WORKLOADS:
                found.setdefault(workload, next(iter(variants.values())))
    return found


def _load(framework: str) -> ModuleType:
    pytest.importorskip(IMPORT_NAME.get(framework, framework))
    path = probes_dir() / WORKER_MODULE[framework]
    spec = importlib.util.spec_from_file_location(f"case_protocol_{framework}", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_every_framework_names_an_import_to_skip_on() -> None:
    assert set(IMPORT_NAME) == set(WORKER_MODULE)


@pytest.mark.slow
@pytest.mark.parametrize("framework", sorted(WORKER_MODULE))
def test_every_case_satisfies_the_harness_protocol(framework: str) -> None:
    module = _load(framework)
    assert callable(module.setup) and isinstance(module.TOLERANCES, dict)
    params = _params()
    assert params, "no workloads in probes/suites.yaml"
    for workload, p in params.items():
        for mode in MODES[framework]:
            case = module.make_case(workload, p, mode, "cpu", 0)
            assert isinstance(case, Case), (framework, workload, mode)
