"""Which candidates a recommendation compares, and the rulebook cut down to them.

`restrict` is the one place where a comparison of fewer candidates than the rulebook knows
is made: score effects, vetoes and deployment paths on the other candidates are dropped, an
advisory marked `advisory_unless_compared` is kept only while its candidate is left out, and
a rule left with no effect at all no longer exists in the restricted rulebook.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

from fwadvisor.errors import Problem
from fwadvisor.rulebook.checks import did_you_mean
from fwadvisor.rulebook.model import Rulebook
from fwadvisor.rulebook.schema import Rule


def default_comparison(rulebook: Rulebook) -> tuple[str, ...]:
    """The candidates compared when nobody chose: candidates.yaml's default_comparison."""
    return rulebook.default_comparison or tuple(c.id for c in rulebook.candidates)


def selection_problems(
    rulebook: Rulebook,
    ids: Sequence[str],
    where: str | None,
    line: int | None = None,
    item_lines: Sequence[int | None] = (),
) -> list[Problem]:
    """Unknown, repeated or too few candidate ids; `where` names the file or the option,
    `line` the line of the list and `item_lines` the line of each id, where known."""
    problems = []
    for i, cid in enumerate(ids):
        at = item_lines[i] if i < len(item_lines) else line
        if cid not in rulebook.candidate_by_id:
            known = ", ".join(c.id for c in rulebook.candidates)
            hint = did_you_mean(cid, rulebook.candidate_by_id)
            problems.append(
                Problem(
                    message=f"unknown candidate {cid!r}{hint} (known: {known})",
                    file=where,
                    line=at,
                    field=f"candidates[{i}]",
                )
            )
        elif cid in ids[:i]:
            problems.append(
                Problem(
                    message=f"candidate {cid!r} is listed twice",
                    file=where,
                    line=at,
                    field=f"candidates[{i}]",
                )
            )
    if len(set(ids)) < 2:
        problems.append(
            Problem(
                message="name at least two candidates to compare",
                file=where,
                line=line,
                field="candidates",
            )
        )
    return problems


def _keep(rule: Rule, chosen: frozenset[str]) -> Rule | None:
    eff = rule.effects
    scores = [s for s in eff.scores if s.candidate in chosen]
    vetoes = [v for v in eff.vetoes if v.candidate in chosen]
    advisory, unless = eff.advisory, eff.advisory_unless_compared
    if unless in chosen:
        advisory = unless = None
    if not (scores or eff.weights or vetoes or advisory):
        return None
    if (scores, vetoes, advisory) == (eff.scores, eff.vetoes, eff.advisory):
        return rule
    effects = dataclasses.replace(
        eff, scores=scores, vetoes=vetoes, advisory=advisory, advisory_unless_compared=unless
    )
    return dataclasses.replace(rule, effects=effects)


def restrict(rulebook: Rulebook, candidates: Sequence[str]) -> Rulebook:
    """The rulebook as if it knew only `candidates` (ids already validated), in their order."""
    chosen = frozenset(candidates)
    by_id = rulebook.candidate_by_id
    rules = [r for r in (_keep(rule, chosen) for rule in rulebook.rules) if r is not None]
    return dataclasses.replace(
        rulebook,
        candidates=tuple(by_id[c] for c in candidates),
        rules=tuple(rules),
        paths=tuple(p for p in rulebook.paths if p.candidate in chosen),
        default_comparison=tuple(candidates),
    )
