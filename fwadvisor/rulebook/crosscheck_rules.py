"""Cross-checks of the rule files and the rule-test files against the rest of the rulebook
(the other file kinds are checked in crosscheck.py)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from fwadvisor.errors import Problem
from fwadvisor.records import Record, record
from fwadvisor.rulebook.checks import FactType, check_condition, check_ref
from fwadvisor.rulebook.crosscheck import Loc, duplicates
from fwadvisor.rulebook.exposure import resolve_rule
from fwadvisor.rulebook.schema import (
    Effects,
    Fact,
    Rule,
    RuleCase,
    RuleEntry,
    RulesFile,
    RuleTestFile,
    Scenario,
)
from fwadvisor.yamlio import Document, dotted

Where = dict[str, tuple[str, Loc]]


@dataclass
class CheckedRules:
    """The rule files cross-checked: their problems, and the facts and resolved rules with
    where each was declared."""

    problems: list[Problem] = field(default_factory=list)
    facts: dict[str, tuple[Fact, Document, Loc]] = field(default_factory=dict)
    rules: list[Rule] = field(default_factory=list)
    rule_where: Where = field(default_factory=dict)
    fact_where: Where = field(default_factory=dict)


def check_rule_files(
    loaded: Sequence[tuple[RulesFile, Document]],
    facts: Mapping[str, FactType],
    candidate_ids: Sequence[str],
    criterion_ids: Sequence[str],
) -> CheckedRules:
    """Effects that name candidates and criteria; conditions on known facts; unique fact and
    rule ids; each rule applying a declared fact at an exposure where it does something."""
    out = CheckedRules()
    entries: list[tuple[RuleEntry, Document, Loc]] = []
    for rfile, rdoc in loaded:
        for i, fact in enumerate(rfile.facts):
            floc: Loc = ("facts", i)
            out.problems += _effect_problems(
                fact.effects, candidate_ids, criterion_ids, rdoc, (*floc, "effects")
            )
            out.facts.setdefault(fact.id, (fact, rdoc, floc))
        for i, entry in enumerate(rfile.rules):
            loc: Loc = ("rules", i)
            entries.append((entry, rdoc, loc))
            out.problems += check_condition(entry.when, facts, rdoc, (*loc, "when"))
    out.problems += duplicates(
        [(f.id, d, ("facts", i)) for rf, d in loaded for i, f in enumerate(rf.facts)], "fact"
    )
    out.problems += duplicates([(e.id, d, loc) for e, d, loc in entries], "rule")
    out.fact_where = {fid: (fdoc.source, floc) for fid, (_, fdoc, floc) in out.facts.items()}
    for entry, rdoc, loc in entries:
        out.rule_where.setdefault(entry.id, (rdoc.source, loc))
        out.problems += check_ref(entry.fact, out.facts, "fact", rdoc, (*loc, "fact"))
        if entry.fact in out.facts:
            try:
                out.rules.append(resolve_rule(entry, out.facts[entry.fact][0]))
            except ValueError:
                out.problems.append(
                    Problem(
                        message=f"dead rule: fact {entry.fact!r} only vetoes, and a veto holds only "
                        "at exposure 1 (core)",
                        file=rdoc.source,
                        line=rdoc.line_of((*loc, "exposure")),
                        field=dotted((*loc, "exposure")),
                    )
                )
    return out


def _effect_problems(
    effects: Effects,
    candidate_ids: Sequence[str],
    criterion_ids: Sequence[str],
    doc: Document,
    loc: Loc,
) -> list[Problem]:
    problems: list[Problem] = []
    for j, s in enumerate(effects.scores):
        base = (*loc, "scores", j)
        problems += check_ref(s.candidate, candidate_ids, "candidate", doc, (*base, "candidate"))
        problems += check_ref(s.criterion, criterion_ids, "criterion", doc, (*base, "criterion"))
    for j, w in enumerate(effects.weights):
        base = (*loc, "weights", j)
        problems += check_ref(w.criterion, criterion_ids, "criterion", doc, (*base, "criterion"))
    if effects.advisory_unless_compared:
        problems += check_ref(
            effects.advisory_unless_compared,
            candidate_ids,
            "candidate",
            doc,
            (*loc, "advisory_unless_compared"),
        )
    for j, v in enumerate(effects.vetoes):
        base = (*loc, "vetoes", j)
        problems += check_ref(v.candidate, candidate_ids, "candidate", doc, (*base, "candidate"))
    return problems


@record
class Declared(Record):
    """The ids a rule-test file may refer to."""

    rules: Sequence[str]
    facts: Sequence[str]
    paths: Sequence[str]
    candidates: Sequence[str]


def check_test_files(
    loaded: Sequence[tuple[RuleTestFile, Document]], known: Declared
) -> tuple[list[Problem], list[RuleCase], list[Scenario]]:
    """Every rule, fact, path and candidate a case or scenario names is declared."""
    problems: list[Problem] = []
    cases: list[RuleCase] = []
    scenarios: list[Scenario] = []
    for tfile, tdoc in loaded:
        for i, case in enumerate(tfile.cases):
            problems += _case_problems(case, tdoc, ("cases", i), known)
            cases.append(case)
        for i, sc in enumerate(tfile.scenarios):
            problems += _scenario_problems(sc, tdoc, ("scenarios", i), known)
            scenarios.append(sc)
    return problems, cases, scenarios


def _case_problems(case: RuleCase, doc: Document, loc: Loc, known: Declared) -> list[Problem]:
    problems: list[Problem] = []
    lists: tuple[tuple[tuple[str, ...], Sequence[str], str], ...] = (
        (("fires", "not_fires"), known.rules, "rule"),
        (("facts", "not_facts"), known.facts, "fact"),
        (("applies", "not_applies", "chosen"), known.paths, "path"),
    )
    for slots, ids, what in lists:
        for slot in slots:
            for j, ident in enumerate(getattr(case, slot)):
                problems += check_ref(ident, ids, what, doc, (*loc, slot, j))
    if case.candidate is not None:
        problems += check_ref(
            case.candidate, known.candidates, "candidate", doc, (*loc, "candidate")
        )
    return problems


def _scenario_problems(sc: Scenario, doc: Document, loc: Loc, known: Declared) -> list[Problem]:
    problems: list[Problem] = []
    for j, rid in enumerate(sc.findings):
        problems += check_ref(rid, known.rules, "rule", doc, (*loc, "findings", j))
    for slot in ("facts", "top_facts"):
        for j, fid in enumerate(getattr(sc, slot)):
            problems += check_ref(fid, known.facts, "fact", doc, (*loc, slot, j))
    for slot, expected in (("winner", sc.winner), ("leader", sc.leader)):
        if expected is not None and expected != "none":
            problems += check_ref(expected, known.candidates, "candidate", doc, (*loc, slot))
    for j, chosen in enumerate(sc.candidates or []):
        problems += check_ref(chosen, known.candidates, "candidate", doc, (*loc, "candidates", j))
    return problems
