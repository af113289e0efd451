"""Outputs never clobber what they should not: --force replaces regular files only, writing
without it is atomic with respect to existence (concurrent writers cannot lose a report),
and a failed write says why plainly and keeps the old file."""

from __future__ import annotations

import errno
import os
import stat
import threading
from pathlib import Path

import pytest

from fwadvisor.errors import OutputFileError
from fwadvisor.fileio import write_atomic
from tests.cli_run import cli

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "default.yaml"


def test_force_refuses_a_symlink_and_keeps_it(tmp_path: Path) -> None:
    target = tmp_path / "precious.txt"
    target.write_text("precious")
    link = tmp_path / "report.md"
    link.symlink_to(target)
    with pytest.raises(OutputFileError, match="not a regular file"):
        write_atomic(link, "report", force=True, what="report")
    assert link.is_symlink() and target.read_text() == "precious"


def test_force_refuses_a_device_node(tmp_path: Path) -> None:
    # a node of its own (never the system's /dev/null: as root, a regression would replace it)
    node = tmp_path / "null"
    try:
        os.mknod(node, 0o666 | stat.S_IFCHR, os.makedev(1, 3))
    except PermissionError:
        pytest.skip("creating a device node needs CAP_MKNOD")
    with pytest.raises(OutputFileError, match="not a regular file"):
        write_atomic(node, "report", force=True, what="report")
    assert node.is_char_device()


def test_force_refuses_a_fifo_and_a_directory(tmp_path: Path) -> None:
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    with pytest.raises(OutputFileError, match="not a regular file"):
        write_atomic(fifo, "report", force=True)
    with pytest.raises(OutputFileError, match="directory"):
        write_atomic(tmp_path, "report", force=True)


def test_force_replaces_a_regular_file_keeping_its_mode(tmp_path: Path) -> None:
    f = tmp_path / "r.md"
    f.write_text("old")
    f.chmod(0o640)
    write_atomic(f, "new", force=True)
    assert f.read_text() == "new" and (f.stat().st_mode & 0o777) == 0o640
    assert sorted(p.name for p in tmp_path.iterdir()) == ["r.md"]


def test_without_force_an_existing_file_or_dangling_symlink_is_kept(tmp_path: Path) -> None:
    f = tmp_path / "r.md"
    f.write_text("mine")
    with pytest.raises(OutputFileError, match="already exists"):
        write_atomic(f, "new")
    dangling = tmp_path / "d.md"
    dangling.symlink_to(tmp_path / "nowhere")
    with pytest.raises(OutputFileError, match="already exists"):
        write_atomic(dangling, "new")
    assert f.read_text() == "mine" and not (tmp_path / "nowhere").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["d.md", "r.md"]


def _race(target: Path, writers: int) -> tuple[list[int], list[int]]:
    """`writers` threads write `target` without --force at the same moment: who won, who
    was refused."""
    barrier = threading.Barrier(writers)
    won: list[int] = []
    refused: list[int] = []

    def write(i: int) -> None:
        barrier.wait()
        try:
            write_atomic(target, f"writer {i}\n", what="report")
            won.append(i)
        except OutputFileError:
            refused.append(i)

    threads = [threading.Thread(target=write, args=(i,)) for i in range(writers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return won, refused


def test_concurrent_writers_without_force_never_overwrite(tmp_path: Path) -> None:
    for round_ in range(5):
        target = tmp_path / f"report{round_}.md"
        won, refused = _race(target, 20)
        assert len(won) == 1 and len(refused) == 19
        assert target.read_text() == f"writer {won[0]}\n"
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]


def test_without_hard_links_the_name_is_claimed_exclusively(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_links(src: str, dst: Path) -> None:
        raise OSError(errno.EPERM, "Operation not permitted")

    monkeypatch.setattr(os, "link", no_links)
    target = tmp_path / "r.md"
    won, refused = _race(target, 20)
    assert len(won) == 1 and len(refused) == 19
    assert target.read_text() == f"writer {won[0]}\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["r.md"]


WRITERS = 8  # processes (each a full `recommend`); the threads above race 20 writers


def test_concurrent_cli_processes_lose_no_report(tmp_path: Path) -> None:
    import subprocess
    import sys

    target = tmp_path / "out.json"
    argv = [sys.executable, "-m", "fwadvisor", "recommend", "--answers", str(EXAMPLE)]
    procs = [
        subprocess.Popen(
            [*argv, "--format", "json", "--output", str(target), "--set", f"project_name=w{i}"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        for i in range(WRITERS)
    ]
    codes = [p.wait(timeout=300) for p in procs]
    errs = [p.stderr.read().decode() for p in procs if p.stderr]
    assert sorted(codes) == [0] + [2] * (WRITERS - 1), errs
    assert sum("already exists" in e for e in errs) == WRITERS - 1


@pytest.mark.parametrize(
    ("code", "words"),
    [(errno.ENOSPC, "No space left on device"), (errno.EDQUOT, "quota"), (errno.EIO, "error")],
)
def test_write_failure_is_said_plainly_and_keeps_the_old_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, code: int, words: str
) -> None:
    f = tmp_path / "r.md"
    f.write_text("old")

    def full(fd: int) -> None:
        raise OSError(code, os.strerror(code))

    monkeypatch.setattr(os, "fsync", full)
    with pytest.raises(OutputFileError) as info:
        write_atomic(f, "new " * 1000, force=True, what="report")
    assert words in info.value.render() and "unchanged" in info.value.render()
    assert f.read_text() == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["r.md"]


def test_full_disk_on_the_cli_is_exit_2(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def full(fd: int) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, "fsync", full)
    out = tmp_path / "r.html"
    code, _, err = cli(
        capsys, "recommend", "--answers", str(EXAMPLE), "--format", "html", "--output", str(out)
    )
    assert code == 2 and err.startswith("error: ") and "No space left on device" in err
    assert not out.exists()


def test_name_too_long_is_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / ("a" * 256)
    code, _, err = cli(capsys, "recommend", "--answers", str(EXAMPLE), "--output", str(out))
    assert code == 2, err
    assert "File name too long" in err and "Traceback" not in err


def test_longest_allowed_name_still_works(tmp_path: Path) -> None:
    out = tmp_path / ("a" * 255)
    write_atomic(out, "report")
    assert out.read_text() == "report"


def test_cli_force_on_a_symlink_is_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "precious"
    target.write_text("precious")
    link = tmp_path / "r.md"
    link.symlink_to(target)
    code, _, err = cli(
        capsys, "recommend", "--answers", str(EXAMPLE), "--output", str(link), "--force"
    )
    assert code == 2 and "not a regular file" in err
    assert target.read_text() == "precious" and link.is_symlink()
