"""Invariants of the built-in rulebook over random answer sets (hypothesis): a rule about
serving needs something to serve, a fact about serving on some hardware needs that hardware
among the serving hardware, and a fact counts once however many of its rules apply."""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fwadvisor.answers import GivenAnswer, resolve
from fwadvisor.rulebook.conditions import iter_leaves
from fwadvisor.rulebook.engine import fired_flags
from fwadvisor.rulebook.loader import load_rulebook
from fwadvisor.rulebook.model import Rulebook
from fwadvisor.rulebook.schema import Question, Rule
from fwadvisor.scoring.effects import counted_terms, terms_of

BOOK = load_rulebook()
SERVER_TARGETS = {"cloud_gpu", "cpu_server"}
SERVING_CRITERION = "production_serving"


def _value(q: Question) -> st.SearchStrategy[Any]:
    if q.kind == "single":
        return st.sampled_from(q.choice_values())
    if q.kind == "multi":
        return st.lists(st.sampled_from(q.choice_values()), min_size=1, unique=True)
    if q.kind == "bool":
        return st.booleans()
    if q.kind in ("scale", "number") and q.bounds:
        lo, hi = q.bounds
        return st.integers(int(lo), int(hi))
    if q.kind == "number":
        return st.integers(1, 500)
    return st.just("a project")


@st.composite
def teams(
    draw: st.DrawFn, fixed: dict[str, st.SearchStrategy[Any]] | None = None
) -> dict[str, Any]:
    """Facts the engine sees for a random team: each question answered or left to its
    default (those in `fixed` always answered from their strategy), then validated,
    defaulted and skip-filtered as for a real answers file."""
    fixed = fixed or {}
    given = {}
    for q in BOOK.questions:
        if q.id in fixed:
            given[q.id] = GivenAnswer(value=draw(fixed[q.id]), origin="hypothesis")
        elif draw(st.booleans()):
            given[q.id] = GivenAnswer(value=draw(_value(q)), origin="hypothesis")
    return dict(resolve(BOOK, given, strict=False).values)


def _some_of(values: list[str], always: str | None = None) -> st.SearchStrategy[list[str]]:
    return st.lists(st.sampled_from(values), min_size=1, unique=True).map(
        lambda xs: sorted({*xs, always} if always else set(xs))
    )


def _choices(qid: str, *without: str) -> list[str]:
    return [c for c in BOOK.question_by_id[qid].choice_values() if c not in without]


# Teams that train on TPUs and serve elsewhere, targeting servers (so the question is asked).
TPU_TRAINERS = teams(
    {
        "hardware": _some_of(_choices("hardware"), always="google_tpu"),
        "deployment_targets": _some_of(sorted(SERVER_TARGETS)),
        "inference_hardware": _some_of(
            _choices("inference_hardware", "google_tpu", "same_as_training")
        ),
    }
)


def _fired(facts: dict[str, Any], book: Rulebook = BOOK) -> list[Rule]:
    return [r for r, f in zip(book.rules, fired_flags(book, facts), strict=True) if f]


def _favours_on_serving(rule: Rule) -> bool:
    """The rule moves the default comparison's candidates apart on production serving (a rule
    giving each the same points there prefers none)."""
    points = dict.fromkeys(BOOK.default_comparison or [c.id for c in BOOK.candidates], 0.0)
    for s in rule.effects.scores:
        if s.criterion == SERVING_CRITERION and s.candidate in points:
            points[s.candidate] += s.delta
    return len(set(points.values())) > 1


def _serves_on(facts: dict[str, Any], hardware: str) -> bool:
    """The team serves on this hardware: named as inference hardware, or serving on the
    training hardware and training on it."""
    inference = facts.get("inference_hardware") or []
    training = facts.get("hardware") or []
    return hardware in inference or ("same_as_training" in inference and hardware in training)


RELAXED = settings(
    max_examples=120,
    deadline=None,
    derandomize=True,  # the same teams on every run: a failure here is never luck
    suppress_health_check=[HealthCheck.too_slow],
)

# Serving facts that hold for a team with a serving estate of its own even when it plans no
# new server deployment (its estate is what it serves from): the serving stacks it runs, and
# the artifacts it already holds (rules that read `existing_formats`: SavedModels, TensorRT
# engines, TorchScript files are served somewhere today).
ESTATE_RULES = {"serving-existing-tf-serving", "serving-existing-tfx", "serving-existing-vllm"}
ESTATE_FACTS = {"existing_formats"}


def _reads_estate(rule: Rule) -> bool:
    return any(leaf.fact in ESTATE_FACTS for _, leaf in iter_leaves(rule.when))


@RELAXED
@given(teams())
def test_no_serving_preference_without_a_serving_target(facts: dict[str, Any]) -> None:
    targets = set(facts.get("deployment_targets") or [])
    if targets & SERVER_TARGETS:
        return
    serving = [
        r.id
        for r in _fired(facts)
        if _favours_on_serving(r) and r.id not in ESTATE_RULES and not _reads_estate(r)
    ]
    assert serving == [], f"serving rules fired for targets {sorted(targets)}"


# fact -> the hardware it is about serving on
SERVING_HARDWARE_FACTS = {"jax-llm-serving-tpu": "google_tpu"}


@RELAXED
@given(TPU_TRAINERS)
def test_no_tpu_serving_fact_fires_when_tpus_only_train(facts: dict[str, Any]) -> None:
    assert "google_tpu" in facts["hardware"] and not _serves_on(facts, "google_tpu")
    for rule in _fired(facts):
        hardware = SERVING_HARDWARE_FACTS.get(rule.fact)
        if hardware is not None:
            assert _serves_on(facts, hardware), (
                f"{rule.id} fired, but serving is on {facts.get('inference_hardware')} "
                f"with training on {facts.get('hardware')}"
            )


# Rules about a serving fleet of accelerators -> the accelerator. A fleet needs GPU servers
# among the targets: accelerators named beside CPU servers, devices or desktop apps run on
# workstations or boards.
FLEET_RULES = {
    "infer-nvidia-tensorrt": "nvidia_gpu",
    "infer-amd-gpu-fleet": "amd_gpu",
    "infer-intel-gaudi-or-gpu": "intel_gaudi",
}

# Teams that name serving accelerators, with any mix of targets (so some have no GPU servers).
ACCELERATOR_SERVERS = teams(
    {
        "deployment_targets": _some_of(_choices("deployment_targets", "none")),
        "inference_hardware": _some_of(
            _choices("inference_hardware", "cpu"), always=sorted(set(FLEET_RULES.values()))[0]
        ),
    }
)


@RELAXED
@given(ACCELERATOR_SERVERS)
def test_serving_fleet_rules_need_gpu_servers_and_their_accelerator(
    facts: dict[str, Any],
) -> None:
    targets = set(facts.get("deployment_targets") or [])
    for rule in _fired(facts):
        hardware = FLEET_RULES.get(rule.id)
        if hardware is not None:
            assert "cloud_gpu" in targets, f"{rule.id} fired for targets {sorted(targets)}"
            assert _serves_on(facts, hardware), (
                f"{rule.id} fired, but serving is on {facts.get('inference_hardware')} "
                f"with training on {facts.get('hardware')}"
            )


@pytest.mark.parametrize("rule", sorted(FLEET_RULES))
def test_the_named_fleet_rules_exist(rule: str) -> None:
    assert rule in BOOK.rule_by_id


@RELAXED
@given(teams())
def test_a_fact_counts_once_at_its_strongest_exposure(facts: dict[str, Any]) -> None:
    fired = _fired(facts)
    scores, _ = terms_of(fired)
    counted = [scores[i] for i in counted_terms(scores)]
    keys = Counter((t.fact, t.candidate, t.criterion) for t in counted)
    assert max(keys.values(), default=1) == 1
    for t in counted:  # the counted rule is the strongest applying exposure of its fact
        strongest = max(r.exposure for r in fired if r.fact == t.fact)
        assert next(r for r in fired if r.id == t.rule_id).exposure == strongest


@pytest.mark.parametrize("fact", sorted(SERVING_HARDWARE_FACTS))
def test_the_named_serving_facts_exist(fact: str) -> None:
    assert fact in BOOK.fact_by_id
