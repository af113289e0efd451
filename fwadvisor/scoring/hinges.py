"""What a leaning or close call turns on, in a few plain phrases.

The lead is the sum of the findings' impacts (points per unit weight, leader minus runner-up).
What decides it is named as the fewest findings in the leader's favour whose removal erases
it: each one alone where one alone would (a fact that merely offsets another is not named),
else the strongest together. Then the nearest priority and the first answer that flip it.
"""

from __future__ import annotations

from fwadvisor.models import Counterfactual, Finding

MAX_HINGES = 4
MAX_DECIDING = 3


def _named(f: Finding) -> str:
    return f"“{f.title}” ({f.confidence} confidence, {f.impact:+.2f})"


def deciding(findings: list[Finding], margin: float) -> tuple[list[Finding], bool]:
    """The findings that decide a lead of `margin`, and whether each one alone does."""
    helping = sorted(
        (f for f in findings if f.role in ("for_leader", "priority") and f.impact > 0),
        key=lambda f: -f.impact,
    )
    alone = [f for f in helping if f.impact >= margin]
    if alone:
        return alone, True
    together: list[Finding] = []
    for f in helping[:MAX_DECIDING]:
        together.append(f)
        if sum(x.impact for x in together) >= margin:
            break
    return together, False


def hinges_on(
    findings: list[Finding],
    counterfactuals: list[Counterfactual],
    names: dict[str, str],
    leader: str | None = None,
    margin: float = 0.0,
) -> list[str]:
    """The findings that decide the lead, the nearest weight that flips it, and the first
    answer that flips it (a default one first: it is the cheapest to settle)."""
    out: list[str] = []
    lead = names.get(leader or "", "the leader")
    chosen, alone = deciding(findings, margin)
    if chosen and alone:
        listed = "; ".join(_named(f) for f in chosen[:MAX_DECIDING])
        more = len(chosen) - MAX_DECIDING
        extra = f" (and {more} more as strong)" if more > 0 else ""
        out.append(f"each of these alone outweighs {lead}'s lead of {margin:.2f}: {listed}{extra}")
    elif chosen:
        listed = "; ".join(_named(f) for f in chosen)
        enough = sum(f.impact for f in chosen) >= margin
        out.append(
            f"{lead}'s lead of {margin:.2f} rests on {listed}"
            + ("" if enough else ", and smaller contributions")
        )
    weight = next((c for c in counterfactuals if c.kind == "weight"), None)
    if weight is not None:
        who = names.get(weight.new_winner or "", weight.new_winner or "")
        out.append(f"a priority: {weight.description}, which puts {who} ahead")
    answers = [c for c in counterfactuals if c.kind == "answer" and c.outcome == "new_leader"]
    answers.sort(key=lambda c: not c.default_answer)
    if answers:
        c = answers[0]
        who = names.get(c.new_winner or "", c.new_winner or "")
        unanswered = " (left at its default)" if c.default_answer else ""
        out.append(f"the answer {c.description}{unanswered}, which puts {who} ahead")
    return out[:MAX_HINGES]
