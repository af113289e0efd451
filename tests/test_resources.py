"""Where things live: data directories and the cache, and that tests stay out of the real one."""

from __future__ import annotations

from pathlib import Path

import pytest

from fwadvisor.resources import cache_root, probes_dir, rules_dir


def test_the_cache_root_lies_under_the_tests_temporary_directory(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    root = cache_root()
    assert root is not None
    assert root.is_relative_to(tmp_path_factory.getbasetemp())


def test_no_cache_env_turns_the_cache_off(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FWADVISOR_NO_CACHE", "1")
    assert cache_root() is None


def test_default_cache_is_under_xdg_cache_home(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv("FWADVISOR_CACHE_DIR")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert cache_root() == tmp_path / "fwadvisor"


def test_data_dirs_are_found() -> None:
    assert (rules_dir() / "questions.yaml").is_file()
    assert (probes_dir() / "suites.yaml").is_file()
