"""`fwadvisor questionnaire`: ask (or take scripted answers), save them, recommend."""

from __future__ import annotations

import dataclasses
import sys
from pathlib import Path
from typing import Any

import typer

from fwadvisor.answers import (
    GivenAnswer,
    ResolvedAnswers,
    chosen_candidates,
    load_answers,
    resolve,
)
from fwadvisor.cli.console import stderr_console
from fwadvisor.cli.defaults_review import defaults_at_stake
from fwadvisor.cli.inputs import CANDIDATES_OPT, RULES_OPTION, load_probe_files
from fwadvisor.cli.output import emit
from fwadvisor.cli.questionnaire_session import Target, choose_target, offer_report, same_file
from fwadvisor.cli.terminal import RichTerminal
from fwadvisor.errors import ExitCode, UsageError
from fwadvisor.models import Recommendation
from fwadvisor.pipeline import advise
from fwadvisor.questionnaire.flow import KEYS, Questionnaire
from fwadvisor.questionnaire.plan import State, applicable, current_value, facts_of
from fwadvisor.questionnaire.store import (
    known_answers,
    ordered,
    partial_answers,
    save_answers,
)
from fwadvisor.rulebook.loader import load_rulebook
from fwadvisor.rulebook.model import Rulebook


def questionnaire(
    answers: Path | None = typer.Option(
        None,
        "--answers",
        "-a",
        exists=True,
        dir_okay=False,
        help="Answers file to resume or edit; its answers are offered as defaults.",
    ),
    save: Path | None = typer.Option(
        None,
        "--save",
        help="Where to save the answers (default: the --answers file, else "
        "./fwadvisor-answers.yaml; non-interactive runs save only with --save).",
    ),
    set_: list[str] = typer.Option(
        [], "--set", "-s", metavar="ID=VALUE", help="Give one answer (repeatable)."
    ),
    probe: list[Path] = typer.Option(
        [],
        "--probe",
        "-p",
        metavar="FILE",
        exists=True,
        dir_okay=False,
        help="Probe result file to include as evidence (repeatable).",
    ),
    non_interactive: bool = typer.Option(
        False,
        "--non-interactive",
        help="Ask nothing: take --answers, FWADVISOR_ANSWER_<ID> "
        "and --set, apply defaults, fail listing every problem. Automatic without a TTY.",
    ),
    force: bool = typer.Option(
        False, "--force", help="Non-interactive: overwrite an existing --save file."
    ),
    rules: Path | None = RULES_OPTION,
    candidates: str | None = CANDIDATES_OPT,
) -> None:
    """Answer questions about your team and product; get a recommendation."""
    rulebook = load_rulebook(rules)
    if non_interactive or not sys.stdin.isatty():
        _scripted(rulebook, answers, save, set_, probe, force, candidates)
    else:
        _interactive(rulebook, answers, save, set_, probe, candidates)


def _scripted(
    rulebook: Rulebook,
    answers: Path | None,
    save: Path | None,
    set_: list[str],
    probe: list[Path],
    force: bool,
    candidates: str | None,
) -> None:
    resolved = load_answers(rulebook, answers, set_, candidates=candidates)
    if save is not None:
        if save.exists() and not force and not (answers and same_file(save, answers)):
            raise UsageError.at("answers file already exists (use --force to overwrite)", save)
        save_answers(
            save,
            ordered(rulebook, resolved.values),
            complete=True,
            candidates=resolved.candidates,
        )
        stderr_console(soft_wrap=True).print(f"Saved answers to {save}.", markup=False)
    _recommend(rulebook, resolved, probe)


def _recommend(rulebook: Rulebook, resolved: ResolvedAnswers, probe: list[Path]) -> Recommendation:
    """Advise on the answers and print the text report (both modes end here)."""
    rec = advise(rulebook, resolved, load_probe_files(probe))
    emit(rec, "text", None, False)
    return rec


def _interactive(
    rulebook: Rulebook,
    answers: Path | None,
    save: Path | None,
    set_: list[str],
    probe: list[Path],
    candidates: str | None,
) -> None:
    term = RichTerminal()
    target = choose_target(save, answers, term)
    chosen = chosen_candidates(rulebook, target.resume, candidates)
    known = known_answers(rulebook, target.resume, set_)
    for line in known.dropped:
        term.warn(line)
    flow = Questionnaire(
        rulebook,
        term,
        known.state,
        on_change=lambda s: save_answers(
            target.save, partial_answers(rulebook, s), complete=False, candidates=chosen
        ),
        at_stake=lambda s: defaults_at_stake(rulebook, typed_answers(s)),
    )
    steps, done = len(flow.plan()), flow.done_count()
    term.say(
        f"{steps} questions in {len(rulebook.sections)} sections; answers are saved to "
        f"{target.save} as you go."
    )
    term.say(KEYS)
    try:
        skip = done == steps or (
            done > 0 and term.confirm(f"{done} of {steps} already answered. Skip those?", True)
        )
        flow.run(skip_done=skip)
        final = _final_values(rulebook, flow.state)
        save_answers(target.save, final, complete=True, candidates=chosen)
        term.say(f"Saved answers to {target.save}.")
        # only what the person gave counts as given; the rest is a default, as the review said
        given = {
            k: GivenAnswer(value=v, origin="questionnaire")
            for k, v in final.items()
            if v is not None and k in flow.state.typed
        }
        resolved = dataclasses.replace(
            resolve(rulebook, given), candidates=chosen, source=str(target.save)
        )
        offer_report(_recommend(rulebook, resolved, probe), term)
    except (KeyboardInterrupt, EOFError):
        _stop(rulebook, flow.state, target, term, chosen)


def typed_answers(state: State) -> dict[str, Any]:
    """The answers the person gave, without the defaults kept with Enter."""
    return {k: v for k, v in state.answers.items() if k in state.typed}


def _final_values(rulebook: Rulebook, state: State) -> dict[str, Any]:
    facts = facts_of(rulebook, state)
    return {q.id: current_value(q, state, facts) for q in applicable(rulebook, state)}


def _stop(
    rulebook: Rulebook,
    state: State,
    target: Target,
    term: RichTerminal,
    chosen: tuple[str, ...] | None,
) -> None:
    """Ctrl-C: ask nothing more, keep what was answered, say where, exit 130."""
    term.console.print()
    if state.seen or target.save.exists():
        save_answers(
            target.save, partial_answers(rulebook, state), complete=False, candidates=chosen
        )
        stderr_console(soft_wrap=True).print(
            f"Interrupted. {len(state.seen)} answers kept in {target.save}.", markup=False
        )
        stderr_console(soft_wrap=True).print(
            f"Continue with: fwadvisor questionnaire --answers {target.save}", markup=False
        )
    else:
        stderr_console(soft_wrap=True).print(
            "Interrupted before any answer; nothing saved.", markup=False
        )
    raise typer.Exit(int(ExitCode.INTERRUPTED))


def register(app: typer.Typer) -> None:
    from fwadvisor.cli.console import ADVICE

    app.command("questionnaire", rich_help_panel=ADVICE)(questionnaire)
