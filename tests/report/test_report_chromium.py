"""Open the HTML report in a real headless Chromium: it loads offline and draws the charts."""

from __future__ import annotations

import re
import shutil
import struct
import subprocess
from pathlib import Path

import pytest

from fwadvisor.answers import load_answers
from fwadvisor.pipeline import AdviceOptions, advise
from fwadvisor.report.html_report import render
from fwadvisor.rulebook.loader import load_rulebook
from tests.report.report_fixture import build_recommendation

CHROMIUM = shutil.which("chromium") or (
    "/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None
)
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
)

pytestmark = [
    pytest.mark.chromium,
    pytest.mark.skipif(
        CHROMIUM is None,
        reason="headless Chromium not found (/usr/bin/chromium); install Debian's `chromium`",
    ),
]


def _chromium(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    assert CHROMIUM is not None
    profile = tmp_path / "profile"
    profile.mkdir(exist_ok=True)
    return subprocess.run(
        [CHROMIUM, *FLAGS, f"--user-data-dir={profile}", *args],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.fixture
def page(tmp_path: Path) -> Path:
    path = tmp_path / "report.html"
    path.write_text(render(build_recommendation()), encoding="utf-8")
    return path


def test_dom_after_load_shows_verdict_and_charts(page: Path, tmp_path: Path) -> None:
    done = _chromium(tmp_path, "--dump-dom", page.as_uri())
    assert done.returncode == 0, done.stderr[-2000:]
    dom = done.stdout
    assert "Recommended: PyTorch" in dom
    assert dom.count("<svg") == 3
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in dom  # still text after parsing


def test_screenshot_is_taken(page: Path, tmp_path: Path) -> None:
    shot = tmp_path / "report.png"
    done = _chromium(tmp_path, f"--screenshot={shot}", "--window-size=1280,2000", page.as_uri())
    assert done.returncode == 0 and shot.exists(), done.stderr[-2000:]
    header = shot.read_bytes()[:24]
    assert header[:8] == b"\x89PNG\r\n\x1a\n"
    assert struct.unpack(">II", header[16:24]) == (1280, 2000)


EXAMPLES = sorted((Path(__file__).resolve().parents[2] / "examples").glob("*.yaml"))


def _pages(pdf: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page(?![s\w])", pdf))


@pytest.mark.parametrize("example", EXAMPLES, ids=[p.stem for p in EXAMPLES])
def test_summary_prints_on_one_a4_page(example: Path, tmp_path: Path) -> None:
    rulebook = load_rulebook(None)
    rec = advise(rulebook, load_answers(rulebook, example, []), options=AdviceOptions(samples=200))
    page = tmp_path / "summary.html"
    page.write_text(render(rec, summary_only=True), encoding="utf-8")
    pdf = tmp_path / "summary.pdf"
    done = _chromium(tmp_path, "--no-pdf-header-footer", f"--print-to-pdf={pdf}", page.as_uri())
    assert done.returncode == 0 and pdf.exists(), done.stderr[-2000:]
    assert _pages(pdf.read_bytes()) == 1
    # the full page prints the same summary first, then the record on later pages
    full = tmp_path / "full.html"
    full.write_text(render(rec), encoding="utf-8")
    whole = tmp_path / "full.pdf"
    done = _chromium(tmp_path, "--no-pdf-header-footer", f"--print-to-pdf={whole}", full.as_uri())
    assert done.returncode == 0 and _pages(whole.read_bytes()) >= 2
