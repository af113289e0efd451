"""Where things live: data directories and the cache, and that tests stay out of the real one."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from fwadvisor.resources import cache_root, probes_dir, rules_dir


def test_the_cache_root_lies_under_the_tests_temporary_directory(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    root = cache_root()
    assert root is not None
    assert root.is_relative_to(tmp_path_factory.getbasetemp())


def test_no_cache_env_turns_the_cache_off(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FWADVISOR_NO_CACHE", "1")
    assert cache_root() is None


def test_default_cache_is_under_xdg_cache_home(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv("FWADVISOR_CACHE_DIR")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert cache_root() == tmp_path / "fwadvisor"


def test_data_dirs_are_found() -> None:
    assert (rules_dir() / "questions.yaml").is_file()
    assert (probes_dir() / "suites.yaml").is_file()


def test_the_cache_is_created_private(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("FWADVISOR_CACHE_DIR", str(tmp_path / "new" / "cache"))
    root = cache_root()
    assert root == tmp_path / "new" / "cache"
    assert stat.S_IMODE(root.stat().st_mode) == 0o700


def test_a_cache_readable_by_others_is_made_private(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    old = tmp_path / "cache"
    old.mkdir(mode=0o755)
    old.chmod(0o755)
    monkeypatch.setenv("FWADVISOR_CACHE_DIR", str(old))
    assert cache_root() == old
    assert stat.S_IMODE(old.stat().st_mode) == 0o700


@pytest.mark.parametrize("where", ["root", "subfolder"])
def test_a_cache_writable_by_others_is_refused_with_one_message(
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    where: str,
) -> None:
    shared = tmp_path / "shared"
    shared.mkdir()
    (shared / "torchinductor").mkdir()
    (shared if where == "root" else shared / "torchinductor").chmod(0o777)
    monkeypatch.setenv("FWADVISOR_CACHE_DIR", str(shared))
    assert cache_root() is None
    assert cache_root() is None
    err = capsys.readouterr().err
    assert err.count("\n") == 1, err
    assert "writable by other users" in err and str(shared) in err


def test_a_cache_owned_by_someone_else_is_refused(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    theirs = tmp_path / "theirs"
    theirs.mkdir(mode=0o700)
    if os.geteuid() == 0:
        os.chown(theirs, 65534, 65534)
    else:  # only root can give a directory away: be someone else instead
        me = os.geteuid()
        monkeypatch.setattr(os, "geteuid", lambda: me + 1)
    monkeypatch.setenv("FWADVISOR_CACHE_DIR", str(theirs))
    assert cache_root() is None
    assert "owned by user id" in capsys.readouterr().err


def test_the_probe_never_points_compilers_at_a_refused_cache(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from fwadvisor.probe.session import ProbeRequest, prepare

    shared = tmp_path / "shared"
    shared.mkdir()
    shared.chmod(0o777)
    monkeypatch.setenv("FWADVISOR_CACHE_DIR", str(shared))
    settings, _ = prepare(
        ProbeRequest(frameworks="pytorch", device="cpu", output=tmp_path / "p.json"),
        detect=lambda: [],
    )
    used = Path(settings.compile_cache_dir or "")
    assert not used.is_relative_to(shared)
    info = used.stat()
    assert info.st_uid == os.geteuid() and stat.S_IMODE(info.st_mode) == 0o700
    used.rmdir()
