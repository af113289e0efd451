"""Evaluate conditions against facts: a fast boolean path and a traced path.

A fact that is absent (unanswered, hidden by skip logic, or not probed) makes its leaf
false, except `is_set`, which tests exactly that.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from fwadvisor.models import LeafTrace
from fwadvisor.rulebook.conditions import AllOf, AnyOf, Condition, Leaf, LeafPath, path_text


def _as_list(value: Any) -> list[Any]:
    return list(value) if isinstance(value, list) else [value]


def _num(a: Any) -> bool:
    return isinstance(a, (int, float)) and not isinstance(a, bool)


OPS: dict[str, Callable[[Any, Any], bool]] = {
    "eq": lambda a, v: bool(a == v),
    "ne": lambda a, v: bool(a != v),
    "in": lambda a, v: a in _as_list(v),
    "not_in": lambda a, v: a not in _as_list(v),
    "contains": lambda a, v: isinstance(a, list) and v in a,
    "not_contains": lambda a, v: isinstance(a, list) and v not in a,
    "contains_any": lambda a, v: isinstance(a, list) and any(x in a for x in _as_list(v)),
    "contains_all": lambda a, v: isinstance(a, list) and all(x in a for x in _as_list(v)),
    # answered, and nothing outside these: "only Trainium" whatever other choices exist
    "contains_only": lambda a, v: isinstance(a, list) and bool(a) and set(a) <= set(_as_list(v)),
    "gt": lambda a, v: _num(a) and a > v,
    "gte": lambda a, v: _num(a) and a >= v,
    "lt": lambda a, v: _num(a) and a < v,
    "lte": lambda a, v: _num(a) and a <= v,
}


def leaf_holds(leaf: Leaf, facts: Mapping[str, Any]) -> bool:
    if leaf.op == "is_set":
        return (leaf.fact in facts) == (True if leaf.value is None else bool(leaf.value))
    if leaf.fact not in facts:
        return False
    return OPS[leaf.op](facts[leaf.fact], leaf.value)


def holds(cond: Condition, facts: Mapping[str, Any]) -> bool:
    """Boolean evaluation, short-circuiting; used where no explanation is needed."""
    if isinstance(cond, Leaf):
        return leaf_holds(cond, facts)
    if isinstance(cond, AllOf):
        return all(holds(c, facts) for c in cond.all)
    if isinstance(cond, AnyOf):
        return any(holds(c, facts) for c in cond.any)
    return not holds(cond.not_, facts)


Predicate = Callable[[Mapping[str, Any]], bool]


def predicate(cond: Condition) -> Predicate:
    """`holds` prepared for one condition: closures instead of the type dispatch and the
    operator lookup at every leaf, for conditions evaluated many times (the counterfactuals
    re-fire rules about a hundred times). predicate(c)(facts) == holds(c, facts) always."""
    if isinstance(cond, Leaf):
        fact, value = cond.fact, cond.value
        if cond.op == "is_set":
            wanted = True if value is None else bool(value)
            return lambda facts: (fact in facts) == wanted
        op = OPS[cond.op]
        return lambda facts: fact in facts and op(facts[fact], value)
    if isinstance(cond, AllOf):
        parts = [predicate(c) for c in cond.all]
        return lambda facts: all(p(facts) for p in parts)
    if isinstance(cond, AnyOf):
        parts = [predicate(c) for c in cond.any]
        return lambda facts: any(p(facts) for p in parts)
    inner = predicate(cond.not_)
    return lambda facts: not inner(facts)


def trace(
    cond: Condition, facts: Mapping[str, Any], path: LeafPath = ()
) -> tuple[bool, list[LeafTrace]]:
    """Evaluate every leaf (no short-circuit) and record each one's outcome."""
    if isinstance(cond, Leaf):
        result = leaf_holds(cond, facts)
        known = cond.fact in facts
        return result, [
            LeafTrace(
                path=path_text(path) or "when",
                fact=cond.fact,
                op=cond.op,
                expected=cond.value,
                actual=facts.get(cond.fact),
                known=known,
                result=result,
            )
        ]
    if isinstance(cond, (AllOf, AnyOf)):
        key = "all" if isinstance(cond, AllOf) else "any"
        children = cond.all if isinstance(cond, AllOf) else cond.any
        results, leaves = [], []
        for i, child in enumerate(children):
            r, ls = trace(child, facts, (*path, key, i))
            results.append(r)
            leaves.extend(ls)
        return (all(results) if key == "all" else any(results)), leaves
    inner, leaves = trace(cond.not_, facts, (*path, "not"))
    return not inner, leaves
