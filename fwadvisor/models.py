"""Frozen records that cross stages: answers in, recommendation out.

The Recommendation is the contract of `recommend --format json` and of `report`; its JSON
Schema is printed by `fwadvisor schema recommendation`. Add fields, never rename them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from fwadvisor.registry import RATIO_PAIR, EvidenceVerdict

ANSWERS_SCHEMA_VERSION = 1

AnswerValue = str | int | float | bool | list[str]


class Record(BaseModel):
    """The base of every record: frozen, unknown keys rejected. Validators are built on first
    use (defer_build), so a command pays only for the records it touches."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


class AnswersFile(Record):
    """The answers file: what `questionnaire` saves and `recommend --answers` reads."""

    schema_version: Literal[1] = 1
    answers: dict[str, Any] = Field(
        default_factory=dict,
        description="question id -> answer (text, number, true/false, a choice or a list of "
        "choices); null means unanswered",
    )


class AnswerEcho(Record):
    question_id: str
    prompt: str
    value: AnswerValue
    display: str = Field(description="the value with choice labels, as shown to people")
    origin: Literal["given", "default"]


class LeafTrace(Record):
    """One leaf of a condition, evaluated."""

    path: str
    fact: str
    op: str
    expected: Any = None
    actual: Any = None
    known: bool = Field(description="false when the fact was not answered or not probed")
    result: bool

    @property
    def negated(self) -> bool:
        """Under an odd number of `not`s: the leaf helps its rule fire when it does NOT hold."""
        return self.path.split(".").count("not") % 2 == 1


class Contribution(Record):
    candidate: str
    criterion: str
    delta: float = Field(description="points after the confidence factor")


class WeightChange(Record):
    criterion: str
    delta: float


class Finding(Record):
    """A rule that fired: what it says, why it fired, what it did, where it comes from."""

    rule_id: str
    title: str
    area: str
    rationale: str
    sources: list[str]
    as_of: dt.date
    confidence: Literal["high", "medium", "low"]
    because: list[LeafTrace] = Field(description="the leaves that held")
    contributions: list[Contribution] = Field(default_factory=list)
    weight_changes: list[WeightChange] = Field(default_factory=list)
    vetoes: list[str] = Field(default_factory=list, description="candidates this rule vetoed")
    impact: float = Field(description="how much this finding moved the winner's lead")


class NotFired(Record):
    rule_id: str
    title: str
    failed: list[LeafTrace] = Field(description="the leaves that did not hold")


class Veto(Record):
    candidate: str
    reason: str
    rule_id: str
    sources: list[str]


class Weight(Record):
    criterion: str
    name: str
    weight: float
    base: float = Field(description="the default weight, or the priority the user gave")
    from_question: str | None = None
    rule_delta: float = 0.0


class CriterionScore(Record):
    raw: float = Field(description="sum of rule and evidence points")
    weighted: float


class RankEntry(Record):
    candidate: str
    name: str
    total: float
    normalized: float = Field(description="total divided by the sum of weights")
    vetoed: bool = False
    color: str | None = Field(default=None, description="chart colour from candidates.yaml")


class ModeTime(Record):
    """One framework/mode's measured time for an evidence item's workload (for charts)."""

    framework: str
    mode: str
    status: Literal["ok", "skipped", "failed"]
    median_s: float | None = None
    ci95_s: tuple[float, float] | None = None
    unstable: bool = False


class CandidateTime(Record):
    """The mode a candidate was judged in for an evidence item, and its median time."""

    mode: str
    median_s: float | None = None


class EvidenceItem(Record):
    """One measured comparison that fed the measured-performance criterion.

    `by_candidate` holds each framework's judged mode and time; the per-framework fields
    before it are kept for readers of schema 1 (they repeat the RATIO_PAIR's entries).
    """

    machine: str
    device: str
    workload: str
    variant: str = Field(default="default", description="e.g. cnn_infer latency or throughput")
    purpose: str = Field(description="why it matters for these answers, e.g. training")
    pytorch_mode: str
    tensorflow_mode: str
    pytorch_median_s: float | None
    tensorflow_median_s: float | None
    ratio: float | None = Field(description="PyTorch time / TensorFlow time")
    ratio_ci95: tuple[float, float] | None
    verdict: EvidenceVerdict
    points: dict[str, float] = Field(default_factory=dict, description="score points per candidate")
    note: str = ""
    modes: list[ModeTime] = Field(
        default_factory=list,
        description="every framework/mode measured for this workload on this machine, eager "
        "and graph, with its median and 95% interval",
    )
    by_candidate: dict[str, CandidateTime] = Field(
        default_factory=dict,
        description="candidate id -> the mode it was judged in and its median time",
    )

    def candidate_times(self) -> dict[str, CandidateTime]:
        """`by_candidate`, or for an item saved before it existed, the per-framework fields."""
        if self.by_candidate:
            return self.by_candidate
        legacy = self.model_dump()
        return {
            fw: CandidateTime(mode=legacy[f"{fw}_mode"], median_s=legacy[f"{fw}_median_s"])
            for fw in RATIO_PAIR
            if legacy.get(f"{fw}_mode", "-") != "-"
        }


@dataclass(frozen=True)
class EvidenceResult:
    """What the probe files contribute to one recommendation, for one set of answers."""

    items: list[EvidenceItem] = field(default_factory=list)
    points: dict[str, float] = field(default_factory=dict)  # candidate -> measured points
    facts: dict[str, Any] = field(default_factory=dict)  # probe.* facts for rule conditions
    fingerprints: list[dict[str, Any]] = field(default_factory=list)


NO_EVIDENCE = EvidenceResult()


class Robustness(Record):
    samples: int
    seed: int
    method: str
    winner_share: float | None
    shares: dict[str, float]


class Counterfactual(Record):
    kind: Literal["answer", "weight"]
    description: str
    outcome: Literal["new_leader", "no_clear_winner"] = Field(
        default="new_leader",
        description="another candidate takes the lead, or the lead shrinks below a clear margin",
    )
    new_winner: str | None = Field(description="the leader after the change")
    question_id: str | None = None
    from_value: Any = None
    to_value: Any = None
    criterion: str | None = None
    from_weight: float | None = None
    to_weight: float | None = None


class PathStepPlan(Record):
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


class Provenance(Record):
    tool_version: str
    rulebook_hash: str
    rule_count: int
    as_of_oldest: dt.date | None
    as_of_newest: dt.date | None
    answers_hash: str
    probe_fingerprints: list[dict[str, Any]] = Field(default_factory=list)
    generated_at: str


class Recommendation(Record):
    schema_version: Literal[1] = 1
    project: str | None
    verdict: Literal["clear", "no_clear_winner", "all_vetoed"]
    winner: str | None = Field(description="null when there is no clear winner")
    leader: str | None = Field(description="the top-ranked candidate, clear or not")
    margin: float = Field(description="normalized score gap between first and second")
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
    paths: list[PathStepPlan]
    answers: list[AnswerEcho]
    notes: list[str] = Field(default_factory=list)
    provenance: Provenance
