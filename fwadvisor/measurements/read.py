"""Read a probe file back: parse, validate against the schema, then cross-check its fields."""

from __future__ import annotations

from pathlib import Path

from fwadvisor.errors import ProbeError
from fwadvisor.measurements import consistency
from fwadvisor.measurements.schema import PROBE_SCHEMA_VERSION, ProbeFile
from fwadvisor.validation import load_json_record


def load_probe_file(path: Path) -> ProbeFile:
    """Read and check a probe file; every problem is a ProbeError naming file and field."""
    probe = load_json_record(
        path,
        "probe file",
        ProbeFile,
        ProbeError,
        schema_version=PROBE_SCHEMA_VERSION,
        rerun="re-run `fwadvisor probe` with this version of fwadvisor",
    )
    problems = consistency.check(probe, str(path))
    if problems:
        raise ProbeError(
            problems=problems, hint="the file looks edited or truncated; re-run the probe"
        )
    return probe
