"""`fwadvisor recommend`: answers (+ probe files) -> recommendation, scripted."""

from __future__ import annotations

from pathlib import Path

import typer

from fwadvisor.answers import load_answers
from fwadvisor.cli.completion import candidate_ids, question_ids
from fwadvisor.cli.console import INPUTS, OUTPUT, SCORING, stderr_console
from fwadvisor.cli.inputs import (
    CANDIDATES_OPT,
    RULES_OPTION,
    load_paths_check_files,
    load_probe_files,
)
from fwadvisor.cli.output import emit, format_option, resolve_format
from fwadvisor.errors import ExitCode, UsageError
from fwadvisor.pipeline import AdviceOptions, advise
from fwadvisor.report.wording import headline
from fwadvisor.rulebook.loader import load_rulebook
from fwadvisor.rulebook.model import Rulebook
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
        autocompletion=question_ids,
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
    fmt: str | None = format_option(OUTPUT),
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
    expect: str | None = typer.Option(
        None,
        "--expect",
        metavar="FRAMEWORK",
        help="For CI: exit 6 unless FRAMEWORK is recommended (a clear verdict or the only "
        "option left); the report is written either way.",
        autocompletion=candidate_ids,
        rich_help_panel=OUTPUT,
    ),
) -> None:
    """Recommend a framework from an answers file; every reason with its source."""
    resolve_format(fmt, output)  # a bad --format or a mismatched -o fails before any work
    rulebook = load_rulebook(rules)
    expected = _expected(rulebook, expect)
    resolved = load_answers(rulebook, answers, set_, candidates=candidates)
    if "given" not in resolved.origins.values():
        stderr_console().print(NO_ANSWERS, markup=False)
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
    if expected is not None and rec.winner != expected:
        stderr_console().print(
            f"expected {rulebook.candidate_by_id[expected].name}, but the verdict is: "
            f"{headline(rec)}",
            markup=False,
        )
        raise typer.Exit(ExitCode.VERDICT_DIFFERS)


NO_ANSWERS = (
    "No answers were given (no --answers, --set or FWADVISOR_ANSWER_*): every question took its "
    "default, so this verdict is for a default team, not yours. Run fwadvisor questionnaire, "
    "or pass --answers FILE."
)


def _expected(rulebook: Rulebook, expect: str | None) -> str | None:
    """The candidate id `--expect` names (id or display name, any case)."""
    if expect is None:
        return None
    for c in rulebook.candidates:
        if expect.lower() in (c.id.lower(), c.name.lower()):
            return c.id
    known = ", ".join(c.id for c in rulebook.candidates)
    raise UsageError.at(
        f"--expect {expect!r} is not a candidate; choose one of: {known}", field="--expect"
    )


def register(app: typer.Typer) -> None:
    from fwadvisor.cli.console import ADVICE

    app.command("recommend", rich_help_panel=ADVICE)(recommend)
