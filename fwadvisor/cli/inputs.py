"""Shared command-line inputs: rulebook, answers and probe evidence, loaded with clear errors."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import typer

from fwadvisor.answers import ResolvedAnswers, load_answers
from fwadvisor.rulebook.loader import load_rulebook
from fwadvisor.rulebook.model import Rulebook
from fwadvisor.scoring.evidence_result import NO_EVIDENCE, EvidenceResult

RULES_OPTION = typer.Option(
    None, "--rules", help="Rulebook directory (default: the built-in rulebook).", show_default=False
)


def rulebook_from(path: Path | None) -> Rulebook:
    return load_rulebook(path)


def answers_from(
    rulebook: Rulebook, path: Path | None, assignments: list[str] | None
) -> ResolvedAnswers:
    return load_answers(rulebook, path, assignments)


def evidence_from(probe_files: Sequence[Path], answers: ResolvedAnswers) -> EvidenceResult:
    if not probe_files:
        return NO_EVIDENCE
    from fwadvisor.probe.schema import load_probe_file
    from fwadvisor.scoring.evidence import build_evidence

    probes = [load_probe_file(p) for p in probe_files]
    return build_evidence(probes, answers.values)
