"""The architecture-decision-record view of a Recommendation, shared by Markdown and HTML.

Everything here is derived from the Recommendation alone (a pure function), so `report`
re-renders a saved recommendation exactly as `recommend` would have.

Revisit date rule: take the oldest `as_of` among the findings that mattered (those that moved
the winner's lead, changed a weight or vetoed a candidate; all findings when none did) and the
recommended deployment paths; the revisit date is that date + 12 months, or generation + 6
months if that is earlier. When the oldest fact is already more than 12 months old at
generation, the revisit is due at once (`revisit_overdue`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from fwadvisor.models import (
    AnswerEcho,
    Contribution,
    EvidenceItem,
    Finding,
    Recommendation,
    Veto,
)
from fwadvisor.report.wording import seconds

REVISIT_AFTER_FACT_MONTHS = 12
REVISIT_AFTER_GENERATION_MONTHS = 6
REVISIT_RULE = (
    f"oldest as_of of the findings that mattered + {REVISIT_AFTER_FACT_MONTHS} months, "
    f"or {REVISIT_AFTER_GENERATION_MONTHS} months after generation if that is earlier"
)
VERDICT_LABELS = {
    "clear": "Clear recommendation",
    "no_clear_winner": "No clear winner",
    "all_vetoed": "Every candidate ruled out",
}
STATUS = {"clear": "proposed", "no_clear_winner": "undecided", "all_vetoed": "blocked"}


@dataclass(frozen=True)
class ProCon:
    """One finding's effect on one candidate, on one side of the ledger."""

    finding: Finding
    contributions: list[Contribution]

    @property
    def total(self) -> float:
        return sum(c.delta for c in self.contributions)


@dataclass(frozen=True)
class OptionView:
    candidate: str
    name: str
    total: float
    normalized: float
    vetoed: bool
    pros: list[ProCon] = field(default_factory=list)
    cons: list[ProCon] = field(default_factory=list)
    vetoes: list[Veto] = field(default_factory=list)


@dataclass(frozen=True)
class Revisit:
    date: dt.date | None
    basis: dt.date | None
    overdue: bool
    rule: str = REVISIT_RULE


@dataclass(frozen=True)
class AdrView:
    rec: Recommendation
    title: str
    status: str
    verdict_label: str
    chosen: str | None
    names: dict[str, str]
    criterion_names: dict[str, str]
    mattered_answers: list[AnswerEcho]
    other_answers: list[AnswerEcho]
    mattering: list[Finding]
    options: list[OptionView]
    revisit: Revisit
    evidence_by_machine: dict[str, list[EvidenceItem]]

    def name(self, candidate: str | None) -> str:
        if candidate is None:
            return "no candidate"
        return self.names.get(candidate, candidate)

    def criterion(self, criterion: str) -> str:
        return self.criterion_names.get(criterion, criterion)


def add_months(day: dt.date, months: int) -> dt.date:
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    for d in (day.day, 30, 29, 28):
        try:
            return dt.date(year, month, d)
        except ValueError:
            continue
    raise AssertionError("unreachable: every month has 28 days")


def generated_date(rec: Recommendation) -> dt.date | None:
    try:
        return dt.datetime.fromisoformat(rec.provenance.generated_at).date()
    except ValueError:
        return None


def mattered(finding: Finding) -> bool:
    return finding.impact != 0 or bool(finding.vetoes) or bool(finding.weight_changes)


def revisit_of(rec: Recommendation) -> Revisit:
    mattering = [f for f in rec.findings if mattered(f)] or rec.findings
    dates = [f.as_of for f in mattering] + [p.as_of for p in rec.paths]
    generated = generated_date(rec)
    basis = min(dates) if dates else None
    candidates = []
    if basis is not None:
        candidates.append(add_months(basis, REVISIT_AFTER_FACT_MONTHS))
    if generated is not None:
        candidates.append(add_months(generated, REVISIT_AFTER_GENERATION_MONTHS))
    if not candidates:
        return Revisit(None, basis, False)
    date = min(candidates)
    overdue = generated is not None and date < generated
    return Revisit(generated if overdue and generated else date, basis, overdue)


def _facts_used(rec: Recommendation) -> set[str]:
    return {leaf.fact for f in rec.findings for leaf in f.because}


def _options(rec: Recommendation) -> list[OptionView]:
    out = []
    for entry in rec.ranking:
        pros, cons = [], []
        for f in rec.findings:
            mine = [c for c in f.contributions if c.candidate == entry.candidate and c.delta]
            good = [c for c in mine if c.delta > 0]
            bad = [c for c in mine if c.delta < 0]
            if good:
                pros.append(ProCon(f, good))
            if bad:
                cons.append(ProCon(f, bad))
        pros.sort(key=lambda p: -p.total)
        cons.sort(key=lambda p: p.total)
        out.append(
            OptionView(
                candidate=entry.candidate,
                name=entry.name,
                total=entry.total,
                normalized=entry.normalized,
                vetoed=entry.vetoed,
                pros=pros,
                cons=cons,
                vetoes=[v for v in rec.vetoes if v.candidate == entry.candidate],
            )
        )
    return out


def build(rec: Recommendation) -> AdrView:
    used = _facts_used(rec)
    names = {r.candidate: r.name for r in rec.ranking}
    by_machine: dict[str, list[EvidenceItem]] = {}
    for item in rec.evidence:
        by_machine.setdefault(item.machine, []).append(item)
    return AdrView(
        rec=rec,
        title=rec.project or "Untitled project",
        status=STATUS[rec.verdict],
        verdict_label=VERDICT_LABELS[rec.verdict],
        chosen=rec.winner,
        names=names,
        criterion_names={w.criterion: w.name for w in rec.weights},
        mattered_answers=[a for a in rec.answers if a.question_id in used],
        other_answers=[a for a in rec.answers if a.question_id not in used],
        mattering=[f for f in rec.findings if mattered(f)],
        options=_options(rec),
        revisit=revisit_of(rec),
        evidence_by_machine=by_machine,
    )


def show_value(value: Any) -> str:
    """A condition value as people read it."""
    if value is None:
        return "unanswered"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list | tuple):
        return ", ".join(show_value(v) for v in value) or "none"
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


show_seconds = seconds


def is_web_link(url: str) -> bool:
    return url.startswith(("https://", "http://")) and not any(c.isspace() for c in url)
