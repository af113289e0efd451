from __future__ import annotations

import pytest
from report_fixture import build_recommendation

from fwadvisor.models import Recommendation


@pytest.fixture
def rec() -> Recommendation:
    return build_recommendation()
