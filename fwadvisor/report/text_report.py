"""Terminal text: a readable rich summary. `renderables` for a live terminal, `render` for files."""

from __future__ import annotations

from io import StringIO

from rich.console import Group, RenderableType
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from fwadvisor.models import Finding, Recommendation
from fwadvisor.report import pathchecks, summary
from fwadvisor.report.adr import favours_of, role_of
from fwadvisor.report.summary import Summary
from fwadvisor.report.wording import (
    candidate_names,
    change_outcome,
    describe_leaves,
    seconds,
    time_columns,
    time_of,
    unscored,
    weight_text,
)
from fwadvisor.terminalconsole import SafeConsole

TOP_FINDINGS = 8
TOP_COUNTERFACTUALS = 8


def _style(tier: str) -> str:
    if tier in ("clear", "only_option"):
        return "bold green"
    return "bold red" if tier == "all_vetoed" else "bold yellow"


def _top(rec: Recommendation, view: Summary) -> Text:
    """The first lines of a saved text file: the verdict, and a left-out leader."""
    text = Text()
    if rec.project:
        text.append("Project: ", style="bold").append(rec.project + "\n")
    text.append(view.headline, style=_style(view.tier)).append(
        " (the summary is at the end)\n", style="dim"
    )
    if view.left_out:
        text.append(summary.plain(view.left_out) + "\n", style="bold")
    return text


def _summary(rec: Recommendation, view: Summary) -> RenderableType:
    text = Text()
    if view.left_out:
        text.append(summary.plain(view.left_out) + "\n", style="bold")
    for c in view.cautions:
        text.append(c + "\n", style="bold")
    text.append(view.decides + "\n")
    if view.hinges:
        text.append("It hinges on:\n", style="bold")
        for h in view.hinges:
            text.append(f"- {h}\n")
    for title, reasons, more in (
        ("For", view.reasons_for, view.more_for),
        ("Against", view.reasons_against, view.more_against),
    ):
        if not reasons:
            continue
        text.append(f"{title}:\n", style="bold")
        for r in reasons:
            side = "" if title == "For" else f"favours {r.favours}; "
            text.append(f"- {r.title} ({side}{r.confidence} confidence, {r.impact:+.2f})\n")
        if more:
            text.append(f"  and {more} more above\n", style="dim")
    for v in view.vetoes:
        text.append("Ruled out: ", style="bold red").append(v + "\n")
    if view.changes:
        text.append("What would change it:\n", style="bold")
        for change, outcome in view.changes:
            text.append(f"- {change} -> {outcome}\n")
    if view.paths:
        text.append("Paths:\n", style="bold")
        for path in view.paths:
            text.append(f"- {path.target} with {path.candidate}: {path.route}\n")
    oldest, newest = view.verified
    dates = f"Facts verified between {oldest} and {newest}." if oldest else "No dated facts."
    revisit = f" Revisit by {view.revisit.date}." if view.revisit.date else ""
    text.append(dates + revisit)
    return Panel(text, title=Text("Summary", style="bold"), title_align="left")


def _verdict_line(view: Summary) -> Text:
    text = Text(f"Verdict: {view.headline}", style=_style(view.tier))
    if view.left_out:
        text.append(f"\n{summary.plain(view.left_out)}", style="bold")
    return text


def _scores(rec: Recommendation) -> Table:
    names = candidate_names(rec)
    cands = [r.candidate for r in rec.ranking]
    table = Table(title="Weighted scores per criterion", title_justify="left")
    table.add_column("criterion")
    table.add_column("weight (priority + rules)", justify="right")
    for c in cands:
        table.add_column(names[c], justify="right", min_width=len(names[c]))
    for w in rec.weights:
        cells = [f"{rec.scores[c][w.criterion].weighted:+.2f}" for c in cands]
        table.add_row(Text(w.name), weight_text(w), *cells)
    table.add_row(
        Text("total / per unit weight", style="bold"),
        "",
        *[
            f"{r.total:+.2f} / {r.normalized:+.2f}" + (" (vetoed)" if r.vetoed else "")
            for r in rec.ranking
        ],
    )
    return table


def _fact_ref(f: Finding) -> str:
    """'; fact ID at exposure X' where the rule applies a fact at less than full exposure or
    under another id."""
    if f.fact is None or (f.fact == f.rule_id and (f.exposure or 1.0) == 1.0):
        return ""
    return f"; fact {f.fact} at exposure {f.exposure or 1.0:g}"


def _finding_lines(text: Text, i: int, f: Finding, names: dict[str, str]) -> None:
    text.append(f"{i}. {f.title}", style="bold")
    text.append(
        f"  [{f.rule_id}{_fact_ref(f)}; impact {f.impact:+.2f}; {f.confidence} confidence; "
        f"as of {f.as_of}]\n",
        style="dim",
    )
    if role_of(f) == "for_other":
        side = " and ".join(names.get(c, c) for c in favours_of(f)) or "another option"
        text.append(f"   Favours {side}, not the leader.\n", style="bold")
    if any(not c.counted for c in f.contributions):
        text.append(
            f"   Fact {f.fact or f.family} applies more strongly through another rule: "
            "counted once.\n",
            style="dim",
        )
    text.append(f"   {f.rationale}\n")
    if f.because:
        text.append(f"   because {describe_leaves(f.because)}\n", style="italic")
    for url in f.sources:
        text.append(f"   {url}\n", style="cyan")


def _reason_panel(
    rec: Recommendation, findings: list[Finding], title: str, empty: str
) -> RenderableType:
    names = candidate_names(rec)
    text = Text()
    if not findings:
        text.append(empty + "\n")
    for i, f in enumerate(findings[:TOP_FINDINGS], 1):
        _finding_lines(text, i, f, names)
    more = len(findings) - TOP_FINDINGS
    if more > 0:
        text.append(f"({more} more in the JSON, Markdown or HTML report)\n", style="dim")
    return Panel(text, title=title, title_align="left")


def _findings(rec: Recommendation) -> list[RenderableType]:
    names = candidate_names(rec)
    roles: dict[str, list[Finding]] = {}
    for f in rec.findings:
        roles.setdefault(role_of(f), []).append(f)
    lead = names.get(rec.leader or "", "the leader")
    ahead = "" if rec.strength in ("clear", "only_option") else ", ahead on points"
    others = [n for c, n in names.items() if c != rec.leader]
    parts: list[RenderableType] = [
        _reason_panel(
            rec,
            roles.get("for_leader", []),
            f"Reasons for {lead}{ahead} (rules that fired, by impact on the lead)",
            "No fired rule favours the leader.",
        ),
        _reason_panel(
            rec,
            sorted(roles.get("for_other", []), key=lambda f: f.impact),
            f"What speaks for {' or '.join(others) or 'the others'}",
            "No fired rule favours another option.",
        ),
    ]
    adjusted = roles.get("priority", [])
    quiet = roles.get("neutral", [])
    if adjusted or quiet:
        text = Text()
        for f in adjusted:
            moves = ", ".join(f"{w.criterion} {w.delta:+g}" for w in f.weight_changes)
            text.append(f"- {f.title}", style="bold").append(f" [{f.rule_id}]: weight {moves}\n")
        for f in quiet:
            text.append(f"- {f.title}", style="bold").append(
                f" [{f.rule_id}]: fired, moved no lead"
                + (f" (fact {f.fact}: counted once)" if f.fact and not f.counted else "")
                + "\n"
            )
        parts.append(Panel(text, title="How priorities were adjusted", title_align="left"))
    return parts


def _defaults(rec: Recommendation) -> RenderableType | None:
    if not rec.defaults_that_matter:
        return None
    text = Text()
    for c in rec.defaults_that_matter[:TOP_COUNTERFACTUALS]:
        result = change_outcome(rec, c)
        measured = " (measurements included)" if c.measured_effect else ""
        text.append(
            f"- You did not answer {c.question_id}; {c.description} -> {result}{measured}\n"
        )
    more = len(rec.defaults_that_matter) - TOP_COUNTERFACTUALS
    if more > 0:
        text.append(f"  ({more} more in the JSON report)\n", style="dim")
    return Panel(text, title="Defaults that matter", title_align="left")


def _advisories(rec: Recommendation) -> RenderableType | None:
    advised = [f for f in rec.findings if f.advisory]
    if not advised:
        return None
    text = Text()
    for f in advised:
        text.append(f"- {f.advisory}", style="bold")
        text.append(f"  [{f.rule_id}; {f.confidence} confidence; as of {f.as_of}]\n", style="dim")
        for url in f.sources:
            text.append(f"   {url}\n", style="cyan")
    return Panel(text, title="Advice (moves no score)", title_align="left")


def _vetoes(rec: Recommendation) -> RenderableType | None:
    if not rec.vetoes:
        return None
    names = candidate_names(rec)
    text = Text()
    for v in rec.vetoes:
        text.append(f"{names.get(v.candidate, v.candidate)} ruled out: ", style="bold red")
        text.append(f"{v.reason} [{v.rule_id}] {' '.join(v.sources)}\n")
    return Panel(text, title="Vetoes", title_align="left")


def _evidence(rec: Recommendation) -> RenderableType | None:
    if not rec.evidence:
        return None
    names = candidate_names(rec)
    columns = time_columns(rec)
    title = "Measurements used (ratio: the first named candidate's time / the second's)"
    left_out = [names[c] for c in unscored(rec)]
    if left_out:
        title += f"; {', '.join(left_out)} shown as measured, not scored by a ratio"
    table = Table(title=title, title_justify="left")
    table.add_column("machine")
    table.add_column("workload")
    for _, header in columns:
        table.add_column(header, justify="right", min_width=min(len(header), 12))
    table.add_column("ratio (95%)", no_wrap=True)
    table.add_column("verdict")
    for e in rec.evidence:
        pair = f"{names.get(e.numerator, e.numerator)} / {names.get(e.denominator, e.denominator)}"
        ratio = f"{pair}\n{e.ratio:.2f}" if e.ratio is not None else "-"
        if e.ratio_ci95:
            ratio += f"\n({e.ratio_ci95[0]:.2f}-{e.ratio_ci95[1]:.2f})"
        times = [time_of(e, c) for c, _ in columns]
        table.add_row(
            Text(e.machine),
            Text(f"{e.workload}{'' if e.variant == 'default' else ' ' + e.variant} ({e.purpose})"),
            *[Text(f"{seconds(t.median_s)}\n{t.mode}" if t else "not measured") for t in times],
            ratio,
            Text(
                names.get(e.verdict, e.verdict)
                + (" (unstable: widened, points halved)" if e.unstable and e.points else "")
            ),
        )
    sentences = [e.sentence for e in rec.evidence if e.sentence]
    if not sentences:
        return table
    return Group(table, Text("\n".join(f"- {line}" for line in sentences)))


def _changes(rec: Recommendation) -> RenderableType:
    names = candidate_names(rec)
    text = Text()
    rb = rec.robustness
    if rb.winner_share is not None:
        shares = ", ".join(f"{names.get(k, k)} {v:.0%}" for k, v in rb.shares.items())
        text.append("Robustness: ", style="bold").append(f"first places {shares}\n")
        text.append("Uncertainty model: ", style="bold").append(f"{rb.method}\n")
    if len(rec.pairwise) > 1:
        pairs = "; ".join(
            f"vs {names.get(p.other, p.other)} margin {p.margin:.2f}"
            + (f", ahead in {p.share:.0%}" if p.share is not None else "")
            for p in rec.pairwise
        )
        leader = names.get(rec.leader or "", rec.leader)
        text.append("Pairwise: ", style="bold").append(f"{leader} {pairs}\n")
    if not rec.counterfactuals:
        text.append("No single answer change or weight move within 0-10 flips the verdict.\n")
    for c in rec.counterfactuals[:TOP_COUNTERFACTUALS]:
        text.append(f"- {c.description} -> {change_outcome(rec, c)}\n")
    more = len(rec.counterfactuals) - TOP_COUNTERFACTUALS
    if more > 0:
        text.append(f"  ({more} more in the JSON report)\n", style="dim")
    return Panel(text, title="What would change the verdict", title_align="left")


def _paths(rec: Recommendation) -> RenderableType | None:
    if not rec.paths:
        return None
    table = Table(title="Deployment paths", title_justify="left")
    table.add_column("target")
    table.add_column("path")
    table.add_column("source")
    for p in rec.paths:
        kind = " (hybrid)" if p.kind == "hybrid" else ""
        table.add_row(
            Text(p.target_label + kind),
            Text(" -> ".join(p.steps) + "\n" + p.summary),
            Text(p.sources[0]),
        )
    return table


def renderables(rec: Recommendation) -> Group:
    """The details first and the summary last, so the verdict stays on screen."""
    view = summary.build(rec)
    parts: list[RenderableType | None] = [
        _top(rec, view),
        _scores(rec),
        *_findings(rec),
        _advisories(rec),
        _vetoes(rec),
        _evidence(rec),
        _changes(rec),
        _defaults(rec),
        _paths(rec),
        pathchecks.text_table(rec),
    ]
    if rec.notes:
        parts.append(Text("Notes:\n" + "\n".join(f"- {summary.plain(n)}" for n in rec.notes)))
    p = rec.provenance
    parts.append(
        Text(
            f"fwadvisor {p.tool_version}; {p.rule_count} rules ({p.rulebook_hash[:19]}), facts as of "
            f"{p.as_of_oldest} to {p.as_of_newest}; answers {p.answers_hash[:19]}",
            style="dim",
        )
    )
    parts += [_summary(rec, view), _verdict_line(view)]
    return Group(*[x for x in parts if x is not None])


def render(rec: Recommendation, width: int = 110) -> str:
    buf = StringIO()
    console = SafeConsole(file=buf, width=width, color_system=None, highlight=False, soft_wrap=False)
    console.print(renderables(rec))
    return buf.getvalue()
