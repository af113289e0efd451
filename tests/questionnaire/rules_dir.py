"""The questionnaire tests' own small rulebook (tests/questionnaire/rules)."""

from __future__ import annotations

from pathlib import Path

QUESTIONNAIRE_RULES = Path(__file__).resolve().parent / "rules"
