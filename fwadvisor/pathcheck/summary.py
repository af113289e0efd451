"""Terminal views of paths and path-check results (rich tables, no I/O)."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text

from fwadvisor.measurements.paths_diagnosis import diagnose, first_meaningful_line
from fwadvisor.measurements.paths_file import CheckResult, PathsCheckFile
from fwadvisor.pathcheck.schema import Catalog
from fwadvisor.rulebook.model import Rulebook
from fwadvisor.rulebook.schema import DeploymentPath
from fwadvisor.units import byte_size, latency_ms


def checks_of(catalog: Catalog, path_id: str) -> list[tuple[str, str | None]]:
    return [(c.id, p.note) for c in catalog.checks for p in c.paths if p.id == path_id]


def paths_table(book: Rulebook, catalog: Catalog) -> Table:
    table = Table(title="Deployment paths", title_justify="left")
    for col in ("id", "target", "candidate", "kind", "pref", "as_of", "checked by"):
        table.add_column(col)
    for p in book.paths:
        checks = ", ".join(c for c, _ in checks_of(catalog, p.id)) or "-"
        table.add_row(p.id, p.target, p.candidate, p.kind, str(p.preference), str(p.as_of), checks)
    return table


def path_detail(p: DeploymentPath, catalog: Catalog) -> list[str]:
    lines = [
        f"{p.id}: {p.summary}",
        f"target: {p.target}   candidate: {p.candidate}   kind: {p.kind}   preference: {p.preference}",
        f"as_of: {p.as_of}   confidence: {p.confidence}",
        "steps:",
        *[f"  {i}. {s}" for i, s in enumerate(p.steps, 1)],
        "sources:",
        *[f"  - {s}" for s in p.sources],
    ]
    checks = checks_of(catalog, p.id)
    lines.append("checked by: " + ("" if checks else "no check (`fwadvisor paths check` skips it)"))
    by_id = {c.id: c for c in catalog.checks}
    for cid, note in checks:
        lines.append(f"  - {cid}: {by_id[cid].title}" + (f" ({note})" if note else ""))
    return lines


def fmt_latency(r: CheckResult) -> str:
    return latency_ms(r.latency_median_s, r.latency_ci95_s, noisy=bool(r.latency_noisy))


def fmt_err(x: float | None) -> str:
    return "-" if x is None else f"{x:.2g}"


def short_reason(r: CheckResult, width: int = 160) -> str:
    """The stage, the converter's first meaningful line and, where the cause is known, the
    fix (a hint is never cut)."""
    if not r.reason:
        return ""
    if r.status != "failed":
        return first_meaningful_line(r.reason)[:width]
    found = diagnose(r.stage, r.reason, r.framework)
    where = f"[{r.stage}] " if r.stage else ""
    fix = f" (fix: {found.hint})" if found.hint and r.model == "user" else ""
    return (where + found.line)[:width] + fix


def results_table(doc: PathsCheckFile) -> Table:
    table = Table(title="Deployment paths checked on this machine", title_justify="left")
    for col in (
        "check",
        "model",
        "status",
        "convert",
        "size",
        "max abs err",
        "max rel err",
        "latency (median [95% CI])",
        "reason",
    ):
        table.add_column(col)
    for r in doc.results:
        table.add_row(
            r.check,
            r.model,
            r.status,
            "-" if r.convert_s is None else f"{r.convert_s:.1f} s",
            byte_size(r.artifact_bytes),
            fmt_err(r.max_abs_err),
            fmt_err(r.max_rel_err),
            fmt_latency(r),
            Text(short_reason(r)),
        )
    return table


def pass_lines(doc: PathsCheckFile) -> list[str]:
    """Per check: which models went through, which did not, which were skipped."""
    by_check: dict[str, list[CheckResult]] = {}
    for r in doc.results:
        by_check.setdefault(r.check, []).append(r)
    lines = []
    for check, results in by_check.items():
        ok = [r.model for r in results if r.status == "ok"]
        failed = [r.model for r in results if r.status == "failed"]
        skipped = [r.model for r in results if r.status == "skipped"]
        if skipped and not ok and not failed:
            lines.append(f"{check}: skipped ({short_reason(results[0])})")
            continue
        line = f"{check}: {len(ok)}/{len(results)} models passed"
        if failed:
            line += f" (failed: {', '.join(failed)})"
        lines.append(line)
    return lines
