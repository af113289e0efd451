"""Frozen records that cross stages: answers in, recommendation out.

The Recommendation is the contract of `recommend --format json` and of `report`; its JSON
Schema is printed by `fwadvisor schema recommendation`. Add fields, never rename them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import field
from typing import Any, Literal

from fwadvisor.fingerprint import ProbeFingerprint
from fwadvisor.records import Record, SchemaVersion1, record
from fwadvisor.registry import RATIO_PAIR, EvidenceVerdict

ANSWERS_SCHEMA_VERSION = 1

AnswerValue = str | int | float | bool | list[str]
FindingRole = Literal["for_leader", "for_other", "priority", "veto", "advice", "neutral"]


@record
class AnswersFile(Record):
    """The answers file: what `questionnaire` saves and `recommend --answers` reads."""

    schema_version: SchemaVersion1 = 1
    answers: dict[str, Any] = field(default_factory=dict)
    """question id -> answer (text, number, true/false, a choice or a list of choices); null means
    unanswered"""
    candidates: list[str] | None = None
    """candidate ids to compare (default: the rulebook's default comparison); the --candidates
    option wins over this"""


@record
class AnswerEcho(Record):
    """One answer as the recommendation used it: the question, the value and where it came from."""

    question_id: str
    prompt: str
    value: AnswerValue
    display: str
    """the value with choice labels, as shown to people"""
    origin: Literal["given", "default"]


@record
class LeafTrace(Record):
    """One leaf of a condition, evaluated."""

    path: str
    fact: str
    op: str
    expected: Any = None
    actual: Any = None
    known: bool
    """false when the fact was not answered or not probed"""
    result: bool

    @property
    def negated(self) -> bool:
        """Under an odd number of `not`s: the leaf helps its rule fire when it does NOT hold."""
        return self.path.split(".").count("not") % 2 == 1


@record
class Contribution(Record):
    """What one finding adds to one candidate on one criterion."""

    candidate: str
    criterion: str
    delta: float
    """points after the confidence factor"""
    counted: bool = True
    """false when a rule with a stronger exposure to the same fact already counts it on this
    candidate's criterion"""


@record
class WeightChange(Record):
    """How far one finding moves one criterion's weight."""

    criterion: str
    delta: float


@record
class Finding(Record):
    """A rule that fired: what it says, why it fired, what it did, where it comes from."""

    rule_id: str
    title: str
    area: str
    rationale: str
    sources: list[str]
    as_of: dt.date
    confidence: Literal["high", "medium", "low"]
    because: list[LeafTrace]
    """the leaves that held"""
    contributions: list[Contribution] = field(default_factory=list)
    weight_changes: list[WeightChange] = field(default_factory=list)
    vetoes: list[str] = field(default_factory=list)
    """candidates this rule vetoed"""
    impact: float
    """how much this finding moved the winner's lead"""
    advisory: str | None = None
    """advice that moves no score (e.g. an option not yet compared)"""
    family: str | None = None
    """the fact this rule applies (same as `fact`; kept for readers of earlier files)"""
    fact: str | None = None
    """the id of the fact this rule applies (absent in files written before facts existed)"""
    claim: str | None = None
    """the fact's claim"""
    exposure: float | None = None
    """the team's exposure to the fact through this rule, in (0, 1]"""
    counted: bool = True
    """false when another rule applies the same fact at a stronger exposure"""
    role: FindingRole = "neutral"
    """for_leader: a reason for the leading option; for_other: speaks for another option (see
    favours); priority: only moved criterion weights; veto: ruled a candidate out; advice: advice
    that moves no score; neutral: moved no lead (e.g. its fact counted through a stronger
    exposure)"""
    favours: list[str] = field(default_factory=list)
    """the candidate(s) this finding helps most"""

    @property
    def advice_only(self) -> bool:
        """Advice with no score, weight or veto effect: never a reason for a verdict."""
        return bool(self.advisory) and not (
            self.contributions or self.weight_changes or self.vetoes
        )


@record
class NotFired(Record):
    """A rule that did not apply, with the leaves of its condition that did not hold."""

    rule_id: str
    title: str
    failed: list[LeafTrace]
    """the leaves that did not hold"""


@record
class Veto(Record):
    """A candidate ruled out: by whom, why and on which sources."""

    candidate: str
    reason: str
    rule_id: str
    """the rule that vetoed, or for a path check the check that failed"""
    sources: list[str]
    by: Literal["rule", "paths_check"] = "rule"
    """who vetoed: a rule of the rulebook, or a path check of the user's model"""


@record
class Weight(Record):
    """One criterion's weight: its default, the team's priority and what rules added."""

    criterion: str
    name: str
    weight: float
    base: float
    """the default weight, or the priority the user gave"""
    from_question: str | None = None
    rule_delta: float = 0.0


@record
class CriterionScore(Record):
    """A candidate's points on one criterion, before and after its weight."""

    raw: float
    """sum of rule and evidence points"""
    weighted: float


@record
class RankEntry(Record):
    """A candidate's place in the ranking: total and normalized points, vetoed or not."""

    candidate: str
    name: str
    total: float
    normalized: float
    """total divided by the sum of weights"""
    vetoed: bool = False
    color: str | None = None
    """chart colour from candidates.yaml"""


@record
class ModeTime(Record):
    """One framework/mode's measured time for an evidence item's workload (for charts)."""

    framework: str
    mode: str
    status: Literal["ok", "skipped", "failed"]
    median_s: float | None = None
    ci95_s: tuple[float, float] | None = None
    unstable: bool = False


@record
class CandidateTime(Record):
    """The mode a candidate was judged in for an evidence item, and its median time."""

    mode: str
    median_s: float | None = None


@record
class EvidenceItem(Record):
    """One measured comparison that fed the measured-performance criterion.

    `by_candidate` holds each framework's judged mode and time; the per-framework fields
    before it are kept for readers of schema 1 (they repeat the RATIO_PAIR's entries).
    """

    machine: str
    device: str
    workload: str
    variant: str = "default"
    """e.g. cnn_infer latency or throughput"""
    purpose: str
    """why it matters for these answers, e.g. training"""
    pytorch_mode: str
    tensorflow_mode: str
    pytorch_median_s: float | None
    tensorflow_median_s: float | None
    ratio: float | None
    """numerator time / denominator time (PyTorch / TensorFlow by default)"""
    ratio_ci95: tuple[float, float] | None
    verdict: EvidenceVerdict
    """the faster framework when the decision interval lies wholly beyond the practical-significance
    band on one side of 1; 'unstable' marks an unstable measurement that could not decide even so
    (an unstable one that decides names the framework)"""
    points: dict[str, float] = field(default_factory=dict)
    """score points per candidate"""
    note: str = ""
    decision_ci95: tuple[float, float] | None = None
    """the interval that decided: ratio_ci95, widened when the measurement was unstable"""
    unstable: bool = False
    """unstable measurement: interval widened and points discounted"""
    modes: list[ModeTime] = field(default_factory=list)
    """every framework/mode measured for this workload on this machine, eager and graph, with its
    median and 95% interval"""
    by_candidate: dict[str, CandidateTime] = field(default_factory=dict)
    """candidate id -> the mode it was judged in and its median time"""
    numerator: str = RATIO_PAIR[0]
    """the candidate whose time is on top of `ratio`"""
    denominator: str = RATIO_PAIR[1]
    """the candidate whose time is below"""
    sentence: str = ""
    """the ratio in one sentence: who took how long against whom, and what it scored"""

    def candidate_times(self) -> dict[str, CandidateTime]:
        """`by_candidate`, or for an item saved before it existed, the per-framework fields."""
        if self.by_candidate:
            return self.by_candidate
        return {
            fw: CandidateTime(
                mode=getattr(self, f"{fw}_mode"), median_s=getattr(self, f"{fw}_median_s")
            )
            for fw in RATIO_PAIR
            if getattr(self, f"{fw}_mode", "-") != "-"
        }


@record
class EvidenceDraw(Record):
    """How to sample one measured ratio (numerator time / denominator time) for robustness."""

    numerator: str
    """the candidate whose time is on top: it gets the points when the ratio < 1"""
    denominator: str
    log_ratio: float
    log_ci95: tuple[float, float]
    """the interval the decision used (widened when unstable)"""
    band: float
    """practical-significance band (or the machine's noise floor, if larger)"""
    scale: float
    """machine share x discount for unstable measurements"""


@record
class EvidenceResult(Record):
    """What the probe files contribute to one recommendation, for one set of answers."""

    items: list[EvidenceItem] = field(default_factory=list)
    points: dict[str, float] = field(default_factory=dict)
    """candidate -> measured points"""
    facts: dict[str, Any] = field(default_factory=dict)
    """probe.* facts for rule conditions"""
    fingerprints: list[ProbeFingerprint] = field(default_factory=list)
    draws: list[EvidenceDraw] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    """probe files too disturbed to decide"""


NO_EVIDENCE = EvidenceResult()


@record
class Robustness(Record):
    """How often the leader stays ahead when facts, weights and measurements vary."""

    samples: int
    seed: int
    method: str
    winner_share: float | None
    shares: dict[str, float]
    beats: dict[str, float] = field(default_factory=dict)
    """per other candidate: the share of samples in which the leader scores above it"""
    clear_share: float | None = None
    """share of samples in which the leader leads by at least the clear margin"""


@record
class Pairwise(Record):
    """The leader against one other candidate."""

    leader: str
    other: str
    margin: float
    """normalized score gap, leader minus other"""
    share: float | None
    """share of robustness samples in which the leader scores above the other"""


@record
class Counterfactual(Record):
    """One answer change or weight move that would change the verdict: another candidate
    leads, or the lead shrinks below a clear margin."""

    kind: Literal["answer", "weight"]
    description: str
    outcome: Literal["new_leader", "no_clear_winner"] = "new_leader"
    """another candidate takes the lead, or the lead shrinks below a clear margin"""
    new_winner: str | None
    """the leader after the change"""
    new_margin: float | None = None
    """the leader's lead after the change (points per unit weight); absent in older files"""
    question_id: str | None = None
    default_answer: bool = False
    """the question was left at its default (not answered)"""
    measured_effect: bool = False
    """the change also changes which measurements count (workloads or modes)"""
    from_value: Any = None
    to_value: Any = None
    criterion: str | None = None
    from_weight: float | None = None
    to_weight: float | None = None


@record
class PathStepPlan(Record):
    """The recommended deployment path for one target, step by step, with its sources."""

    target: str
    target_label: str
    candidate: str
    kind: Literal["native", "hybrid"]
    steps: list[str]
    summary: str
    path_id: str
    sources: list[str]
    as_of: dt.date
    confidence: Literal["high", "medium", "low"]


NoteKind = Literal[
    "answer_not_used",
    "no_deployment_path",
    "path_check_failed",
    "path_check_unchecked_paths",
    "path_check_fixable",
    "no_answers",
    "partial_file",
    "left_out_leader",
    "coarse_samples",
    "no_probe_evidence",
    "not_measured",
    "not_scored",
]


@record
class Note(Record):
    """Something to know beside the verdict, as data: what kind of note, what it is about, and
    the values its sentence needs (report/wording.py words it; `notes` holds those words)."""

    kind: NoteKind
    subject: str
    """what the note is about: a question id, a deployment target, a check, a machine, a
    candidate"""
    data: dict[str, Any] = field(default_factory=dict)
    """the values the sentence is made of (names, counts, commands, reasons)"""


NOISY_INTERVAL = 0.2
"""A latency whose 95% interval is wider than this fraction of its median is marked noisy."""


def is_noisy(median: float | None, ci: tuple[float, float] | None) -> bool:
    """Too noisy to lean on: the interval is wider than NOISY_INTERVAL of the median."""
    if median is None or ci is None or median <= 0:
        return False
    return (ci[1] - ci[0]) / median > NOISY_INTERVAL


@record
class PathCheckItem(Record):
    """A deployment path exercised by `fwadvisor paths check`: where, when, how it went."""

    check: str
    title: str
    """the toolchain, step by step"""
    paths: list[str]
    """rulebook path ids it exercised, for the user's targets"""
    targets: list[str]
    coverage: list[str] = field(default_factory=list)
    """what of these paths the check does not cover"""
    candidate: str
    model: str
    """reference model id, or the user's FILE.py:FACTORY"""
    user_model: bool = False
    status: Literal["ok", "failed", "skipped"]
    stage: str | None = None
    reason: str | None = None
    machine: str
    cpu: str
    checked_at: str
    artifact_bytes: int | None = None
    max_abs_err: float | None = None
    max_rel_err: float | None = None
    latency_median_s: float | None = None
    latency_ci95_s: tuple[float, float] | None = None
    versions: dict[str, str] = field(default_factory=dict)
    cause: Literal["model", "toolchain", "unknown"] | None = None
    """a failure's cause: the model (fixable in it), the toolchain, or not known"""
    error_line: str | None = None
    """the converter's first meaningful line"""
    hint: str | None = None
    """what to change in the model, where the cause is known"""

    @property
    def reason_line(self) -> str:
        if self.error_line:
            return self.error_line
        return (self.reason or "").splitlines()[0][:300] if self.reason else self.status


@record
class PathEvidence(Record):
    """What the paths-check files contribute to one recommendation, for one set of answers:
    the checked paths, the vetoes they justify, notes."""

    items: list[PathCheckItem] = field(default_factory=list)
    vetoes: dict[str, Veto] = field(default_factory=dict)
    """candidate -> its path-check veto"""
    notes: list[Note] = field(default_factory=list)


NO_PATH_EVIDENCE = PathEvidence()


@record
class Provenance(Record):
    """What the recommendation was computed from: tool, rulebook, answers and probe machines."""

    tool_version: str
    rulebook_hash: str
    rule_count: int
    as_of_oldest: dt.date | None
    as_of_newest: dt.date | None
    facts_verified_oldest: dt.date | None = None
    """earliest verification date among this recommendation's findings and paths"""
    facts_verified_newest: dt.date | None = None
    """latest verification date among this recommendation's findings and paths"""
    answers_hash: str
    probe_fingerprints: list[ProbeFingerprint] = field(default_factory=list)
    """the machine of each probe file used, with its suite and whether it was complete"""
    generated_at: str


Tier = Literal["clear", "leaning", "close_call", "only_option", "all_vetoed"]


@record
class Recommendation(Record):
    """schema_version 1, extended (fields added, none renamed): `tier`, `hinges_on`,
    `defaults_that_matter`, and per finding `role`, `favours`, `family`, `fact`, `claim`,
    `exposure`, `counted`; a consumer that reads
    only `verdict` and `winner` keeps working (winner is set only when the tier is clear)."""

    schema_version: SchemaVersion1 = 1
    project: str | None
    verdict: Literal["clear", "no_clear_winner", "all_vetoed"]
    tier: Tier | None = None
    """verdict strength: clear, leaning (a leader that is not robust), close_call (no clear winner),
    only_option, all_vetoed; absent in files written before it existed"""
    hinges_on: list[str] = field(default_factory=list)
    """what a leaning or close call turns on"""
    winner: str | None
    """null when there is no clear winner"""
    leader: str | None
    """the top-ranked candidate, clear or not"""
    left_out_leader: str | None = None
    """a candidate not compared that would lead a comparison of all of them"""
    left_out_command: str | None = None
    """the command that compares it"""
    margin: float
    """normalized score gap between first and second"""
    summary: str
    ranking: list[RankEntry]
    weights: list[Weight]
    scores: dict[str, dict[str, CriterionScore]]
    findings: list[Finding]
    not_fired: list[NotFired]
    vetoes: list[Veto]
    evidence: list[EvidenceItem]
    robustness: Robustness
    counterfactuals: list[Counterfactual]
    defaults_that_matter: list[Counterfactual] = field(default_factory=list)
    """answers left at their default whose change would flip or weaken the verdict"""
    paths: list[PathStepPlan]
    path_checks: list[PathCheckItem] = field(default_factory=list)
    """deployment paths checked for real (--paths-check)"""
    answers: list[AnswerEcho]
    notes: list[str] = field(default_factory=list)
    notices: list[Note] = field(default_factory=list)
    """`notes` as data, in the same order: each note's kind, subject and values (absent in files
    written before it existed)"""
    provenance: Provenance
    candidates: list[str] = field(default_factory=list)
    """the candidates compared, as chosen (empty in old files)"""
    pairwise: list[Pairwise] = field(default_factory=list)
    """the leader against each other candidate"""

    @property
    def strength(self) -> Tier:
        """The tier, derived from `verdict` for files written before `tier` existed."""
        if self.tier is not None:
            return self.tier
        if self.verdict == "all_vetoed":
            return "all_vetoed"
        return "clear" if self.verdict == "clear" else "close_call"
