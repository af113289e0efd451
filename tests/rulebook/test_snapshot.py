"""The rulebook snapshot: a repeated load gives the same rulebook without validating again;
any edit, a damaged entry or a switched-off cache falls back to full validation."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from fwadvisor.errors import RulebookError
from fwadvisor.resources import code_digest
from fwadvisor.rulebook import snapshot
from fwadvisor.rulebook.loader import load_rulebook
from tests.cli_run import cli

ROOT = Path(__file__).resolve().parents[2]


def _entries(cache_dir: Path) -> list[Path]:
    return sorted((cache_dir / "rulebook").rglob("*.json"))


def _validations(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """Count the loads that validated (instead of reading a snapshot)."""
    from fwadvisor.rulebook import loader

    seen: list[Path] = []
    real = loader._validated

    def counting(root: Path) -> object:
        seen.append(root)
        return real(root)

    monkeypatch.setattr(loader, "_validated", counting)
    return seen


def test_second_load_is_the_same_rulebook_from_the_snapshot(
    cache_dir: Path, mini_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    validated = _validations(monkeypatch)
    first = load_rulebook(mini_copy)
    assert len(_entries(cache_dir)) == 1
    second = load_rulebook(mini_copy)
    assert validated == [mini_copy]  # the second came from the snapshot
    assert second == first
    assert second.content_hash == first.content_hash
    assert second.rules and all(
        type(a) is type(b) for a, b in zip(second.rules, first.rules, strict=True)
    )
    assert second.location_of(first.rules[0].id) == first.location_of(first.rules[0].id)
    assert second.location_of(first.rules[0].id).endswith("core.yaml:3")  # `- id: research-eager`
    assert second.location_of_fact("research-eager") == first.location_of_fact("research-eager")
    assert second.facts == first.facts


def test_the_builtin_rulebook_round_trips(cache_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    first = load_rulebook()
    validated = _validations(monkeypatch)
    second = load_rulebook()
    assert validated == []  # every record passed the snapshot's checks
    assert second == first
    assert second.uncertainty == first.uncertainty and second.cases == first.cases


def test_an_edit_is_validated_again(
    cache_dir: Path, mini_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    load_rulebook(mini_copy)
    core = mini_copy / "rules" / "core.yaml"
    core.write_text(core.read_text().replace("confidence: high", "confidence: certain", 1))
    with pytest.raises(RulebookError, match="confidence"):
        load_rulebook(mini_copy)


@pytest.mark.parametrize(
    "damage",
    [
        "{not json",
        json.dumps({"$r": "NoSuchRecord"}),
        json.dumps({"$r": "Rulebook", "unknown_field": 1}),
        json.dumps([1, 2]),
    ],
)
def test_a_damaged_entry_is_a_miss(
    cache_dir: Path, mini_copy: Path, monkeypatch: pytest.MonkeyPatch, damage: str
) -> None:
    first = load_rulebook(mini_copy)
    for entry in _entries(cache_dir):
        entry.write_text(damage)
    validated = _validations(monkeypatch)
    assert load_rulebook(mini_copy) == first
    assert validated == [mini_copy]


def test_no_cache_writes_nothing(
    tmp_path: Path, mini_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FWADVISOR_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("FWADVISOR_NO_CACHE", "1")
    validated = _validations(monkeypatch)
    load_rulebook(mini_copy)
    load_rulebook(mini_copy)
    assert validated == [mini_copy, mini_copy]
    assert not (tmp_path / "cache").exists()


def test_the_key_covers_paths_texts_record_fields_and_code(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    base = snapshot.key([("/r/a.yaml", "x: 1\n")])
    assert snapshot.key([("/r/a.yaml", "x: 2\n")]) != base
    assert snapshot.key([("/elsewhere/a.yaml", "x: 1\n")]) != base
    assert snapshot.key([("/r/a.yaml", "x: 1\n")]) == base
    rule = next(t for t in snapshot._FIELDS if t.__name__ == "Rule")
    monkeypatch.setitem(snapshot._FIELDS, rule, (*snapshot._FIELDS[rule], "added"))
    assert snapshot.key([("/r/a.yaml", "x: 1\n")]) != base
    monkeypatch.undo()
    monkeypatch.setattr(snapshot, "code_digest", lambda: "another validator")
    assert snapshot.key([("/r/a.yaml", "x: 1\n")]) != base


def test_the_code_digest_changes_when_a_source_file_does() -> None:
    source = Path(snapshot.__file__).resolve().parent / "checks.py"
    before = code_digest()
    info = source.stat()
    try:
        os.utime(source, ns=(info.st_atime_ns, info.st_mtime_ns + 1_000_000_000))
        assert code_digest() != before
    finally:
        os.utime(source, ns=(info.st_atime_ns, info.st_mtime_ns))
    assert code_digest() == before


def test_rules_validate_always_validates(
    cache_dir: Path,
    mini_copy: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    load_rulebook(mini_copy)  # the snapshot is written
    validated = _validations(monkeypatch)
    for _ in range(2):
        code, out, err = cli(capsys, "rules", "validate", "--rules", str(mini_copy))
        assert code == 0 and out.startswith("ok:"), err
    assert validated == [mini_copy, mini_copy]


def test_plain_keys_that_look_like_markers_are_not_snapshotted(
    cache_dir: Path, mini_copy: Path
) -> None:
    tests = mini_copy / "tests" / "odd.yaml"
    tests.write_text("schema_version: 1\ncases:\n  - name: odd keys\n    answers: {$r: Rule}\n")
    first = load_rulebook(mini_copy)
    assert _entries(cache_dir) == []  # not carried unambiguously: validated every time
    assert load_rulebook(mini_copy) == first


def test_a_warm_recommend_never_imports_pydantic_models(tmp_path: Path) -> None:
    """The start-up design: with the snapshot written, `recommend` (text report) builds every
    record as a plain dataclass and leaves pydantic's model machinery unloaded."""
    env = {"FWADVISOR_CACHE_DIR": str(tmp_path), "PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT)}
    command = ["recommend", "-a", "examples/default.yaml"]
    warm = subprocess.run(
        [sys.executable, "-m", "fwadvisor", *command], cwd=ROOT, env=env, capture_output=True
    )
    assert warm.returncode == 0, warm.stderr[-2000:]
    script = (
        "import sys\n"
        "from fwadvisor.cli.app import main\n"
        "try:\n"
        f"    main({command!r})\n"
        "except SystemExit as exc:\n"
        "    assert exc.code == 0, exc.code\n"
        "print(sorted(m for m in sys.modules if m.startswith('pydantic')), file=sys.stderr)\n"
        "assert 'pydantic.main' not in sys.modules, 'pydantic.main was imported'\n"
        "assert 'pydantic.type_adapter' not in sys.modules, 'a TypeAdapter was built'\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr[-2000:]
