"""Drawn charts kept in fwadvisor's private cache, so re-rendering a report skips matplotlib.

Importing matplotlib and drawing the three charts costs several times the rest of `recommend
--format html` together (docs/notes/startup.md). A chart is a pure function of the
recommendation, fwadvisor's code and matplotlib's, so the SVG text is cached under a key of
exactly those: the recommendation's JSON without its generation time, `code_digest()` and the
modification time and size of matplotlib's package file. A new recommendation, an edit of
fwadvisor or an upgrade of matplotlib is a miss and draws again.

The cached text is inserted into the HTML unescaped, so it is trusted no more than the
rulebook snapshot: it is read only from the private cache directory (`cache_root`), and an
entry whose seal (the digest of its key and payload) does not match, or whose payload is not
an object of the three charts' SVG text or null, is a miss and is removed.
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import importlib.util
import json
import os
from collections.abc import Callable
from pathlib import Path

from fwadvisor.fileio import seal, unseal, write_cache_entry
from fwadvisor.jsontext import dumps
from fwadvisor.models import Recommendation
from fwadvisor.resources import cache_root, code_digest

CHARTS = ("scores", "times", "ratios")
Charts = dict[str, str | None]


def charts(rec: Recommendation, draw: Callable[[Recommendation], Charts]) -> Charts:
    """The charts of `rec`: from the cache when drawn before, else drawn and stored."""
    entry = _entry(rec)
    if entry is None:
        return draw(rec)
    path, name = entry
    found = _read(path, name)
    if found is not None:
        return found
    drawn = draw(rec)
    write_cache_entry(path, seal(name, json.dumps(drawn)), "chart cache")
    return drawn


def _entry(rec: Recommendation) -> tuple[Path, str] | None:
    root = cache_root()
    spec = importlib.util.find_spec("matplotlib")
    if root is None or spec is None or spec.origin is None:
        return None
    info = os.stat(spec.origin)
    timeless = dataclasses.replace(
        rec, provenance=dataclasses.replace(rec.provenance, generated_at="")
    )
    digest = hashlib.sha256()
    for part in (code_digest(), f"{info.st_mtime_ns}:{info.st_size}", dumps(timeless)):
        digest.update(part.encode())
        digest.update(b"\0")
    name = digest.hexdigest()
    return root / "charts" / f"{name}.json", name


def _read(path: Path, name: str) -> Charts | None:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, ValueError):
        return None
    payload = unseal(name, text)
    found = _charts_in(payload)
    if found is None:
        with contextlib.suppress(OSError):
            path.unlink()
    return found


def _charts_in(payload: str | None) -> Charts | None:
    if payload is None:
        return None
    try:
        data = json.loads(payload)
    except ValueError:
        return None
    if not isinstance(data, dict) or set(data) != set(CHARTS):
        return None
    if not all(v is None or (isinstance(v, str) and v.startswith("<svg")) for v in data.values()):
        return None
    return {k: data[k] for k in CHARTS}
