"""Question roles: how code finds a question without knowing its id, checked against the registry."""

from __future__ import annotations

from collections.abc import Sequence

from fwadvisor.errors import Problem
from fwadvisor.registry import ROLE_CHOICES, ROLE_KIND
from fwadvisor.rulebook.schema import Question
from fwadvisor.yamlio import Document


def check_roles(questions: Sequence[Question], doc: Document) -> list[Problem]:
    """A role on one question only, of the kind the role needs, offering the choices the code
    maps (renaming such a choice would silently turn evidence off)."""
    problems: list[Problem] = []
    first: dict[str, str] = {}

    def problem(i: int, message: str) -> None:
        loc = ("questions", i, "role")
        problems.append(
            Problem(
                message=message,
                file=doc.source,
                line=doc.line_of(loc),
                field=f"questions[{i}].role",
            )
        )

    for i, q in enumerate(questions):
        if q.role is None:
            continue
        if q.role in first:
            problem(i, f"role {q.role!r} is already declared by question {first[q.role]!r}")
            continue
        first[q.role] = q.id
        if q.kind != ROLE_KIND[q.role]:
            problem(i, f"role {q.role!r} needs a {ROLE_KIND[q.role]} question, not {q.kind}")
            continue
        missing = [v for v in ROLE_CHOICES.get(q.role, ()) if v not in q.choice_values()]
        if missing:
            problem(
                i,
                f"role {q.role!r} needs the choice(s) {', '.join(missing)} "
                "(fwadvisor/registry.py maps them)",
            )
    return problems
