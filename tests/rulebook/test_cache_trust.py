"""The rulebook snapshot is verified before use: a tampered, out-of-bounds or damaged entry is
a miss (removed, never a crash), and a cache others can write is not used at all."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from fwadvisor.rulebook import snapshot
from fwadvisor.rulebook.loader import load_rulebook
from tests.cli_run import cli

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = str(ROOT / "examples" / "default.yaml")


def _entry(cache_dir: Path) -> Path:
    (entry,) = (cache_dir / "rulebook").rglob("*.json")
    return entry


def _payload(entry: Path) -> Any:
    return json.loads(entry.read_text().partition("\n")[2])


def _flip(data: Any, winner: str, loser: str) -> int:
    """Turn every score effect for `winner` into the same effect for `loser` and back."""
    flipped = 0
    for rule in data["rules"]["$t"]:
        for effect in rule["effects"]["scores"]:
            if effect["candidate"] in (winner, loser):
                effect["candidate"] = loser if effect["candidate"] == winner else winner
                flipped += 1
    return flipped


def _advice(capsys: pytest.CaptureFixture[str]) -> dict[str, Any]:
    code, out, err = cli(capsys, "recommend", "-a", EXAMPLE, "--format", "json")
    assert code == 0, err
    report: dict[str, Any] = json.loads(out)
    del report["provenance"]["generated_at"]
    return report


def test_a_tampered_snapshot_gives_the_untampered_advice(
    cache_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = _advice(capsys)
    entry = _entry(cache_dir)
    digest, _, payload = entry.read_text().partition("\n")
    data = json.loads(payload)
    assert _flip(data, before["winner"], before["ranking"][1]["candidate"]) > 3
    entry.write_text(digest + "\n" + json.dumps(data))  # the file name and digest kept
    assert _advice(capsys) == before


def _resealed(entry: Path, data: Any) -> None:
    """Rewrite an entry with a matching digest: what only someone who can write the cache can
    do; the records must still hold to the YAML's bounds."""
    entry.write_text(snapshot.seal(entry.stem, json.dumps(data)))


def _first_score_effect(data: Any) -> dict[str, Any]:
    effect: dict[str, Any] = next(r for r in data["rules"]["$t"] if r["effects"]["scores"])[
        "effects"
    ]["scores"][0]
    return effect


@pytest.mark.parametrize(
    "damage",
    [
        pytest.param(lambda d: _first_score_effect(d).update(delta=1e308), id="delta 1e308"),
        pytest.param(lambda d: _first_score_effect(d).update(delta="x"), id="delta a string"),
        pytest.param(lambda d: _first_score_effect(d).update(candidate="Py Torch"), id="bad id"),
        pytest.param(lambda d: _first_score_effect(d).pop("delta"), id="missing field"),
        pytest.param(lambda d: d["rules"]["$t"][0].update(confidence="certain"), id="literal"),
        pytest.param(lambda d: d["rules"]["$t"][0]["sources"].clear(), id="empty sources"),
        pytest.param(lambda d: d.update(content_hash="sha256:0"), id="another hash"),
        pytest.param(lambda d: d.update(rules=5), id="rules not a list"),
    ],
)
def test_a_resealed_entry_outside_the_yaml_bounds_is_a_miss_and_removed(
    cache_dir: Path, mini_copy: Path, damage: Any
) -> None:
    first = load_rulebook(mini_copy)
    entry = _entry(cache_dir)
    data = _payload(entry)
    damage(data)
    _resealed(entry, data)
    assert load_rulebook(mini_copy) == first
    assert _payload(_entry(cache_dir)) != data  # the bad entry was replaced by a good one


@pytest.mark.parametrize(
    "text",
    [
        "[" * 100_000 + "]" * 100_000,
        "\udcff",
        "",
        "0" * 64 + "\n{}",
    ],
    ids=["nested 100,000 deep", "undecodable", "empty", "wrong digest"],
)
def test_a_damaged_entry_never_crashes_a_run_and_is_removed(
    cache_dir: Path, mini_copy: Path, text: str
) -> None:
    first = load_rulebook(mini_copy)
    entry = _entry(cache_dir)
    entry.write_bytes(text.encode("utf-8", "surrogateescape"))
    assert load_rulebook(mini_copy) == first
    assert entry.read_bytes() != text.encode("utf-8", "surrogateescape")


def test_a_world_writable_cache_with_a_planted_snapshot_is_not_used(
    cache_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = _advice(capsys)
    entry = _entry(cache_dir)
    data = _payload(entry)
    _flip(data, before["winner"], before["ranking"][1]["candidate"])
    _resealed(entry, data)  # planted by another user, digest and all
    cache_dir.chmod(0o777)
    code, out, err = cli(capsys, "recommend", "-a", EXAMPLE, "--format", "json")
    assert code == 0
    assert "not using the cache" in err and "writable by other users" in err
    report = json.loads(out)
    del report["provenance"]["generated_at"]
    assert report == before


def test_rule_files_are_parsed_from_their_text_never_from_a_cache_entry(
    cache_dir: Path, mini_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A snapshot miss validates what the files say: no per-file parse cache stands between."""
    core = mini_copy / "rules" / "core.yaml"
    planted = (
        cache_dir / "rules-parse" / "v1" / f"{hashlib.sha256(core.read_bytes()).hexdigest()}.json"
    )
    planted.parent.mkdir(parents=True)
    data = yaml.safe_load(core.read_text())
    data["facts"][0]["effects"]["scores"][0]["delta"] = -5
    planted.write_text(json.dumps(data, default=str))
    monkeypatch.setenv("FWADVISOR_NO_CACHE", "1")
    expected = load_rulebook(mini_copy)
    monkeypatch.delenv("FWADVISOR_NO_CACHE")
    assert load_rulebook(mini_copy) == expected
