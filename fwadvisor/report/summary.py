"""The one-page summary every format puts first (the terminal last, so it stays on screen):
verdict, what decides it, reasons for and against, what would change it, the path per
target and the fact dates. A pure function of the Recommendation, shared by the renderers so
the formats cannot drift apart.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import field

from fwadvisor.models import Finding, Recommendation
from fwadvisor.records import Record, record
from fwadvisor.report.adr import Revisit, favours_of, revisit_of, role_of, verified_range
from fwadvisor.report.wording import (
    CAUTIONS,
    candidate_names,
    change_outcome,
    headline,
    left_out_line,
    note_text,
)

TOP_REASONS = 3
TOP_CHANGES = 4
_CODE = re.compile(r"`([^`]*)`")


def plain(text: str) -> str:
    """Prose without Markdown code marks: `fwadvisor probe` reads fwadvisor probe."""
    return _CODE.sub(r"\1", text)


def code_spans(text: str) -> list[tuple[bool, str]]:
    """Text cut into (is_code, piece): the formats that can show code spans render them."""
    out: list[tuple[bool, str]] = []
    last = 0
    for m in _CODE.finditer(text):
        if m.start() > last:
            out.append((False, text[last : m.start()]))
        out.append((True, m.group(1)))
        last = m.end()
    if last < len(text):
        out.append((False, text[last:]))
    return out


@record
class Reason(Record):
    """One finding as the summary lists it."""

    title: str
    confidence: str
    as_of: dt.date
    favours: str
    impact: float


@record
class PathLine(Record):
    """One deployment target's recommended route, as the summary lists it."""

    target: str
    candidate: str
    route: str


@record
class Summary(Record):
    """The report's opening: headline, tier, what decides it and what was left out."""

    headline: str
    tier: str
    decides: str
    hinges: list[str]
    left_out: str | None
    cautions: list[str]
    reasons_for: list[Reason]
    reasons_against: list[Reason]
    more_for: int
    more_against: int
    changes: list[tuple[str, str]]
    more_changes: int
    paths: list[PathLine]
    verified: tuple[dt.date | None, dt.date | None]
    revisit: Revisit
    vetoes: list[str] = field(default_factory=list)


def _reason(f: Finding, names: dict[str, str]) -> Reason:
    side = " and ".join(names.get(c, c) for c in favours_of(f)) or "another option"
    return Reason(
        title=plain(f.title), confidence=f.confidence, as_of=f.as_of, favours=side, impact=f.impact
    )


CAUTION_MARKS = ("No answers were given", "complete: false")


def _cautions(rec: Recommendation) -> list[str]:
    """Notes a reader must see before trusting the verdict: defaults only, a partial probe (by
    their kind; in a file written before notices existed, by their words)."""
    if rec.notices:
        return [plain(note_text(n)) for n in rec.notices if n.kind in CAUTIONS]
    return [plain(n) for n in rec.notes if any(m in n for m in CAUTION_MARKS)]


def build(rec: Recommendation) -> Summary:
    names = candidate_names(rec)
    pros = [f for f in rec.findings if role_of(f) == "for_leader"]
    cons = sorted((f for f in rec.findings if role_of(f) == "for_other"), key=lambda f: f.impact)
    changes = [(plain(c.description), change_outcome(rec, c)) for c in rec.counterfactuals]
    return Summary(
        headline=headline(rec),
        tier=rec.strength,
        decides=plain(rec.summary.split(" It hinges on: ")[0]),
        hinges=[plain(h) for h in rec.hinges_on],
        left_out=left_out_line(rec),
        cautions=_cautions(rec),
        reasons_for=[_reason(f, names) for f in pros[:TOP_REASONS]],
        reasons_against=[_reason(f, names) for f in cons[:TOP_REASONS]],
        more_for=max(len(pros) - TOP_REASONS, 0),
        more_against=max(len(cons) - TOP_REASONS, 0),
        changes=changes[:TOP_CHANGES],
        more_changes=max(len(changes) - TOP_CHANGES, 0),
        paths=[
            PathLine(
                target=p.target_label + (" (hybrid)" if p.kind == "hybrid" else ""),
                candidate=names.get(p.candidate, p.candidate),
                route=plain(" → ".join(s.split(" (")[0] for s in p.steps)),
            )
            for p in rec.paths
        ],
        verified=verified_range(rec),
        revisit=revisit_of(rec),
        vetoes=[f"{names.get(v.candidate, v.candidate)}: {plain(v.reason)}" for v in rec.vetoes],
    )
