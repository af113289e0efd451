"""Choosing the candidates: the restricted rulebook, where the choice comes from, three-way
results (ranking, shares, pairwise, counterfactuals), and the note about a left-out leader."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from fwadvisor.answers import load_answers
from fwadvisor.errors import AnswersError, RulebookError
from fwadvisor.models import Recommendation
from fwadvisor.pipeline import AdviceOptions, advise
from fwadvisor.records import validate
from fwadvisor.report import markdown_report, text_report
from fwadvisor.rulebook.loader import load_rulebook
from fwadvisor.rulebook.model import Rulebook
from fwadvisor.rulebook.restrict import default_comparison, restrict
from tests.cli_run import cli

ROOT = Path(__file__).resolve().parents[2]
JAX_TEAM = ROOT / "examples" / "jax_tpu_team.yaml"
THREE = ("pytorch", "tensorflow", "jax")
FAST = AdviceOptions(samples=200, counterfactuals=False)


def test_default_comparison_is_declared_and_leaves_jax_out(book: Rulebook) -> None:
    assert default_comparison(book) == ("pytorch", "tensorflow")
    assert "jax" in book.candidate_by_id


def test_restrict_drops_effects_vetoes_and_paths_of_left_out_candidates(book: Rulebook) -> None:
    two = restrict(book, ("pytorch", "tensorflow"))
    assert [c.id for c in two.candidates] == ["pytorch", "tensorflow"]
    for rule in two.rules:
        assert {s.candidate for s in rule.effects.scores} <= {"pytorch", "tensorflow"}
        assert {v.candidate for v in rule.effects.vetoes} <= {"pytorch", "tensorflow"}
    assert {p.candidate for p in two.paths} == {"pytorch", "tensorflow"}
    # a JAX-only scoring rule disappears; a shared rule keeps its other effects
    assert "team-knows-jax" not in two.rule_by_id
    gaudi = two.rule_by_id["hw-gaudi-only-rules-out-tensorflow"]
    assert [v.candidate for v in gaudi.effects.vetoes] == ["tensorflow"]
    # the full rulebook is untouched
    assert "team-knows-jax" in book.rule_by_id


def test_advice_about_jax_shows_only_while_jax_is_left_out(book: Rulebook) -> None:
    two = restrict(book, ("pytorch", "tensorflow")).rule_by_id["jax-tpu-first-party"]
    assert two.effects.advisory and not two.effects.scores
    three = restrict(book, THREE).rule_by_id["jax-tpu-first-party"]
    assert three.effects.advisory is None
    assert [(s.candidate, s.delta) for s in three.effects.scores] == [("jax", 2.5)]
    # advice-only, and about JAX: gone entirely when JAX is compared
    assert "jax-team-or-code" not in restrict(book, THREE).rule_by_id


def test_candidates_come_from_the_file_and_the_option_wins(book: Rulebook, tmp_path: Path) -> None:
    f = tmp_path / "a.yaml"
    f.write_text("schema_version: 1\ncandidates: [jax, pytorch]\nanswers: {}\n")
    assert load_answers(book, f, use_env=False).candidates == ("jax", "pytorch")
    chosen = load_answers(book, f, use_env=False, candidates="pytorch, tensorflow,jax")
    assert chosen.candidates == THREE
    assert load_answers(book, None, use_env=False).candidates is None


def test_unknown_candidate_in_the_file_names_file_line_and_field(
    book: Rulebook, tmp_path: Path
) -> None:
    f = tmp_path / "a.yaml"
    f.write_text("schema_version: 1\ncandidates:\n  - pytorch\n  - jaxx\nanswers: {}\n")
    with pytest.raises(AnswersError) as info:
        load_answers(book, f, use_env=False)
    (problem,) = info.value.problems
    assert (problem.file, problem.line, problem.field) == (str(f), 4, "candidates[1]")
    assert "did you mean 'jax'" in problem.message


@pytest.mark.parametrize(
    ("option", "needle"),
    [
        ("pytorch,mxnet", "unknown candidate 'mxnet'"),
        ("pytorch,pytorch", "listed twice"),
        ("jax", "at least two candidates"),
    ],
)
def test_bad_candidates_option_exits_2_without_traceback(
    capsys: pytest.CaptureFixture[str], option: str, needle: str
) -> None:
    code, out, err = cli(
        capsys, "recommend", "--answers", str(JAX_TEAM), "--candidates", option, "--samples", "10"
    )
    assert code == 2 and needle in err and "--candidates" in err
    assert "Traceback" not in err and out == ""


def test_three_candidates_are_ranked_with_shares_pairwise_and_counterfactuals(
    book: Rulebook,
) -> None:
    answers = load_answers(book, JAX_TEAM, use_env=False, candidates=",".join(THREE))
    rec = advise(book, answers, options=AdviceOptions(samples=300))
    assert rec.candidates == list(THREE)
    assert {r.candidate for r in rec.ranking} == set(THREE)
    assert rec.leader == "jax"
    assert set(rec.robustness.shares) == set(THREE)
    assert sum(rec.robustness.shares.values()) == pytest.approx(1.0)
    assert [p.other for p in rec.pairwise] == [r.candidate for r in rec.ranking[1:]]
    for p in rec.pairwise:
        assert p.leader == "jax"
        assert p.share is not None and p.share >= rec.robustness.shares["jax"] - 1e-9
        assert p.margin == pytest.approx(
            next(r.normalized for r in rec.ranking if r.candidate == "jax")
            - next(r.normalized for r in rec.ranking if r.candidate == p.other),
            abs=1e-3,
        )
    assert rec.pairwise[0].margin == pytest.approx(rec.margin)
    # a counterfactual names the candidate that takes the lead
    assert any(c.new_winner == "pytorch" for c in rec.counterfactuals)
    text = text_report.render(rec)
    assert "Pairwise: JAX vs PyTorch margin" in text
    md = markdown_report.render(rec)
    assert "JAX against each other option" in md and "| PyTorch |" in md


def test_a_left_out_candidate_that_would_lead_gets_a_note(book: Rulebook) -> None:
    rec = advise(book, load_answers(book, JAX_TEAM, use_env=False), options=FAST)
    assert rec.leader == "pytorch" and rec.candidates == ["pytorch", "tensorflow"]
    note = next(n for n in rec.notes if n.startswith("JAX was not compared"))
    assert f"fwadvisor recommend --candidates pytorch,tensorflow,jax --answers {JAX_TEAM}" in note
    assert len(rec.pairwise) == 1


def test_no_note_when_the_left_out_candidate_would_not_lead(book: Rulebook) -> None:
    answers = load_answers(book, ROOT / "examples" / "default.yaml", use_env=False)
    rec = advise(book, answers, options=FAST)
    assert not any("was not compared" in n for n in rec.notes)


def test_json_carries_the_new_fields_and_old_files_still_load(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, _ = cli(
        capsys, "recommend", "--answers", str(JAX_TEAM), "--candidates", "pytorch,tensorflow,jax",
        "--format", "json", "--samples", "50",
    )
    data = json.loads(out)
    assert code == 0 and data["candidates"] == list(THREE)
    assert {p["other"] for p in data["pairwise"]} == {"pytorch", "tensorflow"}
    assert set(data["robustness"]["beats"]) == {"pytorch", "tensorflow"}
    for key in ("candidates", "pairwise"):
        del data[key]
    del data["robustness"]["beats"]
    old = validate(Recommendation, data)
    assert old.candidates == [] and old.pairwise == []


def test_questionnaire_saves_the_chosen_candidates(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    save = tmp_path / "answers.yaml"
    code, _, _ = cli(
        capsys, "questionnaire", "--non-interactive", "--answers", str(JAX_TEAM),
        "--candidates", "pytorch,jax", "--save", str(save),
    )
    assert code == 0
    assert "\ncandidates: [pytorch, jax]\n" in save.read_text()
    book = load_rulebook()
    assert load_answers(book, save, use_env=False).candidates == ("pytorch", "jax")


def test_loader_checks_the_default_comparison_and_scenario_candidates(tmp_path: Path) -> None:
    import shutil

    rules = tmp_path / "rules"
    shutil.copytree(ROOT / "rules", rules)
    cands = rules / "candidates.yaml"
    cands.write_text(cands.read_text().replace("[pytorch, tensorflow]", "[pytorch, tensorflw]"))
    with pytest.raises(RulebookError) as info:
        load_rulebook(rules)
    rendered = info.value.render()
    assert "unknown candidate 'tensorflw'" in rendered and "default_comparison[1]" in rendered


def test_a_compared_candidate_without_measurements_is_named_in_a_note(book: Rulebook) -> None:
    from tests.measurements.helpers import full_probe

    answers = load_answers(book, JAX_TEAM, use_env=False, candidates=",".join(THREE))
    rec = advise(book, answers, [full_probe(pt=1e-3, tf=2e-3)], FAST)
    assert any(n.startswith("The probe files hold no measurements for JAX") for n in rec.notes)
    two = load_answers(book, JAX_TEAM, use_env=False)
    rec2 = advise(book, two, [full_probe(pt=1e-3, tf=2e-3)], FAST)
    assert rec2.evidence
    assert not any("hold no measurements" in n for n in rec2.notes)


def test_html_report_shows_the_pairwise_table(book: Rulebook) -> None:
    from fwadvisor.report import html_report

    answers = load_answers(book, JAX_TEAM, use_env=False, candidates=",".join(THREE))
    html = html_report.render(advise(book, answers, options=FAST))
    assert "JAX against each other option" in html and "JAX ahead in" in html
