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
from fwadvisor.resources import rules_dir
from fwadvisor.rulebook import snapshot
from fwadvisor.rulebook.model import Rulebook
from fwadvisor.rulebook.schema import (
    CandidatesFile,
    CriteriaFile,
    PathsFile,
    QuestionsFile,
    RulesFile,
    RuleTestFile,
    UncertaintyFile,
)
from fwadvisor.validation import problems_from
from fwadvisor.yamlio import Document, parse_text, read_text

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
            self.problems.append(Problem(message="file is empty", file=str(path), line=1))
            return None, doc
        if (
            model is RulesFile
            and isinstance(doc.data, dict)
            and doc.data.get("schema_version") == 1
        ):
            self.problems.append(
                Problem(
                    message="this rule file is format 1 (rules with their own effects and `family`); "
                    "rule files are format 2 now: facts written once, and rules that apply a "
                    "fact with an exposure (see docs/rulebook.md)",
                    file=doc.source,
                    line=doc.line_of(("schema_version",)),
                    field="schema_version",
                )
            )
            return None, doc
        from pydantic import ValidationError

        try:
            return validate(model, doc.data), doc
        except ValidationError as exc:
            self.problems.extend(problems_from(exc, doc))
            return None, doc


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
    """Every file parsed and validated, then each kind cross-checked against the files before
    it (crosscheck.py, crosscheck_rules.py); all problems raised together."""
    # the cross-checks load only when files are validated (a snapshot hit needs none of them)
    from fwadvisor.rulebook.crosscheck import (
        check_candidates,
        check_criteria,
        check_paths,
        check_questions,
    )
    from fwadvisor.rulebook.crosscheck_rules import Declared, check_rule_files, check_test_files

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
        c.problems.append(Problem(message="no rule files (rules/*.yaml)", file=str(root / "rules")))
    loaded_rules = [c.parse(f, RulesFile) for f in rule_files]
    loaded_tests = [c.parse(f, RuleTestFile) for f in _yaml_in(root / "tests")]
    if c.problems or not (cands and crits and quests and cdoc and kdoc and qdoc):
        raise RulebookError(
            problems=c.problems or [Problem(message="rulebook incomplete", file=str(root))]
        )

    candidate_ids = [x.id for x in cands.candidates]
    criterion_ids = [x.id for x in crits.criteria]
    problems = check_candidates(cands, cdoc) + check_criteria(crits, kdoc)
    question_problems, facts = check_questions(quests, qdoc, criterion_ids)
    problems += question_problems
    checked = check_rule_files(
        [(f, d) for f, d in loaded_rules if f and d], facts, candidate_ids, criterion_ids
    )
    problems += checked.problems
    path_list = list(paths.paths) if paths else []
    if paths and pdoc:
        problems += check_paths(path_list, pdoc, quests.questions, facts, candidate_ids)
    declared = Declared(
        rules=[r.id for r in checked.rules],
        facts=list(checked.facts),
        paths=[p.id for p in path_list],
        candidates=candidate_ids,
    )
    test_problems, cases, scenarios = check_test_files(
        [(f, d) for f, d in loaded_tests if f and d], declared
    )
    problems += test_problems
    if problems:
        raise RulebookError(problems=problems)
    return Rulebook(
        candidates=tuple(cands.candidates),
        criteria=tuple(crits.criteria),
        sections=tuple(quests.sections),
        questions=tuple(quests.questions),
        facts=tuple(f for f, _, _ in checked.facts.values()),
        rules=tuple(checked.rules),
        paths=tuple(path_list),
        cases=tuple(cases),
        scenarios=tuple(scenarios),
        content_hash=content_hash(c.read),
        origin=str(root),
        rule_locations=checked.rule_where,
        fact_locations=checked.fact_where,
        default_comparison=tuple(cands.default_comparison or ()),
        **({"uncertainty": uncertainty.uncertainty} if uncertainty else {}),
    )
