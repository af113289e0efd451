"""Skip logic: which questions apply, walking the rulebook in order (ask_if may only look back)."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from typing import Any

from fwadvisor.rulebook.evaluate import holds
from fwadvisor.rulebook.model import Rulebook
from fwadvisor.rulebook.schema import Question
from fwadvisor.rulebook.values import normalize


def default_for(q: Question, facts: Mapping[str, Any]) -> Any:
    """The question's default for the answers before it: the first conditional default whose
    `when` holds, else `default` (normalized; None when it has none)."""
    for d in q.defaults:
        if holds(d.when, facts):
            return normalize(q, d.value)
    return None if q.default is None else normalize(q, q.default)


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
