"""advise(): the only wiring from answers, rulebook and evidence to a Recommendation."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from fwadvisor import __version__
from fwadvisor.answers import ResolvedAnswers, echo
from fwadvisor.models import Counterfactual, Pairwise, Provenance, RankEntry, Recommendation
from fwadvisor.rulebook.engine import evaluate, refire
from fwadvisor.rulebook.model import Rulebook
from fwadvisor.rulebook.restrict import default_comparison, restrict
from fwadvisor.scoring import explain
from fwadvisor.scoring.counterfactuals import MAX_ANSWER_FLIPS, answer_flips, weight_flips
from fwadvisor.scoring.evidence_result import NO_EVIDENCE, EvidenceResult
from fwadvisor.scoring.hinges import hinges_on
from fwadvisor.scoring.paths import plan_paths
from fwadvisor.scoring.robustness import perturbation_shares
from fwadvisor.scoring.state import ScoreState, compute
from fwadvisor.scoring.verdict import summary_line, tier_of, verdict_of


@dataclass(frozen=True)
class AdviceOptions:
    samples: int = 1000
    seed: int = 0
    counterfactuals: bool = True
    now: dt.datetime | None = None


def _left_out_leader(
    full: Rulebook,
    chosen: tuple[str, ...],
    facts: dict[str, Any],
    evidence: EvidenceResult,
    measured: tuple[str, ...],
    source: str | None,
) -> list[str]:
    """A note when a candidate left out of the comparison would lead the full comparison."""
    everyone = tuple(c.id for c in full.candidates)
    if set(chosen) == set(everyone):
        return []
    fired = [o.rule for o in evaluate(full, facts) if o.fired]
    lead = compute(full, facts, fired, evidence.points, measured).leader()
    if lead is None or lead in chosen:
        return []
    name = full.candidate_by_id[lead].name
    answers_arg = f" --answers {source}" if source else ""
    return [
        f"{name} was not compared, but with these answers it would lead a comparison of all "
        f"{len(everyone)} candidates: run `fwadvisor recommend --candidates "
        f"{','.join(everyone)}{answers_arg}` to see it."
    ]


def advise(
    rulebook: Rulebook,
    answers: ResolvedAnswers,
    evidence: EvidenceResult = NO_EVIDENCE,
    options: AdviceOptions = AdviceOptions(),
) -> Recommendation:
    facts: dict[str, Any] = {**answers.values, **evidence.facts}
    full = rulebook
    chosen = answers.candidates or default_comparison(full)
    rulebook = restrict(full, chosen)
    outcomes = evaluate(rulebook, facts)
    measured = tuple(c.id for c in rulebook.criteria if c.measured)
    state = compute(
        rulebook, facts, [o.rule for o in outcomes if o.fired], evidence.points, measured
    )
    leader, rival = state.leader(), state.runner_up()
    model = rulebook.uncertainty
    robustness = perturbation_shares(
        state, model, samples=options.samples, seed=options.seed, draws=list(evidence.draws)
    )
    tier = tier_of(state, robustness, model.verdict)
    verdict = verdict_of(tier)
    winner = leader if verdict == "clear" else None

    counterfactuals: list[Counterfactual] = []
    defaults: list[Counterfactual] = []
    if options.counterfactuals:
        base_flags = [o.fired for o in outcomes]

        def rescore(values: Mapping[str, Any]) -> ScoreState:
            ev = evidence.rebuild(values) if evidence.rebuild else evidence
            new_facts = {**values, **ev.facts}
            flags = refire(rulebook, base_flags, facts, new_facts)
            fired = [r for r, f in zip(rulebook.rules, flags, strict=True) if f]
            return compute(rulebook, new_facts, fired, ev.points, measured)

        by_answer = answer_flips(
            rulebook,
            answers,
            leader,
            rescore,
            was_clear=tier in ("clear", "leaning"),
            clear_margin=(
                model.verdict.clear.min_margin
                if tier == "clear"
                else model.verdict.leaning.min_margin
            ),
            base_evidence=evidence.points,
        )
        defaults = [c for c in by_answer if c.default_answer]
        counterfactuals = by_answer[:MAX_ANSWER_FLIPS] + weight_flips(rulebook, state)

    paths, path_notes = plan_paths(rulebook, facts, leader)
    notes = [f"Answer to {qid!r} was not used: it {why}." for qid, why in answers.ignored.items()]
    notes += path_notes
    notes += _left_out_leader(full, chosen, facts, evidence, measured, answers.source)
    timed = {c for d in evidence.draws for c in (d.numerator, d.denominator)}
    if any(state.weights[m] > 0 for m in measured) and evidence.items:
        unmeasured = [rulebook.candidate_by_id[c].name for c in chosen if c not in timed]
        if unmeasured:
            notes.append(
                f"The probe files hold no measurements for {', '.join(unmeasured)}: its "
                "measured performance scored zero while the others could gain points."
            )
    if any(state.weights[m] > 0 for m in measured) and not evidence.items:
        notes.append(
            "No probe evidence was given: measured performance scored zero for every candidate "
            "(run `fwadvisor probe` and pass --probe FILE)."
        )
    oldest, newest = rulebook.as_of_range
    project = answers.values.get("project_name")
    names = {c.id: c.name for c in rulebook.candidates}
    found = explain.findings(outcomes, state, leader, rival)
    hinges = hinges_on(found, counterfactuals, names) if tier in ("leaning", "close_call") else []
    ranking = [
        RankEntry(
            candidate=c,
            name=names[c],
            total=round(state.totals[c], 4),
            normalized=round(state.normalized(c), 4),
            vetoed=c in state.vetoed,
        )
        for c in state.ranking()
    ]
    pairwise = [
        Pairwise(
            leader=leader,
            other=c,
            margin=round(state.normalized(leader) - state.normalized(c), 4),
            share=robustness.beats.get(c),
        )
        for c in state.ranking()
        if leader is not None and c != leader and c not in state.vetoed
    ]
    now = options.now or dt.datetime.now(dt.timezone.utc)
    verified = [f.as_of for f in found] + [p.as_of for p in paths]
    return Recommendation(
        project=project if isinstance(project, str) and project else None,
        verdict=verdict,
        tier=tier,
        hinges_on=hinges,
        winner=winner,
        leader=leader,
        margin=round(state.margin(), 4),
        summary=summary_line(tier, leader, rival, state, robustness, names, model.verdict, hinges),
        ranking=ranking,
        weights=explain.weights(rulebook, state, facts),
        scores=explain.scores(state),
        findings=found,
        not_fired=explain.not_fired(outcomes),
        vetoes=explain.vetoes(rulebook, state),
        evidence=evidence.items,
        robustness=robustness,
        counterfactuals=counterfactuals,
        defaults_that_matter=defaults,
        paths=paths,
        answers=echo(rulebook, answers),
        notes=notes,
        candidates=list(chosen),
        pairwise=pairwise,
        provenance=Provenance(
            tool_version=__version__,
            rulebook_hash=rulebook.content_hash,
            rule_count=len(rulebook.rules),
            as_of_oldest=oldest,
            as_of_newest=newest,
            facts_verified_oldest=min(verified, default=None),
            facts_verified_newest=max(verified, default=None),
            answers_hash=answers.digest(),
            probe_fingerprints=evidence.fingerprints,
            generated_at=now.isoformat(timespec="seconds"),
        ),
    )
