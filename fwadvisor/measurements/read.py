"""Read a probe file back: parse, validate against the schema, then cross-check its fields."""

from __future__ import annotations

from pathlib import Path

from pydantic import ValidationError

from fwadvisor.errors import FwAdvisorError, ProbeError
from fwadvisor.measurements import consistency
from fwadvisor.measurements.schema import PROBE_SCHEMA_VERSION, ProbeFile
from fwadvisor.validation import problems_from
from fwadvisor.yamlio import load_json


def load_probe_file(path: Path) -> ProbeFile:
    """Read and check a probe file; every problem is a ProbeError naming file and field."""
    source = str(path)
    try:
        doc = load_json(path, "probe file")
    except FwAdvisorError as exc:
        raise ProbeError(problems=exc.problems, hint=exc.hint) from None
    data = doc.data
    if not isinstance(data, dict):
        raise ProbeError.at("a probe file must be a JSON object", source)
    version = data.get("schema_version")
    if version != PROBE_SCHEMA_VERSION:
        raise ProbeError.at(
            f"schema version {version!r} is not supported (this fwadvisor reads "
            f"{PROBE_SCHEMA_VERSION})",
            source,
            field="schema_version",
            hint="re-run `fwadvisor probe` with this version of fwadvisor",
        )
    try:
        probe = ProbeFile.model_validate(data)
    except ValidationError as exc:
        raise ProbeError(problems=problems_from(exc, doc)) from None
    problems = consistency.check(probe, source)
    if problems:
        raise ProbeError(
            problems=problems, hint="the file looks edited or truncated; re-run the probe"
        )
    return probe
