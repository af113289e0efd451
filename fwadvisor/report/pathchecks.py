"""Deployment paths checked for real (`recommend --paths-check`): rows for every format."""

from __future__ import annotations

from rich.console import Group
from rich.table import Table
from rich.text import Text

from fwadvisor.models import PathCheckItem, Recommendation, is_noisy
from fwadvisor.records import Record, record
from fwadvisor.units import byte_size, latency_ms


@record
class Row(Record):
    """One path check as the reports show it."""

    paths: str
    targets: str
    candidate: str
    check: str
    title: str
    coverage: str
    model: str
    user_model: bool
    status: str
    size: str
    error: str
    latency: str
    reason: str


def _latency(item: PathCheckItem) -> str:
    noisy = is_noisy(item.latency_median_s, item.latency_ci95_s)
    return latency_ms(item.latency_median_s, item.latency_ci95_s, noisy=noisy)


def _error(item: PathCheckItem) -> str:
    if item.max_abs_err is None:
        return "-"
    return f"abs {item.max_abs_err:.2g}, rel {item.max_rel_err or 0:.2g}"


def rows(rec: Recommendation) -> list[Row]:
    out = []
    for i in rec.path_checks:
        reason = ""
        if i.status != "ok" and i.reason:
            reason = (f"[{i.stage}] " if i.stage else "") + i.reason_line
            if i.hint and i.user_model:
                reason += f" (fix: {i.hint})"
        out.append(
            Row(
                paths=", ".join(i.paths),
                targets=", ".join(i.targets),
                candidate=i.candidate,
                check=i.check,
                title=i.title,
                coverage="; ".join(i.coverage),
                model=i.model,
                user_model=i.user_model,
                status=i.status,
                size=byte_size(i.artifact_bytes),
                error=_error(i),
                latency=_latency(i),
                reason=reason,
            )
        )
    return out


def machines(rec: Recommendation) -> list[str]:
    """Where and when the checks ran, with the toolchain versions, one line per machine."""
    seen: dict[tuple[str, str], set[str]] = {}
    for i in rec.path_checks:
        versions = seen.setdefault((i.machine, f"{i.cpu}; {i.checked_at}"), set())
        versions.update(f"{k} {v}" for k, v in i.versions.items())
    return [
        f"{m} ({when}): {', '.join(sorted(v)) or 'no versions recorded'}"
        for (m, when), v in seen.items()
    ]


def _short_latency(item: Row) -> str:
    return item.latency.replace(" (95% CI ", " [").replace(")", "]")


def text_table(rec: Recommendation) -> Group | None:
    if not rec.path_checks:
        return None
    table = Table(title="Deployment paths checked on a machine", title_justify="left")
    for col in ("check", "model", "status", "size", "max error", "latency [95% CI]"):
        table.add_column(col)
    failures = []
    checked = rows(rec)
    for r in checked:
        model = r.model + (" (yours)" if r.user_model else "")
        table.add_row(
            Text(r.check),
            Text(model),
            Text(r.status),
            Text(r.size),
            Text(r.error),
            Text(_short_latency(r)),
        )
        if r.reason:
            failures.append(f"- {r.check} / {model}: {r.reason}")
    paths = sorted({(r.check, r.paths, r.coverage) for r in checked})
    notes = ["Checked on " + "; ".join(machines(rec)) + "."]
    notes += [f"{c} exercises {p}" + (f" ({cov})" if cov else "") for c, p, cov in paths]
    return Group(table, Text("\n".join(notes + failures)))
