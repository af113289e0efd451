from __future__ import annotations

import pytest

from fwadvisor.rulebook.loader import load_rulebook
from fwadvisor.rulebook.model import Rulebook
from tests.questionnaire.rules_dir import QUESTIONNAIRE_RULES


@pytest.fixture(scope="session")
def qbook() -> Rulebook:
    return load_rulebook(QUESTIONNAIRE_RULES)
