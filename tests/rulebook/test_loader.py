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
    assert "core.yaml:" in text and "facts[0].colour" in text and "unknown key" in text


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
    assert "facts[0].as_of" in text and "facts[0].sources" in text


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
    assert "core.yaml:13: rules[1].when.all[1].not.op:" in text


def test_published_is_optional_and_validated(mini_copy: Path) -> None:
    _edit(
        mini_copy / "rules" / "core.yaml",
        "    as_of: 2025-01-01\n",
        "    as_of: 2025-01-01\n    published: 2024-06-01\n",
    )
    book = load_rulebook(mini_copy)
    assert str(book.rule_by_id["research-eager"].published) == "2024-06-01"
    assert str(book.fact_by_id["research-eager"].published) == "2024-06-01"
    _edit(mini_copy / "rules" / "core.yaml", "published: 2024-06-01", "published: June")
    assert "facts[0].published" in _problems(mini_copy)


def test_family_is_no_longer_read(mini_copy: Path) -> None:
    """Families are retired: one fact, several rules with their exposure."""
    _edit(mini_copy / "rules" / "core.yaml", "    exposure: core\n", "    exposure: core\n    family: x\n")
    assert "rules[0].family: unknown key" in _problems(mini_copy)


def test_a_format_1_rule_file_gets_one_message(mini_copy: Path) -> None:
    (mini_copy / "rules" / "core.yaml").write_text(
        "schema_version: 1\nrules:\n  - id: x\n    family: y\n"
    )
    text = _problems(mini_copy)
    assert "core.yaml:1: schema_version" in text and "format 2" in text
    assert "unknown key" not in text


def test_rule_names_an_unknown_fact(mini_copy: Path) -> None:
    _edit(mini_copy / "rules" / "core.yaml", "    fact: research-eager\n", "    fact: research-eagre\n")
    text = _problems(mini_copy)
    assert "core.yaml:4: rules[0].fact: unknown fact 'research-eagre'" in text
    assert "did you mean 'research-eager'" in text


def test_exposure_is_a_level_or_a_number_in_0_1(mini_copy: Path) -> None:
    core = mini_copy / "rules" / "core.yaml"
    text = core.read_text()
    core.write_text(text.replace("exposure: core", "exposure: major", 1))
    assert load_rulebook(mini_copy).rule_by_id["research-eager"].exposure == 0.7
    core.write_text(text.replace("exposure: core", "exposure: 0.3", 1))
    rule = load_rulebook(mini_copy).rule_by_id["research-eager"]
    assert rule.exposure == 0.3 and rule.effects.scores[0].delta == 2 * 0.3
    for bad in ("1.5", "0", "strong"):
        core.write_text(text.replace("exposure: core", f"exposure: {bad}", 1))
        assert "rules[0].exposure" in _problems(mini_copy)


def test_a_veto_holds_only_at_exposure_1(mini_copy: Path) -> None:
    core = mini_copy / "rules" / "core.yaml"
    text = core.read_text()
    core.write_text(text.replace("fact: jax-no-mobile\n    exposure: core", "fact: jax-no-mobile\n    exposure: major"))
    assert "dead rule: fact 'jax-no-mobile' only vetoes" in _problems(mini_copy)
