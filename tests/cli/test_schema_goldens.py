"""Every JSON Schema `fwadvisor schema` prints is the public contract of a file format: each is
compared with its golden file (rewrite them with `pytest --update-goldens`, then review the
diff: a changed schema is a changed format)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from fwadvisor.cli.schema_cmd import KINDS
from tests.cli_run import cli

GOLDEN = Path(__file__).parent / "golden" / "schema"
Golden = Callable[[Path, str], None]  # the `golden` fixture (tests/conftest.py)


@pytest.mark.parametrize("kind", KINDS)
def test_each_schema_matches_its_golden_file(
    kind: str, capsys: pytest.CaptureFixture[str], golden: Golden
) -> None:
    code, out, err = cli(capsys, "schema", kind)
    assert code == 0, err
    golden(GOLDEN / f"{kind}.json", out)


def test_every_schema_has_a_golden_file() -> None:
    assert sorted(p.stem for p in GOLDEN.glob("*.json")) == sorted(KINDS)
