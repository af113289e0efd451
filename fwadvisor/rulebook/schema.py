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
from typing import Annotated, Any, Literal

from pydantic import Field, StringConstraints, model_validator

from fwadvisor.registry import Role
from fwadvisor.rulebook.conditions import Condition, Strict

SnakeId = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*$", max_length=64)]
RuleId = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$", max_length=80)]
FamilyId = Annotated[
    str, StringConstraints(pattern=r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$", max_length=64)
]
Url = Annotated[str, StringConstraints(pattern=r"^https://[^\s]+$", max_length=500)]
Text = Annotated[str, StringConstraints(min_length=1, max_length=4000, strip_whitespace=True)]
Confidence = Literal["high", "medium", "low"]
QuestionKind = Literal["single", "multi", "scale", "bool", "text", "number"]

CONFIDENCE_FACTOR: dict[str, float] = {"high": 1.0, "medium": 0.7, "low": 0.4}


class Candidate(Strict):
    id: SnakeId
    name: Text
    description: Text
    homepage: Url
    color: str | None = Field(
        default=None, pattern=r"^#[0-9a-fA-F]{6}$", description="chart colour, #rrggbb"
    )


class Criterion(Strict):
    id: SnakeId
    name: Text
    description: Text
    default_weight: float = Field(ge=0, le=5)
    measured: bool = Field(
        default=False, description="scored from probe measurements rather than from rules"
    )


class Choice(Strict):
    value: SnakeId
    label: Text
    help: Text | None = None


class Section(Strict):
    id: SnakeId
    title: Text
    description: Text | None = None


class Question(Strict):
    id: SnakeId
    section: SnakeId
    prompt: Text
    help: Text
    kind: QuestionKind
    choices: list[Choice] = Field(default_factory=list)
    default: Any = None
    required: bool = False
    ask_if: Condition | None = None
    weight_for: SnakeId | None = Field(
        default=None, description="a scale question whose answer sets this criterion's weight"
    )
    min: float | None = None
    max: float | None = None
    role: Role | None = Field(
        default=None,
        description="what the code looks this question up as (see fwadvisor/registry.py)",
    )

    @model_validator(mode="after")
    def _kind_fits(self) -> Question:
        has_choices = self.kind in ("single", "multi")
        if has_choices and len(self.choices) < 2:
            raise ValueError(f"a {self.kind} question needs at least two choices")
        if not has_choices and self.choices:
            raise ValueError(f"a {self.kind} question takes no choices")
        if self.weight_for and self.kind != "scale":
            raise ValueError("weight_for is only for scale questions")
        if self.kind == "scale" and (self.min is None) != (self.max is None):
            raise ValueError("give both min and max, or neither (0-5)")
        return self

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


class ScoreEffect(Strict):
    candidate: SnakeId
    criterion: SnakeId
    delta: float = Field(ge=-5, le=5, description="points on the criterion; scaled by confidence")


class WeightEffect(Strict):
    criterion: SnakeId
    delta: float = Field(ge=-5, le=5, description="added to the criterion's weight")


class VetoEffect(Strict):
    candidate: SnakeId
    reason: Text


class Effects(Strict):
    scores: list[ScoreEffect] = Field(default_factory=list)
    weights: list[WeightEffect] = Field(default_factory=list)
    vetoes: list[VetoEffect] = Field(default_factory=list)
    advisory: Text | None = Field(
        default=None,
        description=(
            "advice shown to the reader that moves no score: for example an option that is "
            "not (yet) a candidate, such as JAX"
        ),
    )
    advisory_unless_compared: SnakeId | None = Field(
        default=None,
        description="show the advisory only when this candidate is not among those compared "
        "(its score effects already speak for it when it is)",
    )

    @model_validator(mode="after")
    def _not_empty(self) -> Effects:
        if not (self.scores or self.weights or self.vetoes or self.advisory):
            raise ValueError(
                "a rule needs at least one effect (scores, weights, vetoes or advisory)"
            )
        if self.advisory_unless_compared and not self.advisory:
            raise ValueError("advisory_unless_compared needs an advisory")
        return self


class Rule(Strict):
    id: RuleId
    title: Text
    area: SnakeId
    when: Condition
    effects: Effects
    rationale: Annotated[str, StringConstraints(min_length=20, max_length=4000)]
    sources: list[Url] = Field(min_length=1)
    as_of: dt.date = Field(description="the day someone last checked the claim against its sources")
    published: dt.date | None = Field(
        default=None, description="when the fact itself appeared, where that date matters"
    )
    confidence: Confidence
    family: FamilyId | None = Field(
        default=None,
        description="rules resting on the same underlying fact share a family; on one "
        "candidate's criterion only the strongest member counts",
    )


class DeploymentPath(Strict):
    id: RuleId
    target: SnakeId = Field(description="a choice of the deployment_targets question")
    candidate: SnakeId = Field(description="the framework the model is written and trained in")
    kind: Literal["native", "hybrid"]
    preference: int = Field(
        ge=1,
        le=9,
        description="1 is best among paths for the same target; guarded paths (with a when that holds) rank before unguarded ones",
    )
    steps: list[Text] = Field(min_length=2)
    summary: Text
    when: Condition | None = None
    sources: list[Url] = Field(min_length=1)
    as_of: dt.date = Field(description="the day someone last checked the path against its sources")
    published: dt.date | None = Field(
        default=None, description="when the fact itself appeared, where that date matters"
    )
    confidence: Confidence


class CandidatesFile(Strict):
    schema_version: Literal[1]
    candidates: list[Candidate] = Field(min_length=2)
    default_comparison: list[SnakeId] | None = Field(
        default=None,
        min_length=2,
        description="the candidates compared when neither --candidates nor the answers file "
        "names any (default: all of them)",
    )


class CriteriaFile(Strict):
    schema_version: Literal[1]
    criteria: list[Criterion] = Field(min_length=1)


class QuestionsFile(Strict):
    schema_version: Literal[1]
    sections: list[Section] = Field(min_length=1)
    questions: list[Question] = Field(min_length=1)


class RulesFile(Strict):
    schema_version: Literal[1]
    rules: list[Rule] = Field(default_factory=list)


class PathsFile(Strict):
    schema_version: Literal[1]
    paths: list[DeploymentPath] = Field(default_factory=list)


class EffectUncertainty(Strict):
    spread: float = Field(ge=0, lt=1, description="a finding's points x U(1 - spread, 1 + spread)")
    absent: float = Field(ge=0, lt=1, description="probability that the fact does not hold")


class TierThreshold(Strict):
    min_share: float = Field(gt=0, le=1, description="the leader's share of first places")
    min_margin: float = Field(ge=0, description="normalized points (total / sum of weights)")


class VerdictThresholds(Strict):
    clear: TierThreshold
    leaning: TierThreshold

    @model_validator(mode="after")
    def _ordered(self) -> VerdictThresholds:
        if (self.leaning.min_share > self.clear.min_share) or (
            self.leaning.min_margin > self.clear.min_margin
        ):
            raise ValueError("leaning thresholds must not exceed clear ones")
        return self


class UncertaintyModel(Strict):
    """How uncertain the inputs of a score are; robustness samples all of them together."""

    weight_spread: float = Field(
        ge=0, lt=1, description="each criterion's weight x U(1 - spread, 1 + spread)"
    )
    effects: dict[Confidence, EffectUncertainty]
    evidence_sd_from_ci95: float = Field(
        gt=0, description="log-ratio standard deviation = half the log interval width / this"
    )
    verdict: VerdictThresholds

    @model_validator(mode="after")
    def _every_confidence(self) -> UncertaintyModel:
        missing = {"high", "medium", "low"} - set(self.effects)
        if missing:
            raise ValueError(f"effects needs every confidence level; missing {sorted(missing)}")
        return self


class UncertaintyFile(Strict):
    schema_version: Literal[1]
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

Tier = Literal["clear", "leaning", "close_call", "only_option", "all_vetoed"]


class RuleCase(Strict):
    name: Text
    answers: dict[str, Any] = Field(default_factory=dict)
    probe_facts: dict[str, Any] = Field(default_factory=dict)
    fires: list[RuleId] = Field(default_factory=list)
    not_fires: list[RuleId] = Field(default_factory=list)
    candidate: SnakeId | None = Field(
        default=None, description="the framework whose deployment paths the case checks"
    )
    applies: list[RuleId] = Field(
        default_factory=list,
        description="paths that apply: their target is among the answers and their `when` holds",
    )
    not_applies: list[RuleId] = Field(default_factory=list, description="paths that must not apply")
    chosen: list[RuleId] = Field(
        default_factory=list,
        description="paths recommended: the lowest preference among those that apply",
    )

    @model_validator(mode="after")
    def _paths_need_a_candidate(self) -> RuleCase:
        if (self.applies or self.not_applies or self.chosen) and self.candidate is None:
            raise ValueError("a case that checks paths names their candidate")
        return self


class Scenario(Strict):
    name: Text
    answers: dict[str, Any] = Field(default_factory=dict)
    probe_facts: dict[str, Any] = Field(default_factory=dict)
    winner: SnakeId | Literal["none"] = Field(
        description="expected winner, or 'none' for no clear winner"
    )
    min_margin: float = 0.0
    tier: Tier | None = Field(default=None, description="expected verdict strength, if checked")
    leader: SnakeId | None = Field(
        default=None, description="expected top-ranked candidate, clear or not, if checked"
    )
    findings: list[RuleId] = Field(default_factory=list)
    vetoed: list[SnakeId] = Field(default_factory=list)
    candidates: list[SnakeId] | None = Field(
        default=None, min_length=2, description="the candidates compared (default comparison)"
    )


class RuleTestFile(Strict):
    schema_version: Literal[1]
    cases: list[RuleCase] = Field(default_factory=list)
    scenarios: list[Scenario] = Field(default_factory=list)
