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
from dataclasses import field
from pathlib import Path
from typing import Any

from fwadvisor.errors import MAX_SHOWN, AnswersError, Problem
from fwadvisor.models import AnswerEcho, AnswersFile
from fwadvisor.records import Record, record
from fwadvisor.rulebook.checks import did_you_mean
from fwadvisor.rulebook.conditions import Condition, facts_of
from fwadvisor.rulebook.evaluate import holds
from fwadvisor.rulebook.model import Rulebook
from fwadvisor.rulebook.restrict import selection_problems
from fwadvisor.rulebook.schema import Question
from fwadvisor.rulebook.skip import default_for, walk
from fwadvisor.rulebook.values import answer_problem, display, normalize, parse_text
from fwadvisor.validation import validate
from fwadvisor.yamlio import Document, load_document, require_mapping

ENV_PREFIX = "FWADVISOR_ANSWER_"


@record
class GivenAnswer(Record):
    """An answer someone gave, and where (file and line, --set or the environment)."""

    value: Any
    origin: str  # "file:line", "--set", "env FWADVISOR_ANSWER_X"


@record
class ResolvedAnswers(Record):
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
        qid: GivenAnswer(value=value, origin=_where(doc, ("answers", qid)))
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
        if not _is_utf8(item):  # undecodable bytes arrive as lone surrogates (PEP 383)
            field = qid if _is_utf8(qid) else None
            problems.append(Problem(message="not valid UTF-8 text", file=origin, field=field))
            continue
        if not sep or not qid:
            problems.append(Problem(message=f"expected id=value, got {item!r}", file=origin))
            continue
        q = rulebook.question_by_id.get(qid)
        if q is None:
            hint = _suggestion(qid, rulebook, len(problems))
            problems.append(Problem(message=f"unknown question id{hint}", file=origin, field=qid))
            continue
        out[qid] = GivenAnswer(value=parse_text(q, text), origin=origin)
    if problems:
        raise AnswersError(problems=problems)
    return out


def _suggestion(qid: str, rulebook: Rulebook, shown: int) -> str:
    """A did-you-mean for the unknown ids a message shows; none past MAX_SHOWN, so a file
    of 20,000 unknown keys costs no fuzzy matching beyond the first few."""
    return did_you_mean(qid, rulebook.question_by_id) if shown < MAX_SHOWN else ""


def _is_utf8(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


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
    rulebook: Rulebook,
    given: Mapping[str, GivenAnswer],
    *,
    strict: bool = True,
    base: Baseline | None = None,
) -> ResolvedAnswers:
    """Validate given answers, apply skip logic and defaults. With strict, raise on any problem.

    `base` (see `baseline`): `given` is `base.given` with one answer changed or added, as the
    counterfactuals try about a hundred times per recommendation; only the questions that
    change can show or hide are looked at. The result is the same as without it."""
    if base is not None and not strict and (quick := _one_change(rulebook, given, base)):
        return quick
    problems: list[Problem] = []
    for qid, answer in given.items():
        if qid not in rulebook.question_by_id:
            hint = _suggestion(qid, rulebook, len(problems))
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
            problems.append(Problem(message="required question has no answer", field=q.id))
        return values.get(q.id)

    for q, applies in walk(rulebook, value_of):
        if not applies and q.id in given:
            ignored[q.id] = _SKIPPED
    if strict and problems:
        raise AnswersError(problems=problems)
    return ResolvedAnswers(values=values, origins=origins, ignored=ignored)


_SKIPPED = "does not apply to the other answers (skip logic)"


@record
class Baseline(Record):
    """Resolved answers prepared for resolving one changed answer at a time (`resolve`)."""

    given: dict[str, GivenAnswer]
    """the resolved answers as given answers, each changed answer is added to these"""
    values: dict[str, Any]
    exact: bool
    """the quick path holds: the answers are a fixed point of `resolve` (resolving them again
    gives them back, same keys, order and values, none None) and every `ask_if` looks back"""
    gated: tuple[tuple[int, Question, Condition, frozenset[str]], ...]
    """the questions with an `ask_if`: position, question, condition, the facts it reads"""
    position: dict[str, int]


def baseline(rulebook: Rulebook, answers: ResolvedAnswers) -> Baseline:
    """Check once what the quick path of `resolve(..., base=)` relies on (see `Baseline`)."""
    given = {k: GivenAnswer(value=v, origin="current") for k, v in answers.values.items()}
    again = resolve(rulebook, given, strict=False).values
    fixed_point = repr(list(again.items())) == repr(list(answers.values.items()))
    later = {q.id for q in rulebook.questions}
    gated = []
    looks_back = True
    for i, q in enumerate(rulebook.questions):
        reads = facts_of(q.ask_if)
        looks_back = looks_back and reads.isdisjoint(later)
        later.discard(q.id)
        if q.ask_if is not None:
            gated.append((i, q, q.ask_if, reads))
    return Baseline(
        given=given,
        values=answers.values,
        exact=fixed_point and looks_back and None not in answers.values.values(),
        gated=tuple(gated),
        position={q.id: i for i, q in enumerate(rulebook.questions)},
    )


def _one_change(
    rulebook: Rulebook, given: Mapping[str, GivenAnswer], base: Baseline
) -> ResolvedAnswers | None:
    """`resolve`'s result when `given` is `base.given` with one answer changed; None where
    that cannot be shown cheaply (the full walk then runs).

    A change can show or hide only questions after it whose `ask_if` reads a changed answer,
    so only those are looked at, in order: one newly shown takes its default (it had no
    answer), one newly hidden loses its answer, and either counts as changed for the
    questions after it."""
    changed_ids = [k for k, a in given.items() if base.given.get(k) is not a]
    if not base.exact or len(changed_ids) != 1:
        return None
    if len(given) != len(base.given) + (changed_ids[0] not in base.given):
        return None  # an answer of the base left out
    q = rulebook.question_by_id.get(changed_ids[0])
    if q is None or (q.id not in base.values and q.ask_if is not None):
        return None  # unknown, or perhaps hidden: the walk decides
    new = normalize(q, given[q.id].value)
    valid = answer_problem(q, new) is None
    if valid and new is None:
        return None
    values = dict(base.values)
    if valid:
        values[q.id] = new
    else:
        values.pop(q.id, None)
    reorder = q.id not in base.values
    changed = {q.id}
    defaulted: set[str] = set()
    ignored: dict[str, str] = {}
    after = base.position[q.id]
    for i, p, ask_if, reads in base.gated:
        if i <= after or reads.isdisjoint(changed):
            continue
        # `values` holds the final answers to every question before p, as the walk's facts
        if holds(ask_if, values):
            default = default_for(p, values)  # the default for the answers before it
            if p.id not in values and default is not None:
                values[p.id] = default
                changed.add(p.id)
                defaulted.add(p.id)
                reorder = True
        elif p.id in values:
            del values[p.id]
            changed.add(p.id)
            ignored[p.id] = _SKIPPED
    if reorder:  # a newly set answer goes where the walk would have put it
        values = {x.id: values[x.id] for x in rulebook.questions if x.id in values}
    origins = {k: "default" if k in defaulted else "given" for k in values}
    return ResolvedAnswers(values=values, origins=origins, ignored=ignored)


def _problem(origin: str, field: str, message: str) -> Problem:
    file, sep, line = origin.rpartition(":")
    if sep and line.isdigit():
        return Problem(message=message, file=file, line=int(line), field=field)
    return Problem(message=message, file=origin, field=field)


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
