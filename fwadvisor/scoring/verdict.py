"""How sure the recommendation is: clear, leaning or close call, said plainly.

Tiers come from the leader's share of first places under the uncertainty model and from the
margin (points per unit weight), with thresholds from rules/uncertainty.yaml:
- clear: the leader leads by at least clear.min_margin in at least clear.min_share of the
  samples (so a lead that rests on uncertain facts is not clear just because every fact
  points the same way), and its point margin reaches clear.min_margin;
- leaning: not clear, but share >= leaning.min_share and margin >= leaning.min_margin;
- close call: anything less; no option is recommended, and the summary says what it hinges on.
With N candidates the share is the leader's share among all of them, so a three-way split
needs the same majority as a two-way one.
"""

from __future__ import annotations

from typing import Literal

from fwadvisor.models import Robustness, Tier
from fwadvisor.rulebook.schema import VerdictThresholds
from fwadvisor.scoring.state import ScoreState

Verdict = Literal["clear", "no_clear_winner", "all_vetoed"]


def tier_of(state: ScoreState, robustness: Robustness, thresholds: VerdictThresholds) -> Tier:
    if state.leader() is None:
        return "all_vetoed"
    if state.runner_up() is None:
        return "only_option"
    share, margin = robustness.winner_share or 0.0, state.margin()
    clear_share = robustness.clear_share if robustness.clear_share is not None else share
    clear, leaning = thresholds.clear, thresholds.leaning
    if clear_share >= clear.min_share and margin >= clear.min_margin:
        return "clear"
    if share >= leaning.min_share and margin >= leaning.min_margin:
        return "leaning"
    return "close_call"


def verdict_of(tier: Tier) -> Verdict:
    """The original three-way verdict, kept for JSON consumers that read only it."""
    if tier == "all_vetoed":
        return "all_vetoed"
    return "clear" if tier in ("clear", "only_option") else "no_clear_winner"


def _others(shares: dict[str, float], leader: str, names: dict[str, str]) -> str:
    rest = sorted(((s, c) for c, s in shares.items() if c != leader), reverse=True)
    return ", ".join(f"{names[c]} {s:.0%}" for s, c in rest)


def percent(value: float, threshold: float) -> str:
    """`value` as a percentage, rounded no further than keeps it on its side of `threshold`
    (84.96% against 85% reads 84.96%, never 85%)."""
    for digits in range(4):
        shown = f"{value:.{digits}%}"
        if (float(shown.rstrip("%")) / 100 >= threshold) == (value >= threshold):
            return shown
    return f"{value:.4%}"


def points(value: float, *thresholds: float) -> str:
    """A margin with two decimals, or more where two would put it across a threshold."""
    for digits in range(2, 6):
        shown = f"{value:.{digits}f}"
        if all((float(shown) >= t) == (value >= t) for t in thresholds):
            return shown
    return f"{value:.6f}"


def tier_numbers(state: ScoreState, robustness: Robustness, thresholds: VerdictThresholds) -> str:
    """The numbers the tier rule reads, in its own terms: the point lead, the share of samples
    with a lead of at least the clear margin, and the share of first places."""
    c, lean = thresholds.clear, thresholds.leaning
    share = robustness.winner_share or 0.0
    clear_share = robustness.clear_share if robustness.clear_share is not None else share
    return (
        f"in {robustness.samples} samples of the uncertain weights, facts and measurements it "
        f"leads by at least {c.min_margin:g} in {percent(clear_share, c.min_share)} and comes "
        f"first in {percent(share, lean.min_share)}"
    )


def tier_rule(tier: Tier, thresholds: VerdictThresholds) -> str:
    """The rule of the tier reached and of the one above it, with its thresholds."""
    c, lean = thresholds.clear, thresholds.leaning
    clear = (
        f"clear needs a lead of at least {c.min_margin:g} points per unit weight, and of at "
        f"least {c.min_margin:g} in at least {c.min_share:.0%} of the samples"
    )
    leaning = (
        f"leaning needs a lead of at least {lean.min_margin:g} and first place in at least "
        f"{lean.min_share:.0%} of the samples"
    )
    if tier == "clear":
        return clear.capitalize() + "."
    if tier == "leaning":
        return f"Not clear: {clear}; {leaning}."
    return f"A close call: {leaning}."


def summary_line(
    tier: Tier,
    leader: str | None,
    rival: str | None,
    state: ScoreState,
    robustness: Robustness,
    names: dict[str, str],
    thresholds: VerdictThresholds,
    hinges: list[str],
) -> str:
    if tier == "all_vetoed" or leader is None:
        return "Every candidate was ruled out by a hard requirement; see the vetoes."
    if tier == "only_option" or rival is None:
        others = ", ".join(names[c] for c in state.vetoed)
        return (
            f"{names[leader]} is the only candidate left: {others} ruled out by a hard requirement."
        )
    margin = state.margin()
    shown = points(margin, thresholds.leaning.min_margin, thresholds.clear.min_margin)
    lead = (
        f"leads {names[rival]} by {shown} points per unit weight"
        if float(shown) > 0
        else f"is level with {names[rival]} on points"
    )
    rest = _others(robustness.shares, leader, names)
    robust = tier_numbers(state, robustness, thresholds) + (f" ({rest})" if rest else "")
    hinge = f" It hinges on: {'; '.join(hinges)}." if hinges else ""
    rule = tier_rule(tier, thresholds)
    if tier == "clear":
        return f"{names[leader]} is recommended (clear): it {lead}; {robust}. {rule}"
    if tier == "leaning":
        return (
            f"Leaning to {names[leader]}, not a clear verdict: it {lead}; {robust}. {rule}{hinge}"
        )
    return (
        f"No clear winner (a close call): no option is recommended. {names[leader]} {lead}; "
        f"{robust}. {rule}{hinge}"
    )
