"""Load a rulebook directory: parse every file safely, validate, cross-check, index.

All problems across all files are gathered and raised together as one RulebookError.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Sequence
from pathlib import Path
from typing import TypeVar

from fwadvisor.errors import FwAdvisorError, Problem, RulebookError
from fwadvisor.records import validate
from fwadvisor.registry import DEPLOYMENT_TARGETS
from fwadvisor.resources import rules_dir
from fwadvisor.rulebook import snapshot
from fwadvisor.rulebook.checks import (
    FactType,
    check_condition,
    check_ref,
    fact_type_of,
    probe_fact_types,
)
from fwadvisor.rulebook.exposure import resolve_rule
from fwadvisor.rulebook.model import Rulebook
from fwadvisor.rulebook.roles import check_roles
from fwadvisor.rulebook.schema import (
    CandidatesFile,
    CriteriaFile,
    Effects,
    Fact,
    PathsFile,
    QuestionsFile,
    Rule,
    RuleCase,
    RuleEntry,
    RulesFile,
    RuleTestFile,
    Scenario,
    UncertaintyFile,
)
from fwadvisor.rulebook.values import answer_problem, normalize
from fwadvisor.validation import problems_from
from fwadvisor.yamlio import Document, dotted, parse_text, read_text

M = TypeVar("M")


class _Collector:
    def __init__(self) -> None:
        self.problems: list[Problem] = []
        self.read: list[tuple[str, str]] = []

    def parse(self, path: Path, model: type[M]) -> tuple[M | None, Document | None]:
        try:
            doc = parse_text(read_text(path, "rule file"), str(path))
        except FwAdvisorError as exc:
            self.problems.extend(exc.problems)
            return None, None
        self.read.append((str(path), doc.text))
        if doc.data is None:
            self.problems.append(Problem("file is empty", str(path), 1))
            return None, doc
        if model is RulesFile and isinstance(doc.data, dict) and doc.data.get("schema_version") == 1:
            self.problems.append(
                Problem(
                    "this rule file is format 1 (rules with their own effects and `family`); "
                    "rule files are format 2 now: facts written once, and rules that apply a "
                    "fact with an exposure (see docs/rulebook.md)",
                    doc.source,
                    doc.line_of(("schema_version",)),
                    None,
                    "schema_version",
                )
            )
            return None, doc
        from pydantic import ValidationError

        try:
            return validate(model, doc.data), doc
        except ValidationError as exc:
            self.problems.extend(problems_from(exc, doc))
            return None, doc

    def dup(self, ids: Sequence[tuple[str, Document, tuple[str | int, ...]]], what: str) -> None:
        first: dict[str, tuple[Document, tuple[str | int, ...]]] = {}
        for ident, doc, loc in ids:
            if ident in first:
                fdoc, floc = first[ident]
                self.problems.append(
                    Problem(
                        f"duplicate {what} id {ident!r} (first defined at "
                        f"{fdoc.source}:{fdoc.line_of(floc)})",
                        doc.source,
                        doc.line_of(loc),
                        None,
                        dotted(loc) + ".id",
                    )
                )
            else:
                first[ident] = (doc, loc)


def content_hash(files: Sequence[tuple[str, str]]) -> str:
    """The rulebook's hash (in every report's provenance): its files' names and texts."""
    hasher = hashlib.sha256()
    for name, text in files:
        hasher.update(Path(name).name.encode() + b"\0" + text.encode() + b"\0")
    return "sha256:" + hasher.hexdigest()


def _yaml_in(folder: Path) -> list[Path]:
    """The YAML files of a rulebook folder; none when it does not exist. A folder that exists
    but cannot be listed is an error (not silently empty: `rules test` would say "0 passed")."""
    try:
        with os.scandir(folder) as entries:
            names = [e.name for e in entries if e.name.endswith(".yaml")]
    except FileNotFoundError:
        return []
    except NotADirectoryError:
        raise RulebookError.at("not a directory", folder) from None
    except OSError as exc:
        raise RulebookError.at(f"cannot be listed: {exc.strerror}", folder) from None
    return sorted(folder / name for name in names if not name.startswith("."))


def _rulebook_files(root: Path) -> list[Path]:
    """Every file of a rulebook, in the order they are loaded (and hashed)."""
    files = [root / "candidates.yaml", root / "criteria.yaml", root / "questions.yaml"]
    files += [f for f in (root / "paths.yaml", root / "uncertainty.yaml") if f.exists()]
    return files + _yaml_in(root / "rules") + _yaml_in(root / "tests")


def _effect_problems(
    effects: Effects,
    candidate_ids: list[str],
    criterion_ids: list[str],
    doc: Document,
    loc: tuple[str | int, ...],
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


def load_rulebook(directory: Path | None = None, *, fresh: bool = False) -> Rulebook:
    """The rulebook in `directory` (default: the built-in one), validated and cross-checked;
    every problem in every file raised together as one RulebookError. A rulebook validated
    before from the same files comes from its snapshot (see snapshot.py), unless `fresh`."""
    root = directory or rules_dir()
    if not root.is_dir():
        raise RulebookError.at("rules directory not found", root)
    try:
        texts = [(str(f), read_text(f, "rule file")) for f in _rulebook_files(root)]
    except FwAdvisorError:
        texts = []  # validating reports it, with every other problem
    book = snapshot.load(texts) if texts and not fresh else None
    if book is not None and book.content_hash == content_hash(texts) and book.origin == str(root):
        return book
    book = _validated(root)
    if texts and book.content_hash == content_hash(texts):  # unchanged while validating
        snapshot.store(book, texts)
    return book


def _validated(root: Path) -> Rulebook:
    c = _Collector()
    cands, cdoc = c.parse(root / "candidates.yaml", CandidatesFile)
    crits, kdoc = c.parse(root / "criteria.yaml", CriteriaFile)
    quests, qdoc = c.parse(root / "questions.yaml", QuestionsFile)
    paths, pdoc = (None, None)
    if (root / "paths.yaml").exists():
        paths, pdoc = c.parse(root / "paths.yaml", PathsFile)
    uncertainty = None
    if (root / "uncertainty.yaml").exists():
        uncertainty, _ = c.parse(root / "uncertainty.yaml", UncertaintyFile)
    rule_files = _yaml_in(root / "rules")
    if not rule_files:
        c.problems.append(Problem("no rule files (rules/*.yaml)", str(root / "rules")))
    loaded_rules = [c.parse(f, RulesFile) for f in rule_files]
    loaded_tests = [c.parse(f, RuleTestFile) for f in _yaml_in(root / "tests")]
    if c.problems or not (cands and crits and quests and cdoc and kdoc and qdoc):
        raise RulebookError(problems=c.problems or [Problem("rulebook incomplete", str(root))])

    candidate_ids = [x.id for x in cands.candidates]
    criterion_ids = [x.id for x in crits.criteria]
    section_ids = [x.id for x in quests.sections]
    c.dup([(x.id, cdoc, ("candidates", i)) for i, x in enumerate(cands.candidates)], "candidate")
    for i, cid in enumerate(cands.default_comparison or []):
        c.problems += check_ref(cid, candidate_ids, "candidate", cdoc, ("default_comparison", i))
    c.dup([(x.id, kdoc, ("criteria", i)) for i, x in enumerate(crits.criteria)], "criterion")
    c.dup([(x.id, qdoc, ("sections", i)) for i, x in enumerate(quests.sections)], "section")
    c.dup([(x.id, qdoc, ("questions", i)) for i, x in enumerate(quests.questions)], "question")

    facts: dict[str, FactType] = probe_fact_types()
    for i, q in enumerate(quests.questions):
        loc: tuple[str | int, ...] = ("questions", i)
        c.problems += check_ref(q.section, section_ids, "section", qdoc, (*loc, "section"))
        if q.weight_for:
            c.problems += check_ref(
                q.weight_for, criterion_ids, "criterion", qdoc, (*loc, "weight_for")
            )
        if q.ask_if is not None:  # skip logic may only look back
            c.problems += check_condition(q.ask_if, facts, qdoc, (*loc, "ask_if"))
        for j, d in enumerate(q.defaults):  # like ask_if, they may only look back
            spot = (*loc, "defaults", j)
            c.problems += check_condition(d.when, facts, qdoc, (*spot, "when"))
            if msg := answer_problem(q, normalize(q, d.value)):
                c.problems.append(
                    Problem(msg, qdoc.source, qdoc.line_of(spot), None, dotted((*spot, "value")))
                )
        if q.default is not None and (msg := answer_problem(q, q.default)):
            c.problems.append(
                Problem(
                    msg,
                    qdoc.source,
                    qdoc.line_of((*loc, "default")),
                    None,
                    dotted((*loc, "default")),
                )
            )
        facts[q.id] = fact_type_of(q)
    c.problems += check_roles(quests.questions, qdoc)

    facts_by_id: dict[str, tuple[Fact, Document, tuple[str | int, ...]]] = {}
    entries: list[tuple[RuleEntry, Document, tuple[str | int, ...]]] = []
    for rfile, rdoc in loaded_rules:
        if rfile is None or rdoc is None:
            continue
        for i, fact in enumerate(rfile.facts):
            floc: tuple[str | int, ...] = ("facts", i)
            c.problems += _effect_problems(
                fact.effects, candidate_ids, criterion_ids, rdoc, (*floc, "effects")
            )
            facts_by_id.setdefault(fact.id, (fact, rdoc, floc))
        for i, entry in enumerate(rfile.rules):
            loc = ("rules", i)
            entries.append((entry, rdoc, loc))
            c.problems += check_condition(entry.when, facts, rdoc, (*loc, "when"))
    c.dup(
        [(f.id, d, ("facts", i)) for rf, d in loaded_rules if rf and d for i, f in enumerate(rf.facts)],
        "fact",
    )
    c.dup([(e.id, d, loc) for e, d, loc in entries], "rule")
    rules: list[Rule] = []
    where: dict[str, tuple[str, tuple[str | int, ...]]] = {}
    fact_where: dict[str, tuple[str, tuple[str | int, ...]]] = {}
    for fid, (_, fdoc, floc) in facts_by_id.items():
        fact_where[fid] = (fdoc.source, floc)
    for entry, rdoc, loc in entries:
        where.setdefault(entry.id, (rdoc.source, loc))
        c.problems += check_ref(entry.fact, facts_by_id, "fact", rdoc, (*loc, "fact"))
        if entry.fact in facts_by_id:
            try:
                rules.append(resolve_rule(entry, facts_by_id[entry.fact][0]))
            except ValueError:
                c.problems.append(
                    Problem(
                        f"dead rule: fact {entry.fact!r} only vetoes, and a veto holds only "
                        "at exposure 1 (core)",
                        rdoc.source,
                        rdoc.line_of((*loc, "exposure")),
                        None,
                        dotted((*loc, "exposure")),
                    )
                )

    path_list = list(paths.paths) if paths else []
    if paths and pdoc:
        c.dup([(p.id, pdoc, ("paths", i)) for i, p in enumerate(path_list)], "path")
        deployment = next((q.id for q in quests.questions if q.role == DEPLOYMENT_TARGETS), "")
        targets = facts.get(deployment, FactType("multi")).choices
        for i, p in enumerate(path_list):
            loc = ("paths", i)
            c.problems += check_ref(p.target, targets, "deployment target", pdoc, (*loc, "target"))
            c.problems += check_ref(
                p.candidate, candidate_ids, "candidate", pdoc, (*loc, "candidate")
            )
            if p.when is not None:
                c.problems += check_condition(p.when, facts, pdoc, (*loc, "when"))
        ranked: dict[tuple[str, str, int], str] = {}
        for i, p in enumerate(path_list):  # preference must order paths unambiguously
            key = (p.target, p.candidate, p.preference)
            if key in ranked:
                c.problems.append(
                    Problem(
                        f"preference {p.preference} for {p.target}/{p.candidate} is also "
                        f"given to path {ranked[key]!r}",
                        pdoc.source,
                        pdoc.line_of(("paths", i, "preference")),
                        None,
                        f"paths[{i}].preference",
                    )
                )
            ranked.setdefault(key, p.id)

    rule_ids = [r.id for r in rules]
    fact_ids = list(facts_by_id)
    path_ids = [p.id for p in path_list]
    cases: list[RuleCase] = []
    scenarios: list[Scenario] = []
    for tfile, tdoc in loaded_tests:
        if tfile is None or tdoc is None:
            continue
        for i, case in enumerate(tfile.cases):
            for expectation in ("fires", "not_fires"):
                for j, rid in enumerate(getattr(case, expectation)):
                    loc = ("cases", i, expectation, j)
                    c.problems += check_ref(rid, rule_ids, "rule", tdoc, loc)
            for expectation in ("facts", "not_facts"):
                for j, fid in enumerate(getattr(case, expectation)):
                    loc = ("cases", i, expectation, j)
                    c.problems += check_ref(fid, fact_ids, "fact", tdoc, loc)
            for expectation in ("applies", "not_applies", "chosen"):
                for j, pid in enumerate(getattr(case, expectation)):
                    loc = ("cases", i, expectation, j)
                    c.problems += check_ref(pid, path_ids, "path", tdoc, loc)
            if case.candidate is not None:
                c.problems += check_ref(
                    case.candidate, candidate_ids, "candidate", tdoc, ("cases", i, "candidate")
                )
            cases.append(case)
        for i, sc in enumerate(tfile.scenarios):
            for j, rid in enumerate(sc.findings):
                c.problems += check_ref(
                    rid, rule_ids, "rule", tdoc, ("scenarios", i, "findings", j)
                )
            for slot in ("facts", "top_facts"):
                for j, fid in enumerate(getattr(sc, slot)):
                    c.problems += check_ref(fid, fact_ids, "fact", tdoc, ("scenarios", i, slot, j))
            for slot, expected in (("winner", sc.winner), ("leader", sc.leader)):
                if expected is not None and expected != "none":
                    c.problems += check_ref(
                        expected, candidate_ids, "candidate", tdoc, ("scenarios", i, slot)
                    )
            for j, chosen in enumerate(sc.candidates or []):
                c.problems += check_ref(
                    chosen, candidate_ids, "candidate", tdoc, ("scenarios", i, "candidates", j)
                )
            scenarios.append(sc)

    if c.problems:
        raise RulebookError(problems=c.problems)
    return Rulebook(
        candidates=tuple(cands.candidates),
        criteria=tuple(crits.criteria),
        sections=tuple(quests.sections),
        questions=tuple(quests.questions),
        facts=tuple(f for f, _, _ in facts_by_id.values()),
        rules=tuple(rules),
        paths=tuple(path_list),
        cases=tuple(cases),
        scenarios=tuple(scenarios),
        content_hash=content_hash(c.read),
        origin=str(root),
        rule_locations=where,
        fact_locations=fact_where,
        default_comparison=tuple(cands.default_comparison or ()),
        **({"uncertainty": uncertainty.uncertainty} if uncertainty else {}),
    )
