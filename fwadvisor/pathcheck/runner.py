"""Run each check in its own worker process, model after model, with a timeout.

A converter that segfaults or hangs costs the model it was on (failed, with the stage and
the reason); a fresh worker does the remaining models. A missing toolchain skips the check
with its install hint. After every result the file is rewritten atomically, so Ctrl-C keeps
what was checked.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from fwadvisor.measurements.paths_file import CheckInfo, CheckResult, result_problems
from fwadvisor.pathcheck.protocol import (
    CheckSpec,
    Done,
    Hello,
    Result,
    Stage,
    Start,
    Unavailable,
    decode,
)
from fwadvisor.pathcheck.schema import CheckDef, FrameworkDef
from fwadvisor.pathcheck.state import PathsState
from fwadvisor.workers.process import Ended, WorkerProcess, WorkerTimeout

DEFAULT_WORKER = (sys.executable, "-m", "fwadvisor.pathcheck.worker")


class Reporter(Protocol):
    def working(self, label: str) -> None: ...
    def advance(self) -> None: ...


class SilentReporter:
    def working(self, label: str) -> None: ...
    def advance(self) -> None: ...


@dataclass
class CheckRunner:
    """Runs each check in fresh worker processes and records every result as it comes."""

    state: PathsState
    folder: Path
    frameworks: dict[str, FrameworkDef]
    workdir: Path
    env: dict[str, str]
    reporter: Reporter = field(default_factory=SilentReporter)
    worker_cmd: Sequence[str] = DEFAULT_WORKER

    def run(self, checks: Sequence[CheckDef], models: Sequence[str]) -> None:
        for check in checks:
            pending = list(models)
            while pending:
                pending = self._one_worker(check, pending)

    def _spec(self, check: CheckDef, models: list[str]) -> CheckSpec:
        s = self.state.settings
        user = s.user_model
        return CheckSpec(
            check=check,
            framework=self.frameworks[check.framework],
            folder=str(self.folder),
            models=models,
            user_file=user.file if user else None,
            user_factory=user.factory if user else None,
            workdir=str(self.workdir / check.id),
            threads=s.threads,
        )

    def _record(self, result: CheckResult) -> None:
        self.state.add(result)
        self.state.save()
        self.reporter.advance()

    def _fail(self, check: CheckDef, model: str, stage: str | None, reason: str) -> None:
        self._record(
            check.result(
                model, "failed", stage=stage, reason=reason, rel_tolerance=check.rel_tolerance
            )
        )

    def _one_worker(self, check: CheckDef, pending: list[str]) -> list[str]:
        """Run a worker over the pending models; return those a fresh worker must do."""
        timeout = check.timeout_s or self.state.settings.timeout_s
        worker = WorkerProcess(self.worker_cmd, self.env, self._spec(check, pending), decode)
        current: str | None = None
        stage: str | None = None
        try:
            for msg in worker.messages(timeout):
                if isinstance(msg, Hello):
                    self.state.toolchains[check.id] = CheckInfo(
                        check=check.id, versions=msg.versions
                    )
                elif isinstance(msg, Unavailable):
                    self.state.toolchains[check.id] = CheckInfo(
                        check=check.id, available=False, error=msg.reason
                    )
                    for model in pending:
                        self._record(check.result(model, "skipped", reason=msg.reason))
                    return []
                elif isinstance(msg, Start):
                    current, stage = msg.model, "build"
                    self.reporter.working(f"{check.id}: {msg.model}")
                elif isinstance(msg, Stage):
                    stage = msg.stage
                    self.reporter.working(f"{check.id}: {msg.model} ({msg.stage})")
                elif isinstance(msg, Result):
                    odd = self._implausible(msg.result, check, pending)
                    if odd:
                        worker.kill()
                        why = f"implausible reply from the worker ({odd})"
                        return self._lost(check, pending, current, stage, why)
                    self._record(msg.result)
                    pending = [m for m in pending if m != msg.result.model]
                    current = None
                elif isinstance(msg, Done):
                    return []
                elif isinstance(msg, Ended):
                    return self._lost(check, pending, current, stage, msg.reason)
        except WorkerTimeout:
            worker.kill()
            why = f"timed out: no progress for {timeout:.0f} s (the toolchain hung)"
            return self._lost(check, pending, current, stage, why)
        finally:
            worker.close()
        return []

    @staticmethod
    def _implausible(result: CheckResult, check: CheckDef, pending: list[str]) -> str:
        """Why a reply cannot be this worker's result, or ""."""
        if result.check != check.id or result.model not in pending:
            return f"a result for {result.check}/{result.model}, which it was not running"
        return "; ".join(f"{field} {why}" for field, why in result_problems(result))

    def _lost(
        self,
        check: CheckDef,
        pending: list[str],
        current: str | None,
        stage: str | None,
        reason: str,
    ) -> list[str]:
        """The worker died: the model it was on fails; before any model, all of them do."""
        if current is None:
            for model in pending:
                self._fail(check, model, None, reason)
            return []
        where = f" during {stage}" if stage else ""
        self._fail(check, current, stage, f"{reason}{where}")
        return [m for m in pending if m != current]
