"""The pydantic base of the records only some commands touch: probe files and suites, path-check
files, worker messages. (The records every `recommend` builds are dataclasses: see records.py.)"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class Record(BaseModel):
    """Frozen, unknown keys rejected; validators are built on first use (defer_build)."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)
