"""Which steps the questionnaire shows, recomputed from the answers after every change.

A step is one question, or a gate: a section made only of optional 0-5 scales with defaults
(the priorities) is offered as one yes/no question, because most people keep the defaults
and a dozen sliders would dominate the run. Skip logic is the one walk `answers.resolve` also
uses (rulebook/skip.py): a question applies when its `ask_if` holds for the answers (or
defaults) before it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from fwadvisor.records import Record, record
from fwadvisor.rulebook.model import Rulebook
from fwadvisor.rulebook.schema import Question, Section
from fwadvisor.rulebook.skip import default_for, walk
from fwadvisor.rulebook.values import normalize

MIN_GATED = 3


@dataclass
class State:
    """What the person has said so far."""

    answers: dict[str, Any] = field(default_factory=dict)  # question id -> valid value
    seen: set[str] = field(default_factory=set)  # answered or deliberately left blank
    gates: dict[str, bool] = field(default_factory=dict)  # gated section id -> opened
    typed: set[str] = field(default_factory=set)
    """Answers the person gave (typed, or from a file or --set), as opposed to defaults kept
    with Enter or under a closed gate: the review and the report call only these given."""


@record
class QuestionStep(Record):
    """One question to ask."""

    question: Question

    @property
    def key(self) -> str:
        return self.question.id

    @property
    def section_id(self) -> str:
        return self.question.section


@record
class GateStep(Record):
    """A gated section's step: whether to go into the section; its questions are asked only then."""

    section: Section
    questions: tuple[Question, ...]

    @property
    def key(self) -> str:
        return f"section:{self.section.id}"

    @property
    def section_id(self) -> str:
        return self.section.id


Step = QuestionStep | GateStep


def gated_sections(rulebook: Rulebook) -> frozenset[str]:
    members: dict[str, list[Question]] = {}
    for q in rulebook.questions:
        members.setdefault(q.section, []).append(q)
    return frozenset(
        sid
        for sid, qs in members.items()
        if len(qs) >= MIN_GATED
        and all(q.kind == "scale" and q.default is not None and not q.required for q in qs)
    )


def current_value(question: Question, state: State, facts: Mapping[str, Any] | None = None) -> Any:
    """The answer given, else the default for the answers before it (`facts`, see
    `facts_of`; the answers given when left out), else None."""
    if question.id in state.answers:
        return state.answers[question.id]
    return default_for(question, state.answers if facts is None else facts)


def _walk(rulebook: Rulebook, state: State) -> tuple[list[Question], dict[str, Any]]:
    facts: dict[str, Any] = {}

    def value_of(q: Question) -> Any:
        value = current_value(q, state, facts)
        if value is not None:
            facts[q.id] = value
        return value

    return [q for q, applies in walk(rulebook, value_of) if applies], facts


def applicable(rulebook: Rulebook, state: State) -> list[Question]:
    """Every question whose skip logic holds, in rulebook order."""
    return _walk(rulebook, state)[0]


def facts_of(rulebook: Rulebook, state: State) -> dict[str, Any]:
    """Every applicable question's current value (answer or default), as resolve sees them."""
    return _walk(rulebook, state)[1]


def build_plan(rulebook: Rulebook, state: State, gated: frozenset[str]) -> list[Step]:
    """The steps to show, in order; a closed gate hides its questions."""
    steps: list[Step] = []
    members: dict[str, list[Question]] = {}
    gate_at: dict[str, int] = {}
    sections = {s.id: s for s in rulebook.sections}
    for q in applicable(rulebook, state):
        if q.section in gated:
            if q.section not in gate_at:
                gate_at[q.section] = len(steps)
                steps.append(GateStep(section=sections[q.section], questions=()))
            members.setdefault(q.section, []).append(q)
            if not state.gates.get(q.section, False):
                continue
        steps.append(QuestionStep(question=q))
    for sid, index in gate_at.items():
        steps[index] = GateStep(section=sections[sid], questions=tuple(members[sid]))
    return steps


def is_done(step: Step, state: State) -> bool:
    if isinstance(step, GateStep):
        return step.section.id in state.gates
    return step.question.id in state.seen


def infer_gates(rulebook: Rulebook, state: State, gated: frozenset[str]) -> None:
    """On resume: a gated section counts as decided once any of its questions was seen;
    it is open when a seen answer differs from its default or some are still unseen."""
    for sid in gated:
        qs = [q for q in applicable(rulebook, state) if q.section == sid]
        seen = [q for q in qs if q.id in state.seen]
        if seen and sid not in state.gates:
            changed = any(
                q.id in state.answers and state.answers[q.id] != normalize(q, q.default)
                for q in seen
            )
            state.gates[sid] = changed or len(seen) < len(qs)
