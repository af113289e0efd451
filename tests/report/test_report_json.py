from __future__ import annotations

from report_goldens import check_golden

from fwadvisor.models import Recommendation
from fwadvisor.report.json_report import render


def test_json_matches_golden(rec: Recommendation) -> None:
    check_golden("recommendation.json", render(rec))


def test_json_round_trips(rec: Recommendation) -> None:
    assert Recommendation.model_validate_json(render(rec)) == rec
