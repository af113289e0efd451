"""Schema of the rulebook files (rules/*.yaml). Unknown keys are rejected everywhere.

Files:
  candidates.yaml  the frameworks that can be recommended
  criteria.yaml    what they are scored on, with default weights
  questions.yaml   the questionnaire (sections and questions, skip logic)
  paths.yaml       deployment toolchains per target and framework
  uncertainty.yaml how uncertain rule effects, weights and measurements are (optional)
  rules/*.yaml     the rules, one file per area
  tests/*.yaml     rule cases and whole scenarios
"""

from __future__ import annotations

import datetime as dt
from dataclasses import field
from typing import Annotated, Any, Literal

from fwadvisor.models import Tier
from fwadvisor.records import Limits, NotBool, SchemaVersion1, Str, record
from fwadvisor.registry import Role
from fwadvisor.rulebook.conditions import Condition, RulebookRecord

SnakeId = Annotated[str, Str(pattern=r"^[a-z][a-z0-9_]*$", max_length=64)]
RuleId = Annotated[str, Str(pattern=r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$", max_length=80)]
Url = Annotated[str, Str(pattern=r"^https://[^\s]+$", max_length=500)]
Text = Annotated[str, Str(min_length=1, max_length=4000, strip_whitespace=True)]
Confidence = Literal["high", "medium", "low"]
QuestionKind = Literal["single", "multi", "scale", "bool", "text", "number"]

CONFIDENCE_FACTOR: dict[str, float] = {"high": 1.0, "medium": 0.7, "low": 0.4}


@record
class Candidate(RulebookRecord):
    """A framework the advisor can recommend (candidates.yaml)."""

    id: SnakeId
    name: Text
    description: Text
    homepage: Url
    color: Annotated[str, Str(pattern=r"^#[0-9a-fA-F]{6}$")] | None = None
    """chart colour, #rrggbb"""


@record
class Criterion(RulebookRecord):
    """Something a team weighs a framework on, with its default weight (criteria.yaml)."""

    id: SnakeId
    name: Text
    description: Text
    default_weight: Annotated[float, Limits(ge=0, le=5)]
    measured: bool = False
    """scored from probe measurements rather than from rules"""


@record
class Choice(RulebookRecord):
    """One allowed answer of a single- or multi-choice question."""

    value: SnakeId
    label: Text
    help: Text | None = None
    exclusive: bool = False
    """a multi-choice answer that excludes every other (None of these, CPUs only)"""


@record
class Section(RulebookRecord):
    """A group of questions shown together in the questionnaire."""

    id: SnakeId
    title: Text
    description: Text | None = None


@record
class ConditionalDefault(RulebookRecord):
    """A default that fits earlier answers: used instead of `default` when `when` holds."""

    when: Condition
    value: Any


@record
class Question(RulebookRecord):
    """One question of the questionnaire: its kind, choices, default and when it is asked."""

    id: SnakeId
    section: SnakeId
    prompt: Text
    help: Text
    kind: QuestionKind
    choices: list[Choice] = field(default_factory=list)
    default: Any = None
    required: bool = False
    ask_if: Condition | None = None
    defaults: list[ConditionalDefault] = field(default_factory=list)
    """defaults that fit earlier answers: the first whose `when` holds replaces `default`"""
    weight_for: SnakeId | None = None
    """a scale question whose answer sets this criterion's weight"""
    min: float | None = None
    max: float | None = None
    role: Role | None = None
    """what the code looks this question up as (see fwadvisor/registry.py)"""

    def __post_init__(self) -> None:
        has_choices = self.kind in ("single", "multi")
        if has_choices and len(self.choices) < 2:
            raise ValueError(f"a {self.kind} question needs at least two choices")
        if not has_choices and self.choices:
            raise ValueError(f"a {self.kind} question takes no choices")
        if self.weight_for and self.kind != "scale":
            raise ValueError("weight_for is only for scale questions")
        if self.kind == "scale" and (self.min is None) != (self.max is None):
            raise ValueError("give both min and max, or neither (0-5)")

    @property
    def bounds(self) -> tuple[float, float] | None:
        if self.kind == "scale":
            return (
                self.min if self.min is not None else 0,
                self.max if self.max is not None else 5,
            )
        if self.kind == "number" and self.min is not None and self.max is not None:
            return (self.min, self.max)
        return None

    def choice_values(self) -> list[str]:
        return [c.value for c in self.choices]

    def label_of(self, value: str) -> str:
        return next((c.label for c in self.choices if c.value == value), value)


@record
class ScoreEffect(RulebookRecord):
    """Points a fact gives one candidate on one criterion."""

    candidate: SnakeId
    criterion: SnakeId
    delta: Annotated[float, Limits(ge=-5, le=5)]
    """points on the criterion; scaled by confidence"""


@record
class WeightEffect(RulebookRecord):
    """How a rule moves one criterion's weight."""

    criterion: SnakeId
    delta: Annotated[float, Limits(ge=-5, le=5)]
    """added to the criterion's weight"""


@record
class VetoEffect(RulebookRecord):
    """A rule's verdict that one candidate cannot serve the team, and why."""

    candidate: SnakeId
    reason: Text


@record
class Effects(RulebookRecord):
    """What a fact does when it applies (a rule: scaled by its exposure): points, weight
    moves, vetoes, or advice that moves no score."""

    scores: list[ScoreEffect] = field(default_factory=list)
    weights: list[WeightEffect] = field(default_factory=list)
    vetoes: list[VetoEffect] = field(default_factory=list)
    advisory: Text | None = None
    """advice shown to the reader that moves no score: for example an option that is not (yet) a
    candidate, such as JAX"""
    advisory_unless_compared: SnakeId | None = None
    """show the advisory only when this candidate is not among those compared (its score effects
    already speak for it when it is)"""

    def __post_init__(self) -> None:
        if not (self.scores or self.weights or self.vetoes or self.advisory):
            raise ValueError(
                "a rule needs at least one effect (scores, weights, vetoes or advisory)"
            )
        if self.advisory_unless_compared and not self.advisory:
            raise ValueError("advisory_unless_compared needs an advisory")


EXPOSURE_LEVELS: dict[str, float] = {"core": 1.0, "major": 0.7, "some": 0.4, "slight": 0.2}
"""Named exposures and their multipliers (see docs/rulebook.md)."""
ExposureLevel = Literal["core", "major", "some", "slight"]
Exposure = ExposureLevel | Annotated[float, Limits(gt=0, le=1), NotBool()]


def exposure_value(exposure: Exposure) -> float:
    return EXPOSURE_LEVELS[exposure] if isinstance(exposure, str) else float(exposure)


@record
class Fact(RulebookRecord):
    """One claim about the frameworks, written once, with whom it favours and by how much."""

    id: RuleId
    claim: Text
    """one sentence, true on the as_of day"""
    area: SnakeId
    effects: Effects
    """at full exposure (core); a rule's exposure scales scores and weights"""
    rationale: Annotated[str, Str(min_length=20, max_length=4000)]
    sources: Annotated[list[Url], Limits(min_length=1)]
    as_of: dt.date
    """the day someone last checked the claim against its sources"""
    published: dt.date | None = None
    """when the fact itself appeared, where that date matters"""
    confidence: Confidence


@record
class RuleEntry(RulebookRecord):
    """When a fact applies to a team, and how exposed the team then is."""

    id: RuleId
    fact: RuleId
    """the id of the fact this rule applies"""
    exposure: Exposure
    """core (1.0), major (0.7), some (0.4), slight (0.2) or a number in (0, 1]; a fact counts once
    per team, at its strongest applying exposure; its vetoes apply only at exposure 1"""
    when: Condition
    title: Text | None = None
    """what exposes the team (default: the fact's claim)"""
    rationale: Annotated[str, Str(min_length=20, max_length=4000)] | None = None
    """why this team is exposed to the fact at this strength"""
    advisory: Text | None = None
    """advice for teams exposed this way, shown after the fact's own advice; moves no score"""
    applies_by_default: Text | None = None
    """a rule that applies when nothing is answered must say why here; `rules validate` refuses one
    that does without it"""


@record
class Rule(RulebookRecord):
    """A rule resolved against its fact, as the engine and scoring see it: the fact's
    effects scaled by the rule's exposure (vetoes only at exposure 1). Built by the loader,
    never written in a file."""

    id: RuleId
    title: Text
    area: SnakeId
    when: Condition
    effects: Effects
    rationale: Annotated[str, Str(min_length=20, max_length=8200)]
    sources: Annotated[list[Url], Limits(min_length=1)]
    as_of: dt.date
    published: dt.date | None = None
    confidence: Confidence
    fact: RuleId
    """the fact this rule applies; it counts once per team, at its strongest exposure"""
    claim: Text
    """the fact's claim"""
    exposure: Annotated[float, Limits(gt=0, le=1)] = 1.0
    exposure_label: Text | None = None
    """the named level, where the rule used one"""
    applies_by_default: Text | None = None


@record
class DeploymentPath(RulebookRecord):
    """One way to take a model in one framework to one deployment target (paths.yaml)."""

    id: RuleId
    target: SnakeId
    """a choice of the deployment_targets question"""
    candidate: SnakeId
    """the framework the model is written and trained in"""
    kind: Literal["native", "hybrid"]
    preference: Annotated[int, Limits(ge=1, le=9)]
    """1 is best among paths for the same target; guarded paths (with a when that holds) rank before
    unguarded ones"""
    steps: Annotated[list[Text], Limits(min_length=2)]
    summary: Text
    when: Condition | None = None
    sources: Annotated[list[Url], Limits(min_length=1)]
    as_of: dt.date
    """the day someone last checked the path against its sources"""
    published: dt.date | None = None
    """when the fact itself appeared, where that date matters"""
    confidence: Confidence


@record
class CandidatesFile(RulebookRecord):
    """candidates.yaml: the frameworks compared."""

    schema_version: SchemaVersion1
    candidates: Annotated[list[Candidate], Limits(min_length=2)]
    default_comparison: Annotated[list[SnakeId], Limits(min_length=2)] | None = None
    """the candidates compared when neither --candidates nor the answers file names any (default:
    all of them)"""


@record
class CriteriaFile(RulebookRecord):
    """criteria.yaml: what frameworks are weighed on."""

    schema_version: SchemaVersion1
    criteria: Annotated[list[Criterion], Limits(min_length=1)]


@record
class QuestionsFile(RulebookRecord):
    """questions.yaml: the questionnaire's sections and questions."""

    schema_version: SchemaVersion1
    sections: Annotated[list[Section], Limits(min_length=1)]
    questions: Annotated[list[Question], Limits(min_length=1)]


@record
class RulesFile(RulebookRecord):
    """Version 2: facts and the rules that apply them (version 1 rules carried their own
    effects and a `family`; it is no longer read)."""

    schema_version: Annotated[Literal[2], NotBool()]
    facts: list[Fact] = field(default_factory=list)
    rules: list[RuleEntry] = field(default_factory=list)


@record
class PathsFile(RulebookRecord):
    """A file of deployment paths."""

    schema_version: SchemaVersion1
    paths: list[DeploymentPath] = field(default_factory=list)


@record
class EffectUncertainty(RulebookRecord):
    """How much a finding's points may vary, and how likely its fact is not to hold."""

    spread: Annotated[float, Limits(ge=0, lt=1)]
    """a finding's points x U(1 - spread, 1 + spread)"""
    absent: Annotated[float, Limits(ge=0, lt=1)]
    """probability that the fact does not hold"""


@record
class TierThreshold(RulebookRecord):
    """What a verdict tier needs: a share of first places and a margin."""

    min_share: Annotated[float, Limits(gt=0, le=1)]
    """the leader's share of first places"""
    min_margin: Annotated[float, Limits(ge=0)]
    """normalized points (total / sum of weights)"""


@record
class VerdictThresholds(RulebookRecord):
    """The thresholds of the clear and leaning verdicts."""

    clear: TierThreshold
    leaning: TierThreshold

    def __post_init__(self) -> None:
        if (self.leaning.min_share > self.clear.min_share) or (
            self.leaning.min_margin > self.clear.min_margin
        ):
            raise ValueError("leaning thresholds must not exceed clear ones")


@record
class UncertaintyModel(RulebookRecord):
    """How uncertain the inputs of a score are; robustness samples all of them together."""

    weight_spread: Annotated[float, Limits(ge=0, lt=1)]
    """each criterion's weight x U(1 - spread, 1 + spread)"""
    effects: dict[Confidence, EffectUncertainty]
    evidence_sd_from_ci95: Annotated[float, Limits(gt=0)]
    """log-ratio standard deviation = half the log interval width / this"""
    verdict: VerdictThresholds

    def __post_init__(self) -> None:
        missing = {"high", "medium", "low"} - set(self.effects)
        if missing:
            raise ValueError(f"effects needs every confidence level; missing {sorted(missing)}")


@record
class UncertaintyFile(RulebookRecord):
    """uncertainty.yaml: the model the robustness check samples from."""

    schema_version: SchemaVersion1
    uncertainty: UncertaintyModel


DEFAULT_UNCERTAINTY = UncertaintyModel(
    weight_spread=0.5,
    effects={
        "high": EffectUncertainty(spread=0.2, absent=0.0),
        "medium": EffectUncertainty(spread=0.4, absent=0.1),
        "low": EffectUncertainty(spread=0.6, absent=0.4),
    },
    evidence_sd_from_ci95=1.96,
    verdict=VerdictThresholds(
        clear=TierThreshold(min_share=0.85, min_margin=0.1),
        leaning=TierThreshold(min_share=0.6, min_margin=0.03),
    ),
)


@record
class RuleCase(RulebookRecord):
    """A rule test: answers, and the rules and facts that must or must not apply."""

    name: Text
    answers: dict[str, Any] = field(default_factory=dict)
    probe_facts: dict[str, Any] = field(default_factory=dict)
    fires: list[RuleId] = field(default_factory=list)
    not_fires: list[RuleId] = field(default_factory=list)
    facts: list[RuleId] = field(default_factory=list)
    """facts that apply (one of their rules fires)"""
    not_facts: list[RuleId] = field(default_factory=list)
    """facts that do not apply (none of their rules fires)"""
    candidate: SnakeId | None = None
    """the framework whose deployment paths the case checks"""
    applies: list[RuleId] = field(default_factory=list)
    """paths that apply: their target is among the answers and their `when` holds"""
    not_applies: list[RuleId] = field(default_factory=list)
    """paths that must not apply"""
    chosen: list[RuleId] = field(default_factory=list)
    """paths recommended: the lowest preference among those that apply"""

    def __post_init__(self) -> None:
        if (self.applies or self.not_applies or self.chosen) and self.candidate is None:
            raise ValueError("a case that checks paths names their candidate")


@record
class Scenario(RulebookRecord):
    """A scenario test: answers, and the verdict they must give."""

    name: Text
    answers: dict[str, Any] = field(default_factory=dict)
    probe_facts: dict[str, Any] = field(default_factory=dict)
    winner: SnakeId | Literal["none"]
    """expected winner, or 'none' for no clear winner"""
    min_margin: float = 0.0
    tier: Tier | None = None
    """expected verdict strength, if checked"""
    leader: SnakeId | None = None
    """expected top-ranked candidate, clear or not, if checked"""
    findings: list[RuleId] = field(default_factory=list)
    facts: list[RuleId] = field(default_factory=list)
    """facts an expert would name: each applies and counts in the recommendation"""
    top_facts: list[RuleId] = field(default_factory=list)
    """facts that must be among the three that move the lead most"""
    vetoed: list[SnakeId] = field(default_factory=list)
    candidates: Annotated[list[SnakeId], Limits(min_length=2)] | None = None
    """the candidates compared (default comparison)"""


@record
class RuleTestFile(RulebookRecord):
    """A file of rule cases and scenarios (rules/tests/)."""

    schema_version: SchemaVersion1
    cases: list[RuleCase] = field(default_factory=list)
    scenarios: list[Scenario] = field(default_factory=list)
