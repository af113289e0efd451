"""Schema of the rulebook files (rules/*.yaml). Unknown keys are rejected everywhere.

Files:
  candidates.yaml  the frameworks that can be recommended
  criteria.yaml    what they are scored on, with default weights
  questions.yaml   the questionnaire (sections and questions, skip logic)
  paths.yaml       deployment toolchains per target and framework
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

    @model_validator(mode="after")
    def _not_empty(self) -> Effects:
        if not (self.scores or self.weights or self.vetoes):
            raise ValueError("a rule needs at least one effect (scores, weights or vetoes)")
        return self


class Rule(Strict):
    id: RuleId
    title: Text
    area: SnakeId
    when: Condition
    effects: Effects
    rationale: Annotated[str, StringConstraints(min_length=20, max_length=4000)]
    sources: list[Url] = Field(min_length=1)
    as_of: dt.date
    confidence: Confidence


class DeploymentPath(Strict):
    id: RuleId
    target: SnakeId = Field(description="a choice of the deployment_targets question")
    candidate: SnakeId = Field(description="the framework the model is written and trained in")
    kind: Literal["native", "hybrid"]
    preference: int = Field(ge=1, le=9, description="1 is best among paths for the same target")
    steps: list[Text] = Field(min_length=2)
    summary: Text
    when: Condition | None = None
    sources: list[Url] = Field(min_length=1)
    as_of: dt.date
    confidence: Confidence


class CandidatesFile(Strict):
    schema_version: Literal[1]
    candidates: list[Candidate] = Field(min_length=2)


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


class RuleCase(Strict):
    name: Text
    answers: dict[str, Any] = Field(default_factory=dict)
    probe_facts: dict[str, Any] = Field(default_factory=dict)
    fires: list[RuleId] = Field(default_factory=list)
    not_fires: list[RuleId] = Field(default_factory=list)


class Scenario(Strict):
    name: Text
    answers: dict[str, Any] = Field(default_factory=dict)
    probe_facts: dict[str, Any] = Field(default_factory=dict)
    winner: SnakeId | Literal["none"] = Field(
        description="expected winner, or 'none' for no clear winner"
    )
    min_margin: float = 0.0
    findings: list[RuleId] = Field(default_factory=list)
    vetoed: list[SnakeId] = Field(default_factory=list)


class RuleTestFile(Strict):
    schema_version: Literal[1]
    cases: list[RuleCase] = Field(default_factory=list)
    scenarios: list[Scenario] = Field(default_factory=list)
