"""A rich console whose output from data never carries raw control characters.

Every print, table and panel on `SafeConsole` passes through `terminaltext.escape_controls`
where rich turns renderables into text; rich's own styling (colour, bold) is not data and
passes. Kept apart from `terminaltext` because importing rich's console is a noticeable part
of start-up: commands import this module only where they print with rich.
"""

from __future__ import annotations

from collections.abc import Iterable

from rich.console import Console, ConsoleOptions, RenderableType
from rich.segment import Segment

from fwadvisor.terminaltext import UNSAFE, escape_controls


class SafeConsole(Console):
    """A rich console whose output from data never carries raw control characters."""

    def render(
        self, renderable: RenderableType, options: ConsoleOptions | None = None
    ) -> Iterable[Segment]:
        for segment in super().render(renderable, options):
            if segment.control or not UNSAFE.search(segment.text):
                yield segment
            else:
                yield Segment(escape_controls(segment.text), segment.style)
