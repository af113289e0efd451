"""Synthetic probe files for tests: no framework, no subprocess."""

from __future__ import annotations

import statistics
from pathlib import Path

from fwadvisor.measurements.aggregate import aggregate
from fwadvisor.measurements.schema import (
    Fingerprint,
    FrameworkInfo,
    Measurement,
    NoiseCheck,
    ProbeFile,
    Run,
    Settings,
)

ROOT = Path(__file__).resolve().parents[2]


def runs_of(per_process: list[list[float]]) -> list[Run]:
    return [
        Run(
            process=i,
            status="ok",
            samples_s=s,
            median_s=statistics.median(s),
            block_calls=1,
            compile_s=0.5,
            compile_cache="cold" if i == 0 else "warm",
        )
        for i, s in enumerate(per_process)
    ]


def around(
    center: float, processes: int = 3, n: int = 10, jitter: float = 0.01
) -> list[list[float]]:
    """Samples near center, deterministic, small spread."""
    return [
        [center * (1 + jitter * (((i * 7 + j * 3) % 5) - 2) / 2) for j in range(n)]
        for i in range(processes)
    ]


def measurement(
    fw: str, mode: str, workload: str, variant: str, per_process: list[list[float]]
) -> Measurement:
    return aggregate(
        framework=fw,
        mode=mode,
        workload=workload,
        variant=variant,
        device="cpu",
        params={"n": 64},
        runs=runs_of(per_process),
    )


def probe_file(
    measurements: list[Measurement], *, noise: float = 0.01, gpus: bool = False
) -> ProbeFile:
    fp = Fingerprint(
        machine="testbox",
        cpu_model="Test CPU",
        cpu_cores_logical=2,
        os="Linux",
        python="3.11",
        fwadvisor_version="0",
        timestamp="2025-01-01T00:00:00+00:00",
        frameworks={
            fw: FrameworkInfo(installed=True, version="1") for fw in ("pytorch", "tensorflow")
        },
    )
    settings = Settings(
        suite="quick",
        frameworks=["pytorch", "tensorflow"],
        workloads=["dispatch", "matmul", "mlp_train", "cnn_infer", "dynamic"],
        device="cpu",
        budget_s=100,
        processes=3,
        threads_intra=2,
        threads_inter=1,
        timeout_s=60,
    )
    return ProbeFile(
        complete=True,
        fingerprint=fp,
        settings=settings,
        noise=[
            NoiseCheck(
                framework="pytorch", process=0, ratio_ci95=(1 - noise, 1 + noise), floor=noise
            )
        ],
        measurements=measurements,
    )


def full_probe(
    pt: float, tf: float, *, modes_pt: float | None = None, jitter: float = 0.01
) -> ProbeFile:
    """Every workload; pytorch eager `pt` s, tensorflow eager `tf` s, graph modes 20% faster."""
    ms = []
    for workload, variant in [
        ("dispatch", "default"),
        ("matmul", "default"),
        ("mlp_train", "default"),
        ("cnn_infer", "latency"),
        ("cnn_infer", "throughput"),
        ("dynamic", "default"),
    ]:
        for fw, modes, base in (
            ("pytorch", ("eager", "compiled"), pt),
            ("tensorflow", ("eager", "function", "xla"), tf),
        ):
            for mode in modes:
                t = base if mode == "eager" else base * 0.8
                ms.append(measurement(fw, mode, workload, variant, around(t, jitter=jitter)))
    return probe_file(ms)


def eager_pytorch_graph_tensorflow() -> ProbeFile:
    """Training: PyTorch clearly faster in eager mode, TensorFlow clearly faster compiled."""
    times = {
        ("pytorch", "eager"): 1e-3,
        ("pytorch", "compiled"): 1e-3,
        ("tensorflow", "eager"): 2e-3,
        ("tensorflow", "function"): 0.5e-3,
        ("tensorflow", "xla"): 0.5e-3,
    }
    return probe_file(
        [
            measurement(fw, mode, "mlp_train", "default", around(t))
            for (fw, mode), t in times.items()
        ]
    )
