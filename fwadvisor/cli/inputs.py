"""Shared command-line inputs: the --rules option and probe evidence from --probe files."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import typer

from fwadvisor.answers import ResolvedAnswers
from fwadvisor.pathcheck.pathevidence import NO_PATH_EVIDENCE, PathEvidence
from fwadvisor.rulebook.model import Rulebook
from fwadvisor.scoring.evidence_result import NO_EVIDENCE, EvidenceResult

RULES_OPTION = typer.Option(
    None, "--rules", help="Rulebook directory (default: the built-in rulebook).", show_default=False
)


def evidence_from(probe_files: Sequence[Path], answers: ResolvedAnswers) -> EvidenceResult:
    if not probe_files:
        return NO_EVIDENCE
    from fwadvisor.probe.schema import load_probe_file
    from fwadvisor.scoring.evidence import build_evidence

    probes = [load_probe_file(p) for p in probe_files]
    return build_evidence(probes, answers.values)


def path_evidence_from(
    files: Sequence[Path], rulebook: Rulebook, answers: ResolvedAnswers
) -> PathEvidence:
    if not files:
        return NO_PATH_EVIDENCE
    from fwadvisor.pathcheck.evidence import load_paths_check_file, path_evidence
    from fwadvisor.rulebook.loader import DEPLOYMENT_QUESTION

    targets = answers.values.get(DEPLOYMENT_QUESTION) or []
    docs = [load_paths_check_file(p) for p in files]
    return path_evidence(docs, rulebook, [t for t in targets if isinstance(t, str)])
