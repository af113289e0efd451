"""`fwadvisor rules list|show|validate|test|audit`."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import typer
from rich.table import Table
from rich.text import Text

from fwadvisor.cli.completion import rule_ids
from fwadvisor.cli.console import stderr_console
from fwadvisor.cli.inputs import RULES_OPTION
from fwadvisor.errors import ExitCode, UsageError
from fwadvisor.records import dump
from fwadvisor.rulebook.audit import DEFAULT_MAX_AGE_DAYS, audit
from fwadvisor.rulebook.loader import load_rulebook
from fwadvisor.ruletests import run_all
from fwadvisor.terminalconsole import SafeConsole

rules_app = typer.Typer(help="Inspect, validate and test the rulebook.", no_args_is_help=True)
console = SafeConsole(highlight=False)


@rules_app.command("list")
def list_rules(
    rules: Path | None = RULES_OPTION, area: str | None = typer.Option(None, help="Only this area.")
) -> None:
    """List every rule: id, area, confidence, as-of date and title."""
    book = load_rulebook(rules)
    table = Table(title=f"{len(book.rules)} rules")
    table.add_column("id", no_wrap=True)
    for col in ("area", "confidence", "as_of"):
        table.add_column(col, no_wrap=True)
    table.add_column("title", overflow="fold")
    for r in book.rules:
        if area is None or r.area == area:
            table.add_row(Text(r.id), Text(r.area), r.confidence, str(r.as_of), Text(r.title))
    console.print(table)


SHOW_TOPICS = ("questions", "criteria", "candidates", "paths")


@rules_app.command("show")
def show(
    what: str = typer.Argument(
        ...,
        help=f"A rule or fact id, or one of: {', '.join(SHOW_TOPICS)}.",
        autocompletion=rule_ids,
    ),
    rules: Path | None = RULES_OPTION,
) -> None:
    """Show one rule or fact in full, or the questions, criteria, candidates or paths."""
    import yaml

    book = load_rulebook(rules)
    items: object
    if what == "questions":
        items = [dump(q, mode="json", exclude_none=True, by_alias=True) for q in book.questions]
    elif what == "criteria":
        items = [dump(c, mode="json") for c in book.criteria]
    elif what == "candidates":
        items = [dump(c, mode="json") for c in book.candidates]
    elif what == "paths":
        items = [dump(p, mode="json", exclude_none=True, by_alias=True) for p in book.paths]
    elif what in book.rule_by_id:
        items = dump(book.rule_by_id[what], mode="json", by_alias=True)
        console.print(f"# {book.location_of(what)}", markup=False)
    elif what in book.fact_by_id:
        fact = dump(book.fact_by_id[what], mode="json", by_alias=True)
        items = {**fact, "rules": [r.id for r in book.rules_of_fact[what]]}
        console.print(f"# {book.location_of_fact(what)}", markup=False)
    else:
        from fwadvisor.rulebook.checks import did_you_mean

        raise UsageError(
            f"no rule, fact or topic {what!r}"
            f"{did_you_mean(what, [*book.rule_by_id, *book.fact_by_id, *SHOW_TOPICS])}"
        )
    print(yaml.safe_dump(items, sort_keys=False, allow_unicode=True), end="")


@rules_app.command("validate")
def validate(rules: Path | None = RULES_OPTION) -> None:
    """Load and cross-check every rulebook file, then check its structure (dead rules and
    facts, rules that apply with nothing answered, facts written twice, questions that change
    nothing); list every problem found."""
    from fwadvisor.errors import RulebookError
    from fwadvisor.rulebook.structure import structure_problems

    book = load_rulebook(rules, fresh=True)  # never a snapshot: the validators may have changed
    problems = structure_problems(book)
    if problems:
        raise RulebookError(problems=problems)
    console.print(
        f"ok: {len(book.facts)} facts, {len(book.rules)} rules, {len(book.questions)} questions, "
        f"{len(book.criteria)} criteria, {len(book.candidates)} candidates, {len(book.paths)} paths ({book.origin})",
        markup=False,
    )


@rules_app.command("test")
def test(
    rules: Path | None = RULES_OPTION, verbose: bool = typer.Option(False, "-v", "--verbose")
) -> None:
    """Run the rule cases and scenarios that live beside the rules."""
    book = load_rulebook(rules)
    outcomes = run_all(book)
    failed = [o for o in outcomes if not o.ok]
    for o in outcomes:
        if verbose or not o.ok:
            mark = "PASS" if o.ok else "FAIL"
            console.print(f"{mark} {o.kind}: {o.name}", markup=False)
            for f in o.failures:
                console.print(f"    {f}", markup=False)
    console.print(f"{len(outcomes) - len(failed)} passed, {len(failed)} failed", markup=False)
    if failed:
        raise typer.Exit(int(ExitCode.RULE_TESTS_FAILED))


@rules_app.command("audit")
def audit_cmd(
    rules: Path | None = RULES_OPTION,
    max_age: int = typer.Option(
        DEFAULT_MAX_AGE_DAYS,
        "--max-age",
        min=1,
        help="Days after which a fact is due for re-verification.",
    ),
    strict: bool = typer.Option(
        False,
        "--strict",
        help=f"Exit with code {int(ExitCode.STALE_FACTS)} when any fact is older than --max-age "
        "(for a release check; without it, stale facts are only warned about).",
    ),
    as_json: bool = typer.Option(False, "--json", help="Print the audit as JSON."),
    today: str | None = typer.Option(
        None, "--today", help="Audit as of this date (YYYY-MM-DD) instead of today."
    ),
) -> None:
    """List facts and paths by age of verification, oldest first, with their sources."""
    book = load_rulebook(rules)
    day = _parse_day(today) if today else dt.date.today()
    result = audit(book, day, max_age)
    if as_json:
        print(json.dumps(result.as_json(), indent=2))
    else:
        console.print(
            f"{len(result.entries)} facts and paths, oldest verification first "
            f"(verified on, age in days, kind, id, confidence, sources):",
            markup=False,
        )
        for e in result.entries:
            mark = "STALE " if e.stale else ""
            console.print(
                f"{mark}{e.as_of}  {e.age_days:>4}d  {e.kind:<4}  {e.id}  ({e.confidence})",
                markup=False,
                style="bold red" if e.stale else None,
            )
            for url in e.sources:
                console.print(f"    {url}", markup=False, soft_wrap=True)
        console.print(
            f"facts verified between {result.oldest} and {result.newest}; "
            f"{len(result.stale)} older than {max_age} days",
            markup=False,
        )
    future = [e for e in result.entries if e.age_days < 0]
    for e in result.stale:
        stderr_console(soft_wrap=True).print(
            f"warning: {e.kind} {e.id} was last verified on {e.as_of}, {e.age_days} days ago "
            f"(more than {max_age}); re-check it against its sources",
            markup=False,
        )
    for e in future:
        stderr_console(soft_wrap=True).print(
            f"warning: {e.kind} {e.id} is dated {e.as_of}, after {day}", markup=False
        )
    for e in result.entries:
        for url in e.moving_sources:
            stderr_console(soft_wrap=True).print(
                f"note: {e.kind} {e.id} cites {url} on a branch, which can change after "
                f"{e.as_of}; a commit's permalink would not",
                markup=False,
                soft_wrap=True,
            )
    if strict and result.stale:
        raise typer.Exit(int(ExitCode.STALE_FACTS))


def _parse_day(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise UsageError(f"--today: {text!r} is not a date (YYYY-MM-DD)") from None


def register(app: typer.Typer) -> None:
    from fwadvisor.cli.console import RULEBOOK

    app.add_typer(rules_app, name="rules", rich_help_panel=RULEBOOK)
