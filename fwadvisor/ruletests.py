"""Run the rulebook's own tests: per-rule cases and whole scenarios."""

from __future__ import annotations

import dataclasses

from fwadvisor.answers import GivenAnswer, resolve
from fwadvisor.errors import FwAdvisorError
from fwadvisor.models import EvidenceResult, Recommendation
from fwadvisor.pipeline import AdviceOptions, advise, fixed_evidence
from fwadvisor.records import Record, record
from fwadvisor.rulebook.engine import fired_flags
from fwadvisor.rulebook.model import Rulebook
from fwadvisor.rulebook.paths import applicable, chosen_targets, plan_paths
from fwadvisor.rulebook.schema import RuleCase, Scenario


@record
class TestOutcome(Record):
    """One rule case or scenario, and how it failed (if it did)."""

    kind: str  # case | scenario
    name: str
    failures: tuple[str, ...]

    @property
    def ok(self) -> bool:
        return not self.failures


def _given(answers: dict[str, object]) -> dict[str, GivenAnswer]:
    return {k: GivenAnswer(value=v, origin="test") for k, v in answers.items()}


def run_case(rulebook: Rulebook, case: RuleCase) -> TestOutcome:
    try:
        resolved = resolve(rulebook, _given(case.answers))
    except FwAdvisorError as exc:
        return TestOutcome(
            kind="case", name=case.name, failures=(f"answers invalid: {exc.render()}",)
        )
    facts = {**resolved.values, **case.probe_facts}
    fired = {r.id for r, f in zip(rulebook.rules, fired_flags(rulebook, facts), strict=True) if f}
    failures = [f"expected {rid} to fire" for rid in case.fires if rid not in fired]
    failures += [f"expected {rid} not to fire" for rid in case.not_fires if rid in fired]
    applied = {rulebook.rule_by_id[rid].fact for rid in fired}
    failures += [f"expected fact {fid} to apply" for fid in case.facts if fid not in applied]
    failures += [f"expected fact {fid} not to apply" for fid in case.not_facts if fid in applied]
    if case.candidate is not None:
        cand = case.candidate
        applying = {
            p.id
            for t in chosen_targets(rulebook, facts)
            for p in applicable(rulebook, facts, cand, t)
        }
        chosen = {p.path_id for p in plan_paths(rulebook, facts, cand)[0]}
        failures += [f"expected path {pid} to apply" for pid in case.applies if pid not in applying]
        failures += [
            f"expected path {pid} not to apply" for pid in case.not_applies if pid in applying
        ]
        failures += [
            f"expected path {pid} to be chosen" for pid in case.chosen if pid not in chosen
        ]
    return TestOutcome(kind="case", name=case.name, failures=tuple(failures))


def run_scenario(rulebook: Rulebook, scenario: Scenario) -> TestOutcome:
    try:
        resolved = resolve(rulebook, _given(scenario.answers))
    except FwAdvisorError as exc:
        return TestOutcome(
            kind="scenario", name=scenario.name, failures=(f"answers invalid: {exc.render()}",)
        )
    if scenario.candidates:
        resolved = dataclasses.replace(resolved, candidates=tuple(scenario.candidates))
    evidence = fixed_evidence(EvidenceResult(facts=dict(scenario.probe_facts)))
    rec = advise(
        rulebook, resolved, options=AdviceOptions(counterfactuals=False), evidence=evidence
    )
    failures = []
    got = rec.winner or "none"
    if got != scenario.winner:
        failures.append(f"expected winner {scenario.winner}, got {got} ({rec.summary})")
    if scenario.winner != "none" and rec.margin < scenario.min_margin:
        failures.append(f"margin {rec.margin:.3f} below {scenario.min_margin}")
    if scenario.leader is not None and rec.leader != scenario.leader:
        failures.append(f"expected leader {scenario.leader}, got {rec.leader} ({rec.summary})")
    if scenario.tier is not None and rec.strength != scenario.tier:
        failures.append(f"expected tier {scenario.tier}, got {rec.strength} ({rec.summary})")
    fired = {f.rule_id for f in rec.findings}
    failures += [f"expected finding {rid}" for rid in scenario.findings if rid not in fired]
    counted = {f.fact for f in rec.findings if f.counted and not f.advice_only}
    failures += [f"expected fact {fid} to count" for fid in scenario.facts if fid not in counted]
    top = top_facts(rec)
    failures += [
        f"expected fact {fid} among the top three ({', '.join(top)})"
        for fid in scenario.top_facts
        if fid not in top
    ]
    vetoed = {v.candidate for v in rec.vetoes}
    failures += [f"expected {c} vetoed" for c in scenario.vetoed if c not in vetoed]
    return TestOutcome(kind="scenario", name=scenario.name, failures=tuple(failures))


def top_facts(rec: Recommendation, n: int = 3) -> list[str]:
    """The n facts that moved the lead most (by their counted finding's impact), vetoes first."""
    ranked: list[str] = []
    findings = sorted(rec.findings, key=lambda f: (not f.vetoes, -abs(f.impact)))
    for f in findings:
        fact = f.fact or f.rule_id
        if (f.vetoes or f.impact) and fact not in ranked:
            ranked.append(fact)
    return ranked[:n]


def run_all(rulebook: Rulebook) -> list[TestOutcome]:
    return [run_case(rulebook, c) for c in rulebook.cases] + [
        run_scenario(rulebook, s) for s in rulebook.scenarios
    ]
