"""The pipeline builds probe evidence from the answers, and rebuilds it for counterfactuals."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import Any

from fwadvisor.answers import GivenAnswer, resolve
from fwadvisor.models import EvidenceResult
from fwadvisor.pipeline import AdviceOptions, advise, evidence_for, path_evidence_for, rescorer
from fwadvisor.rulebook.engine import evaluate
from fwadvisor.rulebook.model import Rulebook
from tests.measurements.helpers import eager_pytorch_graph_tensorflow

MEASURED = "measured_performance"


def _answers(book: Rulebook, mode: str) -> dict[str, Any]:
    given = {
        "primary_goal": "both",
        "workloads": ["training"],
        "execution_mode": mode,
        "deployment_targets": ["cloud_gpu"],
    }
    return resolve(book, {k: GivenAnswer(value=v, origin="test") for k, v in given.items()}).values


def test_changing_execution_mode_moves_the_measured_score(book: Rulebook) -> None:
    probes = [eager_pytorch_graph_tensorflow()]
    eager = _answers(book, "eager")
    evidence_of = evidence_for(book, probes)
    base = evidence_of(eager)
    facts = {**eager, **base.facts}
    flags = [o.fired for o in evaluate(book, facts)]
    rescore = rescorer(book, facts, flags, evidence_of, path_evidence_for(book, []))

    as_eager = rescore(eager)
    as_compiled = rescore({**eager, "execution_mode": "compiled"})

    assert as_eager.raw["pytorch"][MEASURED] > 0 == as_eager.raw["tensorflow"][MEASURED]
    assert as_compiled.raw["tensorflow"][MEASURED] > 0 == as_compiled.raw["pytorch"][MEASURED]
    assert base.facts["probe.faster_training"] == "pytorch"


def test_counterfactuals_ask_for_the_evidence_of_each_changed_answer(book: Rulebook) -> None:
    probes = [eager_pytorch_graph_tensorflow()]
    real = evidence_for(book, probes)
    modes_asked: list[Any] = []

    def spy(values: Mapping[str, Any]) -> EvidenceResult:
        modes_asked.append(values.get("execution_mode"))
        return real(values)

    resolved = resolve(
        book, {k: GivenAnswer(value=v, origin="test") for k, v in _answers(book, "eager").items()}
    )
    rec = advise(book, resolved, probes, AdviceOptions(samples=50), evidence=spy)
    assert modes_asked[0] == "eager"
    assert {"compiled", "unsure"} <= set(modes_asked[1:])
    assert rec.evidence and rec.evidence[0].by_candidate["pytorch"].mode == "eager"


def test_a_change_that_fires_the_same_rules_reuses_a_state_by_value(book: Rulebook) -> None:
    """Reuse is keyed on the weights, evidence points and vetoes themselves: equal evidence
    built afresh is reused; other points are not (whatever objects the callbacks return)."""
    probes = [eager_pytorch_graph_tensorflow()]
    real = evidence_for(book, probes)
    eager = _answers(book, "eager")
    base = real(eager)
    facts = {**eager, **base.facts}
    flags = [o.fired for o in evaluate(book, facts)]
    scaled = {"on": False}

    def fresh_copy(values: Mapping[str, Any]) -> EvidenceResult:
        found = real(values)
        factor = 2.0 if scaled["on"] else 1.0
        points = {k: v * factor for k, v in found.points.items()}
        return dataclasses.replace(found, points=points)  # never the same object twice

    rescore = rescorer(book, facts, flags, fresh_copy, path_evidence_for(book, []))
    first = rescore(eager)
    assert rescore(dict(eager)) is first
    scaled["on"] = True
    doubled = rescore(dict(eager))
    assert doubled is not first
    assert doubled.raw["pytorch"][MEASURED] != first.raw["pytorch"][MEASURED]
