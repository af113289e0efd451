from __future__ import annotations

import re
from dataclasses import replace
from html.parser import HTMLParser

import pytest

from fwadvisor.models import Recommendation
from fwadvisor.report.html_report import render
from tests.report.report_fixture import HOSTILE, all_vetoed, build_recommendation, without_evidence

SECTIONS = (
    "at-a-glance",
    "context",
    "drivers",
    "options",
    "outcome",
    "measurements",
    "pros-cons",
    "vetoes",
    "robustness",
    "changes",
    "paths",
    "revisit",
    "provenance",
)
RESOURCE_ATTRS = {"src", "srcset", "poster", "data", "background", "action", "formaction"}


class Page(HTMLParser):
    """Collects what the assertions need: ids, tags, resource references, style text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: list[str] = []
        self.tags: list[str] = []
        self.resources: list[str] = []
        self.styles: list[str] = []
        self.text: list[str] = []
        self.svgs: list[str] = []
        self._in_style = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        values = dict(attrs)
        if values.get("id"):
            self.ids.append(str(values["id"]))
        if tag == "svg":
            self.svgs.append(str(values.get("aria-label")))
        for name, value in attrs:
            value = value or ""
            if name in RESOURCE_ATTRS or name.startswith("on"):
                self.resources.append(f"{tag}[{name}]={value}")
            if name in {"href", "xlink:href"} and tag != "a" and not value.startswith("#"):
                self.resources.append(f"{tag}[{name}]={value}")
            if name == "style":
                self.styles.append(value)
        self._in_style = tag == "style"

    def handle_endtag(self, tag: str) -> None:
        self._in_style = False

    def handle_data(self, data: str) -> None:
        (self.styles if self._in_style else self.text).append(data)


def parse(html: str) -> Page:
    page = Page()
    page.feed(html)
    page.close()
    return page


@pytest.fixture(scope="module")
def html() -> str:
    return render(build_recommendation())


def test_every_section_is_there(html: str) -> None:
    page = parse(html)
    for section in SECTIONS:
        assert section in page.ids, section
    assert len(page.ids) == len(set(page.ids)), "ids are unique, charts included"


def test_charts_are_inline_svg(html: str) -> None:
    page = parse(html)
    assert {"chart-scores", "chart-times", "chart-ratios"} <= set(page.ids)
    assert len(page.svgs) == 3
    assert "img" not in page.tags and "object" not in page.tags and "iframe" not in page.tags
    assert "<?xml" not in html and "<!DOCTYPE svg" not in html


def test_no_external_resource_and_no_script(html: str) -> None:
    page = parse(html)
    assert page.resources == []
    assert "script" not in page.tags and "link" not in page.tags
    for css in page.styles:
        assert not re.search(r"url\(\s*['\"]?(?!#)", css), css
        assert "@import" not in css and "@font-face" not in css
    assert not re.search(r"url\(\s*['\"]?(https?:)?//", html)


def test_links_are_only_web_sources(html: str) -> None:
    hrefs = re.findall(r'<a href="([^"]*)"', html)
    assert hrefs and all(h.startswith("https://") for h in hrefs)
    assert 'href="not a url' not in html


def test_user_text_only_escaped(html: str) -> None:
    assert HOSTILE not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert HOSTILE in "".join(parse(html).text)  # shown to the reader, as text


def test_verdict_and_reasons_at_a_glance(html: str) -> None:
    glance = html[html.index('id="at-a-glance"') : html.index('id="context"')]
    assert "Recommended: PyTorch" in glance and "as of 2025-03-01" in glance
    # the one-page summary leaves sources and charts to the full record, which follows
    record = html[html.index('id="outcome"') :]
    assert "paperswithcode.com/trends" in record
    assert 'id="chart-scores"' in html[html.index('id="options"') :]


def test_the_record_after_the_summary_is_collapsible(html: str) -> None:
    record = html[html.index('id="context"') :]
    for section in ("context", "outcome", "measurements", "paths", "provenance"):
        assert f'<section id="{section}"><details>' in html
    assert record.count("<details>") >= 13
    assert "@page { size: A4" in html and "#at-a-glance { break-after: page; }" in html


def test_print_styles_present(html: str) -> None:
    assert "@media print" in html


def test_output_is_deterministic() -> None:
    assert render(build_recommendation()) == render(build_recommendation())


def test_without_evidence_there_are_no_measurement_charts() -> None:
    page = parse(render(without_evidence(build_recommendation())))
    assert "chart-scores" in page.ids
    assert "chart-times" not in page.ids and "chart-ratios" not in page.ids


@pytest.mark.parametrize("variant", [all_vetoed, without_evidence])
def test_degenerate_recommendations_render(variant: object) -> None:
    rec: Recommendation = variant(build_recommendation())  # type: ignore[operator]
    page = parse(render(rec))
    assert set(SECTIONS) <= set(page.ids)


def test_dollar_and_markup_in_chart_labels_stay_literal() -> None:
    rec = build_recommendation()
    html = render(rec)
    assert "laptop $HOME (cpu)" in html  # no mathtext
    odd = replace(rec, **{"evidence": [replace(e, **{"machine": "<b>&x"}) for e in rec.evidence]})
    assert "<b>&x" not in render(odd)
