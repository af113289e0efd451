"""A saved recommendation (the output of `recommend --format json`) read back for `report`."""

from __future__ import annotations

from pathlib import Path

from fwadvisor.errors import ReportError
from fwadvisor.models import Recommendation
from fwadvisor.validation import load_json_record

HINT = "report reads the output of `fwadvisor recommend --format json`"


def load_recommendation(path: Path) -> Recommendation:
    """Read and validate a recommendation JSON; each problem names file, line and field."""
    try:
        return load_json_record(path, "recommendation", Recommendation, ReportError)
    except ReportError as exc:
        raise ReportError(problems=exc.problems, hint=exc.hint or HINT) from None
