"""Skip logic: which questions apply, walking the rulebook in order (ask_if may only look back)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from fwadvisor.rulebook.evaluate import holds
from fwadvisor.rulebook.model import Rulebook
from fwadvisor.rulebook.schema import Question


def walk(
    rulebook: Rulebook, value_of: Callable[[Question], Any]
) -> Iterator[tuple[Question, bool]]:
    """Each question with whether it applies. `value_of` gives an applicable question's value
    (None: unanswered), which later questions' `ask_if` then see."""
    facts: dict[str, Any] = {}
    for q in rulebook.questions:
        if q.ask_if is not None and not holds(q.ask_if, facts):
            yield q, False
            continue
        value = value_of(q)
        if value is not None:
            facts[q.id] = value
        yield q, True
