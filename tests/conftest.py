from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from fwadvisor.rulebook.loader import load_rulebook
from fwadvisor.rulebook.model import Rulebook

ROOT = Path(__file__).resolve().parent.parent
MINI_RULES = ROOT / "tests" / "fixtures" / "mini_rules"


def _clear_fwadvisor_env(monkeypatch: pytest.MonkeyPatch, cache: Path) -> None:
    for key in list(os.environ):
        if key.startswith("FWADVISOR_"):
            monkeypatch.delenv(key)
    monkeypatch.setenv("FWADVISOR_CACHE_DIR", str(cache))


@pytest.fixture(scope="session", autouse=True)
def _private_cache_dir(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The run's own cache directory, set before any session- or module-scoped fixture loads
    a rulebook (those are set up before the per-test `_isolated_env`)."""
    cache = tmp_path_factory.mktemp("cache")
    with pytest.MonkeyPatch.context() as monkeypatch:
        _clear_fwadvisor_env(monkeypatch, cache)
        yield cache


@pytest.fixture(autouse=True)
def _isolated_env(monkeypatch: pytest.MonkeyPatch, _private_cache_dir: Path) -> None:
    """No answer overrides or colour settings leak in from the developer's shell, and tests
    never read or write the developer's own cache directory."""
    _clear_fwadvisor_env(monkeypatch, _private_cache_dir)
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("COLUMNS", "120")


@pytest.fixture(scope="session")
def mini() -> Rulebook:
    return load_rulebook(MINI_RULES)


@pytest.fixture
def mini_copy(tmp_path: Path) -> Path:
    """A writable copy of the mini rulebook, to break on purpose."""
    import shutil

    dest = tmp_path / "rules"
    shutil.copytree(MINI_RULES, dest)
    return dest
