"""Atomic writes that never overwrite a user's file without being asked."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from fwadvisor.errors import OutputFileError


def _mode_for(path: Path) -> int:
    """Keep an existing file's permissions; a new file gets the usual 0666 minus umask
    (mkstemp's private 0600 would surprise people sharing a report)."""
    try:
        return path.stat().st_mode & 0o7777
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def write_atomic(
    path: Path, text: str, *, force: bool = False, what: str = "output", durable: bool = True
) -> None:
    """Write via a temporary file in the same directory and os.replace; refuse to clobber.
    `durable=False` skips the fsync, for caches: after a crash such a file may be empty or
    missing, which a cache reads as a miss."""
    if path.exists() and not force:
        raise OutputFileError.at(f"{what} file already exists (use --force to overwrite)", path)
    if path.is_dir():
        raise OutputFileError.at(f"{what} path is a directory", path)
    directory = path.parent if str(path.parent) else Path(".")
    if not directory.is_dir():
        raise OutputFileError.at(f"directory {directory} does not exist", path)
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=directory)
    except OSError as exc:
        raise OutputFileError.at(f"cannot write {what}: {exc.strerror}", path) from None
    try:
        os.chmod(tmp, _mode_for(path))
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
            if durable:
                fh.flush()
                os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_cache_entry(path: Path, text: str, what: str) -> None:
    """Write a cache entry atomically without the fsync, creating its directory, or skip it:
    a cache is an optimization only, so a read-only or odd cache directory is not an error."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(path, text, force=True, what=what, durable=False)
    except (OSError, OutputFileError):
        return
