"""Open the HTML report in a real headless Chromium: it loads offline and draws the charts."""

from __future__ import annotations

import re
import struct
from collections.abc import Iterator
from pathlib import Path

import pytest

from fwadvisor.report.html_report import render
from tests.report.browser import CHROMIUM, Browser, chromium
from tests.report.examples import STEMS, example_recommendation
from tests.report.report_fixture import build_recommendation

pytestmark = [
    pytest.mark.chromium,
    pytest.mark.skipif(
        CHROMIUM is None,
        reason="headless Chromium not found (/usr/bin/chromium); install Debian's `chromium`",
    ),
]


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Browser]:
    """One Chromium for every page this module prints."""
    b = Browser(tmp_path_factory.mktemp("chromium-profile"))
    try:
        yield b
    finally:
        b.close()


@pytest.fixture
def page(tmp_path: Path) -> Path:
    path = tmp_path / "report.html"
    path.write_text(render(build_recommendation()), encoding="utf-8")
    return path


def test_dom_after_load_shows_verdict_and_charts(page: Path, tmp_path: Path) -> None:
    done = chromium(tmp_path, "--dump-dom", page.as_uri())
    assert done.returncode == 0, done.stderr[-2000:]
    dom = done.stdout
    assert "Recommended: PyTorch" in dom
    assert dom.count("<svg") == 3
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in dom  # still text after parsing


def test_screenshot_is_taken(page: Path, tmp_path: Path) -> None:
    shot = tmp_path / "report.png"
    done = chromium(tmp_path, f"--screenshot={shot}", "--window-size=1280,2000", page.as_uri())
    assert done.returncode == 0 and shot.exists(), done.stderr[-2000:]
    header = shot.read_bytes()[:24]
    assert header[:8] == b"\x89PNG\r\n\x1a\n"
    assert struct.unpack(">II", header[16:24]) == (1280, 2000)


def _pages(pdf: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page(?![s\w])", pdf))


def _on_a4(pdf: bytes) -> bool:
    """Every page 210 x 297 mm (595.3 x 841.9 points), to within a point."""
    boxes = re.findall(rb"/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]", pdf)
    return bool(boxes) and all(
        abs(float(w) - 595.3) < 1 and abs(float(h) - 841.9) < 1 for w, h in boxes
    )


@pytest.mark.parametrize("example", STEMS)
def test_summary_prints_on_one_a4_page(example: str, tmp_path: Path, browser: Browser) -> None:
    rec = example_recommendation(example)
    page = tmp_path / "summary.html"
    page.write_text(render(rec, summary_only=True), encoding="utf-8")
    summary = browser.print_to_pdf(page.as_uri())
    assert _pages(summary) == 1 and _on_a4(summary)
    # the full page prints the same summary first, then the record on later pages
    full = tmp_path / "full.html"
    full.write_text(render(rec), encoding="utf-8")
    assert _pages(browser.print_to_pdf(full.as_uri())) >= 2
