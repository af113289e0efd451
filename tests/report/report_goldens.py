"""Golden-file comparison; FWADVISOR_UPDATE_GOLDEN=1 rewrites the files instead."""

from __future__ import annotations

import os
from pathlib import Path

GOLDEN = Path(__file__).parent / "golden"
# read at import: the suite's autouse fixture clears FWADVISOR_* variables before each test
UPDATE = os.environ.get("FWADVISOR_UPDATE_GOLDEN") == "1"


def check_golden(name: str, actual: str) -> None:
    path = GOLDEN / name
    if UPDATE:
        path.write_text(actual, encoding="utf-8")
        return
    assert path.exists(), f"{path} is missing; run with FWADVISOR_UPDATE_GOLDEN=1"
    expected = path.read_text(encoding="utf-8")
    assert actual == expected, f"{name} differs from its golden file (FWADVISOR_UPDATE_GOLDEN=1)"
