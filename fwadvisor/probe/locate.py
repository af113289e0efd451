"""Where the probe workloads live: the source tree's probes/, else the wheel's fwadvisor/_data."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from fwadvisor.errors import ProbeRunError


def probes_dir() -> Path:
    source_tree = Path(__file__).resolve().parents[2] / "probes"
    if (source_tree / "suites.yaml").is_file():
        return source_tree
    shipped = Path(str(resources.files("fwadvisor") / "_data" / "probes"))
    if (shipped / "suites.yaml").is_file():
        return shipped
    raise ProbeRunError(
        f"the probe workloads are missing (looked in {source_tree} and {shipped})",
        hint="reinstall fwadvisor",
    )
