"""The flow logic, driven through a scripted terminal."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest

from fwadvisor.questionnaire.flow import Questionnaire
from fwadvisor.questionnaire.plan import State
from fwadvisor.rulebook.model import Rulebook
from tests.questionnaire.scripted import CTRL_C, ScriptedTerminal

DEFAULT_RUN = ["", "", "", "", "", "", ""]  # 6 steps (5 questions + the priorities gate), review
DEFAULTS = {
    "primary_goal": "both",
    "existing_tf": False,
    "deployment_targets": ["cloud_gpu"],
    "team_size": 4,
    "priority_research_flexibility": 3,
    "priority_production_serving": 3,
    "priority_mobile_edge": 1,
}


def run(book: Rulebook, lines: list[str], state: State | None = None, **kw: Any) -> Questionnaire:
    term = ScriptedTerminal(list(lines))
    flow = Questionnaire(book, term, state)
    flow.run(**kw)
    assert not term.lines, f"unused input: {term.lines}"
    return flow


def term_of(flow: Questionnaire) -> ScriptedTerminal:
    assert isinstance(flow.term, ScriptedTerminal)
    return flow.term


def test_enter_everywhere_takes_the_defaults(qbook: Rulebook) -> None:
    flow = run(qbook, DEFAULT_RUN)
    assert flow.state.answers == DEFAULTS
    assert "project_name" in flow.state.seen  # asked, left blank
    t = term_of(flow)
    assert [v.number for v in t.views] == [1, 2, 3, 4, 5, 6]
    assert {v.total for v in t.views} == {6}
    assert t.sections == ["Project", "Goals", "Priorities"]
    assert t.views[-1].kind == "gate"
    assert "Research flexibility: 3" in t.views[-1].details


def test_questions_come_from_the_rulebook_in_order(qbook: Rulebook) -> None:
    flow = run(qbook, DEFAULT_RUN)
    prompts = [v.prompt for v in term_of(flow).views[:5]]
    assert prompts == [q.prompt for q in qbook.questions[:5]]


def test_position_total_changes_as_skip_logic_applies(qbook: Rulebook) -> None:
    # research hides the TF Serving question: 6 steps become 5
    flow = run(qbook, ["", "1", "", "", "", ""])
    t = term_of(flow)
    assert t.positions[1].startswith("2/6 Main goal")
    assert t.positions[2].startswith("3/5 Where will models run")
    assert "existing_tf" not in flow.state.answers


def test_invalid_input_is_explained_and_asked_again(qbook: Rulebook) -> None:
    goal = ["7", "resarch", "research"]
    targets = ["0", "abc", "2,9", "2 3"]
    flow = run(qbook, ["", *goal, *targets, "-3", "12", "n", ""])
    t = term_of(flow)
    assert flow.state.answers["primary_goal"] == "research"
    assert flow.state.answers["deployment_targets"] == ["mobile_android", "browser"]
    assert flow.state.answers["team_size"] == 12
    joined = "\n".join(t.warnings)
    assert "7 is not in the list: type a number from 1 to 3" in joined
    assert "did you mean 'research'" in joined
    assert "0 is not in the list" in joined
    assert "9 is not in the list: type a number from 1 to 4" in joined
    assert "'abc' is not a choice" in joined
    assert "expected a number from 1 to 1000" in joined


def test_bool_and_required_messages(qbook: Rulebook) -> None:
    state = State(answers={}, seen=set())
    flow = run(qbook, ["", "", "maybe", "yes", "", "", "", ""], state)
    assert flow.state.answers["existing_tf"] is True
    assert any("not yes or no" in w for w in term_of(flow).warnings)


def test_required_question_without_default_insists(qbook: Rulebook) -> None:
    q = qbook.question_by_id["primary_goal"]
    questions = tuple(
        dataclasses.replace(q, default=None) if x.id == q.id else x for x in qbook.questions
    )
    book = dataclasses.replace(qbook, questions=questions)
    flow = run(book, ["", "", "2", *DEFAULT_RUN[2:]])
    assert flow.state.answers["primary_goal"] == "production"
    assert any("An answer is required" in w for w in term_of(flow).warnings)


def test_back_returns_to_the_previous_answer_as_default(qbook: Rulebook) -> None:
    # goal=research (TF question hidden), back at targets, change goal to production
    flow = run(qbook, ["", "1", "<", "2", "y", "", "", "", ""])
    t = term_of(flow)
    assert t.positions[2].startswith("3/5 Where will models run")
    assert t.views[3].prompt == "Main goal?" and t.views[3].default == "1"
    assert t.positions[4].startswith("3/6 Do you run TensorFlow Serving")
    assert flow.state.answers["primary_goal"] == "production"
    assert flow.state.answers["existing_tf"] is True


def test_back_at_the_first_question_says_so(qbook: Rulebook) -> None:
    flow = run(qbook, ["<", *DEFAULT_RUN])
    assert term_of(flow).warnings == ["This is the first question."]


def test_back_twice_walks_back_two_steps(qbook: Rulebook) -> None:
    flow = run(qbook, ["x", "", "", "<", "<", "3", "", "", "", "", ""])
    assert [v.number for v in term_of(flow).views] == [1, 2, 3, 4, 3, 2, 3, 4, 5, 6]
    assert flow.state.answers["project_name"] == "x"


def test_question_mark_shows_help(qbook: Rulebook) -> None:
    flow = run(qbook, ["", "?", *DEFAULT_RUN[1:]])
    t = term_of(flow)
    assert "Research means new models; production means serving them." in t.said
    assert t.views[1] == t.views[2]  # the same question again


def test_gate_opened_asks_each_priority(qbook: Rulebook) -> None:
    flow = run(qbook, ["", "", "", "", "", "y", "5", "", "0", ""])
    t = term_of(flow)
    assert [v.total for v in t.views][-3:] == [9, 9, 9]
    assert flow.state.answers["priority_research_flexibility"] == 5
    assert flow.state.answers["priority_mobile_edge"] == 0
    assert flow.state.gates == {"priorities": True}


def test_gate_help_and_bad_answer(qbook: Rulebook) -> None:
    flow = run(qbook, ["", "", "", "", "", "?", "perhaps", "n", ""])
    t = term_of(flow)
    assert "How much each criterion matters, 0 to 5." in t.said
    assert any("not yes or no" in w for w in t.warnings)


def test_review_edit_asks_newly_applicable_questions(qbook: Rulebook) -> None:
    # research first (TF question hidden); in review change goal (row 2) to production
    flow = run(qbook, ["", "1", "", "", "", "2", "2", "y", ""])
    t = term_of(flow)
    assert len(t.reviews) == 2
    assert [r.prompt for r in t.reviews[0]][:3] == [
        "Project name?",
        "Main goal?",
        "Where will models run?",
    ]
    assert t.views[-1].prompt == "Do you run TensorFlow Serving today?"
    assert flow.state.answers["existing_tf"] is True
    assert t.reviews[1][2].answer == "yes"


def test_review_rejects_other_input(qbook: Rulebook) -> None:
    flow = run(qbook, [*DEFAULT_RUN[:-1], "99", "?", ""])
    t = term_of(flow)
    assert t.warnings == ["'99' is not a row number."]
    assert any("Type a number from 1 to" in s for s in t.said)


def test_review_shows_blank_and_labels(qbook: Rulebook) -> None:
    flow = run(qbook, DEFAULT_RUN)
    rows = term_of(flow).reviews[0]
    assert rows[0].answer == "(blank)"
    assert rows[1].answer == "Both"
    assert rows[3].answer == "GPU servers"


def test_resume_skips_what_was_answered(qbook: Rulebook) -> None:
    state = State(answers={"primary_goal": "production"}, seen={"project_name", "primary_goal"})
    flow = run(qbook, ["", "", "", "", ""], state, skip_done=True)
    t = term_of(flow)
    assert t.views[0].prompt == "Do you run TensorFlow Serving today?"
    assert t.views[0].number == 3


def test_resume_back_reaches_skipped_questions(qbook: Rulebook) -> None:
    state = State(answers={"primary_goal": "production"}, seen={"project_name", "primary_goal"})
    flow = run(qbook, ["<", "3", "", "", "", "", ""], state, skip_done=True)
    assert term_of(flow).views[1].prompt == "Main goal?"
    assert flow.state.answers["primary_goal"] == "both"


def test_resumed_priorities_count_as_decided(qbook: Rulebook) -> None:
    answers = {**DEFAULTS, "priority_mobile_edge": 4}
    flow = run(
        qbook,
        [""],
        State(answers=dict(answers), seen=set(answers) | {"project_name"}),
        skip_done=True,
    )
    assert flow.state.gates == {"priorities": True}
    assert flow.state.answers == answers


def test_ctrl_c_keeps_the_answers_so_far(qbook: Rulebook) -> None:
    changes: list[dict[str, Any]] = []
    term = ScriptedTerminal(["proj", "2", CTRL_C])
    flow = Questionnaire(qbook, term, on_change=lambda s: changes.append(dict(s.answers)))
    with pytest.raises(KeyboardInterrupt):
        flow.run()
    assert flow.state.answers == {"project_name": "proj", "primary_goal": "production"}
    assert changes[-1] == flow.state.answers and len(changes) == 2


def test_review_marks_defaults_that_would_change_the_verdict(qbook: Rulebook) -> None:
    term = ScriptedTerminal(list(DEFAULT_RUN))
    flow = Questionnaire(
        qbook, term, at_stake=lambda s: {"existing_tf": "existing_tf: no -> yes -> TF leads"}
    )
    flow.run()
    rows = {r.prompt: r for r in term.reviews[0]}
    tf_row = rows["Do you run TensorFlow Serving today?"]
    assert tf_row.note.startswith("default") and "could change the verdict" in tf_row.note
    # kept its default with Enter too (the report calls it a default), but nothing turns on it
    assert rows["Main goal?"].note == "default"
    assert "TF leads" in tf_row.note
