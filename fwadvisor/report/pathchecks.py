"""Deployment paths checked for real (`recommend --paths-check`): rows for every format."""

from __future__ import annotations

from dataclasses import dataclass

from rich.table import Table
from rich.text import Text

from fwadvisor.models import PathCheckItem, Recommendation


@dataclass(frozen=True)
class Row:
    path_id: str
    target: str
    candidate: str
    check: str
    model: str
    user_model: bool
    status: str
    size: str
    error: str
    latency: str
    reason: str


def _size(n: int | None) -> str:
    if n is None:
        return "-"
    return f"{n / 1024:.0f} KiB" if n < 1024 * 1024 else f"{n / 1024 / 1024:.1f} MiB"


def _latency(item: PathCheckItem) -> str:
    if item.latency_median_s is None:
        return "-"
    text = f"{item.latency_median_s * 1e3:.3g} ms"
    if item.latency_ci95_s:
        lo, hi = item.latency_ci95_s
        text += f" (95% CI {lo * 1e3:.3g}-{hi * 1e3:.3g})"
    return text


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
        out.append(
            Row(
                path_id=i.path_id,
                target=i.target,
                candidate=i.candidate,
                check=i.check,
                model=i.model,
                user_model=i.user_model,
                status=i.status,
                size=_size(i.artifact_bytes),
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


def text_table(rec: Recommendation) -> Table | None:
    if not rec.path_checks:
        return None
    table = Table(
        title="Deployment paths checked on " + "; ".join(machines(rec)),
        title_justify="left",
    )
    for col in ("path", "check", "model", "status", "size", "max error", "latency", "why"):
        table.add_column(col)
    for r in rows(rec):
        table.add_row(
            Text(r.path_id),
            Text(r.check),
            Text(r.model),
            Text(r.status),
            Text(r.size),
            Text(r.error),
            Text(r.latency),
            Text(r.reason),
        )
    return table
