"""`fwadvisor recommend`: answers (+ probe files) -> recommendation, scripted."""

from __future__ import annotations

from pathlib import Path

import typer

from fwadvisor.answers import load_answers
from fwadvisor.cli.app import INPUTS, OUTPUT, SCORING
from fwadvisor.cli.inputs import (
    CANDIDATES_OPT,
    RULES_OPTION,
    load_paths_check_files,
    load_probe_files,
)
from fwadvisor.cli.output import emit
from fwadvisor.errors import UsageError
from fwadvisor.pipeline import AdviceOptions, advise
from fwadvisor.report.formats import FORMATS
from fwadvisor.rulebook.loader import load_rulebook
from fwadvisor.scoring.robustness import MIN_SAMPLES


def recommend(
    answers: Path | None = typer.Option(
        None, "--answers", "-a", help="Answers file (YAML or JSON).", rich_help_panel=INPUTS
    ),
    set_: list[str] = typer.Option(
        [],
        "--set",
        "-s",
        help="Override one answer: id=value (repeatable).",
        rich_help_panel=INPUTS,
    ),
    probe: list[Path] = typer.Option(
        [],
        "--probe",
        "-p",
        help="Probe result file (repeatable, one per machine), or a folder from `probe --ray` "
        "(one file per kind of node).",
        rich_help_panel=INPUTS,
    ),
    fmt: str = typer.Option(
        "text",
        "--format",
        "-f",
        help=f"Output format: {', '.join(FORMATS)}.",
        rich_help_panel=OUTPUT,
    ),
    paths_check: list[Path] = typer.Option(
        [],
        "--paths-check",
        help="Paths-check file from `fwadvisor paths check` (repeatable).",
        rich_help_panel=INPUTS,
    ),
    output: Path | None = typer.Option(
        None, "--output", "-o", help="Write to this file instead of stdout.", rich_help_panel=OUTPUT
    ),
    force: bool = typer.Option(
        False, "--force", help="Overwrite an existing output file.", rich_help_panel=OUTPUT
    ),
    rules: Path | None = RULES_OPTION,
    seed: int = typer.Option(
        0, "--seed", help="Seed of the robustness samples.", rich_help_panel=SCORING
    ),
    samples: int = typer.Option(
        1000,
        "--samples",
        min=MIN_SAMPLES,
        max=100000,
        help="Robustness samples (weights, rule effects and measurements drawn together); "
        "at least 1: the verdict's tier is read from them.",
        rich_help_panel=SCORING,
    ),
    candidates: str | None = CANDIDATES_OPT,
) -> None:
    """Recommend a framework from an answers file; every reason with its source."""
    if fmt not in FORMATS:
        raise UsageError(f"unknown format {fmt!r}; choose one of: {', '.join(FORMATS)}")
    rulebook = load_rulebook(rules)
    resolved = load_answers(rulebook, answers, set_, candidates=candidates)
    probes = load_probe_files(probe)
    checks = load_paths_check_files(paths_check)
    rec = advise(
        rulebook,
        resolved,
        probes,
        AdviceOptions(samples=samples, seed=seed),
        path_checks=checks,
    )
    emit(rec, fmt, output, force)


def register(app: typer.Typer) -> None:
    from fwadvisor.cli.app import ADVICE

    app.command("recommend", rich_help_panel=ADVICE)(recommend)
