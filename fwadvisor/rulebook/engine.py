"""The rule engine: evaluate every rule against the facts, recording why each fired or not."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from fwadvisor.models import LeafTrace
from fwadvisor.records import Record, record
from fwadvisor.rulebook.evaluate import Predicate, holds, predicate, trace
from fwadvisor.rulebook.model import Rulebook
from fwadvisor.rulebook.schema import Rule


@record
class RuleOutcome(Record):
    """Whether one rule fired, with the trace of its condition's leaves."""

    rule: Rule
    fired: bool
    leaves: tuple[LeafTrace, ...]

    def deciding_leaves(self) -> list[LeafTrace]:
        """Leaves that pushed toward the outcome: held (or failed under an odd number of nots)
        when fired; the opposite when not fired."""
        return [leaf for leaf in self.leaves if (leaf.result != leaf.negated) == self.fired]


def evaluate(rulebook: Rulebook, facts: Mapping[str, Any]) -> list[RuleOutcome]:
    outcomes = []
    for rule in rulebook.rules:
        fired, leaves = trace(rule.when, facts)
        outcomes.append(RuleOutcome(rule=rule, fired=fired, leaves=tuple(leaves)))
    return outcomes


def fired_flags(rulebook: Rulebook, facts: Mapping[str, Any]) -> list[bool]:
    """Fast path without traces."""
    return [holds(rule.when, facts) for rule in rulebook.rules]


def _changed(base: Mapping[str, Any], facts: Mapping[str, Any]) -> set[str]:
    """The facts whose values differ (a fact missing on one side counts as None)."""
    changed = {k for k, v in facts.items() if base.get(k, None) != v}
    changed.update(k for k, v in base.items() if k not in facts and v is not None)
    return changed


class Refire:
    """Re-evaluate only the rules that read a fact that changed since one base, for many sets
    of facts: a rule's condition is prepared as a predicate the first time a change needs it,
    and reused for the changes after."""

    def __init__(
        self, rulebook: Rulebook, base_flags: Sequence[bool], base_facts: Mapping[str, Any]
    ) -> None:
        self.rulebook = rulebook
        self.base_flags = list(base_flags)
        self.base_facts = base_facts
        self._predicates: dict[int, Predicate] = {}

    def __call__(self, facts: Mapping[str, Any]) -> list[bool]:
        flags = list(self.base_flags)
        for fact in _changed(self.base_facts, facts):
            for i in self.rulebook.rules_by_fact.get(fact, ()):
                check = self._predicates.get(i)
                if check is None:
                    check = self._predicates[i] = predicate(self.rulebook.rules[i].when)
                flags[i] = check(facts)
        return flags
