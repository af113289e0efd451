"""The questionnaire flow: ask each step, go back, explain and re-ask, review and edit.

Pure logic over an injected `Terminal`. Ctrl-C (KeyboardInterrupt) and end of input
(EOFError) pass through untouched; `state` always holds what was answered so far, and
`on_change` is called after every answer so the caller can keep a file up to date.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from fwadvisor.questionnaire.parse import BACK, HELP, Invalid, parse_answer, parse_yes_no
from fwadvisor.questionnaire.plan import (
    GateStep,
    QuestionStep,
    State,
    Step,
    applicable,
    build_plan,
    current_value,
    facts_of,
    gated_sections,
    infer_gates,
    is_done,
)
from fwadvisor.questionnaire.views import (
    QuestionView,
    ReviewRow,
    Terminal,
    help_text,
    question_view,
)
from fwadvisor.rulebook.model import Rulebook
from fwadvisor.rulebook.schema import Question
from fwadvisor.rulebook.values import display

KEYS = (
    "Enter takes the answer in [brackets]; ? shows help; < goes back to the previous "
    "question; Ctrl-C stops and keeps your answers so far."
)


class Questionnaire:
    def __init__(
        self,
        rulebook: Rulebook,
        terminal: Terminal,
        state: State | None = None,
        on_change: Callable[[State], None] | None = None,
        at_stake: Callable[[State], Mapping[str, str]] | None = None,
    ) -> None:
        self.rulebook = rulebook
        # question id -> what answering it otherwise would do to the verdict (review step)
        self.at_stake = at_stake or (lambda _state: {})
        self.term = terminal
        self.state = state or State()
        self.gated = gated_sections(rulebook)
        self.on_change = on_change or (lambda _state: None)
        self._history: list[str] = []
        self._shown_section: str | None = None
        infer_gates(rulebook, self.state, self.gated)

    def plan(self) -> list[Step]:
        return build_plan(self.rulebook, self.state, self.gated)

    def done_count(self) -> int:
        return sum(is_done(s, self.state) for s in self.plan())

    def run(self, *, skip_done: bool = False) -> None:
        """Ask every step (or only those not yet done), then review until Enter."""
        self._walk(skip_done)
        self._review()

    # -- walking the steps ------------------------------------------------------------------

    def _walk(self, skip_done: bool) -> None:
        i, forced = 0, None
        while True:
            steps = self.plan()
            if i >= len(steps):
                return
            step = steps[i]
            if skip_done and is_done(step, self.state) and step.key != forced:
                i += 1
                continue
            forced = None
            if self._ask_step(step, i + 1, len(steps)):
                self._history.append(step.key)
                i += 1
                continue
            target = self._back_target(steps, i)
            if target is None:
                self.term.warn("This is the first question.")
                continue
            i, forced = target, steps[target].key

    def _back_target(self, steps: list[Step], i: int) -> int | None:
        index = {s.key: n for n, s in enumerate(steps)}
        while self._history:
            key = self._history.pop()
            if key in index and index[key] < i:
                return index[key]
        return i - 1 if i > 0 else None

    def _ask_step(self, step: Step, number: int, total: int) -> bool:
        if step.section_id != self._shown_section:
            section = next(s for s in self.rulebook.sections if s.id == step.section_id)
            self.term.section(section.title, section.description)
            self._shown_section = section.id
        if isinstance(step, GateStep):
            return self._ask_gate(step, number, total)
        assert isinstance(step, QuestionStep)
        return self._ask_question(step.question, number, total)

    def _ask_question(self, q: Question, number: int, total: int) -> bool:
        """True when answered, False when the person asked to go back."""
        value = current_value(q, self.state, facts_of(self.rulebook, self.state))
        view = question_view(q, value, number, total)
        while True:
            text = self.term.ask(view).strip()
            if text == HELP:
                for line in help_text(q):
                    self.term.say(line)
                continue
            if text == BACK:
                return False
            if text == "":
                if value is None and q.required:
                    self.term.warn(f"An answer is required here ({view.hint}).")
                    continue
                # Enter keeps what is in brackets: an answer given before stays given
                self._set(q, value, typed=q.id in self.state.typed)
                return True
            parsed = parse_answer(q, text)
            if isinstance(parsed, Invalid):
                self.term.warn(parsed.message)
                continue
            self._set(q, parsed, typed=True)
            return True

    def _set(self, q: Question, value: Any, *, typed: bool) -> None:
        if value is None:
            self.state.answers.pop(q.id, None)
        else:
            self.state.answers[q.id] = value
        self.state.seen.add(q.id)
        if typed:
            self.state.typed.add(q.id)
        else:
            self.state.typed.discard(q.id)
        self.on_change(self.state)

    def _ask_gate(self, step: GateStep, number: int, total: int) -> bool:
        section = step.section
        opened = self.state.gates.get(section.id, False)
        facts = facts_of(self.rulebook, self.state)
        view = QuestionView(
            number=number,
            total=total,
            prompt=f"Adjust {section.title.lower()}? Current values (0-5; rules may add to a "
            "weight, and the report shows both):",
            kind="gate",
            hint="y to set each one, n to keep them",
            default="y" if opened else "n",
            details=tuple(
                f"{self._short_name(q)}: {display(q, current_value(q, self.state, facts))}"
                for q in step.questions
            ),
        )
        while True:
            text = self.term.ask(view).strip()
            if text == HELP:
                self.term.say(section.description or section.title)
                self.term.say("Answer y to set each value in turn, n to keep the values shown.")
                continue
            if text == BACK:
                return False
            choice = opened if text == "" else parse_yes_no(text)
            if isinstance(choice, Invalid):
                self.term.warn(choice.message)
                continue
            self.state.gates[section.id] = choice
            if not choice:  # keeping the values shown is an answer to each of them
                for q in step.questions:
                    if q.id not in self.state.seen:
                        self.state.answers[q.id] = current_value(q, self.state, facts)
                        self.state.seen.add(q.id)
            self.on_change(self.state)
            return True

    def _short_name(self, q: Question) -> str:
        criterion = self.rulebook.criterion_by_id.get(q.weight_for or "")
        return criterion.name if criterion else q.prompt

    # -- review -----------------------------------------------------------------------------

    def review_rows(self) -> tuple[list[Question], list[ReviewRow]]:
        titles = {s.id: s.title for s in self.rulebook.sections}
        questions = applicable(self.rulebook, self.state)
        stake = self.at_stake(self.state)
        rows = []
        facts = facts_of(self.rulebook, self.state)
        for n, q in enumerate(questions, 1):
            value = current_value(q, self.state, facts)
            note = "" if q.id in self.state.typed else "default"
            if q.id in stake:  # left at (or kept) its default, and the verdict turns on it
                note = f"default; another answer could change the verdict: {stake[q.id]}"
            rows.append(
                ReviewRow(
                    number=n,
                    section=titles.get(q.section, q.section),
                    prompt=q.prompt,
                    answer="(blank)" if value is None else display(q, value),
                    note=note,
                )
            )
        return questions, rows

    def _review(self) -> None:
        while True:
            questions, rows = self.review_rows()
            text = self.term.review(rows).strip()
            if text == "":
                return
            if text.isdigit() and 1 <= int(text) <= len(rows):
                self._edit(questions[int(text) - 1], int(text), len(rows))
                continue
            if text != HELP:
                self.term.warn(f"{text!r} is not a row number.")
            self.term.say(f"Type a number from 1 to {len(rows)} to change it; Enter to finish.")

    def _edit(self, q: Question, number: int, total: int) -> None:
        self._shown_section = None
        if self._ask_question(q, number, total):
            # a changed answer can make new questions apply: ask those, and only those
            self._history = []
            self._walk(skip_done=True)
