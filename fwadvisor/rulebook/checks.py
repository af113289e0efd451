"""Cross-file checks of a rulebook: every reference resolves, every value fits its fact.

Each check returns Problems (file, line, field, message with a did-you-mean) rather than
raising, so that one run reports everything wrong at once.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from fwadvisor.errors import Problem
from fwadvisor.records import Record, record
from fwadvisor.rulebook.conditions import Condition, Leaf, iter_leaves
from fwadvisor.rulebook.facts import PROBE_FACTS
from fwadvisor.rulebook.schema import Question
from fwadvisor.yamlio import Document, dotted

NUMERIC_OPS = {"gt", "gte", "lt", "lte"}
SET_OPS = {"contains_any", "contains_all", "contains_only"}
LIST_OPS = {"contains", "not_contains", *SET_OPS}
SCALAR_OPS = {"eq", "ne"}
MEMBER_OPS = {"in", "not_in"}
LIST_VALUED_OPS = MEMBER_OPS | SET_OPS
"""Operators whose value is a list."""


@record
class FactType(Record):
    """A fact's kind and allowed values, as the cross-checks compare conditions with them."""

    kind: str  # single, multi, number, bool, text
    choices: tuple[str, ...] = ()


def fact_type_of(question: Question) -> FactType:
    kind = {"scale": "number"}.get(question.kind, question.kind)
    return FactType(kind=kind, choices=tuple(question.choice_values()))


def probe_fact_types() -> dict[str, FactType]:
    return {
        name: FactType(kind=spec.kind, choices=spec.choices) for name, spec in PROBE_FACTS.items()
    }


def did_you_mean(word: str, options: Iterable[str]) -> str:
    close = difflib.get_close_matches(word, list(options), n=1, cutoff=0.6)
    return f" (did you mean {close[0]!r}?)" if close else ""


def _value_problem(value: Any, ftype: FactType) -> str | None:
    """Why one scalar value cannot be a value of this fact, or None."""
    if ftype.kind in ("single", "multi"):
        if not isinstance(value, str):
            return f"expected one of {list(ftype.choices)}, got {value!r}"
        if value not in ftype.choices:
            return f"{value!r} is not a choice{did_you_mean(value, ftype.choices)}; choices: {', '.join(ftype.choices)}"
        return None
    if ftype.kind == "number":
        ok = isinstance(value, (int, float)) and not isinstance(value, bool)
        return None if ok else f"expected a number, got {value!r}"
    if ftype.kind == "bool":
        return None if isinstance(value, bool) else f"expected true or false, got {value!r}"
    return None if isinstance(value, str) else f"expected text, got {value!r}"


def check_leaf(leaf: Leaf, ftype: FactType) -> list[str]:
    op, value = leaf.op, leaf.value
    if op == "is_set":
        return [] if value is None or isinstance(value, bool) else ["is_set takes true or false"]
    if value is None:
        return [f"operator {op!r} needs a value"]
    if op in NUMERIC_OPS and ftype.kind != "number":
        return [f"operator {op!r} needs a number or scale fact; {leaf.fact!r} is {ftype.kind}"]
    if op in LIST_OPS and ftype.kind != "multi":
        return [
            f"operator {op!r} is for multiple-choice facts; {leaf.fact!r} is {ftype.kind} (use eq or in)"
        ]
    if op in SCALAR_OPS | MEMBER_OPS and ftype.kind == "multi":
        return [
            f"operator {op!r} does not apply to multiple-choice {leaf.fact!r} (use contains, contains_any or contains_all)"
        ]
    wants_list = op in LIST_VALUED_OPS
    if wants_list and not isinstance(value, list):
        return [f"operator {op!r} takes a list of values"]
    if not wants_list and isinstance(value, list):
        return [f"operator {op!r} takes a single value, not a list"]
    values = value if isinstance(value, list) else [value]
    return [p for p in (_value_problem(v, ftype) for v in values) if p]


def check_condition(
    cond: Condition,
    facts: Mapping[str, FactType],
    doc: Document,
    base: Sequence[str | int],
) -> list[Problem]:
    problems: list[Problem] = []
    for path, leaf in iter_leaves(cond):
        ftype = facts.get(leaf.fact)
        if ftype is None:
            hint = did_you_mean(leaf.fact, facts)
            messages = [("fact", f"unknown fact {leaf.fact!r}{hint}")]
        else:
            messages = [("value", msg) for msg in check_leaf(leaf, ftype)]
        loc = (*base, *path)  # positions are looked up only for problems: composing is slow
        problems.extend(
            Problem(
                message=msg, file=doc.source, line=doc.line_of(loc), field=f"{dotted(loc)}.{key}"
            )
            for key, msg in messages
        )
    return problems


def check_ref(
    value: str, known: Iterable[str], what: str, doc: Document, loc: Sequence[str | int]
) -> list[Problem]:
    known = list(known)
    if value in known:
        return []
    field = dotted(loc)
    msg = f"unknown {what} {value!r}{did_you_mean(value, known)}"
    return [Problem(message=msg, file=doc.source, line=doc.line_of(loc), field=field)]
