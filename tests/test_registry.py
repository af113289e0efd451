"""Candidate ids are written in code in one place only: fwadvisor/registry.py."""

from __future__ import annotations

import io
import re
import tokenize
from pathlib import Path

from fwadvisor import registry
from fwadvisor.rulebook.loader import load_rulebook

PACKAGE = Path(registry.__file__).resolve().parent


def _string_literals(path: Path) -> list[tuple[int, str]]:
    tokens = tokenize.generate_tokens(io.StringIO(path.read_text(encoding="utf-8")).readline)
    return [(t.start[0], t.string) for t in tokens if t.type == tokenize.STRING]


def test_no_candidate_id_is_a_string_literal_outside_the_registry() -> None:
    ids = [c.id for c in load_rulebook().candidates]
    assert ids
    pattern = re.compile(r"(?<![A-Za-z])(" + "|".join(map(re.escape, ids)) + r")(?![A-Za-z])")
    found = [
        f"{path.relative_to(PACKAGE)}:{line}: {text}"
        for path in sorted(PACKAGE.rglob("*.py"))
        if path.name != "registry.py"
        for line, text in _string_literals(path)
        if pattern.search(text)
    ]
    assert found == []


def test_every_probed_framework_is_a_candidate_of_the_builtin_rulebook() -> None:
    assert set(registry.FRAMEWORKS) <= {c.id for c in load_rulebook().candidates}
    assert set(registry.RATIO_PAIR) <= set(registry.FRAMEWORKS)


def test_every_role_is_declared_by_the_builtin_rulebook() -> None:
    assert set(load_rulebook().roles) == set(registry.ROLES)
