"""Where things live: the data directories (rules/, probes/) and the cache directory."""

from __future__ import annotations

import os
from importlib import resources
from pathlib import Path

from fwadvisor.errors import ProbeRunError


def data_dir(name: str) -> Path:
    """`fwadvisor/_data/<name>` in an installed wheel, else `<repo>/<name>` in a checkout."""
    package_root = Path(str(resources.files("fwadvisor")))
    installed = package_root / "_data" / name
    if installed.is_dir():
        return installed
    return package_root.parent / name


def rules_dir() -> Path:
    return data_dir("rules")


def probes_dir() -> Path:
    """The probe workloads (with their suites.yaml): the wheel's when installed, else the checkout's."""
    found = data_dir("probes")
    if (found / "suites.yaml").is_file():
        return found
    raise ProbeRunError(
        f"the probe workloads are missing (looked for {found / 'suites.yaml'})",
        hint="reinstall fwadvisor",
    )


def cache_root() -> Path | None:
    """fwadvisor's cache directory; None when FWADVISOR_NO_CACHE is set.

    FWADVISOR_CACHE_DIR moves it; otherwise $XDG_CACHE_HOME/fwadvisor or ~/.cache/fwadvisor.
    """
    if os.environ.get("FWADVISOR_NO_CACHE"):
        return None
    explicit = os.environ.get("FWADVISOR_CACHE_DIR")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "fwadvisor"
