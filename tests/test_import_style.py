"""One import style for test helpers: `tests` and its folders are packages, pytest imports them
with --import-mode=importlib (no test folder on sys.path), and a test module reaches a helper
as `from tests.<package>.<module> import ...` or through a conftest fixture; never as a bare
module name that only resolves because a folder happens to be on sys.path, never relatively,
never from a conftest, never after editing sys.path.

tests/fixtures is data, not test code: its files are user models and fake runtimes that the
program under test loads by path (a user model may import its neighbours), so it is left out."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

TESTS = Path(__file__).resolve().parent
DATA = TESTS / "fixtures"


def _code_files() -> list[Path]:
    return sorted(p for p in TESTS.rglob("*.py") if DATA not in p.parents)


def _local_names() -> set[str]:
    """Every name a helper could be imported by if a test folder were on sys.path: the
    modules and folders under tests/ (fixtures included: `fake_models`, say)."""
    names = {p.stem for p in TESTS.rglob("*.py")}
    names |= {p.parent.name for p in TESTS.rglob("*.py") if p.parent != TESTS}
    return names - {"__init__", "tests"}


def _is_sys_path(node: ast.expr) -> bool:
    return (
        isinstance(node, ast.Attribute)
        and node.attr == "path"
        and isinstance(node.value, ast.Name)
        and node.value.id == "sys"
    )


def violations(source: str, local: set[str]) -> Iterator[str]:
    """What in `source` (one module's code; string contents are not code) breaks the style."""
    for node in ast.walk(ast.parse(source)):
        line = getattr(node, "lineno", 0)
        if isinstance(node, ast.ImportFrom):
            module = node.module or ""
            if node.level:
                yield f"line {line}: relative import (write `from tests.<package>.<module>`)"
            elif module.split(".")[0] in local:
                yield f"line {line}: `from {module}` (write `from tests.{module}`, full path)"
            elif module.split(".")[-1] == "conftest":
                yield f"line {line}: imports from a conftest (use its fixture)"
            elif module == "tests" or (
                module.startswith("tests.") and module.count(".") == 1 and _is_package(module)
            ):
                yield f"line {line}: `from {module} import <module>` (import the names)"
        elif isinstance(node, ast.Import):
            for alias in node.names:
                top = alias.name.split(".")[0]
                if top in local or top == "tests":
                    yield f"line {line}: `import {alias.name}` (write `from tests.... import`)"
        elif isinstance(node, ast.Call):
            func = node.func
            if isinstance(func, ast.Attribute) and _is_sys_path(func.value):
                yield f"line {line}: sys.path.{func.attr}(...)"
            if isinstance(func, ast.Attribute) and func.attr == "addsitedir":
                yield f"line {line}: site.addsitedir(...)"
        elif isinstance(node, ast.Assign | ast.AugAssign):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for target in targets:
                inner = target.value if isinstance(target, ast.Subscript) else target
                if _is_sys_path(inner):
                    yield f"line {line}: assigns to sys.path"


def _is_package(module: str) -> bool:
    return (TESTS.parent / module.replace(".", "/") / "__init__.py").exists()


def test_every_test_folder_is_a_package() -> None:
    folders = {p.parent for p in _code_files()}
    missing = sorted(str(f.relative_to(TESTS.parent)) for f in folders if not (f / "__init__.py").exists())
    assert not missing, f"folders of test code without __init__.py: {missing}"


def test_pytest_imports_test_modules_with_importlib(pytestconfig: pytest.Config) -> None:
    assert pytestconfig.getoption("importmode") == "importlib"


def test_test_modules_import_helpers_one_way() -> None:
    local = _local_names()
    found = [
        f"{path.relative_to(TESTS.parent)} {problem}"
        for path in _code_files()
        for problem in violations(path.read_text(encoding="utf-8"), local)
    ]
    assert not found, "helpers imported another way:\n" + "\n".join(found)


@pytest.mark.parametrize(
    "source",
    [
        "from cli_run import cli",
        "import cli_run",
        "from measurements.helpers import full_probe",
        "from report_fixture import build_recommendation",
        "from fake_models import build",
        "from .helpers import around",
        "from tests.questionnaire.conftest import QUESTIONNAIRE_RULES",
        "from tests.fleet import netns",
        "import tests.cli_run",
        "import sys\nsys.path.insert(0, 'tests')",
        "import sys\nsys.path.append('tests')",
        "import sys\nsys.path[:0] = ['tests']",
        "import sys\nsys.path += ['tests']",
        "import site\nsite.addsitedir('tests')",
        "def f():\n    from pty_driver import spawn",
    ],
)
def test_the_guard_catches_each_other_way(source: str) -> None:
    assert list(violations(source, _local_names())), source


@pytest.mark.parametrize(
    "source",
    [
        "from tests.cli_run import cli",
        "from tests.measurements.helpers import around, full_probe",
        "from tests.fleet.netns import inside",
        "from fwadvisor.pathcheck.session import plan",
        "from fwadvisor.report import markdown",
        "import json\nimport pytest",
        # a user model's text that the test writes to a file: a string, not this module's code
        'MODEL = """\nimport sys\nsys.path.insert(0, FAKE)\nfrom fake_models import build\n"""',
    ],
)
def test_the_guard_accepts_the_one_way(source: str) -> None:
    assert not list(violations(source, _local_names())), source
