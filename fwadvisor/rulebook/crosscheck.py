"""Cross-checks of the rulebook's files against each other, one per file kind: candidates,
criteria, questions and paths here; rule and test files in crosscheck_rules.py. Each takes
its validated file and what the files before it declared, and returns its problems (each
naming file, line and field)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from fwadvisor.errors import Problem
from fwadvisor.registry import DEPLOYMENT_TARGETS
from fwadvisor.rulebook.checks import (
    FactType,
    check_condition,
    check_ref,
    fact_type_of,
    probe_fact_types,
)
from fwadvisor.rulebook.roles import check_roles
from fwadvisor.rulebook.schema import (
    CandidatesFile,
    CriteriaFile,
    DeploymentPath,
    Question,
    QuestionsFile,
)
from fwadvisor.rulebook.values import answer_problem, normalize
from fwadvisor.yamlio import Document, dotted

Loc = tuple[str | int, ...]


def duplicates(ids: Sequence[tuple[str, Document, Loc]], what: str) -> list[Problem]:
    """Each id declared a second time, naming where it was first declared."""
    problems: list[Problem] = []
    first: dict[str, tuple[Document, Loc]] = {}
    for ident, doc, loc in ids:
        if ident in first:
            fdoc, floc = first[ident]
            problems.append(
                Problem(
                    message=f"duplicate {what} id {ident!r} (first defined at "
                    f"{fdoc.source}:{fdoc.line_of(floc)})",
                    file=doc.source,
                    line=doc.line_of(loc),
                    field=dotted(loc) + ".id",
                )
            )
        else:
            first[ident] = (doc, loc)
    return problems


def check_candidates(cands: CandidatesFile, doc: Document) -> list[Problem]:
    """Unique candidate ids; the default comparison names candidates."""
    ids = [x.id for x in cands.candidates]
    problems = duplicates(
        [(x.id, doc, ("candidates", i)) for i, x in enumerate(cands.candidates)], "candidate"
    )
    for i, cid in enumerate(cands.default_comparison or []):
        problems += check_ref(cid, ids, "candidate", doc, ("default_comparison", i))
    return problems


def check_criteria(crits: CriteriaFile, doc: Document) -> list[Problem]:
    return duplicates(
        [(x.id, doc, ("criteria", i)) for i, x in enumerate(crits.criteria)], "criterion"
    )


def check_questions(
    quests: QuestionsFile, doc: Document, criterion_ids: Sequence[str]
) -> tuple[list[Problem], dict[str, FactType]]:
    """Unique section and question ids, references to sections and criteria, skip logic and
    conditional defaults that look only back, defaults the question accepts, roles; and the
    facts the questions and probes give rule conditions (with their types)."""
    problems = duplicates(
        [(x.id, doc, ("sections", i)) for i, x in enumerate(quests.sections)], "section"
    )
    problems += duplicates(
        [(x.id, doc, ("questions", i)) for i, x in enumerate(quests.questions)], "question"
    )
    section_ids = [x.id for x in quests.sections]
    facts: dict[str, FactType] = probe_fact_types()
    for i, q in enumerate(quests.questions):
        problems += _question_problems(q, doc, ("questions", i), section_ids, criterion_ids, facts)
        facts[q.id] = fact_type_of(q)
    problems += check_roles(quests.questions, doc)
    return problems, facts


def _question_problems(
    q: Question,
    doc: Document,
    loc: Loc,
    section_ids: Sequence[str],
    criterion_ids: Sequence[str],
    facts: Mapping[str, FactType],
) -> list[Problem]:
    problems = check_ref(q.section, section_ids, "section", doc, (*loc, "section"))
    if q.weight_for:
        problems += check_ref(q.weight_for, criterion_ids, "criterion", doc, (*loc, "weight_for"))
    if q.ask_if is not None:  # skip logic may only look back
        problems += check_condition(q.ask_if, facts, doc, (*loc, "ask_if"))
    for j, d in enumerate(q.defaults):  # like ask_if, they may only look back
        spot = (*loc, "defaults", j)
        problems += check_condition(d.when, facts, doc, (*spot, "when"))
        if msg := answer_problem(q, normalize(q, d.value)):
            problems.append(
                Problem(
                    message=msg,
                    file=doc.source,
                    line=doc.line_of(spot),
                    field=dotted((*spot, "value")),
                )
            )
    if q.default is not None and (msg := answer_problem(q, q.default)):
        spot = (*loc, "default")
        problems.append(
            Problem(message=msg, file=doc.source, line=doc.line_of(spot), field=dotted(spot))
        )
    return problems


def check_paths(
    paths: Sequence[DeploymentPath],
    doc: Document,
    questions: Sequence[Question],
    facts: Mapping[str, FactType],
    candidate_ids: Sequence[str],
) -> list[Problem]:
    """Unique path ids; each path's target a choice of the deployment-targets question, its
    candidate a candidate, its condition on known facts; preferences that order the paths of
    one target and candidate unambiguously."""
    problems = duplicates([(p.id, doc, ("paths", i)) for i, p in enumerate(paths)], "path")
    deployment = next((q.id for q in questions if q.role == DEPLOYMENT_TARGETS), "")
    targets = facts.get(deployment, FactType(kind="multi")).choices
    for i, p in enumerate(paths):
        loc = ("paths", i)
        problems += check_ref(p.target, targets, "deployment target", doc, (*loc, "target"))
        problems += check_ref(p.candidate, candidate_ids, "candidate", doc, (*loc, "candidate"))
        if p.when is not None:
            problems += check_condition(p.when, facts, doc, (*loc, "when"))
    ranked: dict[tuple[str, str, int], str] = {}
    for i, p in enumerate(paths):
        key = (p.target, p.candidate, p.preference)
        if key in ranked:
            problems.append(
                Problem(
                    message=f"preference {p.preference} for {p.target}/{p.candidate} is also "
                    f"given to path {ranked[key]!r}",
                    file=doc.source,
                    line=doc.line_of(("paths", i, "preference")),
                    field=f"paths[{i}].preference",
                )
            )
        ranked.setdefault(key, p.id)
    return problems
