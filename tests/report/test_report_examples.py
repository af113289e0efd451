"""Every shipped example renders in every format (the live rulebook: structure only)."""

from __future__ import annotations

from pathlib import Path

import pytest

from fwadvisor.answers import load_answers
from fwadvisor.pipeline import AdviceOptions, advise
from fwadvisor.report.formats import FORMATS, render
from fwadvisor.rulebook.loader import load_rulebook

EXAMPLES = sorted((Path(__file__).resolve().parents[2] / "examples").glob("*.yaml"))


@pytest.mark.parametrize("example", EXAMPLES, ids=[p.stem for p in EXAMPLES])
def test_example_renders_in_every_format(example: Path) -> None:
    assert EXAMPLES
    rulebook = load_rulebook(None)
    rec = advise(rulebook, load_answers(rulebook, example, []), options=AdviceOptions(samples=50))
    for fmt in FORMATS:
        out = render(rec, fmt)
        assert out.strip(), fmt
    assert "## Decision outcome" in render(rec, "markdown")
    assert 'id="at-a-glance"' in render(rec, "html")
