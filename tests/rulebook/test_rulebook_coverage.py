"""Every choice the questionnaire offers is read by a rule or a path, and the questionnaire
stays short for every example team (counted with the questionnaire's own plan code)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from fwadvisor.answers import load_answers
from fwadvisor.questionnaire.plan import State, build_plan, gated_sections
from fwadvisor.registry import DEPLOYMENT_TARGETS
from fwadvisor.rulebook.conditions import iter_leaves
from fwadvisor.rulebook.model import Rulebook

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = sorted((ROOT / "examples").glob("*.yaml"))

# Choices no rule needs to read, each with the reason it carries no framework fact.
UNREAD_BY_DESIGN: dict[tuple[str, str], str] = {
    ("time_to_market", "months"): "the middle deadline is the neutral default",
    ("primary_goal", "production"): "its facts are asked by the serving and deployment questions",
    ("workloads", "training"): "its facts are asked by training_scale and hardware",
    ("workloads", "batch_inference"): "batch inference runs wherever training runs",
    ("workloads", "online_inference"): "its facts are asked by latency_sensitive and existing_serving",
    ("execution_mode", "eager"): "eager is the default mode of both candidates",
    ("largest_model", "up_to_10b"): "mid-size models fit both stacks; over_10b is read",
    ("dev_os", "windows"): "its facts are asked by windows_native_gpu",
    ("deployment_targets", "none"): "not deployed: no path to plan",
    ("existing_codebase", "other"): "MXNet/Caffe/scikit-learn code ties to neither candidate",
    ("existing_codebase", "none"): "a fresh start: nothing to keep",
    ("existing_formats", "none"): "no shipped artifacts: nothing to keep",
    ("data_pipeline", "framework_neutral"): "neutral data ties to neither candidate",
    ("uses_huggingface", "none"): "no Hugging Face use: nothing to weigh",
    ("largest_model", "under_100m"): "small models fit every stack",
    ("cloud_providers", "azure"): "no framework-specific Azure fact found as of 2026-11-27",
    ("cloud_providers", "on_prem"): "own hardware is described by the hardware questions",
    ("cloud_providers", "undecided"): "undecided: nothing to weigh",
    ("dev_os", "linux"): "Linux supports both candidates fully",
    ("dev_os", "macos"): "Macs used only to write code carry no framework fact; Macs that train or serve are hardware=apple_silicon",
    ("team_size", "medium"): "size alone carries no framework fact; hiring is asked by hiring_planned",
    ("team_size", "large"): "size alone carries no framework fact; hiring is asked by hiring_planned",
    ("training_scale", "single_gpu"): "one accelerator fits every stack",
    ("existing_serving", "none"): "no serving stack: nothing to keep",
    ("existing_serving", "custom"): "own services load either framework's exports",
    ("domain_libraries", "none"): "no domain library: nothing to keep",
    ("future_plans", "none_planned"): "no change planned: nothing to weigh",
    ("llm_serving_engine", "undecided"): "undecided: nothing to weigh",
    ("quantization", "none"): "no quantization: nothing to weigh",
    ("serving_language", "python"): "Python is where both candidates live",
    ("tflite_flex_ops", "no"): "built-in ops only: the shipped models carry no Flex risk",
    ("edge_llm_runtime", "executorch"): "the general on-device LLM fact already describes ExecuTorch's route",
    ("edge_llm_runtime", "litert_lm"): "LiteRT-LM's pre-converted models tie to neither training framework beyond the general on-device LLM fact",
    ("edge_llm_runtime", "undecided"): "undecided: nothing to weigh",
    ("desktop_runtime", "undecided"): "undecided: nothing to weigh",
    ("served_model_size", "single_gpu"): "fits one GPU: the general LLM-serving rule applies as is",
}


def _leaf_values(value: Any) -> set[str]:
    if isinstance(value, list):
        return {v for v in value if isinstance(v, str)}
    return {value} if isinstance(value, str) else set()


def read_choices(book: Rulebook) -> set[tuple[str, str]]:
    """(question, choice) pairs that some rule or path condition names, plus path targets."""
    read: set[tuple[str, str]] = set()
    conditions = [r.when for r in book.rules] + [p.when for p in book.paths if p.when]
    for cond in conditions:
        for _, leaf in iter_leaves(cond):
            read |= {(leaf.fact, v) for v in _leaf_values(leaf.value)}
    targets = book.question_for(DEPLOYMENT_TARGETS)
    assert targets is not None
    read |= {(targets.id, p.target) for p in book.paths}
    return read


def test_every_choice_is_read_or_explained(book: Rulebook) -> None:
    read = read_choices(book)
    unread = [
        (q.id, c.value)
        for q in book.questions
        for c in q.choices
        if (q.id, c.value) not in read and (q.id, c.value) not in UNREAD_BY_DESIGN
    ]
    assert unread == [], "choices no rule or path reads; add a rule or remove the choice"


def test_the_whitelist_names_real_unread_choices(book: Rulebook) -> None:
    choices = {(q.id, c.value) for q in book.questions for c in q.choices}
    assert set(UNREAD_BY_DESIGN) <= choices
    assert set(UNREAD_BY_DESIGN) & read_choices(book) == set(), "whitelisted but read: drop them"


def questions_shown(book: Rulebook, example: Path) -> int:
    """Steps the questionnaire shows for this team taking defaults elsewhere, with the
    priorities gate closed (one step), computed by the questionnaire's own plan."""
    answers = load_answers(book, example, use_env=False).values
    state = State(answers=dict(answers), seen=set(answers))
    return len(build_plan(book, state, gated_sections(book)))


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.stem)
def test_questionnaire_stays_short(book: Rulebook, example: Path) -> None:
    assert questions_shown(book, example) <= 32


def test_every_rule_and_path_has_a_case_that_fires_and_one_that_does_not(book: Rulebook) -> None:
    """Per-rule and per-path cases in rules/tests: each fact is seen applying and not."""
    fires = {rid for c in book.cases for rid in c.fires}
    not_fires = {rid for c in book.cases for rid in c.not_fires}
    applies = {pid for c in book.cases for pid in (*c.applies, *c.chosen)}
    not_applies = {pid for c in book.cases for pid in c.not_applies}
    rules = {r.id for r in book.rules}
    paths = {p.id for p in book.paths}
    assert rules and paths
    assert sorted(rules - fires) == [] and sorted(rules - not_fires) == []
    assert sorted(paths - applies) == [] and sorted(paths - not_applies) == []


def test_every_fact_has_a_case_where_it_applies_and_one_where_it_does_not(
    book: Rulebook,
) -> None:
    """A fact applies when one of its rules fires. It is seen not applying in a case that names
    it in `not_facts`, or (a fact with one rule) names that rule in `not_fires`."""
    fires = {rid for c in book.cases for rid in c.fires}
    applies = {f for c in book.cases for f in c.facts}
    applies |= {book.rule_by_id[rid].fact for rid in fires}
    not_applies = {f for c in book.cases for f in c.not_facts}
    for c in book.cases:
        for rid in c.not_fires:
            fact = book.rule_by_id[rid].fact
            if {r.id for r in book.rules_of_fact[fact]} <= set(c.not_fires):
                not_applies.add(fact)
    facts = {f.id for f in book.facts}
    assert sorted(facts - applies) == [] and sorted(facts - not_applies) == []
