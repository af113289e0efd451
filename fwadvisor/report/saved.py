"""A saved recommendation (the output of `recommend --format json`) read back for `report`."""

from __future__ import annotations

from pathlib import Path

from fwadvisor.errors import ReportError
from fwadvisor.models import Recommendation
from fwadvisor.validation import validate
from fwadvisor.yamlio import load_json

HINT = "report reads the output of `fwadvisor recommend --format json`"


def load_recommendation(path: Path) -> Recommendation:
    """Read and validate a recommendation JSON; each problem names file, line and field."""
    doc = load_json(path, "recommendation")
    if not isinstance(doc.data, dict):
        raise ReportError.at(
            f"a recommendation must be a JSON object, not {type(doc.data).__name__}", path, 1
        )
    try:
        return validate(Recommendation, doc.data, doc, ReportError)
    except ReportError as exc:
        raise ReportError(problems=exc.problems, hint=HINT) from None
