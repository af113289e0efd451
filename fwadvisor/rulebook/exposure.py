"""A rule resolved against its fact: the fact's effects at the rule's exposure.

A fact says whom it favours on which criterion by how much, at full exposure. A rule says
when the fact applies to a team and how exposed the team then is; the rule's scores and
weight changes are the fact's multiplied by that exposure. A veto is a hard requirement: it
holds only at exposure 1 (a team that depends on the fact entirely), so a rule with a lower
exposure carries none. Advice is shown at any exposure; a rule may add its own.

Scoring then counts each fact once per team, at the strongest exposure among the rules that
applied (scoring/effects.py).
"""

from __future__ import annotations

import dataclasses

from fwadvisor.rulebook.schema import Effects, Fact, Rule, RuleEntry, exposure_value


def scaled(effects: Effects, exposure: float, advisory: str | None = None) -> Effects:
    """The effects at this exposure, with a rule's own advice after the fact's (ValueError
    when nothing is left: a fact that only vetoes, below exposure 1)."""
    if advisory:
        advisory = f"{effects.advisory} {advisory}" if effects.advisory else advisory
    else:
        advisory = effects.advisory
    if exposure == 1.0:
        return dataclasses.replace(effects, advisory=advisory)
    return Effects(
        scores=[dataclasses.replace(s, delta=s.delta * exposure) for s in effects.scores],
        weights=[dataclasses.replace(w, delta=w.delta * exposure) for w in effects.weights],
        advisory=advisory,
        advisory_unless_compared=effects.advisory_unless_compared if advisory else None,
    )


def resolve_rule(entry: RuleEntry, fact: Fact) -> Rule:
    """The rule as scoring sees it (ValueError: see `scaled`)."""
    exposure = exposure_value(entry.exposure)
    rationale = fact.rationale
    if entry.rationale:
        rationale = f"{fact.rationale}\n{entry.rationale}"
    return Rule(
        id=entry.id,
        title=entry.title or fact.claim,
        area=fact.area,
        when=entry.when,
        effects=scaled(fact.effects, exposure, entry.advisory),
        rationale=rationale,
        sources=list(fact.sources),
        as_of=fact.as_of,
        published=fact.published,
        confidence=fact.confidence,
        fact=fact.id,
        claim=fact.claim,
        exposure=exposure,
        exposure_label=entry.exposure if isinstance(entry.exposure, str) else None,
        applies_by_default=entry.applies_by_default,
    )
