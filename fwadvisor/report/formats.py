"""The registry of report formats: each renders a Recommendation to a string. A format's
module is imported when it is used (`recommend` to the terminal never loads the HTML report's
templates and charts)."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from fwadvisor.models import Recommendation

Renderer = Callable[["Recommendation"], str]

MODULES: dict[str, str] = {
    "text": "fwadvisor.report.text_report",
    "json": "fwadvisor.report.json_report",
    "markdown": "fwadvisor.report.markdown_report",
    "html": "fwadvisor.report.html_report",
}
"""Each format's module, whose `render(rec) -> str` renders it."""

FORMATS: tuple[str, ...] = tuple(MODULES)

SUFFIX: dict[str, str] = {"text": ".txt", "json": ".json", "markdown": ".md", "html": ".html"}
"""File name suffix per format (a test checks both tables name the same formats)."""


def renderer(fmt: str) -> Renderer:
    """The render function of format `fmt` (KeyError for an unknown one)."""
    render: Renderer = importlib.import_module(MODULES[fmt]).render
    return render


def render(rec: Recommendation, fmt: str) -> str:
    return renderer(fmt)(rec)
