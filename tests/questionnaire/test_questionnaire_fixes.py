"""Questionnaire fixes: the review and the report agree on given and default; `<` never moves
forward; every multi-choice question explains its choices; priorities on the report's scale."""

from __future__ import annotations

import contextlib
import random

import pytest

from fwadvisor.questionnaire.flow import Questionnaire
from fwadvisor.questionnaire.plan import QuestionStep, State, current_value
from fwadvisor.rulebook.loader import load_rulebook
from fwadvisor.rulebook.model import Rulebook
from tests.questionnaire.scripted import ScriptedTerminal


@pytest.fixture(scope="module")
def book() -> Rulebook:
    return load_rulebook(None)


def test_a_typed_answer_equal_to_its_default_is_given_in_review_and_report(
    qbook: Rulebook,
) -> None:
    from fwadvisor.answers import GivenAnswer, echo, resolve
    from fwadvisor.cli.questionnaire_cmd import typed_answers

    # "3" is Main goal's default ("both"), typed; everything else kept with Enter
    term = ScriptedTerminal(["", "3", "", "", "", "", ""])
    flow = Questionnaire(qbook, term)
    flow.run()
    rows = {r.prompt: r for r in term.reviews[0]}
    assert rows["Main goal?"].note == ""  # typed: given, even though it equals the default
    assert rows["Where will models run?"].note == "default"  # Enter kept the default
    given = {k: GivenAnswer(value=v, origin="questionnaire") for k, v in typed_answers(flow.state).items()}
    report = {a.question_id: a.origin for a in echo(qbook, resolve(qbook, given))}
    assert report["primary_goal"] == "given"
    assert report["deployment_targets"] == "default"


def test_enter_on_an_answer_given_before_keeps_it_given(qbook: Rulebook) -> None:
    state = State(answers={"primary_goal": "both"}, seen={"primary_goal"}, typed={"primary_goal"})
    term = ScriptedTerminal(["", "", "", "", "", "", ""])
    flow = Questionnaire(qbook, term, state)
    flow.run()
    assert "primary_goal" in flow.state.typed


def test_back_never_moves_forward_after_skipping_answered_questions(book: Rulebook) -> None:
    steps = Questionnaire(book, ScriptedTerminal([])).plan()
    rng = random.Random(7)
    for _ in range(150):
        state = State()
        for s in steps:
            if rng.random() < 0.6:
                if isinstance(s, QuestionStep):
                    state.seen.add(s.question.id)
                    value = current_value(s.question, state)
                    if value is not None:
                        state.answers[s.question.id] = value
                else:
                    state.gates[s.section.id] = rng.random() < 0.5
        term = ScriptedTerminal(["<"] + [""] * 300)
        flow = Questionnaire(book, term, state)
        if flow.done_count() == len(flow.plan()):
            continue
        with contextlib.suppress(AssertionError):  # the script may run out in the review:
            flow.run(skip_done=True)  # only the first two views matter
        first, second = term.views[0], term.views[1]
        if term.warnings == ["This is the first question."]:
            assert first.number == 1
        else:
            assert second.number == first.number - 1, (first.prompt, second.prompt)


def test_every_multi_choice_question_explains_its_choices(book: Rulebook) -> None:
    for q in book.questions:
        text = (q.help or "").replace("Choose all that apply", "").strip(" .;")
        assert text, f"{q.id}: its help only says to choose"


def test_priorities_say_the_scale_the_report_uses(book: Rulebook) -> None:
    from fwadvisor.models import Weight
    from fwadvisor.report.wording import weight_text

    section = next(s for s in book.sections if s.id == "priorities")
    assert "0 (not at all) to 5" in (section.description or "")
    assert "your priority plus what" in (section.description or "")
    w = Weight(criterion="browser", name="Browser", weight=8, base=5, rule_delta=3)
    assert weight_text(w) == "8 (5 +3)"


@pytest.mark.parametrize(
    ("qid", "typed", "alone"),
    [
        ("team_expertise", "keras,none", "None of these"),
        ("inference_hardware", "phone_npu,cpu", "CPUs only"),
    ],
)
def test_contradictory_choices_are_refused(
    book: Rulebook, qid: str, typed: str, alone: str
) -> None:
    from fwadvisor.questionnaire.parse import Invalid, parse_answer

    parsed = parse_answer(book.question_by_id[qid], typed)
    assert isinstance(parsed, Invalid)
    assert f"'{alone}' excludes the other choices" in parsed.message


def test_contradictory_choices_in_an_answers_file_are_refused(book: Rulebook) -> None:
    from fwadvisor.answers import GivenAnswer, resolve
    from fwadvisor.errors import AnswersError

    with pytest.raises(AnswersError, match="excludes the other choices"):
        resolve(book, {"team_expertise": GivenAnswer(value=["keras", "none"], origin="test")})


def test_a_change_never_proposes_a_contradictory_answer(book: Rulebook) -> None:
    from fwadvisor.rulebook.values import answer_problem
    from fwadvisor.scoring.counterfactuals import _alternatives

    for q in book.questions:
        if q.kind != "multi":
            continue
        for current in ([c.value for c in q.choices if c.exclusive][:1], [q.choices[0].value]):
            for alt in _alternatives(q, current):
                assert answer_problem(q, alt) is None or alt == [], (q.id, current, alt)


def test_inference_hardware_default_fits_a_phone_target(book: Rulebook) -> None:
    from fwadvisor.answers import GivenAnswer, resolve

    phone = resolve(book, {"deployment_targets": GivenAnswer(value=["mobile_android"], origin="test")})
    assert phone.values["inference_hardware"] == ["phone_npu"]
    assert phone.origins["inference_hardware"] == "default"
    servers = resolve(book, {"deployment_targets": GivenAnswer(value=["cloud_gpu"], origin="test")})
    assert servers.values["inference_hardware"] == ["same_as_training"]
    # the questionnaire offers the same default after a phone target
    state = State(answers={"deployment_targets": ["mobile_ios"]}, seen={"deployment_targets"})
    q = book.question_by_id["inference_hardware"]
    from fwadvisor.questionnaire.plan import facts_of

    assert current_value(q, state, facts_of(book, state)) == ["phone_npu"]
