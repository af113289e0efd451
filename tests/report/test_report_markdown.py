from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from fwadvisor.models import Recommendation
from fwadvisor.report.markdown_report import md_escape, md_link, render
from tests.report.report_fixture import HOSTILE, all_vetoed, build_recommendation, without_evidence

GOLDEN = Path(__file__).parent / "golden"
Golden = Callable[[Path, str], None]  # the `golden` fixture (tests/conftest.py)

SECTIONS = (
    "## Context and problem statement",
    "## Decision drivers",
    "## Considered options",
    "## Decision outcome",
    "### Reasons for PyTorch",
    "### What speaks for the other option",
    "### Hard requirements",
    "### Measurements used",
    "## Pros and cons of the options",
    "## Why not: vetoes",
    "## Robustness",
    "## Defaults that matter",
    "## What would change the verdict",
    "## Deployment paths",
    "## Revisit",
    "## Provenance",
)


def test_markdown_matches_golden(rec: Recommendation, golden: Golden) -> None:
    golden(GOLDEN / "recommendation.md", render(rec))


def test_markdown_without_evidence_matches_golden(rec: Recommendation, golden: Golden) -> None:
    golden(GOLDEN / "recommendation-no-evidence.md", render(without_evidence(rec)))


def test_markdown_has_every_section_in_order(rec: Recommendation) -> None:
    text = render(rec)
    positions = [text.index(s) for s in SECTIONS]
    assert positions == sorted(positions)


def test_user_text_only_escaped(rec: Recommendation) -> None:
    text = render(rec)
    assert HOSTILE not in text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text
    assert "PyTorch \\| a bit of \\*Keras\\*" in text  # a pipe in an answer stays in its cell


def test_tables_keep_their_column_count(rec: Recommendation) -> None:
    lines = render(rec).splitlines()
    for i, line in enumerate(lines):
        if re.fullmatch(r"\|(-+:?\|)+|\|(-*:?-+:?\|)+", line):
            width = _cells(lines[i - 1])
            for row in lines[i + 1 :]:
                if not row.startswith("|"):
                    break
                assert _cells(row) == width, row


def _cells(row: str) -> int:
    return len(re.findall(r"(?<!\\)\|", row)) - 1


def test_links_only_for_web_urls() -> None:
    assert (
        md_link("https://a.example/x_(y)")
        == "[https://a.example/x\\_(y)](https://a.example/x_%28y%29)"
    )
    assert md_link("javascript:alert(1)") == "javascript:alert(1)"
    assert md_link("not a url, a book") == "not a url, a book"


def test_escape_line_starts_and_mentions() -> None:
    assert md_escape("# title") == "\\# title"
    assert md_escape("- item") == "\\- item"
    assert md_escape("1. item") == "1\\. item"
    assert md_escape("ping @team") == "ping \\@team"
    assert md_escape("a\nb") == "a b"
    assert md_escape("-0.5") == "-0.5"


@given(st.text())
def test_escaped_text_cannot_open_markup(text: str) -> None:
    out = md_escape(text)
    assert "<" not in out and ">" not in out and "\n" not in out and "\r" not in out
    assert not re.search(r"(?<!\\)(?:\\\\)*[|*_`\[\]]", out.replace("\\\\", ""))


def test_renders_degenerate_recommendations() -> None:
    rec = all_vetoed(build_recommendation())
    text = render(rec)
    assert "# Framework decision: Untitled project" in text
    assert "every candidate was ruled out" in text
