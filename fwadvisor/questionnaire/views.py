"""What the flow asks the terminal to show, and the interface the terminal implements.

The flow never prints or reads: it hands views to a `Terminal` and interprets the text it
gets back. The real terminal is `terminal.RichTerminal`; tests inject a scripted one.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Protocol

from fwadvisor.records import Record, record
from fwadvisor.rulebook.schema import Question
from fwadvisor.rulebook.values import display


@record
class QuestionView(Record):
    """One question as the terminal shows it: number, prompt, choices, default and hint."""

    number: int  # position among the steps shown now
    total: int  # changes as skip logic applies
    prompt: str
    kind: str  # a question kind, or "gate" (a yes/no about a whole section)
    choices: tuple[str, ...] = ()  # labels, numbered from 1
    marked: frozenset[int] = frozenset()  # 0-based indexes of the current choices
    hint: str = ""  # what to type
    default: str | None = None  # what Enter takes, as typed
    details: tuple[str, ...] = ()  # extra lines (a gate lists the values it keeps)


@record
class ReviewRow(Record):
    """One answer in the review before saving."""

    number: int
    section: str
    prompt: str
    answer: str
    note: str = ""  # "default" when nothing was said


class Terminal(Protocol):
    """Reading raises KeyboardInterrupt (Ctrl-C) or EOFError; the flow lets both through."""

    def section(self, title: str, description: str | None) -> None: ...

    def ask(self, view: QuestionView) -> str: ...

    def say(self, text: str) -> None: ...

    def warn(self, text: str) -> None: ...

    def confirm(self, text: str, default: bool) -> bool: ...

    def text(self, prompt: str, default: str) -> str: ...

    def review(self, rows: Sequence[ReviewRow]) -> str: ...


def typed_default(question: Question, value: Any) -> str | None:
    """How the current value would be typed: choice numbers, y/n, the number or text."""
    if value is None:
        return None
    if question.kind == "single":
        values = question.choice_values()
        return str(values.index(value) + 1) if value in values else None
    if question.kind == "multi":
        values = question.choice_values()
        picked = [str(values.index(v) + 1) for v in value if v in values]
        return ",".join(picked) if picked else "-"
    if question.kind == "bool":
        return "y" if value else "n"
    return display(question, value)


def hint_for(question: Question) -> str:
    kind = question.kind
    if kind == "single":
        return f"a number 1-{len(question.choices)}"
    if kind == "multi":
        return "numbers separated by commas, - for none"
    if kind == "bool":
        return "y/n"
    bounds = question.bounds
    if kind in ("scale", "number"):
        return f"{bounds[0]:g}-{bounds[1]:g}" if bounds else "a number"
    return "text" if question.required else "text, Enter to leave blank"


def question_view(question: Question, value: Any, number: int, total: int) -> QuestionView:
    marked: frozenset[int] = frozenset()
    values = question.choice_values()
    if question.kind == "single" and value in values:
        marked = frozenset({values.index(value)})
    elif question.kind == "multi" and isinstance(value, list):
        marked = frozenset(values.index(v) for v in value if v in values)
    return QuestionView(
        number=number,
        total=total,
        prompt=question.prompt,
        kind=question.kind,
        choices=tuple(c.label for c in question.choices),
        marked=marked,
        hint=hint_for(question),
        default=typed_default(question, value),
    )


def help_text(question: Question) -> list[str]:
    lines = [question.help]
    lines += [f"{c.label}: {c.help}" for c in question.choices if c.help]
    if question.kind == "multi":
        lines.append("Type the numbers of every choice that applies, e.g. 1,3; - for none.")
    return lines
