"""advise(): the only wiring from answers, rulebook, probe files and path-check files to a
Recommendation.

Probe evidence depends on the answers (which workloads matter, which execution mode the team
would use) and path-check evidence on the deployment targets, so both are built here from the
loaded files, and rebuilt for every answer change the counterfactuals try.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from itertools import compress
from typing import TYPE_CHECKING, Any

from fwadvisor import __version__
from fwadvisor.answers import ResolvedAnswers, echo
from fwadvisor.models import (
    NO_EVIDENCE,
    NO_PATH_EVIDENCE,
    Counterfactual,
    EvidenceResult,
    Note,
    Pairwise,
    PathEvidence,
    Provenance,
    RankEntry,
    Recommendation,
    Robustness,
    Tier,
)
from fwadvisor.records import Record, record
from fwadvisor.registry import DEPLOYMENT_TARGETS, PROJECT_NAME, RATIO_PAIR
from fwadvisor.report.wording import note_text
from fwadvisor.rulebook.engine import Refire, RuleOutcome, evaluate, fired_flags
from fwadvisor.rulebook.model import Rulebook
from fwadvisor.rulebook.paths import plan_paths
from fwadvisor.rulebook.restrict import default_comparison, restrict
from fwadvisor.rulebook.schema import UncertaintyModel, VerdictThresholds
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


DEFAULT_SAMPLES = 1000
"""Robustness samples drawn unless asked otherwise; fewer than `COARSE_SAMPLES` earns a note."""


@record
class AdviceOptions(Record):
    """How to advise: robustness samples and seed, whether to look for counterfactuals, and
    the time the recommendation is stamped with (now, when left out)."""

    samples: int = DEFAULT_SAMPLES
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


@record
class Scored(Record):
    """The answers' facts, the rules evaluated on them and the resulting scores (vetoes of the
    path checks applied)."""

    facts: dict[str, Any]
    outcomes: list[RuleOutcome]
    measured: tuple[str, ...]
    state: ScoreState


def score(
    rulebook: Rulebook, answers: ResolvedAnswers, found: EvidenceResult, checked: PathEvidence
) -> Scored:
    facts: dict[str, Any] = {**answers.values, **found.facts}
    outcomes = evaluate(rulebook, facts)
    measured = tuple(c.id for c in rulebook.criteria if c.measured)
    fired = [o.rule for o in outcomes if o.fired]
    state = with_vetoes(compute(rulebook, facts, fired, found.points, measured), checked.vetoes)
    return Scored(facts=facts, outcomes=outcomes, measured=measured, state=state)


def robustness_and_tier(
    state: ScoreState, model: UncertaintyModel, found: EvidenceResult, options: AdviceOptions
) -> tuple[Robustness, Tier]:
    """How often the leader stays ahead when effects and measurements are resampled, and the
    verdict's tier that follows."""
    robustness = perturbation_shares(
        state, model, samples=options.samples, seed=options.seed, draws=list(found.draws)
    )
    return robustness, tier_of(state, robustness, model.verdict)


def counterfactuals(
    rulebook: Rulebook,
    answers: ResolvedAnswers,
    scored: Scored,
    tier: Tier,
    rescore: Callable[[Mapping[str, Any]], ScoreState],
    base_points: Mapping[str, float],
) -> tuple[list[Counterfactual], list[Counterfactual]]:
    """The changes that would flip or weaken the verdict (the first answer changes, then the
    weight moves), and the unanswered questions among them."""
    verdict = rulebook.uncertainty.verdict
    by_answer = answer_flips(
        rulebook,
        answers,
        scored.state.leader(),
        rescore,
        was_clear=tier in ("clear", "leaning"),
        clear_margin=(verdict.clear.min_margin if tier == "clear" else verdict.leaning.min_margin),
        base_evidence=base_points,
    )
    defaults = [c for c in by_answer if c.default_answer]
    return by_answer[:MAX_ANSWER_FLIPS] + weight_flips(rulebook, scored.state), defaults


def input_notices(
    answers: ResolvedAnswers, probes: Sequence[ProbeFile], checks: Sequence[PathsCheckFile]
) -> list[Note]:
    """What the reader must know before trusting the verdict: no answers at all, a probe or
    paths-check file that was interrupted (complete: false)."""
    notes = []
    if "given" not in answers.origins.values():
        notes.append(Note(kind="no_answers", subject="answers"))
    for what, files in (("probe", probes), ("paths-check", checks)):
        for f in files:
            if not f.complete:
                machine = f.fingerprint.machine
                notes.append(Note(kind="partial_file", subject=machine, data={"file_kind": what}))
    return notes


def unscored_notices(
    full: Rulebook, chosen: tuple[str, ...], found: EvidenceResult, names: Mapping[str, str]
) -> list[Note]:
    """Where measured performance counts: the compared candidates it could not score (no
    measurements, or measured but outside the scored ratio), or no probe evidence at all."""
    if not found.items:
        return [Note(kind="no_probe_evidence", subject="probe")]
    scored = {c for d in found.draws for c in (d.numerator, d.denominator)}
    scored |= {c for item in found.items for c in (item.numerator, item.denominator)}
    timed = {c for item in found.items for c in item.candidate_times()}
    unmeasured = [names[c] for c in chosen if c not in scored and c not in timed]
    unscored = [names[c] for c in chosen if c not in scored and c in timed]
    notes = []
    if unmeasured:
        notes.append(Note(kind="not_measured", subject="probe", data={"names": unmeasured}))
    if unscored:
        pair = [full.candidate_by_id[c].name for c in RATIO_PAIR]
        data = {"names": unscored, "pair": pair}
        notes.append(Note(kind="not_scored", subject="probe", data=data))
    return notes


def notices(
    full: Rulebook,
    answers: ResolvedAnswers,
    path_notes: list[Note],
    inputs: list[Note],
    left_out: tuple[str, str] | None,
    robustness: Robustness,
    thresholds: VerdictThresholds,
    unscored: list[Note],
) -> list[Note]:
    """Every note, in the order a reader meets them: answers not used, deployment paths, path
    checks, inputs, a left-out leader, too few robustness samples, unscored measurements."""
    notes = [
        Note(kind="answer_not_used", subject=qid, data={"why": why})
        for qid, why in answers.ignored.items()
    ]
    notes += path_notes + inputs
    if left_out is not None:
        lead, command = left_out
        data = {
            "name": full.candidate_by_id[lead].name,
            "candidates": len(full.candidates),
            "command": command,
        }
        notes.append(Note(kind="left_out_leader", subject=lead, data=data))
    if 0 < robustness.samples < COARSE_SAMPLES:
        data = {
            "samples": robustness.samples,
            "clear_share": thresholds.clear.min_share,
            "leaning_share": thresholds.leaning.min_share,
            "enough": DEFAULT_SAMPLES,
        }
        notes.append(Note(kind="coarse_samples", subject="robustness", data=data))
    return notes + unscored


def ranking_and_pairwise(
    rulebook: Rulebook, state: ScoreState, robustness: Robustness
) -> tuple[list[RankEntry], list[Pairwise]]:
    """The candidates by score, and the leader against each other candidate not vetoed."""
    leader = state.leader()
    ranking = [
        RankEntry(
            candidate=c,
            name=rulebook.candidate_by_id[c].name,
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
    return ranking, pairwise


def provenance(
    rulebook: Rulebook,
    answers: ResolvedAnswers,
    verified: Sequence[dt.date],
    found: EvidenceResult,
    now: dt.datetime,
) -> Provenance:
    """What the recommendation was made from: tool, rulebook, answers, probe machines."""
    oldest, newest = rulebook.as_of_range
    return Provenance(
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
    )


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
    scored = score(rulebook, answers, found, checked)
    state = scored.state
    leader, rival = state.leader(), state.runner_up()
    robustness, tier = robustness_and_tier(state, rulebook.uncertainty, found, options)
    changes: list[Counterfactual] = []
    defaults: list[Counterfactual] = []
    if options.counterfactuals:
        fired = [o.fired for o in scored.outcomes]
        rescore = rescorer(rulebook, scored.facts, fired, evidence_of, paths_of)
        changes, defaults = counterfactuals(rulebook, answers, scored, tier, rescore, found.points)
    paths, path_notes = plan_paths(rulebook, scored.facts, leader)
    left_out = _left_out_leader(full, chosen, scored.facts, found, scored.measured, answers.source)
    names = {c.id: c.name for c in rulebook.candidates}
    unscored = (
        unscored_notices(full, chosen, found, names)
        if any(state.weights[m] > 0 for m in scored.measured)
        else []
    )
    inputs = input_notices(answers, probes, path_checks)
    verdict_model = rulebook.uncertainty.verdict
    notes = notices(
        full,
        answers,
        path_notes + checked.notes,
        inputs,
        left_out,
        robustness,
        verdict_model,
        unscored,
    )
    project_q = rulebook.question_for(PROJECT_NAME)
    project = answers.values.get(project_q.id) if project_q else None
    findings = explain.findings(scored.outcomes, state, leader, rival)
    hinges = (
        hinges_on(findings, changes, names, leader, state.margin())
        if tier in ("leaning", "close_call")
        else []
    )
    ranking, pairwise = ranking_and_pairwise(rulebook, state, robustness)
    verdict = verdict_of(tier)
    line = summary_line(tier, leader, rival, state, robustness, names, verdict_model, hinges)
    return Recommendation(
        project=project if isinstance(project, str) and project else None,
        verdict=verdict,
        tier=tier,
        hinges_on=hinges,
        winner=leader if verdict == "clear" else None,
        leader=leader,
        margin=round(state.margin(), 4),
        summary=" ".join([*found.warnings, line]),  # a machine too busy to measure: first
        ranking=ranking,
        weights=explain.weights(rulebook, state, scored.facts),
        scores=explain.scores(state),
        findings=findings,
        not_fired=explain.not_fired(scored.outcomes),
        vetoes=explain.vetoes(rulebook, state, exclude=checked.vetoes)
        + veto_records(state, checked.vetoes),
        evidence=found.items,
        robustness=robustness,
        counterfactuals=changes,
        defaults_that_matter=defaults,
        paths=paths,
        path_checks=checked.items,
        answers=echo(rulebook, answers),
        notes=[note_text(n) for n in notes],
        notices=notes,
        candidates=list(chosen),
        pairwise=pairwise,
        left_out_leader=left_out[0] if left_out else None,
        left_out_command=left_out[1] if left_out else None,
        provenance=provenance(
            rulebook,
            answers,
            [f.as_of for f in findings] + [p.as_of for p in paths],
            found,
            options.now or dt.datetime.now(dt.timezone.utc),
        ),
    )
