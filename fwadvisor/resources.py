"""Find the data directories (rules/, probes/) in a source tree or an installed wheel."""

from __future__ import annotations

from importlib import resources
from pathlib import Path


def data_dir(name: str) -> Path:
    """`<repo>/<name>` when running from a checkout, else `fwadvisor/_data/<name>`."""
    package_root = Path(str(resources.files("fwadvisor")))
    installed = package_root / "_data" / name
    if installed.is_dir():
        return installed
    return package_root.parent / name


def rules_dir() -> Path:
    return data_dir("rules")


def probes_dir() -> Path:
    return data_dir("probes")
