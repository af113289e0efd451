"""The built-in rulebook's own tests (rules/tests/), one pytest case per rule case or scenario."""

from __future__ import annotations

import pytest

from fwadvisor.rulebook.loader import load_rulebook
from fwadvisor.rulebook.schema import RuleCase, Scenario
from fwadvisor.ruletests import run_case, run_scenario

BOOK = load_rulebook()


def test_the_rulebook_has_tests() -> None:
    assert len(BOOK.cases) + len(BOOK.scenarios) >= 20


@pytest.mark.parametrize("case", BOOK.cases, ids=lambda c: c.name)
def test_rule_case(case: RuleCase) -> None:
    outcome = run_case(BOOK, case)
    assert outcome.ok, "; ".join(outcome.failures)


@pytest.mark.parametrize("scenario", BOOK.scenarios, ids=lambda s: s.name)
def test_scenario(scenario: Scenario) -> None:
    outcome = run_scenario(BOOK, scenario)
    assert outcome.ok, "; ".join(outcome.failures)
