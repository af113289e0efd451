"""What would change the verdict: single answer changes and single weight moves that flip it.

Answer changes are rescored with the evidence those answers select (another workload or
execution mode measures otherwise), so a change's measured-performance effect is included.
They are judged on the margin alone (no resampling per change, to stay fast).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from typing import Any

from fwadvisor.answers import GivenAnswer, ResolvedAnswers, baseline, resolve
from fwadvisor.models import Counterfactual
from fwadvisor.report.wording import answer_change, weight_change
from fwadvisor.rulebook.model import Rulebook
from fwadvisor.rulebook.schema import Question
from fwadvisor.scoring.state import MAX_WEIGHT, ScoreState

Rescore = Callable[[Mapping[str, Any]], ScoreState]
MAX_ANSWER_FLIPS = 20


def _alternatives(q: Question, current: Any) -> Iterator[Any]:
    if q.kind == "single":
        yield from (v for v in q.choice_values() if v != current)
    elif q.kind == "bool":
        yield (not current) if isinstance(current, bool) else True
    elif q.kind == "multi":
        chosen = list(current) if isinstance(current, list) else []
        alone = {c.value for c in q.choices if c.exclusive}
        for v in q.choice_values():
            if v in chosen:
                yield [c for c in chosen if c != v]
            elif v in alone or alone.intersection(chosen):
                yield [v]  # a choice that excludes the others replaces them, and is replaced
            else:
                yield [*chosen, v]
    elif q.kind in ("scale", "number") and q.bounds and not q.weight_for:
        for bound in q.bounds:
            if bound != current:
                yield int(bound) if q.kind == "scale" else bound


def answer_flips(
    rulebook: Rulebook,
    answers: ResolvedAnswers,
    leader: str | None,
    rescore: Rescore,
    was_clear: bool = False,
    clear_margin: float = 0.1,
    base_evidence: Mapping[str, float] | None = None,
) -> list[Counterfactual]:
    """Answer changes that hand the lead to another candidate, or (when the verdict is clear or
    leaning: `was_clear`) that shrink the lead below that tier's margin (`clear_margin`). All
    of them: callers cut the list for display."""
    base = baseline(rulebook, answers)
    out: list[Counterfactual] = []
    for q in rulebook.questions:
        if q.id not in answers.values and q.ask_if is not None:
            continue  # hidden by skip logic: changing it alone changes nothing
        current = answers.values.get(q.id)
        for alt in _alternatives(q, current):
            given = {**base.given, q.id: GivenAnswer(value=alt, origin="counterfactual")}
            state = rescore(resolve(rulebook, given, strict=False, base=base).values)
            new = state.leader()
            unclear = was_clear and state.margin() < clear_margin
            if new != leader or unclear:
                out.append(
                    Counterfactual(
                        kind="answer",
                        description=answer_change(q.id, q.kind, current, alt, q.label_of),
                        outcome="new_leader" if new != leader else "no_clear_winner",
                        new_winner=new,
                        new_margin=round(state.margin(), 4),
                        question_id=q.id,
                        default_answer=answers.origins.get(q.id) != "given",
                        measured_effect=base_evidence is not None
                        and state.evidence_points != dict(base_evidence),
                        from_value=current,
                        to_value=alt,
                    )
                )
    return out


def weight_flips(rulebook: Rulebook, state: ScoreState) -> list[Counterfactual]:
    """For each criterion, the weight at which the runner-up (or another rival) overtakes."""
    leader = state.leader()
    if leader is None:
        return []
    rivals = [c for c in state.alive() if c != leader]
    out = []
    for crit in rulebook.criteria:
        w = state.weights[crit.id]
        best: tuple[float, str] | None = None
        for rival in rivals:
            gap = state.totals[leader] - state.totals[rival]
            slope = state.raw[leader][crit.id] - state.raw[rival][crit.id]
            if slope == 0:
                continue
            target = w - gap / slope  # weight at which totals tie
            if 0 <= target <= MAX_WEIGHT and (best is None or abs(target - w) < abs(best[0] - w)):
                best = (target, rival)
        if best is not None:
            target, rival = best
            out.append(
                Counterfactual(
                    kind="weight",
                    description=weight_change(crit.name, target, w),
                    new_winner=rival,
                    criterion=crit.id,
                    from_weight=w,
                    to_weight=round(target, 3),
                )
            )
    return sorted(out, key=lambda c: abs((c.to_weight or 0) - (c.from_weight or 0)))
