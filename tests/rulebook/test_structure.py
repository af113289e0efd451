"""`rules validate` checks the rulebook's structure: dead rules and facts, rules that apply with
nothing answered, one fact written twice, and questions that change nothing. Each check is
shown failing on a small rulebook with the defect, with file and line."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest
import yaml

from fwadvisor.errors import Problem
from fwadvisor.rulebook.loader import load_rulebook
from fwadvisor.rulebook.model import Rulebook
from fwadvisor.rulebook.structure import structure_problems, undecided
from tests.cli_run import cli


def _edit(root: Path, edit: Any) -> Rulebook:
    path = root / "rules" / "core.yaml"
    data = yaml.safe_load(path.read_text())
    edit(data["rules"], data["facts"])
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    return load_rulebook(root)


def _by_id(items: list[dict[str, Any]], ident: str) -> dict[str, Any]:
    return next(x for x in items if x["id"] == ident)


def _text(problems: list[Problem]) -> str:
    return "\n".join(p.render() for p in problems)


def _drop_from_tests(root: Path, rule_id: str) -> None:
    """Remove a rule id from the mini rule cases and scenarios."""
    path = root / "tests" / "cases.yaml"
    data = yaml.safe_load(path.read_text())
    for item in [*data.get("cases", []), *data.get("scenarios", [])]:
        for key in ("fires", "not_fires", "findings"):
            if rule_id in item.get(key, []):
                item[key].remove(rule_id)
    path.write_text(yaml.safe_dump(data, sort_keys=False))


def test_the_mini_rulebook_is_sound(mini: Rulebook) -> None:
    assert _text(structure_problems(mini)) == ""


def test_the_builtin_rulebook_is_sound(book: Rulebook) -> None:
    assert _text(structure_problems(book)) == ""
    assert undecided(book) == []


def test_validate_is_fast_on_the_builtin_rulebook(book: Rulebook) -> None:
    """The structural checks stay well under a second on the built-in rulebook (about 0.3 s
    on a quiet machine); the bound is loose because test machines are shared."""
    start = time.perf_counter()
    structure_problems(book)
    assert time.perf_counter() - start < 5.0


def test_a_rule_implied_by_a_stronger_exposure_is_dead(mini_copy: Path) -> None:
    def edit(rules: list[dict[str, Any]], facts: list[dict[str, Any]]) -> None:
        rules.append(
            {
                "id": "research-only-weak",
                "fact": "research-eager",
                "exposure": "some",
                "when": {"fact": "primary_goal", "op": "eq", "value": "research"},
            }
        )

    text = _text(structure_problems(_edit(mini_copy, edit)))
    assert "core.yaml:" in text and "rules[5].when" in text
    assert "dead rule 'research-only-weak'" in text and "research-eager" in text


def test_the_same_rule_at_a_stronger_exposure_is_alive(mini_copy: Path) -> None:
    def edit(rules: list[dict[str, Any]], facts: list[dict[str, Any]]) -> None:
        _by_id(rules, "research-eager")["exposure"] = "some"
        rules.append(
            {
                "id": "research-only-core",
                "fact": "research-eager",
                "exposure": "core",
                "when": {"fact": "primary_goal", "op": "eq", "value": "research"},
            }
        )

    assert _text(structure_problems(_edit(mini_copy, edit))) == ""


def test_a_condition_no_answers_satisfy_is_dead(mini_copy: Path) -> None:
    def edit(rules: list[dict[str, Any]], facts: list[dict[str, Any]]) -> None:
        _by_id(rules, "android-executorch")["when"] = {
            "all": [
                {"fact": "primary_goal", "op": "eq", "value": "research"},
                {"fact": "primary_goal", "op": "eq", "value": "production"},
            ]
        }

    text = _text(structure_problems(_edit(mini_copy, edit)))
    assert "dead rule 'android-executorch'" in text and "no answers make its condition hold" in text


def test_skip_logic_is_respected(mini_copy: Path) -> None:
    """existing_tf is asked only of production teams: a rule needing it with research is dead."""

    def edit(rules: list[dict[str, Any]], facts: list[dict[str, Any]]) -> None:
        _by_id(rules, "android-executorch")["when"] = {
            "all": [
                {"fact": "primary_goal", "op": "eq", "value": "research"},
                {"fact": "existing_tf", "op": "eq", "value": True},
            ]
        }

    assert "dead rule 'android-executorch'" in _text(structure_problems(_edit(mini_copy, edit)))


def test_a_fact_no_rule_applies_is_dead(mini_copy: Path) -> None:
    _drop_from_tests(mini_copy, "gpu-probe")

    def edit(rules: list[dict[str, Any]], facts: list[dict[str, Any]]) -> None:
        rules.remove(_by_id(rules, "gpu-probe"))
        facts.append({**_by_id(facts, "gpu-probe")})
        facts.remove(_by_id(facts, "gpu-probe"))

    text = _text(structure_problems(_edit(mini_copy, edit)))
    assert "dead fact 'gpu-probe': no rule applies it" in text and "facts[4].id" in text


def test_a_rule_applying_with_nothing_answered_must_say_why(mini_copy: Path) -> None:
    def edit(rules: list[dict[str, Any]], facts: list[dict[str, Any]]) -> None:
        _by_id(rules, "android-executorch")["when"] = {
            "fact": "deployment_targets",
            "op": "contains",
            "value": "cloud_gpu",  # the question's default
        }

    book = _edit(mini_copy, edit)
    text = _text(structure_problems(book))
    assert "'android-executorch' applies when nothing is answered" in text
    assert "applies_by_default" in text

    def flagged(rules: list[dict[str, Any]], facts: list[dict[str, Any]]) -> None:
        _by_id(rules, "android-executorch")["applies_by_default"] = "cloud GPUs are the default"

    assert _text(structure_problems(_edit(mini_copy, flagged))) == ""


def test_applies_by_default_on_a_rule_that_does_not_is_refused(mini_copy: Path) -> None:
    def edit(rules: list[dict[str, Any]], facts: list[dict[str, Any]]) -> None:
        _by_id(rules, "android-executorch")["applies_by_default"] = "it does not, though"

    text = _text(structure_problems(_edit(mini_copy, edit)))
    assert "says it applies by default, but it does not" in text


def test_the_same_claim_twice_is_refused(mini_copy: Path) -> None:
    def edit(rules: list[dict[str, Any]], facts: list[dict[str, Any]]) -> None:
        twin = {**_by_id(facts, "research-eager"), "id": "research-eager-twin"}
        twin["claim"] = "Research favours EAGER frameworks."
        twin["sources"] = ["https://example.org/other"]
        facts.append(twin)
        rules.append(
            {**_by_id(rules, "research-eager"), "id": "twin", "fact": "research-eager-twin"}
        )

    text = _text(structure_problems(_edit(mini_copy, edit)))
    assert "'research-eager-twin' states the same claim as fact 'research-eager'" in text


def test_the_same_sources_moving_the_same_score_are_refused(mini_copy: Path) -> None:
    def edit(rules: list[dict[str, Any]], facts: list[dict[str, Any]]) -> None:
        twin = {**_by_id(facts, "research-eager"), "id": "research-eager-twin"}
        twin["claim"] = "Papers ship PyTorch code"
        facts.append(twin)
        rules.append(
            {**_by_id(rules, "research-eager"), "id": "twin", "fact": "research-eager-twin"}
        )

    text = _text(structure_problems(_edit(mini_copy, edit)))
    assert "cites exactly the sources of fact 'research-eager'" in text
    assert "pytorch research_flexibility" in text


def test_the_same_sources_for_unrelated_effects_are_allowed(mini_copy: Path) -> None:
    def edit(rules: list[dict[str, Any]], facts: list[dict[str, Any]]) -> None:
        _by_id(facts, "android-executorch")["sources"] = ["https://pytorch.org"]

    assert _text(structure_problems(_edit(mini_copy, edit))) == ""


def test_a_question_nothing_reads_is_refused(mini_copy: Path) -> None:
    """The issue's `llm_serving_engine` case: read only by a rule that can never count."""
    _drop_from_tests(mini_copy, "tf-serving-estate")

    def edit(rules: list[dict[str, Any]], facts: list[dict[str, Any]]) -> None:
        gpu = _by_id(rules, "gpu-probe")
        gpu["when"] = {
            "all": [*gpu["when"]["all"], {"fact": "existing_tf", "op": "eq", "value": True}]
        }
        gpu["exposure"] = "some"
        # existing_tf now only narrows a rule whose fact a broader rule always carries
        rules.append(
            {
                **gpu,
                "id": "gpu-probe-broad",
                "exposure": "core",
                "when": {"fact": "probe.gpu_present", "op": "eq", "value": True},
            }
        )
        rules.remove(_by_id(rules, "tf-serving-estate"))
        facts.remove(_by_id(facts, "tf-serving-estate"))

    text = _text(structure_problems(_edit(mini_copy, edit)))
    assert "dead rule 'gpu-probe'" in text
    assert "question 'existing_tf' changes no score, no path and no advice" in text
    assert "questions.yaml:" in text


def test_cli_validate_reports_structure_with_exit_2(
    mini_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    def edit(rules: list[dict[str, Any]], facts: list[dict[str, Any]]) -> None:
        _by_id(rules, "android-executorch")["applies_by_default"] = "it does not, though"

    _edit(mini_copy, edit)
    code, _, err = cli(capsys, "rules", "validate", "--rules", str(mini_copy))
    assert code == 2 and "core.yaml:" in err and "applies_by_default" in err
    code, _, _ = cli(capsys, "rules", "validate", "--rules", str(mini_copy.parent / "nope"))
    assert code == 2


def test_rules_show_a_fact_lists_the_rules_that_apply_it(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, err = cli(capsys, "rules", "show", "hf-stack-pytorch-only")
    assert code == 0, err
    shown = yaml.safe_load(out)
    assert shown["claim"] and shown["effects"]["scores"]
    assert {"eco-hf-core-pytorch-only", "multimodal-transformers-pytorch"} <= set(shown["rules"])
    code, out, err = cli(capsys, "rules", "show", "multimodal-transformers-pytorch")
    assert code == 0, err
    rule = yaml.safe_load(out)
    assert rule["fact"] == "hf-stack-pytorch-only" and rule["exposure"] == 0.7
