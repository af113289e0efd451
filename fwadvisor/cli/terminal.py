"""The real terminal: rich output, line input (with readline editing where available).

Plain numbered lists and typed answers work in any terminal, over ssh, in tmux and
without colour; nothing depends on arrow keys.
"""

from __future__ import annotations

import contextlib
from collections.abc import Sequence

from rich import box
from rich.columns import Columns
from rich.console import Console
from rich.padding import Padding
from rich.table import Table
from rich.text import Text

from fwadvisor.questionnaire.parse import Invalid, parse_yes_no
from fwadvisor.questionnaire.views import QuestionView, ReviewRow
from fwadvisor.terminalconsole import SafeConsole
from fwadvisor.terminaltext import escape_controls


class RichTerminal:
    def __init__(self, console: Console | None = None) -> None:
        self.console = console or SafeConsole(highlight=False)
        self._last: QuestionView | None = None
        with contextlib.suppress(ImportError):  # line editing and history for input()
            import readline  # noqa: F401

    def _read(self, prompt: Text) -> str:
        # the prompt goes through input() itself, unstyled: readline then knows where the
        # line starts, and Ctrl-C right after the prompt appears is not lost
        return input(escape_controls(prompt.plain))

    def ask(self, view: QuestionView) -> str:
        if view != self._last:  # asked again after help or a mistake: only the input line
            self._show(view)
        self._last = view
        prompt = Text(f"  {view.hint}", style="dim")
        if view.default is not None:
            prompt.append(f" [{view.default}]", style="cyan")
        prompt.append(": ")
        return self._read(prompt)

    def _show(self, view: QuestionView) -> None:
        head = Text(f"({view.number} of {view.total}) ", style="dim")
        head.append(view.prompt, style="bold")
        self.console.print()
        self.console.print(head)
        multi = view.kind == "multi"
        for i, label in enumerate(view.choices):
            on = i in view.marked
            mark = ("[x]" if on else "[ ]") if multi else ("*" if on else " ")
            line = Text(f"  {mark} {i + 1:>2}  ")
            line.append(label, style="bold" if on else "")
            self.console.print(line)
        if view.details:
            details = Columns([Text(d) for d in view.details], padding=(0, 4))
            self.console.print(Padding(details, (0, 0, 0, 4)))

    def section(self, title: str, description: str | None) -> None:
        self._last = None
        self.console.print()
        self.console.rule(Text(title, style="bold"), align="left")
        if description:
            self.console.print(Text(description, style="dim"))

    def say(self, text: str) -> None:
        self.console.print(Text(f"  {text}"))

    def warn(self, text: str) -> None:
        self.console.print(Text(f"  ! {text}", style="yellow"))

    def confirm(self, text: str, default: bool) -> bool:
        prompt = Text(f"{text} ")
        prompt.append("[Y/n]" if default else "[y/N]", style="cyan")
        prompt.append(": ")
        while True:
            answer = self._read(prompt).strip()
            if not answer:
                return default
            choice = parse_yes_no(answer)
            if not isinstance(choice, Invalid):
                return choice
            self.warn(choice.message)

    def text(self, prompt: str, default: str) -> str:
        line = Text(f"{prompt} ")
        line.append(f"[{default}]", style="cyan")
        line.append(": ")
        return self._read(line).strip() or default

    def review(self, rows: Sequence[ReviewRow]) -> str:
        self._last = None
        table = Table(box=box.SIMPLE_HEAD, show_header=False, pad_edge=False, expand=True)
        table.add_column("#", justify="right", width=3)
        table.add_column("question", ratio=3, no_wrap=True, overflow="ellipsis")
        table.add_column("answer", ratio=2)
        section = None
        for row in rows:
            if row.section != section:
                section = row.section
                table.add_row("", Text(section, style="bold underline"), "")
            answer = Text(row.answer)
            if row.note:
                answer.append(f" ({row.note})", style="dim")
            table.add_row(str(row.number), Text(row.prompt), answer)
        self.console.print()
        self.console.rule(Text("Your answers", style="bold"), align="left")
        self.console.print(table)
        return self._read(Text("Enter to finish, or a number to change that answer: "))
