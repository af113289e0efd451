"""The loaded rulebook: every file validated and cross-checked, indexed for the engine."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from fwadvisor.errors import FwAdvisorError
from fwadvisor.rulebook.conditions import facts_of
from fwadvisor.rulebook.schema import (
    DEFAULT_UNCERTAINTY,
    Candidate,
    Criterion,
    DeploymentPath,
    Fact,
    Question,
    Rule,
    RuleCase,
    Scenario,
    Section,
    UncertaintyModel,
)
from fwadvisor.yamlio import Document, read_text


@dataclass(frozen=True)
class Rulebook:
    """The validated rulebook: candidates, criteria, questions, rules and paths, with indexes."""

    candidates: tuple[Candidate, ...]
    criteria: tuple[Criterion, ...]
    sections: tuple[Section, ...]
    questions: tuple[Question, ...]
    rules: tuple[Rule, ...]
    """each rule resolved against its fact (see exposure.py)"""
    paths: tuple[DeploymentPath, ...]
    cases: tuple[RuleCase, ...] = ()
    scenarios: tuple[Scenario, ...] = ()
    uncertainty: UncertaintyModel = DEFAULT_UNCERTAINTY
    facts: tuple[Fact, ...] = ()
    default_comparison: tuple[str, ...] = ()  # empty: all candidates
    content_hash: str = ""
    origin: str = ""
    rule_locations: dict[str, tuple[str, tuple[str | int, ...]]] = field(
        default_factory=dict, repr=False
    )  # rule id -> (its file, its path in the file)
    fact_locations: dict[str, tuple[str, tuple[str | int, ...]]] = field(
        default_factory=dict, repr=False
    )  # fact id -> (its file, its path in the file)

    def location_of(self, rule_id: str) -> str:
        """'file:line' of a rule's definition (the file is read again to find the line)."""
        return self._location(self.rule_locations.get(rule_id))

    def location_of_fact(self, fact_id: str) -> str:
        """'file:line' of a fact's definition."""
        return self._location(self.fact_locations.get(fact_id))

    @staticmethod
    def _location(where: tuple[str, tuple[str | int, ...]] | None) -> str:
        if where is None:
            return ""
        source, loc = where
        try:
            line = Document(None, source, read_text(Path(source), "rule file")).line_of(loc)
        except FwAdvisorError:
            line = None
        return f"{source}:{line}" if line else source

    @cached_property
    def question_by_id(self) -> dict[str, Question]:
        return {q.id: q for q in self.questions}

    @cached_property
    def roles(self) -> dict[str, str]:
        """Role -> the id of the question that declares it (see fwadvisor/registry.py)."""
        return {q.role: q.id for q in self.questions if q.role is not None}

    def question_for(self, role: str) -> Question | None:
        qid = self.roles.get(role)
        return self.question_by_id[qid] if qid else None

    @cached_property
    def criterion_by_id(self) -> dict[str, Criterion]:
        return {c.id: c for c in self.criteria}

    @cached_property
    def candidate_by_id(self) -> dict[str, Candidate]:
        return {c.id: c for c in self.candidates}

    @cached_property
    def rule_by_id(self) -> dict[str, Rule]:
        return {r.id: r for r in self.rules}

    @cached_property
    def fact_by_id(self) -> dict[str, Fact]:
        return {f.id: f for f in self.facts}

    @cached_property
    def rules_of_fact(self) -> dict[str, tuple[Rule, ...]]:
        """Fact id -> the rules that apply it, in rulebook order."""
        out: dict[str, list[Rule]] = {f.id: [] for f in self.facts}
        for rule in self.rules:
            out.setdefault(rule.fact, []).append(rule)
        return {k: tuple(v) for k, v in out.items()}

    @cached_property
    def rules_by_fact(self) -> dict[str, tuple[int, ...]]:
        """Rule indexes by the facts their conditions read (to re-evaluate only what changes)."""
        index: dict[str, list[int]] = {}
        for i, rule in enumerate(self.rules):
            for fact in facts_of(rule.when):
                index.setdefault(fact, []).append(i)
        return {k: tuple(v) for k, v in index.items()}

    @cached_property
    def as_of_range(self) -> tuple[dt.date | None, dt.date | None]:
        dates = [f.as_of for f in self.facts] + [p.as_of for p in self.paths]
        return (min(dates), max(dates)) if dates else (None, None)
