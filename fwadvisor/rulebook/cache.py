"""A parse cache for rule files: YAML parsed once per file content, kept as JSON.

PyYAML builds Python objects slowly (about 0.8 s of CPU for 1 MB of rules even with
libyaml); JSON loads the same data ~40x faster. Entries are keyed by the SHA-256 of the
file's text, so an edited file is simply a miss; the data is validated on every load
that parses, and positions for error messages still come from the YAML text itself. (An
unchanged rulebook as a whole is not parsed at all: see snapshot.py. This cache serves the
loads after an edit, where every file is validated again but only the edited one re-parsed.)
Set FWADVISOR_NO_CACHE=1 to bypass it, FWADVISOR_CACHE_DIR to move it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from pathlib import Path
from typing import Any

from fwadvisor.fileio import write_cache_entry
from fwadvisor.resources import cache_root
from fwadvisor.yamlio import Document, parse_text, read_text

FORMAT = "v1"
_DATE = "__fwadvisor_date__"


def _encode(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        raise TypeError("timestamps are not cached")
    if isinstance(value, dt.date):
        return {_DATE: value.isoformat()}
    raise TypeError(f"{type(value).__name__} is not cached")


def _decode(obj: dict[str, Any]) -> Any:
    if len(obj) == 1 and _DATE in obj:
        return dt.date.fromisoformat(obj[_DATE])
    return obj


def _has_marker(value: Any) -> bool:
    if isinstance(value, dict):
        return _DATE in value or any(_has_marker(v) for v in value.values())
    if isinstance(value, list):
        return any(_has_marker(v) for v in value)
    return False


def load_rule_document(path: Path, what: str = "rule file") -> Document:
    text = read_text(path, what)
    root = cache_root()
    if root is None:
        return parse_text(text, str(path))
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    entry = root / "rules-parse" / FORMAT / f"{digest}.json"
    try:
        data = json.loads(entry.read_text(encoding="utf-8"), object_hook=_decode)
        return Document(data, str(path), text)
    except (OSError, ValueError):
        pass  # a miss, or an unreadable entry: parse the YAML
    doc = parse_text(text, str(path))
    _store(entry, doc.data)
    return doc


def _store(entry: Path, data: Any) -> None:
    if _has_marker(data):
        return
    try:
        payload = json.dumps(data, default=_encode, separators=(",", ":"))
    except (TypeError, ValueError):
        return  # odd data is simply not cached
    write_cache_entry(entry, payload, "parse cache")
