"""`fwadvisor rules audit`: facts and paths by age of verification, and the strict exit code."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import pytest

from fwadvisor.errors import ExitCode
from fwadvisor.rulebook.audit import audit
from fwadvisor.rulebook.loader import load_rulebook
from fwadvisor.rulebook.model import Rulebook
from tests.cli_run import cli

ROOT = Path(__file__).resolve().parents[2]
MINI = ROOT / "tests" / "fixtures" / "mini_rules"
DAY = dt.date(2026, 11, 27)


def test_entries_are_facts_and_paths_oldest_first(mini: Rulebook) -> None:
    result = audit(mini, DAY)
    assert len(result.entries) == len(mini.facts) + len(mini.paths)
    dates = [e.as_of for e in result.entries]
    assert dates == sorted(dates)
    assert result.entries[0].id == "research-eager" and result.entries[0].kind == "fact"
    assert {e.kind for e in result.entries} == {"fact", "path"}
    assert result.entries[0].rules == ("research-eager",)
    assert all(e.sources for e in result.entries)


def test_stale_means_older_than_max_age(mini: Rulebook) -> None:
    result = audit(mini, DAY, max_age_days=365)
    # 2025-01-01 and 2025-10-17 are 695 and 406 days before the audit day
    assert [e.id for e in result.stale] == ["research-eager", "android-executorch"]
    assert result.stale[0].age_days == (DAY - dt.date(2025, 1, 1)).days
    assert [e.id for e in audit(mini, DAY, max_age_days=10_000).stale] == []
    assert len(audit(mini, DAY, max_age_days=30).stale) == len(mini.facts) + len(mini.paths)


def test_json_lists_range_and_entries(mini: Rulebook) -> None:
    data = audit(mini, DAY).as_json()
    assert data["verified_oldest"] == "2025-01-01"
    assert data["verified_newest"] == "2026-09-18"
    assert data["stale_count"] == 2
    assert isinstance(data["entries"], list) and data["entries"][0]["sources"]


def test_cli_warns_but_passes_without_strict(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = cli(capsys, "rules", "audit", "--rules", str(MINI), "--today", "2026-11-27")
    assert code == 0
    assert "facts verified between 2025-01-01 and 2026-09-18; 2 older than 365 days" in out
    assert "warning: fact research-eager was last verified on 2025-01-01" in err


def test_cli_strict_exits_with_stale_code(capsys: pytest.CaptureFixture[str]) -> None:
    args = ("rules", "audit", "--rules", str(MINI), "--today", "2026-11-27", "--strict")
    code, _, _ = cli(capsys, *args)
    assert code == int(ExitCode.STALE_FACTS) == 5
    code, _, err = cli(capsys, *args, "--max-age", "1000")
    assert code == 0 and "warning" not in err


def test_cli_json_output(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = cli(
        capsys, "rules", "audit", "--rules", str(MINI), "--today", "2026-11-27", "--json"
    )
    assert code == 0
    assert json.loads(out)["max_age_days"] == 365


def test_cli_bad_date_is_a_user_error(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = cli(capsys, "rules", "audit", "--rules", str(MINI), "--today", "27.11.2026")
    assert code == 2 and "--today" in err and "Traceback" not in out + err


def test_future_dates_are_flagged(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = cli(capsys, "rules", "audit", "--rules", str(MINI), "--today", "2026-01-01")
    assert code == 0 and "is dated 2026-09-18, after 2026-01-01" in err


def test_sources_on_a_branch_are_told_apart_from_permalinks() -> None:
    from fwadvisor.rulebook.audit import moving

    branch = (
        "https://github.com/huggingface/transformers/blob/main/MIGRATION_GUIDE_V5.md",
        "https://github.com/ggml-org/llama.cpp/blob/master/docs/models.md",
        "https://raw.githubusercontent.com/pytorch/executorch/main/README.md",
        "https://github.com/org/repo/tree/HEAD/docs",
    )
    pinned = (
        "https://github.com/keras-team/keras/blob/81527548b3fd1bad1e0e2ab4a5ec71ea1e8f1a8e/x.py",
        "https://github.com/pytorch/pytorch/blob/v2.9.0/RELEASE.md",
        "https://github.com/pytorch/pytorch/issues/123",
        "https://docs.pytorch.org/docs/main/index.html",  # a docs site, not a repository file
    )
    assert moving(branch + pinned) == branch


PINNED_GUIDE = (
    "https://github.com/huggingface/transformers/blob/"
    "e416b2c7c64ec19e62335aa4ddb74fea6137c28c/MIGRATION_GUIDE_V5.md"
)
BRANCH_GUIDE = "https://github.com/huggingface/transformers/blob/main/MIGRATION_GUIDE_V5.md"


def test_cli_notes_each_source_on_a_branch(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    rules = tmp_path / "rules"
    shutil.copytree(ROOT / "rules", rules)
    for path in (rules / "rules").glob("*.yaml"):
        text = path.read_text(encoding="utf-8")
        path.write_text(text.replace(PINNED_GUIDE, BRANCH_GUIDE), encoding="utf-8")
    args = ("rules", "audit", "--rules", str(rules), "--today", "2026-12-07")
    code, _, err = cli(capsys, *args)
    assert code == 0
    notes = [line for line in err.splitlines() if line.startswith("note:")]
    assert any("MIGRATION_GUIDE_V5.md on a branch" in n for n in notes)
    data = json.loads(cli(capsys, *args, "--json")[1])
    listed = [u for e in data["entries"] for u in e["moving_sources"]]
    assert len(listed) == len(notes) > 0


def test_the_shipped_rulebook_cites_no_repository_file_on_a_branch(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, _, err = cli(capsys, "rules", "audit", "--today", "2026-12-07")
    assert code == 0
    assert [line for line in err.splitlines() if line.startswith("note:")] == []


SERVER_AREAS = {"hardware", "distributed", "production_serving", "longevity", "measurement"}
SERVER_TARGETS = {"cloud_gpu", "cpu_server"}


def test_server_side_facts_were_verified_within_a_year_of_the_review() -> None:
    book = load_rulebook(None)
    result = audit(book, DAY)
    mine = {r.id for r in book.rules if r.area in SERVER_AREAS}
    mine |= {p.id for p in book.paths if p.target in SERVER_TARGETS}
    assert mine
    assert [e.id for e in result.stale if e.id in mine] == []
