"""Answers files (read, write, resume) and where files go."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from fwadvisor.answers import read_answers_file, resolve
from fwadvisor.cli.questionnaire_session import choose_target, next_free, offer_report
from fwadvisor.errors import AnswersError
from fwadvisor.pipeline import AdviceOptions, advise
from fwadvisor.questionnaire.plan import State
from fwadvisor.questionnaire.store import (
    DEFAULT_SAVE,
    known_answers,
    partial_answers,
    render_answers,
    save_answers,
)
from fwadvisor.rulebook.model import Rulebook
from tests.questionnaire.scripted import ScriptedTerminal


@pytest.fixture(autouse=True)
def _in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)


def test_saved_yaml_has_a_header_and_reads_back(qbook: Rulebook, tmp_path: Path) -> None:
    path = tmp_path / "a.yaml"
    save_answers(
        path,
        {"primary_goal": "research", "deployment_targets": ["browser"], "project_name": None},
        complete=True,
    )
    text = path.read_text()
    assert text.startswith("# fwadvisor answers (complete)")
    assert "fwadvisor recommend --answers a.yaml" in text
    assert "deployment_targets: [browser]" in text
    given = read_answers_file(path)
    assert {k: g.value for k, g in given.items()} == {
        "primary_goal": "research",
        "deployment_targets": ["browser"],
    }


def test_json_path_gets_json(tmp_path: Path) -> None:
    text = render_answers(tmp_path / "a.json", {"team_size": 3}, complete=False)
    assert json.loads(text) == {"schema_version": 1, "answers": {"team_size": 3}}


def test_partial_answers_mark_blanks_in_rulebook_order(qbook: Rulebook) -> None:
    state = State(
        answers={"team_size": 2, "primary_goal": "both"},
        seen={"team_size", "primary_goal", "project_name"},
    )
    assert list(partial_answers(qbook, state).items()) == [
        ("project_name", None),
        ("primary_goal", "both"),
        ("team_size", 2),
    ]


def test_known_answers_resume_and_drop_bad_ones(
    qbook: Rulebook, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "a.yaml"
    path.write_text(
        "schema_version: 1\nanswers:\n  project_name: null\n  primary_goal: maybe\n"
        "  team_size: 3\n  colour: blue\n"
    )
    monkeypatch.setenv("FWADVISOR_ANSWER_EXISTING_TF", "yes")
    known = known_answers(qbook, path, ["team_size=5"])
    assert known.state.answers == {"team_size": 5, "existing_tf": True}
    assert known.state.seen == {"project_name", "team_size", "existing_tf"}
    assert any("primary_goal: 'maybe' is not a choice" in d for d in known.dropped)
    assert any("colour: unknown question id" in d for d in known.dropped)


def test_set_with_unknown_id_is_an_error(qbook: Rulebook) -> None:
    with pytest.raises(AnswersError):
        known_answers(qbook, None, ["team_sise=5"])


def test_target_defaults(tmp_path: Path) -> None:
    term = ScriptedTerminal([])
    assert choose_target(None, None, term).save == DEFAULT_SAVE
    existing = tmp_path / "mine.yaml"
    existing.write_text("schema_version: 1\n")
    assert choose_target(None, existing, term).save == existing  # resume saves back
    assert choose_target(existing, existing, term).resume == existing
    assert term.confirms == []


def test_existing_default_file_offers_resume(tmp_path: Path) -> None:
    DEFAULT_SAVE.write_text("schema_version: 1\n")
    target = choose_target(None, None, ScriptedTerminal([""]))
    assert target.save == DEFAULT_SAVE and target.resume == DEFAULT_SAVE
    # no resume, no overwrite: another name is proposed and taken with Enter
    target = choose_target(None, None, ScriptedTerminal(["n", "n", ""]))
    assert target.save == Path("fwadvisor-answers-2.yaml") and target.resume is None


def test_existing_save_file_is_not_overwritten_without_asking(tmp_path: Path) -> None:
    other = tmp_path / "other.yaml"
    other.write_text("precious")
    term = ScriptedTerminal(["y"])
    assert choose_target(other, None, term).save == other
    assert term.confirms == [f"{other} exists. Overwrite it?"]
    term = ScriptedTerminal(["", "new.yaml"])
    assert choose_target(other, None, term).save == Path("new.yaml")
    assert other.read_text() == "precious"


def test_next_free(tmp_path: Path) -> None:
    (tmp_path / "r.txt").write_text("")
    (tmp_path / "r-2.txt").write_text("")
    assert next_free(tmp_path / "r.txt") == tmp_path / "r-3.txt"


def test_offer_report_writes_the_chosen_format(qbook: Rulebook) -> None:
    rec = advise(qbook, resolve(qbook, {}), options=AdviceOptions(samples=20))
    assert offer_report(rec, ScriptedTerminal(["n"])) is None
    term = ScriptedTerminal(["y", "pdf", "json", ""])
    path = offer_report(rec, term)
    assert path == Path("fwadvisor-report.json")
    assert json.loads(path.read_text())["leader"] == rec.leader
    assert term.warnings and "'pdf' is not a format" in term.warnings[0]
