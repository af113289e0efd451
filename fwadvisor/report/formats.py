"""The registry of report formats: each renders a Recommendation to a string."""

from __future__ import annotations

from collections.abc import Callable

from fwadvisor.models import Recommendation
from fwadvisor.report import html_report, json_report, markdown_report, text_report

Renderer = Callable[[Recommendation], str]

FORMATS: dict[str, Renderer] = {
    "text": text_report.render,
    "json": json_report.render,
    "markdown": markdown_report.render,
    "html": html_report.render,
}

SUFFIX: dict[str, str] = {"text": ".txt", "json": ".json", "markdown": ".md", "html": ".html"}
"""File name suffix per format (a test checks both tables name the same formats)."""


def render(rec: Recommendation, fmt: str) -> str:
    return FORMATS[fmt](rec)
