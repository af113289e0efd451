"""Every check in probes/paths/checks.yaml names functions its module defines, so a check
added without its code fails here, not as a `failed` check in a worker at run time."""

from __future__ import annotations

import ast

from fwadvisor.pathcheck.catalog import load_catalog


def _top_level_functions(source: str) -> set[str]:
    return {n.name for n in ast.parse(source).body if isinstance(n, ast.FunctionDef)}


def test_every_check_names_functions_its_module_defines() -> None:
    catalog, folder = load_catalog()
    missing = []
    for check in catalog.checks:
        defined = _top_level_functions((folder / check.module).read_text(encoding="utf-8"))
        for name in (f"{check.function}_convert", check.load or f"{check.function}_load"):
            if name not in defined:
                missing.append(f"{check.id}: {check.module} has no {name}()")
    assert missing == []


def test_every_framework_names_files_that_exist() -> None:
    catalog, folder = load_catalog()
    absent = [
        f"{fw_id}: {name}"
        for fw_id, fw in catalog.frameworks.items()
        for name in (fw.models, fw.runtime)
        if not (folder / name).is_file()
    ]
    assert absent == []
