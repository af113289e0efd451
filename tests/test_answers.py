from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from fwadvisor.answers import (
    GivenAnswer,
    answers_from_env,
    load_answers,
    parse_assignments,
    plain_answers_file,
    resolve,
)
from fwadvisor.errors import AnswersError, InputFileError
from fwadvisor.models import AnswersFile
from fwadvisor.records import validate as validate_record
from fwadvisor.rulebook.model import Rulebook


def g(**kw: object) -> dict[str, GivenAnswer]:
    return {k: GivenAnswer(value=v, origin="test") for k, v in kw.items()}


def test_defaults_and_skip_logic(mini: Rulebook) -> None:
    r = resolve(mini, g(primary_goal="research", existing_tf=True))
    assert r.values["deployment_targets"] == ["cloud_gpu"]
    assert r.origins["deployment_targets"] == "default"
    assert "existing_tf" not in r.values  # hidden: only asked for production teams
    assert "existing_tf" in r.ignored
    r2 = resolve(mini, g(primary_goal="production"))
    assert r2.values["existing_tf"] is False


def test_every_problem_is_reported_at_once(mini: Rulebook) -> None:
    with pytest.raises(AnswersError) as info:
        resolve(mini, g(primry_goal="research", deployment_targets=["moon"], team_size="many"))
    text = info.value.render()
    assert "primry_goal: unknown question id (did you mean 'primary_goal'?)" in text
    assert "deployment_targets: 'moon' is not a choice" in text
    assert "team_size: expected a number" in text
    assert "primary_goal: required question has no answer" in text


def test_lone_choice_for_multi_is_accepted(mini: Rulebook) -> None:
    r = resolve(mini, g(primary_goal="both", deployment_targets="browser"))
    assert r.values["deployment_targets"] == ["browser"]


def test_scale_bounds(mini: Rulebook) -> None:
    with pytest.raises(AnswersError, match="from 0 to 5"):
        resolve(mini, g(primary_goal="both", priority_research_flexibility=9))
    with pytest.raises(AnswersError, match="expected a number"):
        resolve(mini, g(primary_goal="both", priority_research_flexibility=True))


def test_set_assignments_are_typed(mini: Rulebook) -> None:
    given = parse_assignments(
        mini,
        [
            "primary_goal=production",
            "existing_tf=yes",
            "deployment_targets=browser, mobile_android",
            "team_size=12",
        ],
    )
    r = resolve(mini, given)
    assert r.values["existing_tf"] is True
    assert r.values["deployment_targets"] == ["browser", "mobile_android"]
    assert r.values["team_size"] == 12
    with pytest.raises(AnswersError, match="expected id=value"):
        parse_assignments(mini, ["primary_goal"])


def test_environment_answers(mini: Rulebook) -> None:
    given = answers_from_env(mini, {"FWADVISOR_ANSWER_PRIMARY_GOAL": "research", "PATH": "/bin"})
    assert given["primary_goal"].value == "research"


def test_answers_file_errors_name_file_and_line(mini: Rulebook, tmp_path: Path) -> None:
    f = tmp_path / "a.yaml"
    f.write_text("schema_version: 1\nanswers:\n  primary_goal: reserch\n")
    with pytest.raises(AnswersError) as info:
        load_answers(mini, f, use_env=False)
    p = info.value.problems[0]
    assert (p.file, p.line, p.field) == (str(f), 3, "primary_goal")
    assert "did you mean 'research'" in p.message


@pytest.mark.parametrize(
    ("text", "error", "needle"),
    [
        ("", InputFileError, "empty"),
        ("- a\n- b\n", InputFileError, "mapping"),
        ("schema_version: 2\nanswers: {}\n", AnswersError, "schema_version"),
        ("schema_version: 1\nanswers: [1]\n", AnswersError, "answers"),
        ("schema_version: 1\nanswer: {}\n", AnswersError, "unknown key"),
        ("answers: {primary_goal: [\n", InputFileError, "not valid YAML"),
    ],
)
def test_malformed_answers_files(
    mini: Rulebook, tmp_path: Path, text: str, error: type[Exception], needle: str
) -> None:
    f = tmp_path / "a.yaml"
    f.write_text(text)
    with pytest.raises(error, match=needle):
        load_answers(mini, f, use_env=False)


def test_json_answers_file(mini: Rulebook, tmp_path: Path) -> None:
    f = tmp_path / "a.json"
    f.write_text('{"schema_version": 1, "answers": {"primary_goal": "research"}}')
    assert load_answers(mini, f, use_env=False).values["primary_goal"] == "research"


def test_the_answers_file_is_read_once_for_answers_and_candidates(
    mini: Rulebook, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import fwadvisor.answers as answers_module

    f = tmp_path / "a.yaml"
    f.write_text(
        "schema_version: 1\ncandidates: [jax, pytorch]\nanswers: {primary_goal: research}\n"
    )
    read: list[Path] = []
    real = answers_module.load_document

    def counting(path: Path, what: str = "file") -> Any:
        read.append(path)
        return real(path, what)

    monkeypatch.setattr(answers_module, "load_document", counting)
    resolved = load_answers(mini, f, use_env=False)
    assert read == [f]
    assert resolved.candidates == ("jax", "pytorch")
    assert resolved.values["primary_goal"] == "research"


def test_digest_is_stable(mini: Rulebook) -> None:
    a = resolve(mini, g(primary_goal="research"))
    b = resolve(mini, g(primary_goal="research"))
    assert a.digest() == b.digest() and a.digest().startswith("sha256:")


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"schema_version": 1},
        {"schema_version": 1, "answers": {"primary_goal": "research", "team_size": 4}},
        {"answers": {"targets": ["cloud_gpu", "mobile_ios"], "x": None}, "candidates": ["a", "b"]},
        {"schema_version": 1, "answers": {}, "candidates": []},
    ],
)
def test_the_plain_answers_file_path_builds_what_validation_builds(data: dict[str, Any]) -> None:
    plain = plain_answers_file(data)
    assert plain is not None
    assert plain == validate_record(AnswersFile, data)


@pytest.mark.parametrize(
    "data",
    [
        {"schema_version": "1"},
        {"schema_version": True},
        {"schema_version": 2},
        {"answers": ["not", "a", "mapping"]},
        {"answers": {1: "numeric key"}},
        {"candidates": "pytorch"},
        {"candidates": ["pytorch", 3]},
        {"unknown": 1},
    ],
)
def test_anything_else_goes_to_full_validation(data: dict[str, Any]) -> None:
    assert plain_answers_file(data) is None
