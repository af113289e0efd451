"""Plain-language wording shared by the renderers."""

from __future__ import annotations

from typing import Any

from fwadvisor.models import LeafTrace

OP_WORDS = {
    "eq": "is",
    "ne": "is not",
    "in": "is one of",
    "not_in": "is none of",
    "contains": "includes",
    "not_contains": "does not include",
    "contains_any": "includes any of",
    "contains_all": "includes all of",
    "gt": ">",
    "gte": ">=",
    "lt": "<",
    "lte": "<=",
    "is_set": "is answered",
}


def _value(v: Any) -> str:
    if isinstance(v, bool):
        return "yes" if v else "no"
    if isinstance(v, list):
        return ", ".join(_value(x) for x in v) or "(none)"
    return str(v)


def describe_leaf(leaf: LeafTrace) -> str:
    """e.g. `existing_serving includes tf_serving (answer: tf_serving, tfx)`."""
    negated = leaf.negated
    words = OP_WORDS.get(leaf.op, leaf.op)
    if leaf.op == "is_set":
        held = leaf.result != negated
        return f"{leaf.fact} {'is' if held else 'is not'} answered"
    test = f"{leaf.fact} {'NOT ' if negated else ''}{words} {_value(leaf.expected)}"
    if not leaf.known:
        return f"{test} (not answered)"
    return f"{test} (answer: {_value(leaf.actual)})"


def describe_leaves(leaves: list[LeafTrace], limit: int = 4) -> str:
    seen: list[str] = []
    for leaf in leaves:
        text = describe_leaf(leaf)
        if text not in seen:
            seen.append(text)
    more = len(seen) - limit
    return "; ".join(seen[:limit]) + (f"; and {more} more" if more > 0 else "")
