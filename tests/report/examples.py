"""The recommendation for each example team (examples/*.yaml) with the built-in rulebook,
computed once per test session for every test that reads it."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from fwadvisor.answers import load_answers
from fwadvisor.models import Recommendation
from fwadvisor.pipeline import AdviceOptions, advise
from fwadvisor.rulebook.loader import load_rulebook
from fwadvisor.rulebook.model import Rulebook

EXAMPLES = sorted((Path(__file__).resolve().parents[2] / "examples").glob("*.yaml"))
STEMS = [p.stem for p in EXAMPLES]


@cache
def builtin_book() -> Rulebook:
    return load_rulebook(None)


@cache
def example_recommendation(stem: str) -> Recommendation:
    book = builtin_book()
    path = next(p for p in EXAMPLES if p.stem == stem)
    return advise(book, load_answers(book, path, []), options=AdviceOptions(samples=300))
