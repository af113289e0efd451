from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from fwadvisor.models import Recommendation
from fwadvisor.records import validate, validate_json
from fwadvisor.report.json_report import render

GOLDEN = Path(__file__).parent / "golden"
Golden = Callable[[Path, str], None]  # the `golden` fixture (tests/conftest.py)


def test_json_matches_golden(rec: Recommendation, golden: Golden) -> None:
    golden(GOLDEN / "recommendation.json", render(rec))


def test_json_round_trips(rec: Recommendation) -> None:
    assert validate_json(Recommendation, render(rec)) == rec


def test_recommendations_saved_before_the_verified_range_still_load(rec: Recommendation) -> None:
    import json

    data = json.loads(render(rec))
    del data["provenance"]["facts_verified_oldest"], data["provenance"]["facts_verified_newest"]
    old = validate(Recommendation, data)
    assert old.provenance.facts_verified_oldest is None
    assert old.findings == rec.findings
