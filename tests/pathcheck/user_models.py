"""User models written by a test (a model that forges replies, forks daemons, ...) and checked
by the fake path checks of tests/fixtures/paths_fake."""

from __future__ import annotations

from pathlib import Path

import pytest

from fwadvisor.measurements.paths_file import PathsCheckFile
from fwadvisor.pathcheck import catalog
from fwadvisor.pathcheck.session import PathsRequest, plan, run_checks
from fwadvisor.rulebook.loader import load_rulebook

FAKE = Path(__file__).resolve().parents[1] / "fixtures" / "paths_fake"

# the model file lives in the test's own folder: it reaches the fake models by their path
PRELUDE = f"""import sys
sys.path.insert(0, {str(FAKE)!r})
from fake_models import build as _build
"""


def write_model(path: Path, body: str) -> Path:
    """A user model file: the prelude (`_build`, the fake models' builder), then `body`."""
    path.write_text(PRELUDE + body, encoding="utf-8")
    return path


def run_fake_checks(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, model: Path, targets: str, checks: str
) -> PathsCheckFile:
    """`paths check` of the model's `build` for PyTorch, with the fake checks and a cache
    of this test's own; planning inspects the model in one worker, checking runs another."""
    monkeypatch.setenv("FWADVISOR_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setattr(catalog, "checks_dir", lambda: FAKE)
    request = PathsRequest(
        targets=targets,
        candidates="pytorch",
        checks=checks,
        model=f"{model}:build",
        output=tmp_path / "paths.json",
    )
    return run_checks(plan(load_rulebook(None), request), request.output)
