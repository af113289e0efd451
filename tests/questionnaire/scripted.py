"""A Terminal that replays typed lines and records what it was asked to show."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from fwadvisor.questionnaire.views import QuestionView, ReviewRow

CTRL_C = "<ctrl-c>"


@dataclass
class ScriptedTerminal:
    lines: list[str]
    views: list[QuestionView] = field(default_factory=list)
    said: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    sections: list[str] = field(default_factory=list)
    reviews: list[list[ReviewRow]] = field(default_factory=list)
    confirms: list[str] = field(default_factory=list)

    def _next(self) -> str:
        if not self.lines:
            raise AssertionError("the flow asked for more input than the script has")
        line = self.lines.pop(0)
        if line == CTRL_C:
            raise KeyboardInterrupt
        return line

    def section(self, title: str, description: str | None) -> None:
        self.sections.append(title)

    def ask(self, view: QuestionView) -> str:
        self.views.append(view)
        return self._next()

    def say(self, text: str) -> None:
        self.said.append(text)

    def warn(self, text: str) -> None:
        self.warnings.append(text)

    def confirm(self, text: str, default: bool) -> bool:
        self.confirms.append(text)
        answer = self._next().strip().lower()
        return default if not answer else answer.startswith("y")

    def text(self, prompt: str, default: str) -> str:
        return self._next().strip() or default

    def review(self, rows: Sequence[ReviewRow]) -> str:
        self.reviews.append(list(rows))
        return self._next()

    @property
    def positions(self) -> list[str]:
        return [f"{v.number}/{v.total} {v.prompt}" for v in self.views]
