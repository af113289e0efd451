"""Rule families: rules that rest on one underlying fact, so their effects must not add up.

Scoring counts only the strongest member on each candidate's criterion (and on each weight).
That is only meaningful when the members agree in direction: a fact cannot both favour and
disfavour the same candidate on the same criterion, so a family whose members disagree is a
mistake in the rulebook and fails to load.
"""

from __future__ import annotations

from collections.abc import Sequence

from fwadvisor.errors import Problem
from fwadvisor.rulebook.schema import Rule
from fwadvisor.yamlio import Document, dotted

Located = tuple[Rule, Document, tuple[str | int, ...]]


def _signs(rule: Rule) -> dict[tuple[str, str], tuple[int, str]]:
    out: dict[tuple[str, str], tuple[int, str]] = {}
    for s in rule.effects.scores:
        if s.delta:
            out[(s.candidate, s.criterion)] = (
                1 if s.delta > 0 else -1,
                f"{s.candidate} {s.criterion}",
            )
    for w in rule.effects.weights:
        if w.delta:
            out[("*weight*", w.criterion)] = (1 if w.delta > 0 else -1, f"weight of {w.criterion}")
    return out


def family_problems(rules: Sequence[Located]) -> list[Problem]:
    """Members of one family must push every shared (candidate, criterion) the same way."""
    problems: list[Problem] = []
    seen: dict[str, dict[tuple[str, str], tuple[int, str]]] = {}  # family -> key -> (sign, rule)
    for rule, doc, loc in rules:
        if rule.family is None:
            continue
        first = seen.setdefault(rule.family, {})
        for key, (sign, what) in _signs(rule).items():
            if key in first and first[key][0] != sign:
                problems.append(
                    Problem(
                        f"family {rule.family!r}: {what} goes the other way in rule "
                        f"{first[key][1]!r}; members of a family state one fact and must agree",
                        doc.source,
                        doc.line_of((*loc, "family")),
                        None,
                        dotted((*loc, "family")),
                    )
                )
            first.setdefault(key, (sign, rule.id))
    return problems
