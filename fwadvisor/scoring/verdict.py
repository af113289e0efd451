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
    share = robustness.winner_share or 0.0
    lead = (
        f"leads {names[rival]} by {state.margin():.2f} points per unit weight"
        if state.margin() >= 0.005
        else f"is level with {names[rival]} on points"
    )
    robust = (
        f"comes first in {share:.0%} of {robustness.samples} samples of the uncertain weights, "
        f"facts and measurements ({_others(robustness.shares, leader, names)})"
    )
    hinge = f" It hinges on: {'; '.join(hinges)}." if hinges else ""
    c, lean = thresholds.clear, thresholds.leaning
    if tier == "clear":
        return f"{names[leader]} is recommended (clear): it {lead} and {robust}."
    if tier == "leaning":
        return (
            f"Leaning to {names[leader]}, not a clear verdict: it {lead} and {robust}; a clear "
            f"verdict needs >= {c.min_margin:g} and >= {c.min_share:.0%}.{hinge}"
        )
    return (
        f"No clear winner (a close call): no option is recommended. {names[leader]} {lead} "
        f"but {robust}, below "
        f"what a leaning needs (>= {lean.min_margin:g} and >= {lean.min_share:.0%}).{hinge}"
    )
