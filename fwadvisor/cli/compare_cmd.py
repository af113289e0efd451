"""`fwadvisor compare A B`: two answer files (or saved recommendations) side by side."""

from __future__ import annotations

from pathlib import Path

import typer

from fwadvisor.answers import load_answers
from fwadvisor.cli.inputs import RULES_OPTION
from fwadvisor.models import Recommendation
from fwadvisor.pipeline import AdviceOptions, advise
from fwadvisor.report import compare as comparing
from fwadvisor.report.saved import load_recommendation
from fwadvisor.rulebook.loader import load_rulebook
from fwadvisor.terminalconsole import SafeConsole
from fwadvisor.yamlio import load_document


def _recommendation(path: Path, rules: Path | None, samples: int) -> Recommendation:
    """A saved recommendation as it is; an answers file advised on afresh."""
    if path.suffix.lower() == ".json":
        data = load_document(path, "file").data
        if isinstance(data, dict) and "ranking" in data:
            return load_recommendation(path)
    book = load_rulebook(rules)
    return advise(
        book, load_answers(book, path, use_env=False), options=AdviceOptions(samples=samples)
    )


def compare(
    first: Path = typer.Argument(
        ..., metavar="A", help="An answers file or a saved recommendation."
    ),
    second: Path = typer.Argument(..., metavar="B", help="Another one."),
    rules: Path | None = RULES_OPTION,
    samples: int = typer.Option(1000, "--samples", min=1, max=100000, help="Robustness samples."),
) -> None:
    """Two teams' answers (or two saved recommendations) side by side: the verdicts, and
    which answers and facts make the difference."""
    a = _recommendation(first, rules, samples)
    b = _recommendation(second, rules, samples)
    result = comparing.compare(a, b, (str(first), str(second)))
    SafeConsole(highlight=False).print(comparing.renderables(result))


def register(app: typer.Typer) -> None:
    from fwadvisor.cli.console import ADVICE

    app.command("compare", rich_help_panel=ADVICE)(compare)
