"""Two recommendations side by side: their verdicts, the answers that differ, and the facts
(fired rules) and vetoes that one has and the other has not or weighs otherwise."""

from __future__ import annotations

from io import StringIO

from rich.console import Group
from rich.table import Table
from rich.text import Text

from fwadvisor.models import Finding, Recommendation
from fwadvisor.records import Record, record
from fwadvisor.report.adr import favours_of
from fwadvisor.report.summary import plain
from fwadvisor.report.wording import candidate_names, headline
from fwadvisor.terminalconsole import SafeConsole

TOP_FACTS = 12


@record
class FactDiff(Record):
    """A finding whose impact differs between two recommendations."""

    title: str
    favours: str
    impact_a: float | None
    impact_b: float | None

    @property
    def weight(self) -> float:
        return abs((self.impact_a or 0.0) - (self.impact_b or 0.0))


@record
class Comparison(Record):
    """Two recommendations side by side: answers, findings and vetoes that differ."""

    labels: tuple[str, str]
    recs: tuple[Recommendation, Recommendation]
    answers: list[tuple[str, str, str]]
    facts: list[FactDiff]
    vetoes: list[tuple[str, str]]


def _favours(f: Finding, names: dict[str, str]) -> str:
    return " and ".join(names.get(c, c) for c in favours_of(f)) or "no one"


def compare(a: Recommendation, b: Recommendation, labels: tuple[str, str]) -> Comparison:
    answers_a = {x.question_id: x for x in a.answers}
    answers_b = {x.question_id: x for x in b.answers}
    answers = []
    for qid in [*answers_a, *(q for q in answers_b if q not in answers_a)]:
        x, y = answers_a.get(qid), answers_b.get(qid)
        if x is None or y is None or x.value != y.value:
            shown = [f"{e.display} ({e.origin})" if e else "not asked" for e in (x, y)]
            answers.append((qid, shown[0], shown[1]))
    names = {**candidate_names(a), **candidate_names(b)}
    found_a = {f.rule_id: f for f in a.findings}
    found_b = {f.rule_id: f for f in b.findings}
    facts = []
    for rid in [*found_a, *(r for r in found_b if r not in found_a)]:
        fa, fb = found_a.get(rid), found_b.get(rid)
        either = fa or fb
        assert either is not None
        # each lead is measured against its own runner-up: compare sizes, not signs
        ia = abs(fa.impact) if fa else None
        ib = abs(fb.impact) if fb else None
        if ia is not None and ib is not None and abs(ia - ib) < 0.005:
            continue
        facts.append(
            FactDiff(
                title=plain(either.title), favours=_favours(either, names), impact_a=ia, impact_b=ib
            )
        )
    facts.sort(key=lambda d: -d.weight)
    vetoes = [
        (side, f"{names.get(v.candidate, v.candidate)}: {plain(v.reason)}")
        for side, rec, other in (("A", a, b), ("B", b, a))
        for v in rec.vetoes
        if (v.candidate, v.reason) not in {(w.candidate, w.reason) for w in other.vetoes}
    ]
    return Comparison(labels=labels, recs=(a, b), answers=answers, facts=facts, vetoes=vetoes)


def _impact(value: float | None) -> str:
    return "not fired" if value is None else f"{value:.2f}"


def renderables(c: Comparison) -> Group:
    a, b = c.recs
    verdicts = Table(title="Verdicts", title_justify="left")
    verdicts.add_column("")
    verdicts.add_column(f"A: {c.labels[0]}", overflow="fold")
    verdicts.add_column(f"B: {c.labels[1]}", overflow="fold")
    verdicts.add_row("verdict", headline(a), headline(b))
    verdicts.add_row("lead (points per unit weight)", f"{a.margin:.2f}", f"{b.margin:.2f}")
    shares = [f"{r.robustness.winner_share or 0:.0%}" for r in (a, b)]
    verdicts.add_row("first in (samples)", *shares)
    answers = Table(title="Answers that differ", title_justify="left")
    for col in ("question", "A", "B"):
        answers.add_column(col, overflow="fold")
    for row in c.answers:
        answers.add_row(*(Text(x) for x in row))
    facts = Table(
        title="Facts that make the difference (points per unit weight for the option they favour)",
        title_justify="left",
    )
    for col in ("fact", "favours", "A", "B"):
        facts.add_column(col, overflow="fold")
    for d in c.facts[:TOP_FACTS]:
        facts.add_row(Text(d.title), d.favours, _impact(d.impact_a), _impact(d.impact_b))
    parts: list[Table | Text] = [verdicts]
    parts.append(answers if c.answers else Text("The answers are the same."))
    parts.append(facts if c.facts else Text("The same facts fired, with the same weight."))
    if len(c.facts) > TOP_FACTS:
        parts.append(Text(f"({len(c.facts) - TOP_FACTS} more facts differ less)"))
    for side, veto in c.vetoes:
        parts.append(Text(f"Only {side} rules out {veto}"))
    return Group(*parts)


def render(c: Comparison, width: int = 110) -> str:
    buf = StringIO()
    SafeConsole(file=buf, width=width, color_system=None, highlight=False).print(renderables(c))
    return buf.getvalue()
