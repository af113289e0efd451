"""The user-error hierarchy and exit codes.

Every error a user can cause derives from FwAdvisorError; the CLI's one handler turns it into
a message (one problem per line, each naming file, line and field) and an exit code.
"""

from __future__ import annotations

from enum import IntEnum
from pathlib import Path

from fwadvisor.records import Record, record

MAX_SHOWN = 50
"""Most problems one message lists (the rest are counted): a file with 20,000 unknown keys
gets a readable message, not 20,000 lines."""


class ExitCode(IntEnum):
    OK = 0
    INTERNAL = 1
    BAD_INPUT = 2
    PROBE_FAILED = 3
    RULE_TESTS_FAILED = 4
    STALE_FACTS = 5  # `rules audit --strict`: some rule or path is older than --max-age
    VERDICT_DIFFERS = 6  # `recommend --expect X`: X is not the recommended framework
    SOME_NODES_FAILED = 7  # `probe --ray`: a kind's run failed, was lost or timed out
    INTERRUPTED = 130


@record
class Problem(Record):
    """One thing wrong with one place of one input."""

    message: str
    file: str | None = None
    line: int | None = None
    column: int | None = None
    field: str | None = None

    def render(self) -> str:
        where = ""
        if self.file:
            where = self.file
            if self.line is not None:
                where += f":{self.line}"
                if self.column is not None:
                    where += f":{self.column}"
            where += ": "
        field = f"{self.field}: " if self.field else ""
        return f"{where}{field}{self.message}"


class FwAdvisorError(Exception):
    """A problem the user can fix; never shown with a traceback."""

    exit_code: ExitCode = ExitCode.BAD_INPUT

    def __init__(
        self,
        message: str | None = None,
        *,
        problems: list[Problem] | None = None,
        hint: str | None = None,
    ) -> None:
        self.problems: list[Problem] = list(problems or [])
        if message is not None and not self.problems:
            self.problems.append(Problem(message=message))
        self.hint = hint
        super().__init__(self.render())

    @classmethod
    def at(
        cls,
        message: str,
        file: str | Path | None = None,
        line: int | None = None,
        field: str | None = None,
        hint: str | None = None,
    ) -> FwAdvisorError:
        return cls(
            problems=[
                Problem(message=message, file=str(file) if file else None, line=line, field=field)
            ],
            hint=hint,
        )

    def render(self) -> str:
        lines = [p.render() for p in self.problems[:MAX_SHOWN]]
        if len(self.problems) > MAX_SHOWN:
            lines.append(f"... and {len(self.problems) - MAX_SHOWN} more problems")
        if self.hint:
            lines.append(f"hint: {self.hint}")
        return "\n".join(lines)


class InputFileError(FwAdvisorError):
    """A file could not be read or parsed (missing, not YAML/JSON, too large)."""


class RulebookError(FwAdvisorError):
    """The rulebook is invalid."""


class AnswersError(FwAdvisorError):
    """An answers file or --set value is invalid."""


class ProbeError(FwAdvisorError):
    """A probe file is invalid or a probe was asked for something impossible."""


class ProbeRunError(FwAdvisorError):
    """The probe could not run at all."""

    exit_code = ExitCode.PROBE_FAILED


class OutputFileError(FwAdvisorError):
    """An output file (report, answers, probe file, cache entry) could not be written."""


class ReportError(FwAdvisorError):
    """A report could not be rendered or written."""


class PathCheckError(FwAdvisorError):
    """A paths request, user model or paths-check file is invalid (exit 2)."""


class UsageError(FwAdvisorError):
    """A command-line option is wrong."""
