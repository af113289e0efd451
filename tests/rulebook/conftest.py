from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture
def cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A cache directory of this test's own, with caching on."""
    d = tmp_path / "cache"
    monkeypatch.setenv("FWADVISOR_CACHE_DIR", str(d))
    monkeypatch.delenv("FWADVISOR_NO_CACHE", raising=False)
    return d
