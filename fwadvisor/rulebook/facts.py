"""Facts that rule conditions can test beyond the answers: those derived from probe files.

A probe fact is absent (unknown) when no probe file was given; a leaf on an absent fact is
false and says so in its trace.
"""

from __future__ import annotations

from typing import Literal

from fwadvisor.records import Record, record
from fwadvisor.registry import FASTER_CHOICES, FRAMEWORKS, installed_fact

FactKind = Literal["bool", "number", "single"]


@record
class FactSpec(Record):
    """A probe fact a condition may test: its kind, what it means and its allowed values."""

    kind: FactKind
    description: str
    choices: tuple[str, ...] = ()


PROBE_FACTS: dict[str, FactSpec] = {
    "probe.gpu_present": FactSpec(
        kind="bool", description="a CUDA GPU was found on at least one probed machine"
    ),
    "probe.torch_compile_ok": FactSpec(
        kind="bool", description="torch.compile produced correct results for every workload it ran"
    ),
    "probe.tf_function_ok": FactSpec(
        kind="bool", description="tf.function produced correct results for every workload it ran"
    ),
    "probe.tf_xla_ok": FactSpec(
        kind="bool",
        description="tf.function(jit_compile=True) produced correct results for every workload",
    ),
    **{
        installed_fact(fw): FactSpec(
            kind="bool", description=f"the {fw} framework was importable on every probed machine"
        )
        for fw in FRAMEWORKS
    },
    "probe.cpu_cores": FactSpec(
        kind="number", description="logical CPU cores of the smallest probed machine"
    ),
    "probe.noisy": FactSpec(
        kind="bool",
        description="the noise-floor check found the machine too noisy for small differences",
    ),
    "probe.faster_training": FactSpec(
        kind="single",
        description="which framework trained the MLP faster, in the mode the team would use",
        choices=FASTER_CHOICES,
    ),
    "probe.faster_inference": FactSpec(
        kind="single",
        description="which framework ran CNN inference faster, in the mode the team would use",
        choices=FASTER_CHOICES,
    ),
    "probe.scales_better": FactSpec(
        kind="single",
        description="which framework kept more of its per-device throughput in data-parallel training "
        "(dp_train) on the nodes the team trains on",
        choices=FASTER_CHOICES,
    ),
}
