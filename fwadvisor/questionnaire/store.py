"""The answers file as the questionnaire reads and writes it (the AnswersFile schema).

Writes are atomic. YAML gets a comment header that says how to use the file; a `.json`
path gets plain JSON. A question seen but left blank is written as null, which readers
treat as unanswered, so a resumed run knows it was already asked.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from fwadvisor.answers import GivenAnswer, answers_from_env, parse_assignments, read_answers_file
from fwadvisor.fileio import write_atomic
from fwadvisor.models import ANSWERS_SCHEMA_VERSION
from fwadvisor.questionnaire.plan import State
from fwadvisor.rulebook.checks import did_you_mean
from fwadvisor.rulebook.model import Rulebook
from fwadvisor.rulebook.values import answer_problem, normalize
from fwadvisor.yamlio import load_document

DEFAULT_SAVE = Path("fwadvisor-answers.yaml")

HEADER = """\
# fwadvisor answers ({status}), written by `fwadvisor questionnaire` on {date}.
# Use it:     fwadvisor recommend --answers {name}
# Change it:  fwadvisor questionnaire --answers {name}   (or edit this file)
# Question ids and choices: fwadvisor rules show questions. null means unanswered.
"""


def render_answers(
    path: Path,
    answers: Mapping[str, Any],
    *,
    complete: bool,
    candidates: Sequence[str] | None = None,
) -> str:
    data: dict[str, Any] = {"schema_version": ANSWERS_SCHEMA_VERSION}
    if candidates:
        data["candidates"] = list(candidates)
    data["answers"] = dict(answers)
    if path.suffix.lower() == ".json":
        return json.dumps(data, indent=2, ensure_ascii=False) + "\n"
    header = HEADER.format(
        status="complete" if complete else "partial: the questionnaire was stopped",
        date=dt.date.today().isoformat(),
        name=path.name if " " not in path.name else f"'{path.name}'",
    )
    body = yaml.safe_dump(data, sort_keys=False, allow_unicode=True, default_flow_style=None)
    return header + body


def save_answers(
    path: Path,
    answers: Mapping[str, Any],
    *,
    complete: bool,
    candidates: Sequence[str] | None = None,
) -> None:
    text = render_answers(path, answers, complete=complete, candidates=candidates)
    write_atomic(path, text, force=True, what="answers")


def ordered(rulebook: Rulebook, values: Mapping[str, Any]) -> dict[str, Any]:
    """Answers in questionnaire order (unknown ids last), so files diff well."""
    out = {q.id: values[q.id] for q in rulebook.questions if q.id in values}
    out.update({k: v for k, v in values.items() if k not in out})
    return out


def partial_answers(rulebook: Rulebook, state: State) -> dict[str, Any]:
    blanks = {qid: None for qid in state.seen if qid not in state.answers}
    return ordered(rulebook, {**state.answers, **blanks})


@dataclass
class Known:
    """Answers known before asking: valid ones prefill the state, others are reported."""

    state: State = field(default_factory=State)
    dropped: list[str] = field(default_factory=list)  # one line per answer not used


def _blank_keys(path: Path) -> set[str]:
    data = load_document(path, "answers file").data
    answers = data.get("answers") if isinstance(data, dict) else None
    return {k for k, v in answers.items() if v is None} if isinstance(answers, dict) else set()


def known_answers(rulebook: Rulebook, path: Path | None, assignments: list[str]) -> Known:
    """From the file, the environment and --set (later wins); invalid ones are dropped."""
    given: dict[str, GivenAnswer] = {}
    known = Known()
    if path is not None:
        given.update(read_answers_file(path))
        for qid in _blank_keys(path):
            if qid in rulebook.question_by_id:
                known.state.seen.add(qid)
    given.update(answers_from_env(rulebook))
    given.update(parse_assignments(rulebook, assignments))
    for qid, answer in given.items():
        q = rulebook.question_by_id.get(qid)
        if q is None:
            hint = did_you_mean(qid, rulebook.question_by_id)
            known.dropped.append(f"{answer.origin}: {qid}: unknown question id{hint}; dropped")
            continue
        value = normalize(q, answer.value)
        if problem := answer_problem(q, value):
            known.dropped.append(f"{answer.origin}: {qid}: {problem}; it will be asked again")
            continue
        known.state.answers[qid] = value
        known.state.seen.add(qid)
        known.state.typed.add(qid)
    return known
