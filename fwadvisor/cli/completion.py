"""Shell completion of option values (typer's `autocompletion`): formats, suites, devices,
question ids for `--set`, rule ids and path ids. The rulebook is read only when a shell asks
for a completion, never when a command runs."""

from __future__ import annotations

from collections.abc import Iterable


def _starting(values: Iterable[str], incomplete: str) -> list[str]:
    return [v for v in values if v.startswith(incomplete)]


def formats(incomplete: str) -> list[str]:
    from fwadvisor.report.formats import FORMATS

    return _starting(FORMATS, incomplete)


def suites(incomplete: str) -> list[str]:
    from fwadvisor.registry import SUITES

    return _starting(SUITES, incomplete)


def question_ids(incomplete: str) -> list[str]:
    """`--set id=value`: the question ids, then `id=` and the choices of that question."""
    from fwadvisor.rulebook.loader import load_rulebook

    book = load_rulebook(None)
    if "=" in incomplete:
        qid, _, _ = incomplete.partition("=")
        q = next((q for q in book.questions if q.id == qid), None)
        values = q.choice_values() if q is not None and q.choices else []
        return _starting((f"{qid}={v}" for v in values), incomplete)
    return _starting((f"{q.id}=" for q in book.questions), incomplete)


def rule_ids(incomplete: str) -> list[str]:
    from fwadvisor.rulebook.loader import load_rulebook

    topics = ("questions", "criteria", "candidates", "paths")
    return _starting([*topics, *(r.id for r in load_rulebook(None).rules)], incomplete)


def path_ids(incomplete: str) -> list[str]:
    from fwadvisor.rulebook.loader import load_rulebook

    return _starting((p.id for p in load_rulebook(None).paths), incomplete)


def candidate_ids(incomplete: str) -> list[str]:
    from fwadvisor.registry import FRAMEWORKS

    return _starting(FRAMEWORKS, incomplete)
