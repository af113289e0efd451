"""`fwadvisor recommend`: answers (+ probe files) -> recommendation, scripted."""

from __future__ import annotations

from pathlib import Path

import typer

from fwadvisor.answers import load_answers
from fwadvisor.cli.inputs import CANDIDATES_OPT, RULES_OPTION, evidence_from
from fwadvisor.cli.output import emit
from fwadvisor.errors import UsageError
from fwadvisor.pipeline import AdviceOptions, advise
from fwadvisor.report.formats import FORMATS
from fwadvisor.rulebook.loader import load_rulebook


def recommend(
    answers: Path | None = typer.Option(
        None, "--answers", "-a", help="Answers file (YAML or JSON)."
    ),
    set_: list[str] = typer.Option(
        [], "--set", "-s", help="Override one answer: id=value (repeatable)."
    ),
    probe: list[Path] = typer.Option(
        [], "--probe", "-p", help="Probe result file (repeatable, one per machine)."
    ),
    fmt: str = typer.Option("text", "--format", "-f", help=f"Output format: {', '.join(FORMATS)}."),
    output: Path | None = typer.Option(
        None, "--output", "-o", help="Write to this file instead of stdout."
    ),
    force: bool = typer.Option(False, "--force", help="Overwrite an existing output file."),
    rules: Path | None = RULES_OPTION,
    seed: int = typer.Option(0, "--seed", help="Seed of the robustness samples."),
    samples: int = typer.Option(
        1000,
        "--samples",
        min=0,
        max=100000,
        help="Robustness samples (weights, rule effects and measurements drawn together).",
    ),
    candidates: str | None = CANDIDATES_OPT,
) -> None:
    """Recommend a framework from an answers file; every reason with its source."""
    if fmt not in FORMATS:
        raise UsageError(f"unknown format {fmt!r}; choose one of: {', '.join(FORMATS)}")
    rulebook = load_rulebook(rules)
    resolved = load_answers(rulebook, answers, set_, candidates=candidates)
    evidence = evidence_from(probe, resolved)
    rec = advise(rulebook, resolved, evidence, AdviceOptions(samples=samples, seed=seed))
    emit(rec, fmt, output, force)


def register(app: typer.Typer) -> None:
    app.command("recommend")(recommend)
