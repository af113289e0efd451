"""Charts drawn once are re-used from the private cache, and a tampered entry is never used."""

from __future__ import annotations

import dataclasses
import json
import subprocess
import sys
from pathlib import Path

import pytest

from fwadvisor.fileio import seal
from fwadvisor.models import Recommendation
from fwadvisor.report import chartcache, html_report


def _entries(cache: Path) -> list[Path]:
    return sorted((cache / "charts").glob("*.json"))


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = tmp_path / "cache"
    monkeypatch.setenv("FWADVISOR_CACHE_DIR", str(root))
    return root


def test_a_second_render_uses_the_drawn_charts(rec: Recommendation, cache: Path) -> None:
    first = html_report.render(rec)
    (entry,) = _entries(cache)
    calls: list[Recommendation] = []
    again = chartcache.charts(rec, lambda r: calls.append(r) or {})  # type: ignore[func-returns-value]
    assert calls == []
    assert html_report.render(rec) == first
    assert again["scores"] and again["scores"].startswith("<svg")
    assert _entries(cache) == [entry]


def test_the_key_ignores_the_generation_time_only(rec: Recommendation, cache: Path) -> None:
    html_report.render(rec)
    later = dataclasses.replace(
        rec, provenance=dataclasses.replace(rec.provenance, generated_at="2030-01-01T00:00:00")
    )
    html_report.render(later)
    assert len(_entries(cache)) == 1
    html_report.render(dataclasses.replace(rec, margin=rec.margin + 0.5))
    assert len(_entries(cache)) == 2


def test_an_edited_entry_is_a_miss_and_removed(rec: Recommendation, cache: Path) -> None:
    clean = html_report.render(rec)
    (entry,) = _entries(cache)
    text = entry.read_text()
    entry.write_text(text.replace("<svg", "<svg onload='alert(1)'", 1))  # seal left as it was
    assert html_report.render(rec) == clean
    assert "alert(1)" not in entry.read_text()


def test_a_resealed_entry_that_is_not_svg_is_a_miss(rec: Recommendation, cache: Path) -> None:
    clean = html_report.render(rec)
    (entry,) = _entries(cache)
    planted = {"scores": "<script>alert(1)</script>", "times": None, "ratios": None}
    entry.write_text(seal(entry.stem, json.dumps(planted)))
    assert html_report.render(rec) == clean
    assert "<script>" not in entry.read_text()


def test_without_a_cache_the_charts_are_drawn(
    rec: Recommendation, cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FWADVISOR_NO_CACHE", "1")
    assert "<svg" in html_report.render(rec)
    assert not (cache / "charts").exists()


def test_a_cached_render_never_imports_matplotlib(cache: Path, tmp_path: Path) -> None:
    example = Path(__file__).resolve().parents[2] / "examples" / "default.yaml"
    script = (
        "import sys\n"
        "from fwadvisor.answers import load_answers\n"
        "from fwadvisor.pipeline import AdviceOptions, advise\n"
        "from fwadvisor.report.html_report import render\n"
        "from fwadvisor.rulebook.loader import load_rulebook\n"
        "book = load_rulebook(None)\n"
        f"rec = advise(book, load_answers(book, {str(example)!r}, []), options=AdviceOptions(samples=50))\n"
        "render(rec)\n"
        "print('matplotlib' in sys.modules)\n"
    )
    env = {"FWADVISOR_CACHE_DIR": str(cache), "PATH": "/usr/bin:/bin"}
    runs = [
        subprocess.run(
            [sys.executable, "-c", script], capture_output=True, text=True, env=env, check=True
        ).stdout.split()
        for _ in range(2)
    ]
    assert runs == [["True"], ["False"]]
