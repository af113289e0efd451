from __future__ import annotations

from pathlib import Path

import pytest

from fwadvisor.errors import RulebookError
from fwadvisor.rulebook.loader import load_rulebook
from fwadvisor.rulebook.model import Rulebook


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))


def _problems(rules: Path) -> str:
    with pytest.raises(RulebookError) as info:
        load_rulebook(rules)
    return info.value.render()


def test_mini_rulebook_loads(mini: Rulebook) -> None:
    assert [c.id for c in mini.candidates] == ["pytorch", "tensorflow", "jax"]
    assert len(mini.rules) == 5
    assert mini.content_hash.startswith("sha256:")
    assert mini.rules_by_fact["primary_goal"] == (0, 1)
    assert mini.as_of_range[0] is not None


def test_unknown_key_names_file_line_and_field(mini_copy: Path) -> None:
    _edit(
        mini_copy / "rules" / "core.yaml",
        "    confidence: high\n",
        "    confidence: high\n    colour: red\n",
    )
    text = _problems(mini_copy)
    assert "core.yaml:" in text and "rules[0].colour" in text and "unknown key" in text


def test_unknown_fact_has_did_you_mean(mini_copy: Path) -> None:
    _edit(
        mini_copy / "rules" / "core.yaml",
        "fact: primary_goal, op: in",
        "fact: primary_gaol, op: in",
    )
    text = _problems(mini_copy)
    assert "unknown fact 'primary_gaol'" in text and "did you mean 'primary_goal'" in text
    assert "core.yaml:6: rules[0].when.fact:" in text


def test_unknown_choice_value_has_did_you_mean(mini_copy: Path) -> None:
    _edit(mini_copy / "rules" / "core.yaml", "value: mobile_android}", "value: mobile_andriod}")
    text = _problems(mini_copy)
    assert "'mobile_andriod' is not a choice" in text and "did you mean 'mobile_android'" in text


def test_operator_must_fit_the_fact(mini_copy: Path) -> None:
    _edit(
        mini_copy / "rules" / "core.yaml",
        "op: contains, value: mobile_android",
        "op: eq, value: mobile_android",
    )
    assert "does not apply to multiple-choice" in _problems(mini_copy)


def test_duplicate_rule_id_across_files(mini_copy: Path) -> None:
    (mini_copy / "rules" / "more.yaml").write_text((mini_copy / "rules" / "core.yaml").read_text())
    text = _problems(mini_copy)
    assert "duplicate rule id 'research-eager'" in text and "first defined at" in text


def test_unknown_candidate_and_criterion_in_effects(mini_copy: Path) -> None:
    _edit(
        mini_copy / "rules" / "core.yaml",
        "candidate: pytorch, criterion: research_flexibility",
        "candidate: pytroch, criterion: research_flex",
    )
    text = _problems(mini_copy)
    assert "unknown candidate 'pytroch'" in text and "unknown criterion 'research_flex'" in text


def test_missing_source_and_bad_date(mini_copy: Path) -> None:
    _edit(mini_copy / "rules" / "core.yaml", "as_of: 2025-01-01", "as_of: someday")
    _edit(mini_copy / "rules" / "core.yaml", "sources: [https://pytorch.org]", "sources: []")
    text = _problems(mini_copy)
    assert "rules[0].as_of" in text and "rules[0].sources" in text


def test_ask_if_may_only_look_back(mini_copy: Path) -> None:
    _edit(
        mini_copy / "questions.yaml",
        "ask_if: {fact: primary_goal, op: in, value: [production, both]}",
        "ask_if: {fact: team_size, op: gt, value: 3}",
    )
    assert "unknown fact 'team_size'" in _problems(mini_copy)


def test_bad_default_is_reported(mini_copy: Path) -> None:
    _edit(mini_copy / "questions.yaml", "default: [cloud_gpu]", "default: [gpu]")
    assert "questions[2].default" in _problems(mini_copy)


def test_rule_test_refers_to_unknown_rule(mini_copy: Path) -> None:
    _edit(mini_copy / "tests" / "cases.yaml", "fires: [research-eager]", "fires: [research-eagre]")
    assert "unknown rule 'research-eagre'" in _problems(mini_copy)


def test_non_yaml_rule_file(mini_copy: Path) -> None:
    (mini_copy / "rules" / "broken.yaml").write_text("rules: [\n  - id: x\n")
    assert "broken.yaml" in _problems(mini_copy)


def test_missing_directory(tmp_path: Path) -> None:
    assert "rules directory not found" in _problems(tmp_path / "nope")


def test_all_problems_reported_at_once(mini_copy: Path) -> None:
    _edit(mini_copy / "rules" / "core.yaml", "fact: primary_goal, op: in", "fact: nope, op: in")
    _edit(mini_copy / "paths.yaml", "target: browser", "target: brwoser")
    text = _problems(mini_copy)
    assert "unknown fact 'nope'" in text and "unknown deployment target 'brwoser'" in text


def test_paths_need_distinct_preferences(mini_copy: Path) -> None:
    _edit(mini_copy / "paths.yaml", "    preference: 2\n", "    preference: 1\n")
    assert "also given to path 'tf-browser-onnx'" in _problems(mini_copy)


def test_condition_errors_name_the_field_as_written(mini_copy: Path) -> None:
    _edit(mini_copy / "rules" / "core.yaml", "- not: {fact: primary_goal, op: eq, value: research}",
          "- not: {fact: primary_goal, op: equals, value: research}")
    text = _problems(mini_copy)
    assert "core.yaml:20: rules[1].when.all[1].not.op:" in text


def test_family_and_published_are_optional_and_validated(mini_copy: Path) -> None:
    _edit(
        mini_copy / "rules" / "core.yaml",
        "    as_of: 2025-01-01\n",
        "    as_of: 2025-01-01\n    published: 2024-06-01\n    family: research-style\n",
    )
    book = load_rulebook(mini_copy)
    rule = book.rule_by_id["research-eager"]
    assert rule.family == "research-style" and str(rule.published) == "2024-06-01"
    assert all(r.family is None for r in book.rules if r.id != "research-eager")
    _edit(mini_copy / "rules" / "core.yaml", "family: research-style", "family: Research_Style")
    text = _problems(mini_copy)
    assert "core.yaml:" in text and "family" in text
