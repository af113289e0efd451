"""What a valid answer to a question is, and how text (from --set or a prompt) becomes one."""

from __future__ import annotations

import math
from typing import Any

from fwadvisor.report.wording import answer_display
from fwadvisor.rulebook.checks import did_you_mean
from fwadvisor.rulebook.schema import Question

MAX_TEXT = 500
TRUE_WORDS = {"y", "yes", "true", "1", "on"}
FALSE_WORDS = {"n", "no", "false", "0", "off"}


def answer_problem(question: Question, value: Any) -> str | None:
    """Why `value` is not a valid answer to `question`, or None when it is."""
    kind = question.kind
    if kind == "single":
        if not isinstance(value, str):
            return f"expected one of: {', '.join(question.choice_values())}"
        if value not in question.choice_values():
            hint = did_you_mean(value, question.choice_values())
            return (
                f"{value!r} is not a choice{hint}; choices: {', '.join(question.choice_values())}"
            )
        return None
    if kind == "multi":
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            return f"expected a list of choices from: {', '.join(question.choice_values())}"
        for v in value:
            if v not in question.choice_values():
                hint = did_you_mean(v, question.choice_values())
                return (
                    f"{v!r} is not a choice{hint}; choices: {', '.join(question.choice_values())}"
                )
        if len(set(value)) != len(value):
            return "a choice is listed twice"
        return exclusive_problem(question, value)
    if kind in ("scale", "number"):
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            return f"expected a number, got {value!r}"
        if not math.isfinite(value):
            return f"expected a finite number, got {value!r}"
        if kind == "scale" and value != int(value):
            return f"expected a whole number, got {value!r}"
        bounds = question.bounds
        if bounds and not bounds[0] <= value <= bounds[1]:
            return f"expected a number from {bounds[0]:g} to {bounds[1]:g}, got {value!r}"
        return None
    if kind == "bool":
        return None if isinstance(value, bool) else f"expected true or false, got {value!r}"
    if not isinstance(value, str):
        return f"expected text, got {value!r}"
    return f"text longer than {MAX_TEXT} characters" if len(value) > MAX_TEXT else None


def exclusive_problem(question: Question, value: list[str]) -> str | None:
    """A choice that excludes the others ("None of these", "CPUs only") chosen with others."""
    if len(value) < 2:
        return None
    for c in question.choices:
        if c.exclusive and c.value in value:
            others = ", ".join(question.label_of(v) for v in value if v != c.value)
            return (
                f"{c.label!r} excludes the other choices ({others}); choose it alone, "
                "or leave it out"
            )
    return None


def normalize(question: Question, value: Any) -> Any:
    """Forgiving shapes that mean the same thing: a lone choice for a multi, 3.0 for a scale."""
    if question.kind == "multi" and isinstance(value, str):
        return [value]
    if question.kind == "scale" and isinstance(value, float) and value.is_integer():
        return int(value)
    if question.kind == "text" and isinstance(value, str):
        return value.strip()
    return value


def parse_text(question: Question, text: str) -> Any:
    """Turn typed text into a value of the question's kind (validated separately)."""
    raw = text.strip()
    kind = question.kind
    if kind == "multi":
        return [part.strip() for part in raw.split(",") if part.strip()]
    if kind == "bool":
        low = raw.lower()
        if low in TRUE_WORDS:
            return True
        if low in FALSE_WORDS:
            return False
        return raw
    if kind in ("scale", "number"):
        try:
            number = float(raw)
        except ValueError:
            return raw
        return int(number) if number.is_integer() and kind == "scale" else number
    return raw


def display(question: Question, value: Any) -> str:
    """The value as people read it: choice labels, yes/no."""
    return answer_display(question.kind, value, question.label_of)
