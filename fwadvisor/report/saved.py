"""A saved recommendation (the output of `recommend --format json`) read back for `report`.

Another fwadvisor file given by mistake (a probe file, a paths-check file, an answers file) is
named as what it is, with the command that reads it, instead of a list of schema errors.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fwadvisor.errors import FwAdvisorError, ReportError
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


def load_recommendation(path: Path) -> Recommendation:
    """Read and validate a recommendation JSON; each problem names file, line and field."""
    try:
        return load_json_record(path, "recommendation", Recommendation, ReportError)
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
