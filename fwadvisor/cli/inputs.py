"""Shared command-line inputs: the --rules option and probe evidence from --probe files."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import typer

from fwadvisor.answers import ResolvedAnswers
from fwadvisor.scoring.evidence_result import NO_EVIDENCE, EvidenceResult

RULES_OPTION = typer.Option(
    None, "--rules", help="Rulebook directory (default: the built-in rulebook).", show_default=False
)

CANDIDATES_OPT = typer.Option(
    None,
    "--candidates",
    metavar="IDS",
    help="Candidates to compare, comma-separated, e.g. pytorch,tensorflow,jax (default: the "
    "rulebook's default comparison, or the answers file's `candidates`).",
    show_default=False,
)


def evidence_from(probe_files: Sequence[Path], answers: ResolvedAnswers) -> EvidenceResult:
    if not probe_files:
        return NO_EVIDENCE
    from fwadvisor.probe.schema import load_probe_file
    from fwadvisor.scoring.evidence import build_evidence

    probes = [load_probe_file(p) for p in probe_files]
    return build_evidence(probes, answers.values)
