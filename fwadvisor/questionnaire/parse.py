"""Turn what a person typed at a question into a valid answer, or say what is wrong.

Choices are typed by number (as listed) or by value; several choices are separated by
commas or spaces, and `-` picks none. Everything else goes through the rulebook's own
parser and validator, so a typed answer is valid exactly when a file answer would be.
"""

from __future__ import annotations

import re
from typing import Any

from fwadvisor.records import Record, record
from fwadvisor.rulebook.schema import Question
from fwadvisor.rulebook.values import answer_problem, normalize, parse_text

BACK = "<"
HELP = "?"
NONE = "-"


@record
class Invalid(Record):
    """Why the typed text is not an answer; the question is asked again."""

    message: str


def _choice(question: Question, token: str) -> str | Invalid:
    values = question.choice_values()
    if token.isdigit():
        n = int(token)
        if 1 <= n <= len(values):
            return values[n - 1]
        return Invalid(message=f"{token} is not in the list: type a number from 1 to {len(values)}")
    low = token.lower()
    for choice in question.choices:
        if low in (choice.value, choice.label.lower()):
            return choice.value
    return token  # the validator explains, with a did-you-mean


def parse_answer(question: Question, text: str) -> Any:
    """A valid value for `question`, or Invalid. `text` is not empty, not `?` or `<`."""
    raw = text.strip()
    value: Any
    if question.kind == "single":
        value = _choice(question, raw)
    elif question.kind == "multi":
        if raw == NONE:
            value = []
        else:
            tokens = [t for t in re.split(r"[,\s]+", raw) if t]
            picked = [_choice(question, t) for t in tokens]
            bad = [p for p in picked if isinstance(p, Invalid)]
            if bad:
                return bad[0]
            value = list(dict.fromkeys(p for p in picked if isinstance(p, str)))
    else:
        value = normalize(question, parse_text(question, raw))
    if isinstance(value, Invalid):
        return value
    problem = answer_problem(question, value)
    if problem is None:
        return value
    if question.kind == "bool":
        return Invalid(message=f"{raw!r} is not yes or no: type y or n")
    if question.kind in ("scale", "number") and isinstance(value, str):
        return Invalid(message=f"{raw!r} is not a number: {_range_text(question)}")
    return Invalid(message=problem)


def _range_text(question: Question) -> str:
    bounds = question.bounds
    if bounds is None:
        return "type a number"
    return f"type a number from {bounds[0]:g} to {bounds[1]:g}"


def parse_yes_no(text: str) -> bool | Invalid:
    low = text.strip().lower()
    if low in ("y", "yes"):
        return True
    if low in ("n", "no"):
        return False
    return Invalid(message=f"{text.strip()!r} is not yes or no: type y or n")
