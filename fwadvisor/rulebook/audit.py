"""How long ago each fact and path was verified against its sources (`fwadvisor rules audit`).

`as_of` is the day someone last checked a claim against its sources, not the day the source
was published; a fact older than the maximum age (365 days unless told otherwise) is due for
re-verification. Pure functions of the rulebook and a date, so the CLI and tests agree.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Literal

from fwadvisor.records import Record, record
from fwadvisor.rulebook.model import Rulebook
from fwadvisor.rulebook.schema import DeploymentPath, Fact

DEFAULT_MAX_AGE_DAYS = 365

MOVING = re.compile(
    r"^https://(?:github\.com/[^/]+/[^/]+/(?:blob|tree|raw)"
    r"|raw\.githubusercontent\.com/[^/]+/[^/]+)/(?:main|master|develop|trunk|HEAD)/"
)
"""A repository file cited on a branch: what it says can change after `as_of` (a commit's
permalink cannot)."""


def moving(sources: tuple[str, ...]) -> tuple[str, ...]:
    """The sources that cite a repository file on a branch rather than at a commit."""
    return tuple(url for url in sources if MOVING.match(url))


@record
class AuditEntry(Record):
    """One rule or path with the age of its verification."""

    kind: Literal["fact", "path"]
    id: str
    as_of: dt.date
    published: dt.date | None
    age_days: int
    stale: bool
    confidence: str
    rules: tuple[str, ...]
    """the rules that apply the fact"""
    sources: tuple[str, ...]

    @property
    def moving_sources(self) -> tuple[str, ...]:
        return moving(self.sources)

    def as_json(self) -> dict[str, object]:
        return {
            "kind": self.kind,
            "id": self.id,
            "as_of": self.as_of.isoformat(),
            "published": self.published.isoformat() if self.published else None,
            "age_days": self.age_days,
            "stale": self.stale,
            "confidence": self.confidence,
            "rules": list(self.rules),
            "sources": list(self.sources),
            "moving_sources": list(self.moving_sources),
        }


@record
class Audit(Record):
    """The age of every fact and path, judged against a maximum age on a given day."""

    today: dt.date
    max_age_days: int
    entries: tuple[AuditEntry, ...]

    @property
    def stale(self) -> tuple[AuditEntry, ...]:
        return tuple(e for e in self.entries if e.stale)

    @property
    def oldest(self) -> dt.date | None:
        return self.entries[0].as_of if self.entries else None

    @property
    def newest(self) -> dt.date | None:
        return max(e.as_of for e in self.entries) if self.entries else None

    def as_json(self) -> dict[str, object]:
        return {
            "today": self.today.isoformat(),
            "max_age_days": self.max_age_days,
            "verified_oldest": self.oldest.isoformat() if self.oldest else None,
            "verified_newest": self.newest.isoformat() if self.newest else None,
            "stale_count": len(self.stale),
            "entries": [e.as_json() for e in self.entries],
        }


def _entry(
    kind: Literal["fact", "path"],
    item: Fact | DeploymentPath,
    today: dt.date,
    max_age_days: int,
    rules: tuple[str, ...] = (),
) -> AuditEntry:
    age = (today - item.as_of).days
    return AuditEntry(
        kind=kind,
        id=item.id,
        as_of=item.as_of,
        published=item.published,
        age_days=age,
        stale=age > max_age_days,
        confidence=item.confidence,
        rules=rules,
        sources=tuple(item.sources),
    )


def audit(book: Rulebook, today: dt.date, max_age_days: int = DEFAULT_MAX_AGE_DAYS) -> Audit:
    """Every fact and path, oldest verification first (ties by kind, then id)."""
    entries = [
        _entry("fact", f, today, max_age_days, tuple(r.id for r in book.rules_of_fact[f.id]))
        for f in book.facts
    ]
    entries += [_entry("path", p, today, max_age_days) for p in book.paths]
    entries.sort(key=lambda e: (e.as_of, e.kind, e.id))
    return Audit(today=today, max_age_days=max_age_days, entries=tuple(entries))
