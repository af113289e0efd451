"""Atomic writes that never overwrite a user's file without being asked."""

from __future__ import annotations

import errno
import hashlib
import hmac
import os
import stat
from pathlib import Path

from fwadvisor.errors import FwAdvisorError, OutputFileError


def _new_file_mode() -> int:
    """The usual 0666 minus umask for a new file (mkstemp's private 0600 would surprise
    people sharing a report)."""
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


def _refuse(what: str, path: Path, why: str) -> FwAdvisorError:
    return OutputFileError.at(f"cannot write {what}: {why}", path)


def _existing(path: Path, force: bool, what: str) -> os.stat_result | None:
    """The regular file `--force` may replace, or None when nothing is there; anything else
    (a symlink, a device, a pipe, a directory) is refused, and so is any file without force."""
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        return None
    except OSError as exc:  # a name too long, a path through a file, no permission
        raise _refuse(what, path, exc.strerror or str(exc)) from None
    if stat.S_ISDIR(info.st_mode):
        raise OutputFileError.at(f"{what} path is a directory", path)
    if not force:
        raise OutputFileError.at(f"{what} file already exists (use --force to overwrite)", path)
    if not stat.S_ISREG(info.st_mode):
        kind = "a symlink" if stat.S_ISLNK(info.st_mode) else "a special file"
        raise OutputFileError.at(
            f"{what} path is not a regular file ({kind}); --force replaces regular files only",
            path,
        )
    return info


def _publish_new(tmp: str, path: Path, what: str) -> None:
    """Give the finished temporary file its name only if nothing has that name yet, in one
    step: a hard link fails when the name exists, so of concurrent writers exactly one
    wins and none overwrites. Where hard links are not supported, an exclusively created
    placeholder claims the name first."""
    try:
        os.link(tmp, path)
    except FileExistsError:
        raise OutputFileError.at(
            f"{what} file already exists (use --force to overwrite)", path
        ) from None
    except OSError as exc:
        if exc.errno not in (errno.EPERM, errno.EOPNOTSUPP, errno.ENOTSUP, errno.EXDEV):
            raise
        try:
            os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
        except FileExistsError:
            raise OutputFileError.at(
                f"{what} file already exists (use --force to overwrite)", path
            ) from None
        os.replace(tmp, path)
    else:
        os.unlink(tmp)


def write_atomic(
    path: Path, text: str, *, force: bool = False, what: str = "output", durable: bool = True
) -> None:
    """Write via a temporary file in the same directory: readers see the old file or the
    whole new one, never part. Without `force` an existing name is never replaced (checked
    and claimed atomically); with it, only a regular file is. A failure (no space, a name too
    long, no permission) is an OutputFileError that says so, with any old file unchanged.
    `durable=False` skips the fsync, for caches: after a crash such a file may be empty or
    missing, which a cache reads as a miss."""
    existing = _existing(path, force, what)
    directory = path.parent if str(path.parent) else Path(".")
    if not directory.is_dir():
        raise OutputFileError.at(f"directory {directory} does not exist", path)
    mode = existing.st_mode & 0o7777 if existing else _new_file_mode()
    data = text.encode("utf-8", "surrogateescape")
    try:
        # a short name of its own: the target's name may already be as long as names get
        import tempfile  # not at start-up: a report to stdout writes no file

        fd, tmp = tempfile.mkstemp(prefix=".fwadvisor-", suffix=".tmp", dir=directory)
    except OSError as exc:
        raise _refuse(what, path, exc.strerror or str(exc)) from None
    try:
        try:
            os.fchmod(fd, mode)
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
                if durable:
                    fh.flush()
                    os.fsync(fh.fileno())
            if force:
                os.replace(tmp, path)
            else:
                _publish_new(tmp, path, what)
        except OSError as exc:
            kept = " (the existing file is unchanged)" if existing else ""
            raise _refuse(what, path, f"{exc.strerror or exc}{kept}") from None
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


def seal(name: str, payload: str) -> str:
    """A cache entry's text: the SHA-256 of its key and payload on the first line, then the
    payload. An entry edited in place (or cut short) no longer matches and is a miss."""
    return f"{_digest(name, payload)}\n{payload}"


def unseal(name: str, text: str) -> str | None:
    """The payload of a sealed entry, or None when its digest does not match."""
    digest, _, payload = text.partition("\n")
    return payload if hmac.compare_digest(digest, _digest(name, payload)) else None


def _digest(name: str, payload: str) -> str:
    return hashlib.sha256(f"{name}\0{payload}".encode()).hexdigest()
