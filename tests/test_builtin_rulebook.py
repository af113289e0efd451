"""The built-in rulebook and examples: valid, tested, sourced, current, and not one-sided."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from fwadvisor.answers import load_answers
from fwadvisor.pipeline import AdviceOptions, advise
from fwadvisor.rulebook.model import Rulebook

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = sorted((ROOT / "examples").glob("*.yaml"))
EXPECTED = {
    "academic_lab": "pytorch",
    "llm_startup": "pytorch",
    "browser_app": "pytorch",
    "tf_enterprise": "tensorflow",
    "tpu_keras_team": "tensorflow",
    "microcontroller": "tensorflow",
}
OUTDATED = re.compile(r"torchscript|torchserve|tensorflow lite|tf lite|tflite converter", re.I)


def test_size_and_coverage(book: Rulebook) -> None:
    assert len(book.rules) >= 40
    assert len(book.questions) >= 15
    assert len(book.criteria) >= 8
    assert {"pytorch", "tensorflow"} <= set(book.candidate_by_id)
    areas = {r.area for r in book.rules}
    assert len(areas) >= 8
    kinds = {q.kind for q in book.questions}
    assert {"single", "multi", "scale", "bool", "text"} <= kinds
    assert any(q.ask_if for q in book.questions)
    assert {q.weight_for for q in book.questions if q.weight_for} == set(book.criterion_by_id)
    assert book.question_by_id["project_name"].kind == "text"


def test_every_rule_is_sourced_and_dated(book: Rulebook) -> None:
    # sources are https:// URLs by the schema (rulebook/schema.py `Url`); dates are the
    # calendar's, not a fixed day, so re-verifying a fact next year keeps this test green
    today = dt.date.today()
    for rule in book.rules:
        assert rule.sources, rule.id
        assert dt.date(2015, 1, 1) <= rule.as_of <= today, rule.id


def test_every_rule_has_a_positive_and_negative_case(book: Rulebook) -> None:
    fires = {rid for c in book.cases for rid in c.fires}
    not_fires = {rid for c in book.cases for rid in c.not_fires}
    ids = set(book.rule_by_id)
    assert ids - fires == set()
    assert ids - not_fires == set()


def test_no_outdated_toolchain_is_recommended(book: Rulebook) -> None:
    for path in book.paths:
        for step in path.steps:
            assert not OUTDATED.search(step), (path.id, step)
    for rule in book.rules:
        for s in rule.effects.scores:
            # a rule may mention TorchServe or TorchScript only to warn, never to reward PyTorch
            if OUTDATED.search(rule.title) and s.candidate == "pytorch":
                assert s.delta <= 0, rule.id


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.stem)
def test_examples_give_sourced_verdicts(book: Rulebook, example: Path) -> None:
    rec = advise(book, load_answers(book, example, use_env=False), options=AdviceOptions(samples=200))
    assert rec.findings and all(f.sources and f.rationale for f in rec.findings)
    if example.stem in EXPECTED:
        assert rec.winner == EXPECTED[example.stem], rec.summary


def test_examples_do_not_all_agree(book: Rulebook) -> None:
    winners = {
        advise(book, load_answers(book, e, use_env=False), options=AdviceOptions(samples=100, counterfactuals=False)).leader
        for e in EXAMPLES
    }
    assert winners >= {"pytorch", "tensorflow"}


def test_every_candidate_is_scored_by_a_fact_and_served_by_a_path(book: Rulebook) -> None:
    """A candidate added to candidates.yaml alone validates and is ranked on nothing: each
    needs facts that move its scores and a deployment path for the targets it serves."""
    scored = {e.candidate for f in book.facts for e in f.effects.scores}
    served = {p.candidate for p in book.paths}
    ids = {c.id for c in book.candidates}
    assert sorted(ids - scored) == [] and sorted(ids - served) == []
