"""The rulebook's cross-checks, one per file kind, each callable on its own file (the loader
only parses, then calls them in file order)."""

from __future__ import annotations

from pathlib import Path
from typing import Any, TypeVar

from fwadvisor.records import validate
from fwadvisor.rulebook.crosscheck import (
    check_candidates,
    check_criteria,
    check_paths,
    check_questions,
)
from fwadvisor.rulebook.crosscheck_rules import Declared, check_rule_files, check_test_files
from fwadvisor.rulebook.schema import (
    CandidatesFile,
    CriteriaFile,
    PathsFile,
    QuestionsFile,
    RulesFile,
    RuleTestFile,
)
from fwadvisor.yamlio import Document, parse_text

MINI = Path(__file__).parents[1] / "fixtures" / "mini_rules"
M = TypeVar("M")


def _file(name: str, kind: type[M], edit: Any = None) -> tuple[M, Document]:
    text = (MINI / name).read_text(encoding="utf-8")
    doc = parse_text(text, name)
    if edit is not None:
        edit(doc.data)
    return validate(kind, doc.data), doc


def test_the_mini_rulebook_passes_every_cross_check() -> None:
    cands, cdoc = _file("candidates.yaml", CandidatesFile)
    crits, kdoc = _file("criteria.yaml", CriteriaFile)
    quests, qdoc = _file("questions.yaml", QuestionsFile)
    paths, pdoc = _file("paths.yaml", PathsFile)
    candidate_ids = [c.id for c in cands.candidates]
    criterion_ids = [c.id for c in crits.criteria]
    assert check_candidates(cands, cdoc) == []
    assert check_criteria(crits, kdoc) == []
    problems, facts = check_questions(quests, qdoc, criterion_ids)
    assert problems == [] and {q.id for q in quests.questions} <= set(facts)
    assert check_paths(list(paths.paths), pdoc, quests.questions, facts, candidate_ids) == []
    rule_files = [_file(f"rules/{p.name}", RulesFile) for p in sorted((MINI / "rules").iterdir())]
    checked = check_rule_files(rule_files, facts, candidate_ids, criterion_ids)
    assert checked.problems == [] and checked.rules
    assert set(checked.rule_where) == {r.id for r in checked.rules}
    tests = [_file(f"tests/{p.name}", RuleTestFile) for p in sorted((MINI / "tests").iterdir())]
    declared = Declared(
        rules=[r.id for r in checked.rules],
        facts=list(checked.facts),
        paths=[p.id for p in paths.paths],
        candidates=candidate_ids,
    )
    problems, cases, _ = check_test_files(tests, declared)
    assert problems == [] and cases


def test_a_duplicate_candidate_names_its_first_definition() -> None:
    def duplicate(data: dict[str, Any]) -> None:
        data["candidates"].append(dict(data["candidates"][0]))

    cands, doc = _file("candidates.yaml", CandidatesFile, duplicate)
    [problem] = check_candidates(cands, doc)
    assert "duplicate candidate id 'pytorch' (first defined at candidates.yaml:3)" in problem.message
    assert problem.field == "candidates[3].id"


def test_a_path_check_reports_its_own_file() -> None:
    cands, _ = _file("candidates.yaml", CandidatesFile)
    crits, _ = _file("criteria.yaml", CriteriaFile)
    quests, qdoc = _file("questions.yaml", QuestionsFile)
    _, facts = check_questions(quests, qdoc, [c.id for c in crits.criteria])

    def same_preference(data: dict[str, Any]) -> None:
        data["paths"][2]["preference"] = 1

    paths, pdoc = _file("paths.yaml", PathsFile, same_preference)
    candidate_ids = [c.id for c in cands.candidates]
    [problem] = check_paths(list(paths.paths), pdoc, quests.questions, facts, candidate_ids)
    assert problem.file == "paths.yaml" and problem.field == "paths[2].preference"
    assert "also given to path 'tf-browser-onnx'" in problem.message
