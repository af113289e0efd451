"""The architecture-decision-record view of a Recommendation, shared by Markdown and HTML.

Everything here is derived from the Recommendation alone (a pure function), so `report`
re-renders a saved recommendation exactly as `recommend` would have.

Revisit date rule: `as_of` is the day a fact was last verified against its sources. Take the
oldest verification date among the findings that mattered (those that moved the winner's lead,
changed a weight or vetoed a candidate; all findings when none did) and the recommended
deployment paths; the revisit date is that date + 12 months, or generation + 6 months if that is
earlier. When that date falls less than a month after generation (a fact is about to lapse or
already has), the report does not name a date days away: the revisit is due at once
(`overdue`), which means re-verifying those facts (`fwadvisor rules audit`) before relying on it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import field
from typing import Any

from fwadvisor.models import (
    AnswerEcho,
    CandidateTime,
    Contribution,
    EvidenceItem,
    Finding,
    Recommendation,
    Veto,
)
from fwadvisor.records import Record, record
from fwadvisor.report.wording import (
    candidate_names,
    compared,
    ratio_names,
    time_columns,
    time_of,
    unscored,
)

REVISIT_AFTER_FACT_MONTHS = 12
REVISIT_AFTER_GENERATION_MONTHS = 6
REVISIT_MIN_LEAD_DAYS = 30
REVISIT_RULE = (
    f"oldest verification date of the findings that mattered and of the paths "
    f"+ {REVISIT_AFTER_FACT_MONTHS} months, or {REVISIT_AFTER_GENERATION_MONTHS} months after "
    f"generation if that is earlier; due at once when that is less than "
    f"{REVISIT_MIN_LEAD_DAYS} days after generation"
)
VERDICT_LABELS = {
    "clear": "Clear recommendation",
    "leaning": "Leaning, not a clear recommendation",
    "close_call": "Close call: no clear winner",
    "only_option": "Only option left",
    "all_vetoed": "Every candidate ruled out",
}
STATUS = {"clear": "proposed", "no_clear_winner": "undecided", "all_vetoed": "blocked"}
TIER_LABELS = {
    "clear": "clear",
    "leaning": "leaning, not clear",
    "close_call": "close call",
    "only_option": "only option left",
    "all_vetoed": "every candidate ruled out",
}
Role = str  # for_leader | for_other | priority | veto | advice | neutral


def favours_of(f: Finding) -> list[str]:
    """Who the finding helps; from its counted points for files written before `favours`."""
    if f.favours:
        return f.favours
    net: dict[str, float] = {}
    for c in f.contributions:
        if c.counted:
            net[c.candidate] = net.get(c.candidate, 0.0) + c.delta
    if len(set(net.values())) < 2:
        return []
    top = max(net.values())
    return [c for c, v in net.items() if v == top]


def role_of(f: Finding) -> Role:
    """The finding's role; derived from its impact for files written before roles existed."""
    if f.role != "neutral" or f.favours:
        return f.role
    if f.advice_only:
        return "advice"
    if f.vetoes:
        return "veto"
    if not f.contributions:
        return "priority"
    if f.impact > 0:
        return "for_leader"
    return "for_other" if f.impact < 0 else "neutral"


@record
class ProCon(Record):
    """One finding's effect on one candidate, on one side of the ledger."""

    finding: Finding
    contributions: list[Contribution]

    @property
    def total(self) -> float:
        return sum(c.delta for c in self.contributions)


@record
class OptionView(Record):
    """One candidate as the decision record shows it: totals, pros, cons and vetoes."""

    candidate: str
    name: str
    total: float
    normalized: float
    vetoed: bool
    pros: list[ProCon] = field(default_factory=list)
    cons: list[ProCon] = field(default_factory=list)
    vetoes: list[Veto] = field(default_factory=list)


@record
class Revisit(Record):
    """When the decision should be revisited, and from which verification date."""

    date: dt.date | None
    basis: dt.date | None
    overdue: bool
    rule: str = REVISIT_RULE


@record
class AdrView(Record):
    """Everything the decision-record formats (Markdown, HTML) show, in display order."""

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
    verified: tuple[dt.date | None, dt.date | None]
    evidence_by_machine: dict[str, list[EvidenceItem]]
    compared: list[str] = field(default_factory=list)
    """The compared candidates, in the order chosen."""
    time_columns: list[tuple[str, str]] = field(default_factory=list)
    """Evidence table columns: (candidate, header), see wording.time_columns."""
    ratio_names: tuple[str, str] = ("", "")
    """Display names of the registry's RATIO_PAIR: the ratio is the first's time / the second's."""
    unscored: list[str] = field(default_factory=list)
    """Compared candidates with measured times that the ratio does not score."""
    tier: str = "clear"
    tier_label: str = "clear"
    reasons_for: list[Finding] = field(default_factory=list)
    reasons_other: list[Finding] = field(default_factory=list)
    priorities: list[Finding] = field(default_factory=list)
    vetoing: list[Finding] = field(default_factory=list)
    no_effect: list[Finding] = field(default_factory=list)
    advice: list[Finding] = field(default_factory=list)

    @property
    def weaker(self) -> str:
        """What an answer change with outcome no_clear_winner does to this verdict."""
        return "leave no clear winner" if self.tier == "clear" else "turn it into a close call"

    def favours(self, f: Finding) -> str:
        return " and ".join(self.name(c) for c in favours_of(f)) or "another option"

    def name(self, candidate: str | None) -> str:
        if candidate is None:
            return "no candidate"
        return self.names.get(candidate, candidate)

    def criterion(self, criterion: str) -> str:
        return self.criterion_names.get(criterion, criterion)

    def time(self, e: EvidenceItem, candidate: str) -> CandidateTime | None:
        return time_of(e, candidate)


def add_months(day: dt.date, months: int) -> dt.date:
    """`months` later, on the same day or the month's last; the last date Python has for
    anything later (a fact dated 9999-12-31 is revisited then, not a crash)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    if year > dt.MAXYEAR:
        return dt.date.max
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
        return Revisit(date=None, basis=basis, overdue=False)
    date = min(candidates)
    overdue = generated is not None and date < generated + dt.timedelta(REVISIT_MIN_LEAD_DAYS)
    return Revisit(date=generated if overdue and generated else date, basis=basis, overdue=overdue)


def verified_range(rec: Recommendation) -> tuple[dt.date | None, dt.date | None]:
    """Earliest and latest verification dates of the findings and paths in a recommendation."""
    dates = [f.as_of for f in rec.findings] + [p.as_of for p in rec.paths]
    return (min(dates), max(dates)) if dates else (None, None)


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
                pros.append(ProCon(finding=f, contributions=good))
            if bad:
                cons.append(ProCon(finding=f, contributions=bad))
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
    names = candidate_names(rec)
    by_machine: dict[str, list[EvidenceItem]] = {}
    for item in rec.evidence:
        by_machine.setdefault(item.machine, []).append(item)
    return AdrView(
        rec=rec,
        title=rec.project or "Untitled project",
        status=STATUS[rec.verdict],
        verdict_label=VERDICT_LABELS[rec.strength],
        chosen=rec.winner,
        names=names,
        criterion_names={w.criterion: w.name for w in rec.weights},
        mattered_answers=[a for a in rec.answers if a.question_id in used],
        other_answers=[a for a in rec.answers if a.question_id not in used],
        mattering=[f for f in rec.findings if mattered(f)],
        options=_options(rec),
        revisit=revisit_of(rec),
        verified=verified_range(rec),
        evidence_by_machine=by_machine,
        compared=compared(rec),
        time_columns=time_columns(rec),
        ratio_names=ratio_names(rec),
        unscored=unscored(rec),
        tier=rec.strength,
        tier_label=TIER_LABELS[rec.strength],
        reasons_for=_by_role(rec, "for_leader"),
        reasons_other=_by_role(rec, "for_other"),
        priorities=_by_role(rec, "priority"),
        vetoing=_by_role(rec, "veto"),
        no_effect=_by_role(rec, "neutral"),
        advice=[f for f in rec.findings if f.advisory],
    )


def _by_role(rec: Recommendation, role: Role) -> list[Finding]:
    return [f for f in rec.findings if role_of(f) == role]


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


def is_web_link(url: str) -> bool:
    return url.startswith(("https://", "http://")) and not any(c.isspace() for c in url)
