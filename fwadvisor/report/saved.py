"""A saved recommendation (the output of `recommend --format json`) read back for `report`.

Another fwadvisor file given by mistake (a probe file, a paths-check file, an answers file) is
named as what it is, with the command that reads it, instead of a list of schema errors.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fwadvisor.errors import FwAdvisorError, Problem, ReportError
from fwadvisor.models import Recommendation
from fwadvisor.validation import load_json_record
from fwadvisor.yamlio import load_document

HINT = "report reads the output of `fwadvisor recommend --format json`"
OTHER_FILES: tuple[tuple[str, frozenset[str], str], ...] = (
    (
        "a probe file",
        frozenset({"fingerprint", "measurements"}),
        "fwadvisor recommend --probe FILE",
    ),
    ("a probe file", frozenset({"fingerprint", "noise"}), "fwadvisor recommend --probe FILE"),
    (
        "a paths-check file",
        frozenset({"fingerprint", "results"}),
        "fwadvisor recommend --paths-check FILE",
    ),
    (
        "a paths-check file",
        frozenset({"fingerprint", "toolchains"}),
        "fwadvisor recommend --paths-check FILE",
    ),
    ("an answers file", frozenset({"answers"}), "fwadvisor recommend --answers FILE"),
)


def kind_of(data: Any) -> tuple[str, str] | None:
    """What another fwadvisor file is, and the command that reads it; None if it is not one."""
    if not isinstance(data, dict) or "ranking" in data:
        return None
    for what, keys, command in OTHER_FILES:
        if keys <= data.keys():
            return what, command
    return None


def _unknown_candidates(rec: Recommendation) -> list[tuple[str, tuple[str | int, ...], str]]:
    """(message, location, field) for every candidate the file names but did not rank, and
    every ranked one without its scores: the reports look each of them up."""
    ranked = [r.candidate for r in rec.ranking]
    known = set(ranked)
    found: list[tuple[str, tuple[str | int, ...], str]] = []
    for i, c in enumerate(ranked):
        if c in ranked[:i]:
            found.append((f"candidate {c!r} is ranked twice", ("ranking", i), f"ranking[{i}]"))
    for name in ("winner", "leader"):
        value = getattr(rec, name)
        if value is not None and value not in known:
            found.append((f"{value!r} is not a ranked candidate", (name,), name))
    for i, c in enumerate(rec.candidates):
        if c not in known:
            found.append(
                (f"{c!r} is not a ranked candidate", ("candidates", i), f"candidates[{i}]")
            )
    criteria = {w.criterion for w in rec.weights}
    for c in ranked:
        missing = criteria - set(rec.scores.get(c, {}))
        if missing:
            what = (
                f"no scores for {c!r}" if c not in rec.scores else f"{c!r} lacks {sorted(missing)}"
            )
            found.append((what, ("scores",), "scores"))
    for c in rec.scores:
        if c not in known:
            found.append((f"{c!r} is not a ranked candidate", ("scores", c), f"scores.{c}"))
    for kind in ("counterfactuals", "defaults_that_matter"):
        for i, cf in enumerate(getattr(rec, kind)):
            if cf.new_winner is not None and cf.new_winner not in known:
                where = f"{kind}[{i}].new_winner"
                found.append((f"{cf.new_winner!r} is not a ranked candidate", (kind, i), where))
    for i, pair in enumerate(rec.pairwise):
        for end in ("leader", "other"):
            c = getattr(pair, end)
            if c not in known:
                where = f"pairwise[{i}].{end}"
                found.append((f"{c!r} is not a ranked candidate", ("pairwise", i), where))
    return found


def _cross_check(rec: Recommendation, path: Path) -> Recommendation:
    found = _unknown_candidates(rec)
    if not found:
        return rec
    doc = load_document(path, "recommendation")
    raise ReportError(
        problems=[
            Problem(message=message, file=str(path), line=doc.line_of(loc), field=field)
            for message, loc, field in found
        ],
        hint=HINT,
    )


def load_recommendation(path: Path) -> Recommendation:
    """Read and validate a recommendation JSON; each problem names file, line and field."""
    try:
        rec = load_json_record(path, "recommendation", Recommendation, ReportError)
    except ReportError as exc:
        try:
            other = kind_of(load_document(path, "file").data)
        except FwAdvisorError:
            other = None
        if other is not None:
            what, command = other
            raise ReportError.at(
                f"this is {what}, not a saved recommendation; pass it to {command}",
                path,
                1,
                hint=HINT,
            ) from None
        raise ReportError(problems=exc.problems, hint=exc.hint or HINT) from None
    return _cross_check(rec, path)
