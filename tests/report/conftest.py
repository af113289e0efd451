from __future__ import annotations

import pytest

from fwadvisor.models import Recommendation
from tests.report.report_fixture import build_recommendation


@pytest.fixture
def rec() -> Recommendation:
    return build_recommendation()
