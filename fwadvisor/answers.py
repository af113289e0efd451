"""Answers: read an answers file, apply --set and environment overrides, resolve skip logic
and defaults, and validate everything at once.

Resolution walks the questions in rulebook order: a question is asked when its `ask_if`
holds for the answers resolved so far; an asked question takes the given value or its
default; answers to questions that do not apply are dropped with a note.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from fwadvisor.errors import AnswersError, Problem
from fwadvisor.models import AnswerEcho, AnswersFile
from fwadvisor.rulebook.checks import did_you_mean
from fwadvisor.rulebook.model import Rulebook
from fwadvisor.rulebook.restrict import selection_problems
from fwadvisor.rulebook.schema import Question
from fwadvisor.rulebook.skip import default_for, walk
from fwadvisor.rulebook.values import answer_problem, display, normalize, parse_text
from fwadvisor.validation import validate
from fwadvisor.yamlio import Document, load_document, require_mapping

ENV_PREFIX = "FWADVISOR_ANSWER_"


@dataclass(frozen=True)
class GivenAnswer:
    value: Any
    origin: str  # "file:line", "--set", "env FWADVISOR_ANSWER_X"


@dataclass(frozen=True)
class ResolvedAnswers:
    """The facts the engine sees, and where each came from."""

    values: dict[str, Any]
    origins: dict[str, str]  # question id -> given | default
    ignored: dict[str, str] = field(default_factory=dict)  # question id -> why
    candidates: tuple[str, ...] | None = None  # chosen by --candidates or the answers file
    source: str | None = None  # the answers file, for commands shown in notes

    def digest(self) -> str:
        canonical = json.dumps(self.values, sort_keys=True, separators=(",", ":"))
        return "sha256:" + hashlib.sha256(canonical.encode()).hexdigest()


def _parse_answers_file(path: Path) -> tuple[AnswersFile, Document]:
    doc = load_document(path, "answers file")
    data = require_mapping(doc, "answers file")
    parsed = plain_answers_file(data)
    if parsed is None:  # not in the form `questionnaire` writes: let pydantic coerce or report
        parsed = validate(AnswersFile, data, doc, AnswersError)
    return parsed, doc


def plain_answers_file(data: Mapping[str, Any]) -> AnswersFile | None:
    """An answers file in the exact form `questionnaire` writes, built without pydantic (so a
    scripted `recommend` does not import it); None for anything else, which goes through full
    validation. Only data that validation would accept unchanged is taken here."""
    if not set(data) <= {"schema_version", "answers", "candidates"}:
        return None
    version = data.get("schema_version", 1)
    answers = data.get("answers", {})
    candidates = data.get("candidates")
    if type(version) is not int or version != 1:
        return None
    if type(answers) is not dict or any(type(k) is not str for k in answers):
        return None
    if candidates is not None and (
        type(candidates) is not list or any(type(c) is not str for c in candidates)
    ):
        return None
    return AnswersFile(
        answers=dict(answers), candidates=None if candidates is None else list(candidates)
    )


def read_answers_file(path: Path) -> dict[str, GivenAnswer]:
    return _given_in(*_parse_answers_file(path))


def _given_in(parsed: AnswersFile, doc: Document) -> dict[str, GivenAnswer]:
    return {
        qid: GivenAnswer(value, _where(doc, ("answers", qid)))
        for qid, value in parsed.answers.items()
        if value is not None
    }


def _where(doc: Document, loc: tuple[str, ...]) -> str:
    return f"{doc.source}:{doc.line_of(loc)}"


def parse_assignments(
    rulebook: Rulebook, assignments: list[str], origin: str = "--set"
) -> dict[str, GivenAnswer]:
    """`id=value` pairs typed on a command line, turned into typed values."""
    out: dict[str, GivenAnswer] = {}
    problems = []
    for item in assignments:
        qid, sep, text = item.partition("=")
        qid = qid.strip()
        if not sep or not qid:
            problems.append(Problem(f"expected id=value, got {item!r}", origin))
            continue
        q = rulebook.question_by_id.get(qid)
        if q is None:
            hint = did_you_mean(qid, rulebook.question_by_id)
            problems.append(Problem(f"unknown question id{hint}", origin, None, None, qid))
            continue
        out[qid] = GivenAnswer(parse_text(q, text), origin)
    if problems:
        raise AnswersError(problems=problems)
    return out


def answers_from_env(
    rulebook: Rulebook, environ: Mapping[str, str] | None = None
) -> dict[str, GivenAnswer]:
    env = os.environ if environ is None else environ
    items = [
        f"{key[len(ENV_PREFIX) :].lower()}={value}"
        for key, value in sorted(env.items())
        if key.startswith(ENV_PREFIX)
    ]
    return parse_assignments(rulebook, items, origin=f"environment {ENV_PREFIX}*")


def resolve(
    rulebook: Rulebook, given: Mapping[str, GivenAnswer], *, strict: bool = True
) -> ResolvedAnswers:
    """Validate given answers, apply skip logic and defaults. With strict, raise on any problem."""
    problems: list[Problem] = []
    for qid, answer in given.items():
        if qid not in rulebook.question_by_id:
            hint = did_you_mean(qid, rulebook.question_by_id)
            problems.append(_problem(answer.origin, qid, f"unknown question id{hint}"))
    values: dict[str, Any] = {}
    origins: dict[str, str] = {}
    ignored: dict[str, str] = {}

    def value_of(q: Question) -> Any:
        current = given.get(q.id)
        if current is not None:
            value = normalize(q, current.value)
            if msg := answer_problem(q, value):
                problems.append(_problem(current.origin, q.id, msg))
                return None
            values[q.id], origins[q.id] = value, "given"
        elif (default := default_for(q, values)) is not None:
            values[q.id], origins[q.id] = default, "default"
        elif q.required:
            problems.append(Problem("required question has no answer", None, None, None, q.id))
        return values.get(q.id)

    for q, applies in walk(rulebook, value_of):
        if not applies and q.id in given:
            ignored[q.id] = "does not apply to the other answers (skip logic)"
    if strict and problems:
        raise AnswersError(problems=problems)
    return ResolvedAnswers(values, origins, ignored)


def _problem(origin: str, field: str, message: str) -> Problem:
    file, sep, line = origin.rpartition(":")
    if sep and line.isdigit():
        return Problem(message, file, int(line), None, field)
    return Problem(message, origin, None, None, field)


def echo(rulebook: Rulebook, answers: ResolvedAnswers) -> list[AnswerEcho]:
    out = []
    for q in rulebook.questions:
        if q.id in answers.values:
            value = answers.values[q.id]
            out.append(
                AnswerEcho(
                    question_id=q.id,
                    prompt=q.prompt,
                    value=value,
                    display=display(q, value),
                    origin="given" if answers.origins[q.id] == "given" else "default",
                )
            )
    return out


CANDIDATES_OPTION = "--candidates"


def parse_candidate_list(text: str) -> list[str]:
    """`a, b,c` -> ['a', 'b', 'c']: the ids as written, checked later against the rulebook."""
    return [part.strip() for part in text.split(",") if part.strip()]


def chosen_candidates(
    rulebook: Rulebook, path: Path | None, option: str | None
) -> tuple[str, ...] | None:
    """The candidates to compare: the option wins over the answers file's `candidates`;
    None when neither names any. Unknown ids are answer errors naming file, line and field."""
    if option is not None:
        return _candidates_in_option(rulebook, option)
    if path is not None:
        return _candidates_in_file(rulebook, *_parse_answers_file(path))
    return None


def _candidates_in_option(rulebook: Rulebook, option: str) -> tuple[str, ...]:
    ids = parse_candidate_list(option)
    if problems := selection_problems(rulebook, ids, CANDIDATES_OPTION):
        raise AnswersError(problems=problems)
    return tuple(ids)


def _candidates_in_file(
    rulebook: Rulebook, parsed: AnswersFile, doc: Document
) -> tuple[str, ...] | None:
    ids = parsed.candidates
    if ids is None:
        return None
    lines = [doc.line_of(("candidates", i)) for i in range(len(ids))]
    problems = selection_problems(rulebook, ids, doc.source, doc.line_of(("candidates",)), lines)
    if problems:
        raise AnswersError(problems=problems)
    return tuple(ids)


def load_answers(
    rulebook: Rulebook,
    path: Path | None,
    assignments: list[str] | None = None,
    *,
    use_env: bool = True,
    candidates: str | None = None,
) -> ResolvedAnswers:
    """The scripted path: file, then environment, then --set (later wins); the candidates
    from --candidates, else from the file."""
    # the answers file is parsed once, after the option is checked (its problems come first)
    chosen = None if candidates is None else _candidates_in_option(rulebook, candidates)
    given: dict[str, GivenAnswer] = {}
    if path is not None:
        parsed, doc = _parse_answers_file(path)
        if candidates is None:
            chosen = _candidates_in_file(rulebook, parsed, doc)
        given.update(_given_in(parsed, doc))
    if use_env:
        given.update(answers_from_env(rulebook))
    given.update(parse_assignments(rulebook, assignments or []))
    resolved = resolve(rulebook, given)
    return dataclasses.replace(
        resolved, candidates=chosen, source=str(path) if path is not None else None
    )
