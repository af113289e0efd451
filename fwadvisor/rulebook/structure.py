"""Structural checks of a loaded rulebook (`fwadvisor rules validate`): what no single file shows.

- a dead rule: there is no team for whom it applies and no rule with a stronger (or an equal,
  earlier) exposure to the same fact applies too, so it can never change a score; and a dead
  fact: no rule applies it, or its effects are all zero;
- a rule that applies when nothing is answered, unless it says why (`applies_by_default`), and
  a rule that says so but does not;
- one claim written as two facts, or two facts citing exactly the same sources that move one
  candidate's criterion (or one weight) the same way: that is one fact written twice, and it
  would count twice;
- a question whose answers change no score, no path and no advice for any team.

"Any team" is decided exactly, by enumeration over an abstraction of the answers that is
complete for the conditions involved: each question a condition reads (and each question its
skip logic reads, transitively) takes every value a leaf names, one value no leaf names,
the boundary values around every number a leaf compares with, and "unanswered" where the
question has no default; the skip logic then removes the questions that would not be asked.
Two answers that no leaf tells apart make every condition agree, so a rule found dead over
the abstraction is dead for every team. A rule whose abstraction is too large to enumerate
(more than MAX_CASES combinations) is searched at random for a team for whom it counts; if
none is found it is not judged (`undecided` lists it; none is in the built-in rulebook).
"""

from __future__ import annotations

import itertools
import random
import re
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

from fwadvisor.errors import FwAdvisorError, Problem
from fwadvisor.records import Record, record
from fwadvisor.rulebook.checks import probe_fact_types
from fwadvisor.rulebook.conditions import Condition, facts_of, iter_leaves
from fwadvisor.rulebook.evaluate import Predicate, predicate
from fwadvisor.rulebook.model import Rulebook
from fwadvisor.rulebook.schema import Fact, Rule
from fwadvisor.rulebook.skip import walk
from fwadvisor.yamlio import Document, dotted, read_text

MAX_CASES = 200_000
SAMPLES = 20_000
_UNSET = object()


@record
class _Space(Record):
    """The abstract answers for a set of facts, in questionnaire order."""

    facts: tuple[str, ...]
    values: tuple[tuple[Any, ...], ...]

    @property
    def size(self) -> int:
        n = 1
        for v in self.values:
            n *= len(v)
        return n


class _Explorer:
    def __init__(self, book: Rulebook) -> None:
        self.book = book
        self.order = {q.id: i for i, q in enumerate(book.questions)}
        self.probe = probe_fact_types()
        self.leaves: dict[str, list[Any]] = {}
        conditions: list[Condition] = [r.when for r in book.rules]
        conditions += [p.when for p in book.paths if p.when is not None]
        conditions += [q.ask_if for q in book.questions if q.ask_if is not None]
        for cond in conditions:
            for _, leaf in iter_leaves(cond):
                self.leaves.setdefault(leaf.fact, []).append(leaf.value)

    def closure(self, facts: Iterable[str]) -> list[str]:
        """The facts and, transitively, the facts their questions' skip logic reads."""
        todo, seen = list(facts), set()
        while todo:
            fact = todo.pop()
            if fact in seen:
                continue
            seen.add(fact)
            q = self.book.question_by_id.get(fact)
            if q is not None and q.ask_if is not None:
                todo.extend(facts_of(q.ask_if))
        return sorted(seen, key=lambda f: (self.order.get(f, len(self.order)), f))

    def _named(self, fact: str, conds: Sequence[Condition]) -> set[Any]:
        named: set[Any] = set()
        for cond in conds:
            for _, leaf in iter_leaves(cond):
                if leaf.fact == fact and leaf.value is not None:
                    vals = leaf.value if isinstance(leaf.value, list) else [leaf.value]
                    named.update(v for v in vals if not isinstance(v, bool))
        return named

    def domain(self, fact: str, conds: Sequence[Condition]) -> tuple[Any, ...]:
        q = self.book.question_by_id.get(fact)
        named = self._named(fact, conds)
        kind: str
        if q is not None:
            kind, choices = q.kind, q.choice_values()
            unset: list[Any] = [] if q.default is not None else [_UNSET]
        else:
            spec = self.probe.get(fact)
            kind = spec.kind if spec else "text"
            choices = list(spec.choices) if spec else []
            unset = [_UNSET]
        if kind in ("single", "multi"):
            atoms = [c for c in choices if c in named]
            other = next((c for c in choices if c not in named), None)
            if other is not None:
                atoms.append(other)
            if kind == "single":
                return (*atoms, *unset)
            subsets = [
                list(s) for n in range(len(atoms) + 1) for s in itertools.combinations(atoms, n)
            ]
            return (*subsets, *unset)
        if kind == "bool":
            return (True, False, *unset)
        if kind in ("scale", "number"):
            points: set[float] = set()
            for v in named:
                if isinstance(v, (int, float)):
                    points.update((v - 0.5, v, v + 0.5))
            if q is not None and q.bounds:
                lo, hi = q.bounds
                points = {p for p in points if lo <= p <= hi} | {lo, hi}
            return (*sorted(points or {0.0}), *unset)
        return ("text", *unset)

    def space(self, conds: Sequence[Condition]) -> _Space:
        facts = self.closure(f for c in conds for f in facts_of(c))
        gates = [q.ask_if for f in facts if (q := self.book.question_by_id.get(f)) and q.ask_if]
        return _Space(
            facts=tuple(facts), values=tuple(self.domain(f, [*conds, *gates]) for f in facts)
        )

    def _gated(self, space: _Space) -> list[tuple[str, Predicate | None]]:
        return [
            (f, predicate(q.ask_if) if q and q.ask_if else None)
            for f in space.facts
            for q in [self.book.question_by_id.get(f)]
        ]

    def teams(self, space: _Space) -> Iterator[dict[str, Any]]:
        """Every abstract team over the space, with skip logic applied (a question whose
        ask_if fails is unanswered, whatever the combination gave it)."""
        gated = self._gated(space)
        yield from (self._team(gated, combo) for combo in itertools.product(*space.values))

    def sample(self, space: _Space, n: int) -> Iterator[dict[str, Any]]:
        """n random abstract teams (a fixed seed: the check gives the same answer each run)."""
        rng = random.Random(0)
        gated = self._gated(space)
        for _ in range(n):
            yield self._team(gated, tuple(rng.choice(v) for v in space.values))

    @staticmethod
    def _team(
        gated: Sequence[tuple[str, Predicate | None]], combo: Sequence[Any]
    ) -> dict[str, Any]:
        facts: dict[str, Any] = {}
        for (fact, gate), value in zip(gated, combo, strict=True):
            if value is _UNSET or (gate is not None and not gate(facts)):
                continue
            facts[fact] = value
        return facts


def _line(source: str, loc: tuple[str | int, ...]) -> int | None:
    try:
        return Document(None, source, read_text(Path(source), "rule file")).line_of(loc)
    except FwAdvisorError:
        return None


def _rule_problem(book: Rulebook, rule_id: str, key: str, message: str) -> Problem:
    source, loc = book.rule_locations.get(rule_id, ("", ()))
    return Problem(
        message=message,
        file=source or None,
        line=_line(source, (*loc, key)) if source else None,
        field=dotted((*loc, key)) if loc else rule_id,
    )


def _fact_problem(book: Rulebook, fact_id: str, key: str, message: str) -> Problem:
    source, loc = book.fact_locations.get(fact_id, ("", ()))
    return Problem(
        message=message,
        file=source or None,
        line=_line(source, (*loc, key)) if source else None,
        field=dotted((*loc, key)) if loc else fact_id,
    )


def _moves_anything(rule: Rule) -> bool:
    e = rule.effects
    return any(s.delta for s in e.scores) or any(w.delta for w in e.weights) or bool(e.vetoes)


def _own_advice(book: Rulebook, rule: Rule) -> bool:
    fact = book.fact_by_id.get(rule.fact)
    return bool(rule.effects.advisory) and (
        fact is None or rule.effects.advisory != fact.effects.advisory
    )


def stronger(book: Rulebook, rule: Rule) -> list[Rule]:
    """The rules of the same fact that count instead of this one when both apply."""
    siblings = book.rules_of_fact.get(rule.fact, ())
    index = {r.id: i for i, r in enumerate(siblings)}
    return [
        s
        for s in siblings
        if s.id != rule.id
        and (
            s.exposure > rule.exposure
            or (s.exposure == rule.exposure and index[s.id] < index[rule.id])
        )
    ]


def can_count(book: Rulebook, rule: Rule, explorer: _Explorer) -> bool | None:
    """Whether some team has this rule apply with no stronger exposure to its fact; None when
    the space is too large to decide."""
    above = stronger(book, rule)
    space = explorer.space([rule.when, *(s.when for s in above)])
    mine = predicate(rule.when)
    theirs = [predicate(s.when) for s in above]
    if space.size > MAX_CASES:
        # too many to enumerate: a witness among random teams still proves it can count
        found = any(
            mine(t) and not any(p(t) for p in theirs) for t in explorer.sample(space, SAMPLES)
        )
        return True if found else None
    return any(mine(t) and not any(p(t) for p in theirs) for t in explorer.teams(space))


def dead_problems(
    book: Rulebook, explorer: _Explorer | None = None
) -> tuple[list[Problem], set[str]]:
    """Dead rules and facts, and the ids of the rules that can change something."""
    explorer = explorer or _Explorer(book)
    problems: list[Problem] = []
    live: set[str] = set()
    for fact in book.facts:
        if not book.rules_of_fact.get(fact.id):
            problems.append(
                _fact_problem(book, fact.id, "id", f"dead fact {fact.id!r}: no rule applies it")
            )
            continue
        e = fact.effects
        if not (
            any(s.delta for s in e.scores)
            or any(w.delta for w in e.weights)
            or e.vetoes
            or e.advisory
        ):
            problems.append(
                _fact_problem(
                    book, fact.id, "effects", f"dead fact {fact.id!r}: every effect is zero"
                )
            )
    for rule in book.rules:
        verdict = can_count(book, rule, explorer)
        if verdict is None:
            live.add(rule.id)  # not decided: treated as live
            continue
        if verdict:
            live.add(rule.id)
            continue
        if _own_advice(book, rule) and not any(
            s for s in stronger(book, rule) if s.effects.advisory == rule.effects.advisory
        ):
            continue  # it still shows its own advice, though its fact counts elsewhere
        above = ", ".join(s.id for s in stronger(book, rule))
        why = (
            f"whenever it applies, {above} applies the same fact {rule.fact!r} at an equal or "
            "stronger exposure"
            if above
            else "no answers make its condition hold"
        )
        problems.append(
            _rule_problem(
                book, rule.id, "when", f"dead rule {rule.id!r}: it can change no score ({why})"
            )
        )
    return problems, live


def default_problems(book: Rulebook) -> list[Problem]:
    """Rules that apply with nothing answered must say so (and why); those that say so must."""
    facts: dict[str, Any] = {}
    for q, asked in walk(book, lambda q: q.default):
        if asked and q.default is not None:
            facts[q.id] = q.default
    problems: list[Problem] = []
    for rule in book.rules:
        fires = predicate(rule.when)(facts)
        if fires and not rule.applies_by_default:
            problems.append(
                _rule_problem(
                    book,
                    rule.id,
                    "when",
                    f"rule {rule.id!r} applies when nothing is answered (to the question "
                    "defaults alone); narrow its condition, or give `applies_by_default: <why>`",
                )
            )
        elif rule.applies_by_default and not fires:
            problems.append(
                _rule_problem(
                    book,
                    rule.id,
                    "applies_by_default",
                    f"rule {rule.id!r} says it applies by default, but it does not apply when "
                    "nothing is answered; remove applies_by_default",
                )
            )
    return problems


def _claim_key(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", " ", text.lower()).strip()


def duplicate_fact_problems(book: Rulebook) -> list[Problem]:
    problems: list[Problem] = []
    claims: dict[str, str] = {}
    sources: dict[frozenset[str], list[Fact]] = {}
    for fact in book.facts:
        key = _claim_key(fact.claim)
        if key in claims:
            problems.append(
                _fact_problem(
                    book,
                    fact.id,
                    "claim",
                    f"fact {fact.id!r} states the same claim as fact {claims[key]!r}: write it once "
                    "and give the second case a rule with its exposure",
                )
            )
        claims.setdefault(key, fact.id)
        cited = frozenset(fact.sources)
        for other in sources.get(cited, []):
            shared = _directions(fact) & _directions(other)
            if shared:
                what = ", ".join(sorted(f"{c} {k}" for c, k, _ in shared))
                problems.append(
                    _fact_problem(
                        book,
                        fact.id,
                        "sources",
                        f"fact {fact.id!r} cites exactly the sources of fact {other.id!r} and "
                        f"moves {what} the same way: one fact written twice would count twice. "
                        "Merge them (one fact, a rule per exposure), or cite what tells them apart",
                    )
                )
        sources.setdefault(cited, []).append(fact)
    return problems


def _directions(fact: Fact) -> set[tuple[str, str, bool]]:
    """(candidate or '*weight*', criterion, positive) for every non-zero effect."""
    out = {(s.candidate, s.criterion, s.delta > 0) for s in fact.effects.scores if s.delta}
    out |= {("*weight*", w.criterion, w.delta > 0) for w in fact.effects.weights if w.delta}
    return out


def inert_question_problems(book: Rulebook, live: set[str]) -> list[Problem]:
    """Questions no live rule (one that can move a score or show its advice), path, weight or
    code role reads, directly or by gating a question that is read. A question whose answers
    only change advice is kept: the advice is what it is asked for."""
    used: set[str] = set()
    for rule in book.rules:
        if rule.id in live and (_moves_anything(rule) or rule.effects.advisory):
            used |= facts_of(rule.when)
    for path in book.paths:
        if path.when is not None:
            used |= facts_of(path.when)
    used |= {q.id for q in book.questions if q.weight_for or q.role}
    changed = True
    while changed:
        changed = False
        for q in book.questions:
            if q.id in used and q.ask_if is not None and not facts_of(q.ask_if) <= used:
                used |= facts_of(q.ask_if)
                changed = True
    source = str(Path(book.origin) / "questions.yaml") if book.origin else ""
    problems: list[Problem] = []
    for i, q in enumerate(book.questions):
        if q.id not in used:
            loc: tuple[str | int, ...] = ("questions", i, "id")
            problems.append(
                Problem(
                    message=f"question {q.id!r} changes no score, no path and no advice for any team: no "
                    "live rule, no path and no skip logic of a question that matters reads it; "
                    "give it an effect or remove it",
                    file=source or None,
                    line=_line(source, loc) if source else None,
                    field=dotted(loc),
                )
            )
    return problems


def structure_problems(book: Rulebook) -> list[Problem]:
    """Every structural problem of the rulebook (see the module docstring)."""
    dead, live = dead_problems(book)
    return [
        *dead,
        *default_problems(book),
        *duplicate_fact_problems(book),
        *inert_question_problems(book, live),
    ]


def undecided(book: Rulebook) -> list[str]:
    """Rules whose deadness the enumeration cannot decide (their space is too large)."""
    explorer = _Explorer(book)
    return [rule.id for rule in book.rules if can_count(book, rule, explorer) is None]
