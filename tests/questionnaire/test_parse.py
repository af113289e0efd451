"""Typed text -> answers; every value a question can hold survives being typed back."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from fwadvisor.questionnaire.parse import Invalid, parse_answer, parse_yes_no
from fwadvisor.questionnaire.plan import gated_sections
from fwadvisor.questionnaire.views import typed_default
from fwadvisor.rulebook.loader import load_rulebook
from fwadvisor.rulebook.model import Rulebook
from fwadvisor.rulebook.schema import Question
from tests.questionnaire.rules_dir import QUESTIONNAIRE_RULES

BOOK = load_rulebook(QUESTIONNAIRE_RULES)
LIVE = load_rulebook()


def q(book: Rulebook, qid: str) -> Question:
    return book.question_by_id[qid]


def test_single_by_number_value_or_label() -> None:
    goal = q(BOOK, "primary_goal")
    assert parse_answer(goal, "2") == "production"
    assert parse_answer(goal, "Research") == "research"
    assert parse_answer(goal, " both ") == "both"
    assert isinstance(parse_answer(goal, "4"), Invalid)


def test_multi_separators_duplicates_and_none() -> None:
    targets = q(BOOK, "deployment_targets")
    assert parse_answer(targets, "1, 3") == ["cloud_gpu", "browser"]
    assert parse_answer(targets, "3 1 3") == ["browser", "cloud_gpu"]
    assert parse_answer(targets, "android,1") == ["mobile_android", "cloud_gpu"]
    assert parse_answer(targets, "-") == []
    bad = parse_answer(targets, "1,gpu")
    assert isinstance(bad, Invalid) and "'gpu' is not a choice" in bad.message


def test_numbers_scales_and_text() -> None:
    assert parse_answer(q(BOOK, "team_size"), "12") == 12
    assert parse_answer(q(BOOK, "team_size"), "2.5") == 2.5
    assert isinstance(parse_answer(q(BOOK, "team_size"), "lots"), Invalid)
    scale = q(BOOK, "priority_mobile_edge")
    assert parse_answer(scale, "5") == 5
    assert isinstance(parse_answer(scale, "6"), Invalid)
    assert isinstance(parse_answer(scale, "2.5"), Invalid)
    assert parse_answer(q(BOOK, "project_name"), "  Acme  ") == "Acme"


def test_yes_no() -> None:
    assert parse_yes_no("Y") is True and parse_yes_no("no") is False
    assert isinstance(parse_yes_no("sure"), Invalid)


def test_gated_sections_are_found_from_data() -> None:
    assert gated_sections(BOOK) == {"priorities"}
    assert gated_sections(LIVE) <= {s.id for s in LIVE.sections}


def _values(question: Question) -> st.SearchStrategy[Any]:
    kind = question.kind
    if kind == "single":
        return st.sampled_from(question.choice_values())
    if kind == "multi":
        # valid answers only: a choice that excludes the others stands alone
        alone = {c.value for c in question.choices if c.exclusive}
        return st.lists(st.sampled_from(question.choice_values()), unique=True).filter(
            lambda v: len(v) < 2 or not alone.intersection(v)
        )
    if kind == "bool":
        return st.booleans()
    if kind == "scale":
        lo, hi = question.bounds or (0, 5)
        return st.integers(int(lo), int(hi))
    if kind == "number":
        return st.integers(1, 1000)
    return (
        st.text(
            st.characters(codec="utf-8", exclude_categories=("Cc", "Cs")), min_size=1, max_size=40
        )
        .map(str.strip)
        .filter(lambda s: s not in ("", "?", "<"))
    )


QUESTIONS = [*BOOK.questions, *LIVE.questions]


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(QUESTIONS).flatmap(lambda qq: st.tuples(st.just(qq), _values(qq))))
def test_the_shown_default_types_back_to_the_same_value(pair: tuple[Question, Any]) -> None:
    question, value = pair
    typed = typed_default(question, value)
    assert typed is not None
    assert parse_answer(question, typed) == value
