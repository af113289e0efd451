"""Notes are typed records (`Recommendation.notices`) worded in report/wording.py; `notes`
keeps their words, in the same order, so that schema-1 readers see the same sentences."""

from __future__ import annotations

from dataclasses import replace
from functools import cache
from pathlib import Path
from typing import get_args

import pytest

from fwadvisor.answers import load_answers
from fwadvisor.models import Note, NoteKind, Recommendation
from fwadvisor.pipeline import AdviceOptions, advise
from fwadvisor.records import dump_json, validate_json
from fwadvisor.report import summary
from fwadvisor.report.wording import CAUTIONS, note_text
from fwadvisor.rulebook.loader import load_rulebook
from fwadvisor.rulebook.model import Rulebook

EXAMPLES = sorted((Path(__file__).parents[2] / "examples").glob("*.yaml"))


@cache
def _book() -> Rulebook:
    return load_rulebook()


def _rec(stem: str, **options: object) -> Recommendation:
    book = _book()
    path = next(p for p in EXAMPLES if p.stem == stem)
    opts = AdviceOptions(samples=50, counterfactuals=False, **options)  # type: ignore[arg-type]
    return advise(book, load_answers(book, path, []), options=opts)


def test_every_note_kind_has_words() -> None:
    samples = {
        "answer_not_used": {"why": "does not apply"},
        "no_deployment_path": {"target_label": "Browser", "candidate": "jax"},
        "path_check_failed": {
            "paths": ["p"],
            "stage": None,
            "reason": "boom",
            "hint": None,
            "cause": None,
            "candidate": "pytorch",
        },
        "path_check_unchecked_paths": {"failed": ["a"], "target": "t", "unchecked": ["b"]},
        "path_check_fixable": {"target": "t", "failed": ["a"]},
        "no_answers": {},
        "partial_file": {"file_kind": "probe"},
        "left_out_leader": {"name": "JAX", "candidates": 3, "command": "fwadvisor recommend"},
        "coarse_samples": {"samples": 1, "clear_share": 0.8, "leaning_share": 0.6, "enough": 9},
        "no_probe_evidence": {},
        "not_measured": {"names": ["JAX"]},
        "not_scored": {"names": ["JAX"], "pair": ["PyTorch", "TensorFlow"]},
    }
    assert set(samples) == set(get_args(NoteKind))
    for kind, data in samples.items():
        text = note_text(Note(kind=kind, subject="s", data=data))  # type: ignore[arg-type]
        assert text.endswith(".") and len(text) > 20


def test_a_note_reads_as_it_did_when_it_was_prose() -> None:
    note = Note(
        kind="coarse_samples",
        subject="robustness",
        data={"samples": 50, "clear_share": 0.8, "leaning_share": 0.6, "enough": 1000},
    )
    assert note_text(note) == (
        "Robustness rests on only 50 samples: a share moves in steps of 2%, too coarse to place "
        "the leader against the 80% (clear) and 60% (leaning) thresholds; rerun with --samples "
        "1000 or more."
    )


@pytest.mark.parametrize("stem", ["default", "browser_app", "jax_tpu_team", "mobile_app"])
def test_notes_are_the_words_of_the_notices_in_order(stem: str) -> None:
    rec = _rec(stem)
    assert rec.notices, "50 samples always give the coarse-samples note"
    assert rec.notes == [note_text(n) for n in rec.notices]
    assert "coarse_samples" in {n.kind for n in rec.notices}


def test_notices_survive_the_json_file() -> None:
    rec = _rec("default")
    again = validate_json(Recommendation, dump_json(rec))
    assert again.notices == rec.notices and again.notes == rec.notes


def test_cautions_are_found_by_kind_and_in_old_files_by_words() -> None:
    rec = _rec("default")
    partial = Note(kind="partial_file", subject="box", data={"file_kind": "probe"})
    rec = replace(rec, notices=[*rec.notices, partial], notes=[*rec.notes, note_text(partial)])
    cautions = summary.build(rec).cautions
    assert any("partial (complete: false" in c for c in cautions)
    kinds = [n.kind for n in rec.notices if n.kind in CAUTIONS]
    assert len(cautions) == len(kinds)
    old = replace(rec, notices=[])
    assert summary.build(old).cautions == cautions
