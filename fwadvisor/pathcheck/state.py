"""The paths-check file while checks run: results so far, rewritten atomically after each."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path

from fwadvisor.errors import PathCheckError
from fwadvisor.fileio import write_atomic
from fwadvisor.fingerprint import Fingerprint
from fwadvisor.measurements.paths_file import CheckInfo, CheckResult, PathsCheckFile, PathsSettings
from fwadvisor.records import dump_json


@dataclass
class PathsState:
    """The path-check file being built, written atomically after every result."""

    output: Path
    settings: PathsSettings
    fingerprint: Fingerprint
    started: float = field(default_factory=time.monotonic)
    toolchains: dict[str, CheckInfo] = field(default_factory=dict)
    results: list[CheckResult] = field(default_factory=list)

    def add(self, result: CheckResult) -> None:
        self.results.append(result)

    def build(self, complete: bool) -> PathsCheckFile:
        return PathsCheckFile(
            complete=complete,
            wall_s=round(time.monotonic() - self.started, 3),
            fingerprint=self.fingerprint,
            settings=self.settings,
            toolchains=list(self.toolchains.values()),
            results=list(self.results),
        )

    def save(self, complete: bool = False) -> PathsCheckFile:
        doc = self.build(complete)
        try:
            # the CLI refused an existing file without --force before anything ran
            write_atomic(self.output, dump_json(doc, indent=1), force=True, what="paths-check")
        except OSError as exc:
            raise PathCheckError.at(f"cannot write: {exc.strerror}", self.output) from None
        return doc
