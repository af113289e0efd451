"""A close call and a leaning read as such in every format; reasons keep their sides."""

from __future__ import annotations

import dataclasses
import datetime as dt
import html
import json

import pytest

from fwadvisor.answers import GivenAnswer, resolve
from fwadvisor.models import Recommendation
from fwadvisor.pipeline import AdviceOptions, advise
from fwadvisor.report.formats import render
from fwadvisor.rulebook.loader import load_rulebook

NOW = dt.datetime(2026, 11, 27, tzinfo=dt.timezone.utc)


def _scenario(tier: str) -> Recommendation:
    book = load_rulebook()
    scenario = next(s for s in book.scenarios if s.tier == tier)
    resolved = resolve(book, {k: GivenAnswer(value=v, origin="given") for k, v in scenario.answers.items()})
    if scenario.candidates:
        resolved = dataclasses.replace(resolved, candidates=tuple(scenario.candidates))
    return advise(book, resolved, options=AdviceOptions(now=NOW))


@pytest.fixture(scope="module")
def close_call() -> Recommendation:
    return _scenario("close_call")


@pytest.fixture(scope="module")
def leaning() -> Recommendation:
    return _scenario("leaning")


def test_close_call_in_every_format(close_call: Recommendation) -> None:
    assert close_call.tier == "close_call" and close_call.hinges_on
    assert "Close call: no clear winner" in render(close_call, "text")
    md = render(close_call, "markdown")
    assert "Verdict strength: close call" in md and "It hinges on:" in md
    page = html.unescape(render(close_call, "html"))
    assert "Close call: no clear winner" in page and "It hinges on:" in page
    data = json.loads(render(close_call, "json"))
    assert data["tier"] == "close_call" and data["winner"] is None
    assert data["verdict"] == "no_clear_winner" and data["hinges_on"]


def test_leaning_in_every_format(leaning: Recommendation) -> None:
    name = next(r.name for r in leaning.ranking if r.candidate == leaning.leader)
    assert f"Leaning to {name}" in render(leaning, "text")
    assert "Verdict strength: leaning, not clear" in render(leaning, "markdown")
    assert f"Leaning to {name}" in html.unescape(render(leaning, "html"))
    assert json.loads(render(leaning, "json"))["tier"] == "leaning"


def test_runner_up_facts_never_among_the_leaders_reasons(close_call: Recommendation) -> None:
    md = render(close_call, "markdown")
    reasons = md.split("### Reasons for", 1)[1].split("\n### ", 1)[0]
    others = md.split("### What speaks for", 1)[1].split("\n### ", 1)[0]
    priorities = md.split("### How priorities were adjusted", 1)[1].split("\n### ", 1)[0]
    for f in close_call.findings:
        if f.role == "for_other":
            assert f"`{f.rule_id}`" not in reasons and f"`{f.rule_id}`" in others
        if f.role == "priority":
            assert f"`{f.rule_id}`" not in reasons and f"`{f.rule_id}`" not in others
            assert f"`{f.rule_id}`" in priorities
    assert "Favours" in others


def test_text_separates_reasons_and_priorities(leaning: Recommendation) -> None:
    text = render(leaning, "text")
    assert "Reasons for" in text and "What speaks for" in text
    assert text.index("Reasons for") < text.index("What speaks for")
    assert "Uncertainty model:" in text
