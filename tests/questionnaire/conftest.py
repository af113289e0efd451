from __future__ import annotations

from pathlib import Path

import pytest

from fwadvisor.rulebook.loader import load_rulebook
from fwadvisor.rulebook.model import Rulebook

QUESTIONNAIRE_RULES = Path(__file__).resolve().parent / "rules"


@pytest.fixture(scope="session")
def qbook() -> Rulebook:
    return load_rulebook(QUESTIONNAIRE_RULES)
