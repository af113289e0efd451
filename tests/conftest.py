from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path

import pytest

from fwadvisor.rulebook.loader import load_rulebook
from fwadvisor.rulebook.model import Rulebook

ROOT = Path(__file__).resolve().parent.parent
MINI_RULES = ROOT / "tests" / "fixtures" / "mini_rules"


_saved_env: dict[str, str] = {}
_unset_env: list[str] = []

Golden = Callable[[Path, str], None]


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-goldens",
        action="store_true",
        default=False,
        help="rewrite every golden file (reports, JSON Schemas) from the current output "
        "instead of comparing with it; review the diff before committing it",
    )


@pytest.fixture
def golden(request: pytest.FixtureRequest) -> Golden:
    """`golden(path, text)`: assert that `text` is the golden file's content, or with
    `pytest --update-goldens` write it there."""
    update = bool(request.config.getoption("--update-goldens"))

    def check(path: Path, actual: str) -> None:
        if update:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(actual, encoding="utf-8")
            return
        assert path.exists(), f"{path} is missing; write it with: pytest --update-goldens"
        expected = path.read_text(encoding="utf-8")
        assert actual == expected, (
            f"{path.name} differs from its golden file; if the change is intended, rewrite it "
            "with: pytest --update-goldens"
        )

    return check


def pytest_configure(config: pytest.Config) -> None:
    """Keep the developer's FWADVISOR_* settings and cache out from the start: rulebooks are
    also loaded at collection and by session- and module-scoped fixtures, which run before
    the per-test `_isolated_env` below."""
    for key in [k for k in os.environ if k.startswith("FWADVISOR_")]:
        _saved_env[key] = os.environ.pop(key)
    os.environ["FWADVISOR_CACHE_DIR"] = tempfile.mkdtemp(prefix="fwadvisor-test-cache-")
    # the terminal the tests assume, from the start: a console created at import fixes its
    # width then, and pytest-xdist's workers inherit COLUMNS=80 from their controller
    for key, value in (("COLUMNS", "120"), ("NO_COLOR", "1")):
        if key in os.environ:
            _saved_env[key] = os.environ[key]
        else:
            _unset_env.append(key)
        os.environ[key] = value


def pytest_unconfigure(config: pytest.Config) -> None:
    shutil.rmtree(os.environ.pop("FWADVISOR_CACHE_DIR", ""), ignore_errors=True)
    for key in _unset_env:
        os.environ.pop(key, None)
    os.environ.update(_saved_env)


@pytest.fixture(scope="session")
def _private_cache_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("cache")


@pytest.fixture(autouse=True)
def _isolated_env(monkeypatch: pytest.MonkeyPatch, _private_cache_dir: Path) -> None:
    """No answer overrides leak in from the developer's shell, and tests never read or write
    the developer's own cache directory (colour and width are fixed in pytest_configure)."""
    for key in list(os.environ):
        if key.startswith("FWADVISOR_"):
            monkeypatch.delenv(key)
    monkeypatch.setenv("FWADVISOR_CACHE_DIR", str(_private_cache_dir))


@pytest.fixture(scope="session")
def mini() -> Rulebook:
    return load_rulebook(MINI_RULES)


@pytest.fixture(scope="session")
def book() -> Rulebook:
    """The built-in rulebook (frozen: safe to share)."""
    return load_rulebook()


@pytest.fixture
def mini_copy(tmp_path: Path) -> Path:
    """A writable copy of the mini rulebook, to break on purpose."""
    dest = tmp_path / "rules"
    shutil.copytree(MINI_RULES, dest)
    return dest
