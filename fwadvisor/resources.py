"""Where things live: the data directories (rules/, probes/) and the cache directory."""

from __future__ import annotations

import hashlib
import os
import stat
import sys
from pathlib import Path

from fwadvisor.errors import ProbeRunError


def data_dir(name: str) -> Path:
    """`fwadvisor/_data/<name>` in an installed wheel, else `<repo>/<name>` in a checkout."""
    # the package's own directory (importlib.resources would give the same path for a
    # package on disk, and cost start-up its tempfile and zipfile imports)
    package_root = Path(__file__).parent
    installed = package_root / "_data" / name
    if installed.is_dir():
        return installed
    return package_root.parent / name


def rules_dir() -> Path:
    return data_dir("rules")


def probes_dir() -> Path:
    """The probe workloads (with their suites.yaml): the wheel's when installed, else the checkout's."""
    found = data_dir("probes")
    if (found / "suites.yaml").is_file():
        return found
    raise ProbeRunError(
        f"the probe workloads are missing (looked for {found / 'suites.yaml'})",
        hint="reinstall fwadvisor",
    )


def code_digest() -> str:
    """A digest of fwadvisor's own code as it is on disk: every `.py` file of the package, by
    name, modification time and size (stat only: its cost is in docs/notes/startup.md).
    A cache entry keyed on it is a miss once any of the code that wrote it changes, in a
    checkout as after an upgrade (a checkout's version string does not change)."""
    package = Path(__file__).resolve().parent
    digest = hashlib.sha256()
    folders = [package]
    while folders:
        folder = folders.pop()
        with os.scandir(folder) as found:
            entries = sorted(found, key=lambda e: e.name)
        for entry in entries:
            if entry.is_dir(follow_symlinks=False) and entry.name != "__pycache__":
                folders.append(Path(entry.path))
            elif entry.name.endswith(".py"):
                info = entry.stat(follow_symlinks=False)
                name = Path(entry.path).relative_to(package).as_posix()
                digest.update(f"{name}\0{info.st_mtime_ns}\0{info.st_size}\0".encode())
    return digest.hexdigest()


def cache_root() -> Path | None:
    """fwadvisor's cache directory, private to this user; None when FWADVISOR_NO_CACHE is set
    or the directory cannot be trusted (said once on stderr, and every cache is off).

    FWADVISOR_CACHE_DIR moves it; otherwise $XDG_CACHE_HOME/fwadvisor or ~/.cache/fwadvisor.
    It is created 0700. It is refused, like every folder directly in it (the rulebook
    snapshots, the compilers' caches the probe points its workers at), when it is owned by
    another user or writable by others: anything planted there would be read as our own.
    """
    if os.environ.get("FWADVISOR_NO_CACHE"):
        return None
    explicit = os.environ.get("FWADVISOR_CACHE_DIR")
    if explicit:
        root = Path(explicit)
    else:
        base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
        root = Path(base) / "fwadvisor"
    problem = _untrusted(root)
    if problem is None:
        return root
    if root not in _refused:
        _refused.add(root)
        sys.stderr.write(
            f"fwadvisor: not using the cache {_shown(root)}: {problem}; running without it"
            " (remove that directory, or set FWADVISOR_CACHE_DIR to a private one)\n"
        )
    return None


_refused: set[Path] = set()


def _untrusted(root: Path) -> str | None:
    """Why the cache directory cannot be trusted, or None (created 0700 when missing)."""
    try:
        root.mkdir(mode=0o700, parents=True, exist_ok=True)
        info = root.stat()
    except OSError as exc:
        return f"it cannot be created ({exc.strerror})"
    if not stat.S_ISDIR(info.st_mode):
        return "it is not a directory"
    if (why := _not_private(root, info)) is not None:
        return why
    if info.st_mode & 0o077:  # ours and not writable by others: make it private to us too
        try:
            root.chmod(0o700)
        except OSError as exc:
            return f"its mode cannot be set to 0700 ({exc.strerror})"
    try:
        with os.scandir(root) as entries:
            for entry in entries:
                if entry.is_dir(follow_symlinks=False) or entry.is_symlink():
                    sub = Path(entry.path)
                    if (why := _not_private(sub, sub.stat())) is not None:
                        return f"{_shown(sub)}: {why}"
    except OSError as exc:
        return f"it cannot be read ({exc.strerror})"
    return None


def _not_private(path: Path, info: os.stat_result) -> str | None:
    if info.st_uid != os.geteuid():
        return f"it is owned by user id {info.st_uid}, not by you ({os.geteuid()})"
    if info.st_mode & (stat.S_IWGRP | stat.S_IWOTH):
        return f"it is writable by other users (mode {stat.S_IMODE(info.st_mode):04o})"
    return None


def _shown(path: Path) -> str:
    """A path as text safe for a terminal (control characters escaped)."""
    return "".join(c if c.isprintable() else ascii(c)[1:-1] for c in str(path))
