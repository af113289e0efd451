from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from fwadvisor.errors import RulebookError
from fwadvisor.rulebook import cache
from fwadvisor.rulebook.loader import load_rulebook


def test_hit_returns_identical_data_with_dates(cache_dir: Path, tmp_path: Path) -> None:
    f = tmp_path / "r.yaml"
    f.write_text("a: 2026-01-02\nb: [1, 2.5, true, null, x]\n")
    first = cache.load_rule_document(f)
    entries = list(cache_dir.rglob("*.json"))
    assert len(entries) == 1
    second = cache.load_rule_document(f)
    assert second.data == first.data == {"a": dt.date(2026, 1, 2), "b": [1, 2.5, True, None, "x"]}
    assert second.line_of(("b", 1)) == 2  # positions still come from the YAML text


def test_edit_is_a_miss_and_corrupt_entry_is_ignored(cache_dir: Path, tmp_path: Path) -> None:
    f = tmp_path / "r.yaml"
    f.write_text("a: 1\n")
    cache.load_rule_document(f)
    f.write_text("a: 2\n")
    assert cache.load_rule_document(f).data == {"a": 2}
    for entry in cache_dir.rglob("*.json"):
        entry.write_text("{not json")
    assert cache.load_rule_document(f).data == {"a": 2}


def test_disabled_and_unwritable(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    f = tmp_path / "r.yaml"
    f.write_text("a: 1\n")
    monkeypatch.setenv("FWADVISOR_NO_CACHE", "1")
    assert cache.cache_root() is None
    assert cache.load_rule_document(f).data == {"a": 1}
    monkeypatch.delenv("FWADVISOR_NO_CACHE")
    blocker = tmp_path / "file"
    blocker.write_text("")
    monkeypatch.setenv("FWADVISOR_CACHE_DIR", str(blocker))  # a file, not a directory
    assert cache.load_rule_document(f).data == {"a": 1}


def test_errors_keep_lines_on_a_cache_hit(cache_dir: Path, mini_copy: Path) -> None:
    core = mini_copy / "rules" / "core.yaml"
    core.write_text(
        core.read_text().replace("fact: primary_goal, op: in", "fact: primary_gaol, op: in")
    )
    for _ in range(2):  # second time from the cache
        with pytest.raises(RulebookError) as info:
            load_rulebook(mini_copy)
        assert "core.yaml:6: rules[0].when.fact" in info.value.render()
