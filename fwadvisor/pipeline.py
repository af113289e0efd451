"""advise(): the only wiring from answers, rulebook, probe files and path-check files to a
Recommendation.

Probe evidence depends on the answers (which workloads matter, which execution mode the team
would use) and path-check evidence on the deployment targets, so both are built here from the
loaded files, and rebuilt for every answer change the counterfactuals try.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from itertools import compress
from typing import TYPE_CHECKING, Any

from fwadvisor import __version__
from fwadvisor.answers import ResolvedAnswers, echo
from fwadvisor.models import (
    NO_EVIDENCE,
    NO_PATH_EVIDENCE,
    Counterfactual,
    EvidenceResult,
    Pairwise,
    PathEvidence,
    Provenance,
    RankEntry,
    Recommendation,
)
from fwadvisor.registry import DEPLOYMENT_TARGETS, PROJECT_NAME, RATIO_PAIR
from fwadvisor.rulebook.engine import Refire, evaluate, fired_flags
from fwadvisor.rulebook.model import Rulebook
from fwadvisor.rulebook.paths import plan_paths
from fwadvisor.rulebook.restrict import default_comparison, restrict
from fwadvisor.scoring import explain
from fwadvisor.scoring.counterfactuals import MAX_ANSWER_FLIPS, answer_flips, weight_flips
from fwadvisor.scoring.hinges import hinges_on
from fwadvisor.scoring.pathvetoes import veto_records, with_vetoes
from fwadvisor.scoring.robustness import COARSE_SAMPLES, perturbation_shares
from fwadvisor.scoring.state import Scorer, ScoreState, compute
from fwadvisor.scoring.verdict import summary_line, tier_of, verdict_of

if TYPE_CHECKING:
    from fwadvisor.measurements.paths_file import PathsCheckFile
    from fwadvisor.measurements.schema import ProbeFile

EvidenceFor = Callable[[Mapping[str, Any]], EvidenceResult]
"""Answers -> the evidence the probe files give for them."""
PathEvidenceFor = Callable[[Mapping[str, Any]], PathEvidence]
"""Answers -> what the path-check files say about the answers' deployment targets."""


@dataclass(frozen=True)
class AdviceOptions:
    samples: int = 1000
    seed: int = 0
    counterfactuals: bool = True
    now: dt.datetime | None = None


def fixed_evidence(evidence: EvidenceResult) -> EvidenceFor:
    """The same evidence whatever the answers (probe facts stated directly, as rule tests do)."""
    return lambda _values: evidence


def evidence_for(rulebook: Rulebook, probes: Sequence[ProbeFile]) -> EvidenceFor:
    """Evidence from probe files as a function of the answers, memoized per distinct answers
    to the questions that have a role (the only ones the evidence reads)."""
    if not probes:
        return fixed_evidence(NO_EVIDENCE)
    from fwadvisor.measurements.evidence import build_evidence

    memo: dict[str, EvidenceResult] = {}

    def build(values: Mapping[str, Any]) -> EvidenceResult:
        by_role = {role: values.get(qid) for role, qid in rulebook.roles.items()}
        key = repr(sorted(by_role.items()))
        if key not in memo:
            memo[key] = build_evidence(probes, by_role, [c.id for c in rulebook.candidates])
        return memo[key]

    return build


def path_evidence_for(rulebook: Rulebook, docs: Sequence[PathsCheckFile]) -> PathEvidenceFor:
    """Path-check evidence as a function of the answers' deployment targets (memoized)."""
    if not docs:
        return lambda _values: NO_PATH_EVIDENCE
    from fwadvisor.measurements.paths_evidence import path_evidence

    question = rulebook.question_for(DEPLOYMENT_TARGETS)
    memo: dict[tuple[str, ...], PathEvidence] = {}

    def build(values: Mapping[str, Any]) -> PathEvidence:
        chosen = (values.get(question.id) if question else None) or []
        targets = tuple(t for t in chosen if isinstance(t, str))
        if targets not in memo:
            memo[targets] = path_evidence(docs, rulebook, targets)
        return memo[targets]

    return build


def rescorer(
    rulebook: Rulebook,
    base_facts: Mapping[str, Any],
    base_flags: Sequence[bool],
    evidence_of: EvidenceFor,
    paths_of: PathEvidenceFor,
) -> Callable[[Mapping[str, Any]], ScoreState]:
    """Scores for changed answers: rules re-fired where their facts changed, and the probe and
    path-check evidence rebuilt for those answers (another execution mode picks other
    measurements; another target other checked paths)."""
    scorer = Scorer(rulebook, (c.id for c in rulebook.criteria if c.measured))
    base = list(base_flags)
    refire = Refire(rulebook, base, base_facts)
    # Speed: about a quarter of answer changes fire exactly the rules the answers given fire.
    # A state depends only on the fired rules, the base weights, the evidence points and the
    # vetoes, so such a change reuses the state of an earlier one with equal values of these
    # (in the same order: a different order is only a miss).
    same_rules: dict[tuple[tuple[Any, ...], ...], ScoreState] = {}

    def rescore(values: Mapping[str, Any]) -> ScoreState:
        changed = evidence_of(values)
        checked = paths_of(values)
        new_facts = {**values, **changed.facts}
        flags = refire(new_facts)
        key = None
        if flags == base:
            weights = scorer.base_weights(new_facts)
            key = (
                tuple(weights.items()),
                tuple(changed.points.items()),
                tuple((c, v.rule_id, v.reason, v.by) for c, v in checked.vetoes.items()),
            )
            if (seen := same_rules.get(key)) is not None:
                return seen
        state = scorer.compute(new_facts, compress(rulebook.rules, flags), changed.points)
        state = with_vetoes(state, checked.vetoes)
        if key is not None:
            same_rules[key] = state
        return state

    return rescore


def _left_out_leader(
    full: Rulebook,
    chosen: tuple[str, ...],
    facts: dict[str, Any],
    evidence: EvidenceResult,
    measured: tuple[str, ...],
    source: str | None,
) -> tuple[str, str] | None:
    """A candidate left out of the comparison that would lead the full comparison, and the
    command that compares it."""
    everyone = tuple(c.id for c in full.candidates)
    if set(chosen) == set(everyone):
        return None
    flags = fired_flags(full, facts)  # no traces needed: only who leads
    fired = [r for r, f in zip(full.rules, flags, strict=True) if f]
    lead = compute(full, facts, fired, evidence.points, measured).leader()
    if lead is None or lead in chosen:
        return None
    answers_arg = f" --answers {source}" if source else ""
    return lead, f"fwadvisor recommend --candidates {','.join(everyone)}{answers_arg}"


def _left_out_note(full: Rulebook, lead: str, command: str) -> str:
    return (
        f"{full.candidate_by_id[lead].name} was not compared, but with these answers it would "
        f"lead a comparison of all {len(full.candidates)} candidates: run {command} to see it."
    )


def _input_cautions(
    answers: ResolvedAnswers, probes: Sequence[ProbeFile], checks: Sequence[PathsCheckFile]
) -> list[str]:
    """What the reader must know before trusting the verdict: no answers at all, a probe or
    paths-check file that was interrupted (complete: false)."""
    notes = []
    if "given" not in answers.origins.values():
        notes.append(
            "No answers were given: every question took its default, so this verdict is for a "
            "default team; answer the questionnaire or pass --answers FILE."
        )
    for what, files in (("probe", probes), ("paths-check", checks)):
        for f in files:
            if not f.complete:
                notes.append(
                    f"The {what} file from {f.fingerprint.machine} is partial (complete: false: "
                    "it was interrupted); what it did not measure counts as not measured. Run "
                    f"it again to complete it."
                )
    return notes


def _unscored_notes(
    full: Rulebook, chosen: tuple[str, ...], found: EvidenceResult, names: Mapping[str, str]
) -> list[str]:
    """Where measured performance counts: the compared candidates it could not score (no
    measurements, or measured but outside the scored ratio), or no probe evidence at all."""
    if not found.items:
        return [
            "No probe evidence was given: measured performance scored zero for every candidate "
            "(run `fwadvisor probe` and pass --probe FILE)."
        ]
    scored = {c for d in found.draws for c in (d.numerator, d.denominator)}
    scored |= {c for item in found.items for c in (item.numerator, item.denominator)}
    timed = {c for item in found.items for c in item.candidate_times()}
    unmeasured = [names[c] for c in chosen if c not in scored and c not in timed]
    unscored = [names[c] for c in chosen if c not in scored and c in timed]
    notes = []
    if unmeasured:
        notes.append(
            f"The probe files hold no measurements for {', '.join(unmeasured)}: its "
            "measured performance scored zero while the others could gain points."
        )
    if unscored:
        pair = " / ".join(full.candidate_by_id[c].name for c in RATIO_PAIR)
        notes.append(
            f"{', '.join(unscored)} was measured (its times are in the measurements table) "
            f"but only the {pair} time ratio scores measured performance: its measured "
            "performance scored zero while the others could gain points."
        )
    return notes


def advise(
    rulebook: Rulebook,
    answers: ResolvedAnswers,
    probes: Sequence[ProbeFile] = (),
    options: AdviceOptions = AdviceOptions(),
    *,
    evidence: EvidenceFor | None = None,
    path_checks: Sequence[PathsCheckFile] = (),
) -> Recommendation:
    """The recommendation for these answers among the chosen candidates (the rulebook's
    default comparison unless the answers name others); `evidence` replaces the probe files'
    evidence."""
    full = rulebook
    chosen = answers.candidates or default_comparison(full)
    rulebook = restrict(full, chosen)
    evidence_of = evidence or evidence_for(rulebook, probes)
    paths_of = path_evidence_for(rulebook, path_checks)
    found = evidence_of(answers.values)
    checked = paths_of(answers.values)
    facts: dict[str, Any] = {**answers.values, **found.facts}
    outcomes = evaluate(rulebook, facts)
    measured = tuple(c.id for c in rulebook.criteria if c.measured)
    state = compute(rulebook, facts, [o.rule for o in outcomes if o.fired], found.points, measured)
    state = with_vetoes(state, checked.vetoes)
    leader, rival = state.leader(), state.runner_up()
    model = rulebook.uncertainty
    robustness = perturbation_shares(
        state, model, samples=options.samples, seed=options.seed, draws=list(found.draws)
    )
    tier = tier_of(state, robustness, model.verdict)
    verdict = verdict_of(tier)
    winner = leader if verdict == "clear" else None

    counterfactuals: list[Counterfactual] = []
    defaults: list[Counterfactual] = []
    if options.counterfactuals:
        rescore = rescorer(rulebook, facts, [o.fired for o in outcomes], evidence_of, paths_of)
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
            base_evidence=found.points,
        )
        defaults = [c for c in by_answer if c.default_answer]
        counterfactuals = by_answer[:MAX_ANSWER_FLIPS] + weight_flips(rulebook, state)

    paths, path_notes = plan_paths(rulebook, facts, leader)
    notes = [f"Answer to {qid!r} was not used: it {why}." for qid, why in answers.ignored.items()]
    notes += path_notes + checked.notes
    notes += _input_cautions(answers, probes, path_checks)
    left_out = _left_out_leader(full, chosen, facts, found, measured, answers.source)
    if left_out is not None:
        notes.append(_left_out_note(full, *left_out))
    if 0 < robustness.samples < COARSE_SAMPLES:
        v = model.verdict
        notes.append(
            f"Robustness rests on only {robustness.samples} "
            f"sample{'s' if robustness.samples > 1 else ''}: a share moves in steps of "
            f"{1 / robustness.samples:.0%}, too coarse to place the leader against the "
            f"{v.clear.min_share:.0%} (clear) and {v.leaning.min_share:.0%} (leaning) "
            f"thresholds; rerun with --samples {AdviceOptions.samples} or more."
        )
    names = {c.id: c.name for c in rulebook.candidates}
    if any(state.weights[m] > 0 for m in measured):
        notes += _unscored_notes(full, chosen, found, names)
    oldest, newest = rulebook.as_of_range
    project_q = rulebook.question_for(PROJECT_NAME)
    project = answers.values.get(project_q.id) if project_q else None
    findings = explain.findings(outcomes, state, leader, rival)
    hinges = (
        hinges_on(findings, counterfactuals, names, leader, state.margin())
        if tier in ("leaning", "close_call")
        else []
    )
    ranking = [
        RankEntry(
            candidate=c,
            name=names[c],
            total=round(state.totals[c], 4),
            normalized=round(state.normalized(c), 4),
            vetoed=c in state.vetoed,
            color=rulebook.candidate_by_id[c].color,
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
    verified = [f.as_of for f in findings] + [p.as_of for p in paths]
    return Recommendation(
        project=project if isinstance(project, str) and project else None,
        verdict=verdict,
        tier=tier,
        hinges_on=hinges,
        winner=winner,
        leader=leader,
        margin=round(state.margin(), 4),
        summary=" ".join(
            [
                *found.warnings,  # a machine too busy to measure is said first
                summary_line(tier, leader, rival, state, robustness, names, model.verdict, hinges),
            ]
        ),
        ranking=ranking,
        weights=explain.weights(rulebook, state, facts),
        scores=explain.scores(state),
        findings=findings,
        not_fired=explain.not_fired(outcomes),
        vetoes=explain.vetoes(rulebook, state, exclude=checked.vetoes)
        + veto_records(state, checked.vetoes),
        evidence=found.items,
        robustness=robustness,
        counterfactuals=counterfactuals,
        defaults_that_matter=defaults,
        paths=paths,
        path_checks=checked.items,
        answers=echo(rulebook, answers),
        notes=notes,
        candidates=list(chosen),
        pairwise=pairwise,
        left_out_leader=left_out[0] if left_out else None,
        left_out_command=left_out[1] if left_out else None,
        provenance=Provenance(
            tool_version=__version__,
            rulebook_hash=rulebook.content_hash,
            rule_count=len(rulebook.rules),
            as_of_oldest=oldest,
            as_of_newest=newest,
            facts_verified_oldest=min(verified, default=None),
            facts_verified_newest=max(verified, default=None),
            answers_hash=answers.digest(),
            probe_fingerprints=found.fingerprints,
            generated_at=now.isoformat(timespec="seconds"),
        ),
    )
