"""A snapshot of a validated rulebook, so a repeated command skips parsing and validating it.

`load_rulebook` validates every file with pydantic and cross-checks them; that costs more than
the rest of a `recommend` together. The result is written here as JSON, keyed by the SHA-256
of every rulebook file's path and text, fwadvisor's version and the record types' fields:
editing any file, upgrading, or changing a record is a miss, and the next load validates again.

An entry is data, never trusted as code: the decoder only calls the constructors of the
rulebook's record types (their `__post_init__` checks run again). Before a hit is used:
- the cache directory must be the user's own and writable by no one else (`cache_root`);
- the entry's first line, the SHA-256 of its key and payload, must match the payload;
- every record must hold to the types and bounds the YAML is validated against
  (`recordcheck`), and the rulebook hash it carries must be the hash of the files read now.
Any other entry is a miss and is removed: damage never outlives one run.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from fwadvisor import __version__
from fwadvisor.fileio import seal, unseal, write_cache_entry
from fwadvisor.recordcheck import check_record, record_types
from fwadvisor.records import field_names
from fwadvisor.resources import cache_root, code_digest
from fwadvisor.rulebook.model import Rulebook

FORMAT = "v2"
_RECORD, _TUPLE, _DATE = "$r", "$t", "$d"

_TYPES: dict[str, type[Any]] = {cls.__name__: cls for cls in record_types(Rulebook)}
"""Every record type a rulebook can hold, by name (found from the declarations: a new record
type is snapshotted with no list to update)."""
if len(_TYPES) != len(record_types(Rulebook)):  # pragma: no cover - caught by any test run
    raise TypeError("two rulebook record types share a name; the snapshot names types")
_FIELDS: dict[type[Any], tuple[str, ...]] = {cls: field_names(cls) for cls in _TYPES.values()}


class _NotSnapshotable(Exception):
    """Data the encoding cannot carry unambiguously (a plain key starting with `$`)."""


def key(files: Sequence[tuple[str, str]]) -> str:
    """The entry's name: every file's path and text, fwadvisor's version and code (the
    validators and cross-checks as much as the records), the record fields (the path too,
    because a rulebook records where its rules are defined)."""
    h = hashlib.sha256(f"{FORMAT}\0{__version__}\0{code_digest()}\0".encode())
    for name in sorted(_TYPES):
        fields = ",".join(_FIELDS[_TYPES[name]])
        h.update(f"{name}({fields})\0".encode())
    for name, text in files:
        h.update(name.encode() + b"\0" + text.encode() + b"\0")
    return h.hexdigest()


def _encode(value: Any) -> Any:
    # exact types only (a subclass would not come back as itself): anything else is refused
    kind = type(value)
    names = _FIELDS.get(kind)
    if names is not None:
        out = {_RECORD: kind.__name__}
        for name in names:
            out[name] = _encode(getattr(value, name))
        return out
    if value is None or kind is str or kind is int or kind is float or kind is bool:
        return value
    if kind is list:
        return [_encode(v) for v in value]
    if kind is tuple:
        return {_TUPLE: [_encode(v) for v in value]}
    if kind is dict:
        if any(type(k) is not str or k.startswith("$") for k in value):
            raise _NotSnapshotable
        return {k: _encode(v) for k, v in value.items()}
    if kind is dt.date:
        return {_DATE: value.isoformat()}
    raise _NotSnapshotable


def _decode(obj: dict[str, Any]) -> Any:
    if _RECORD in obj:
        kind = _TYPES[obj.pop(_RECORD)]  # KeyError: a type this fwadvisor lacks -> a miss
        return kind(**obj)
    if _TUPLE in obj:
        return tuple(obj[_TUPLE])
    if _DATE in obj:
        return dt.date.fromisoformat(obj[_DATE])
    return obj


def _entry(files: Sequence[tuple[str, str]]) -> tuple[Path, str] | None:
    root = cache_root()
    if root is None:
        return None
    name = key(files)
    return root / "rulebook" / FORMAT / f"{name}.json", name


def load(files: Sequence[tuple[str, str]]) -> Rulebook | None:
    """The rulebook validated earlier from exactly these files; None on a miss.

    An entry is used only when its digest matches its content and every record in it holds to
    the bounds of the YAML; any other entry is a miss and is removed."""
    found = _entry(files)
    if found is None:
        return None
    entry, name = found
    try:
        text = entry.read_text(encoding="utf-8")
    except (OSError, ValueError):
        return None  # a miss
    try:
        book = _opened(name, text)
    except Exception:  # whatever is wrong with an entry, it is a miss
        book = None
    if book is None:
        with contextlib.suppress(OSError):
            entry.unlink()
    return book


def _opened(name: str, text: str) -> Rulebook | None:
    payload = unseal(name, text)
    if payload is None:
        return None
    book = json.loads(payload, object_hook=_decode)
    if not isinstance(book, Rulebook):
        return None
    check_record(book)
    return book


def store(book: Rulebook, files: Sequence[tuple[str, str]]) -> None:
    found = _entry(files)
    if found is None:
        return
    entry, name = found
    try:
        payload = json.dumps(_encode(book), separators=(",", ":"))
    except (_NotSnapshotable, TypeError, ValueError):
        return  # a rulebook the encoding cannot carry is simply not snapshotted
    write_cache_entry(entry, seal(name, payload), "rulebook snapshot")
