"""What a leaning or close call turns on, in a few plain phrases."""

from __future__ import annotations

from fwadvisor.models import Counterfactual, Finding

MAX_HINGES = 4


def _finding(f: Finding, names: dict[str, str]) -> str:
    side = " and ".join(names.get(c, c) for c in f.favours)
    return f"{f.title} ({f.rule_id}; {f.confidence} confidence; favours {side})"


def hinges_on(
    findings: list[Finding], counterfactuals: list[Counterfactual], names: dict[str, str]
) -> list[str]:
    """The strongest fact on each side, the nearest weight that flips it, and the first answer
    that flips it (a default one first: it is the cheapest to settle)."""
    out: list[str] = []
    scored = [f for f in findings if f.role in ("for_leader", "for_other")]
    pro = max((f for f in scored if f.role == "for_leader"), key=lambda f: f.impact, default=None)
    con = min((f for f in scored if f.role == "for_other"), key=lambda f: f.impact, default=None)
    for f in (pro, con):
        if f is not None:
            out.append(_finding(f, names))
    weight = next((c for c in counterfactuals if c.kind == "weight"), None)
    if weight is not None:
        out.append(f"a priority: {weight.description}")
    answers = [c for c in counterfactuals if c.kind == "answer" and c.outcome == "new_leader"]
    answers.sort(key=lambda c: not c.default_answer)
    if answers:
        c = answers[0]
        who = names.get(c.new_winner or "", c.new_winner or "")
        unanswered = " (left at its default)" if c.default_answer else ""
        out.append(f"the answer {c.description}{unanswered}, which puts {who} ahead")
    return out[:MAX_HINGES]
