"""The Ray runtime_env for nodes without fwadvisor: built from the extras, or the user's own.

`--runtime-env extras` ships this fwadvisor (the installed package with its rules and probes,
or the source checkout it runs from) and asks Ray to pip-install the chosen frameworks'
requirements as their extras (registry.EXTRA) declare them.
`--runtime-env FILE` reads a YAML or JSON mapping and passes it to Ray unchanged.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from importlib import metadata
from pathlib import Path
from typing import Any

from fwadvisor.errors import UsageError
from fwadvisor.registry import EXTRA
from fwadvisor.yamlio import load_document

BUILD_FROM_EXTRAS = "extras"
CHECKOUT_EXCLUDES = [".venv", ".git", "*.pyc", "__pycache__", ".mypy_cache", ".ruff_cache"]


def extra_requirements(frameworks: Sequence[str]) -> list[str]:
    """The requirements of the frameworks' extras, from this install's metadata."""
    wanted = {EXTRA[fw] for fw in frameworks}
    found: list[str] = []
    for req in metadata.requires("fwadvisor") or []:
        spec, _, marker = req.partition(";")
        extra = re.search(r"extra\s*==\s*['\"]([^'\"]+)['\"]", marker)
        if extra and extra.group(1) in wanted and spec.strip() not in found:
            found.append(spec.strip())
    return found


def from_extras(frameworks: Sequence[str], package_dir: Path) -> dict[str, Any]:
    env: dict[str, Any] = {"pip": extra_requirements(frameworks)}
    if (package_dir / "_data").is_dir():  # an installed wheel carries rules/ and probes/
        env["py_modules"] = [str(package_dir)]
    else:  # a source checkout: ship it whole, it becomes the tasks' working directory
        env["working_dir"] = str(package_dir.parent)
        env["excludes"] = list(CHECKOUT_EXCLUDES)
    return env


def runtime_env(value: str | None, frameworks: Sequence[str]) -> dict[str, Any] | None:
    """None (nodes have fwadvisor installed), the env built from the extras, or a file's."""
    if value is None:
        return None
    if value == BUILD_FROM_EXTRAS:
        return from_extras(frameworks, Path(__file__).resolve().parents[1])
    doc = load_document(Path(value), "runtime_env file")
    if not isinstance(doc.data, dict):
        raise UsageError.at(
            "a runtime_env file must hold a mapping (pip, conda, env_vars, ...)",
            value,
            field="--runtime-env",
        )
    return {str(k): v for k, v in doc.data.items()}
