"""Loading a probes/ module by its file path (probes/ is no package: its modules are files)."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType


def load_file(path: str | Path, name: str) -> ModuleType:
    """Execute the Python file at `path` as a module called `name`; ImportError if it cannot
    be loaded (and whatever the file itself raises)."""
    spec = importlib.util.spec_from_file_location(name, path)
    if spec is None or spec.loader is None:
        raise ImportError(f"cannot load {path}")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module
