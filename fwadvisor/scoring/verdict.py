"""Is there a clear winner? Say so honestly when there is not."""

from __future__ import annotations

from typing import Literal

from fwadvisor.models import Robustness
from fwadvisor.scoring.state import ScoreState

CLEAR_MARGIN = 0.1  # normalized points (total / sum of weights)
CLEAR_SHARE = 0.75  # share of weight perturbations the leader must win

Verdict = Literal["clear", "no_clear_winner", "all_vetoed"]


def judge(state: ScoreState, robustness: Robustness) -> Verdict:
    if state.leader() is None:
        return "all_vetoed"
    if state.runner_up() is None:
        return "clear"
    share = robustness.winner_share or 0.0
    return "clear" if state.margin() >= CLEAR_MARGIN and share >= CLEAR_SHARE else "no_clear_winner"


def summary_line(
    verdict: Verdict,
    leader: str | None,
    rival: str | None,
    state: ScoreState,
    robustness: Robustness,
    names: dict[str, str],
) -> str:
    if verdict == "all_vetoed" or leader is None:
        return "Every candidate was ruled out by a hard requirement; see the vetoes."
    if rival is None:
        others = ", ".join(names[c] for c in state.vetoed)
        return (
            f"{names[leader]} is the only candidate left: {others} ruled out by a hard requirement."
        )
    share = robustness.winner_share or 0.0
    lead = f"{names[leader]} leads {names[rival]} by {state.margin():.2f} points per unit weight"
    robust = f"and wins {share:.0%} of {robustness.samples} random re-weightings"
    if verdict == "clear":
        return f"{names[leader]} is recommended: it {lead[len(names[leader]) + 1 :]} {robust}."
    return (
        f"No clear winner: {lead} {robust}; the difference is within what a change of "
        f"priorities could reverse (a clear verdict needs >= {CLEAR_MARGIN} and >= {CLEAR_SHARE:.0%})."
    )
