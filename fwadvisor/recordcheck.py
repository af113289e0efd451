"""Check records that were built without pydantic against their declared types and bounds.

A record read back from the cache is rebuilt by calling its constructor, which runs its
`__post_init__` checks but none of the constraints pydantic enforces on a file. This module
enforces those: the same `Annotated` markers (`records.Str`, `records.Limits`), `Literal`
sets and field types that pydantic reads, so an entry holds to the bounds of the YAML it
came from (`tests/test_recordcheck.py` holds the two to the same verdicts). It knows only
the shapes records use (records, lists, tuples, dicts, unions, literals, str, int, float,
bool, dates, None and Any) and refuses any other.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
import types
import typing
from collections.abc import Callable
from typing import Any

from fwadvisor.records import Limits, Str


class Invalid(ValueError):
    """A value outside its declared type or bounds (the message names the field)."""


Check = Callable[[Any], bool]

_checks: dict[Any, Check] = {}
_fields: dict[type[Any], tuple[tuple[str, Check], ...]] = {}


def check_record(record: Any) -> None:
    """Raise Invalid unless `record` and every record inside it hold to their declarations."""
    if not _record_ok(record):
        raise Invalid(f"a {type(record).__name__} outside its declared types or bounds")


def _record_ok(record: Any) -> bool:
    kind = type(record)
    checks = _fields.get(kind)
    if checks is None:
        hints = typing.get_type_hints(kind, include_extras=True)
        checks = tuple((f.name, _check(hints[f.name])) for f in dataclasses.fields(kind))
        _fields[kind] = checks
    return all(ok(getattr(record, name)) for name, ok in checks)


def _check(hint: Any) -> Check:
    found = _checks.get(hint)
    if found is None:
        found = _checks[hint] = _build(hint)
    return found


def _build(hint: Any) -> Check:
    origin = typing.get_origin(hint)
    args = typing.get_args(hint)
    if hint is Any:
        return lambda v: True
    if hint is None or hint is type(None):
        return lambda v: v is None
    if origin is typing.Annotated:
        return _annotated(_check(args[0]), hint.__metadata__)
    if origin is typing.Literal:
        return lambda v: any(v == a and type(v) is type(a) for a in args)
    if origin is typing.Union or origin is types.UnionType:
        options = [_check(a) for a in args]

        def either(v: Any) -> bool:
            return any(ok(v) for ok in options)

        return either
    if origin is list or origin is tuple:
        item = _check(args[0])
        if origin is tuple and (len(args) != 2 or args[1] is not Ellipsis):
            parts = [_check(a) for a in args]
            return lambda v: (
                type(v) is tuple
                and len(v) == len(parts)
                and all(ok(x) for ok, x in zip(parts, v, strict=True))
            )

        def each(v: Any) -> bool:
            if type(v) is not origin:
                return False
            return all(item(x) for x in v)

        return each
    if origin is dict:
        key, value = _check(args[0]), _check(args[1])
        return lambda v: type(v) is dict and all(key(k) and value(x) for k, x in v.items())
    if hint in (str, int, float, bool, dt.date):  # exactly: validation would convert others
        return lambda v: type(v) is hint
    if isinstance(hint, type) and dataclasses.is_dataclass(hint):
        return lambda v: type(v) is hint and _record_ok(v)
    raise TypeError(f"records do not declare {hint!r}")


def _annotated(inner: Check, metadata: tuple[Any, ...]) -> Check:
    for mark in metadata:
        if isinstance(mark, Str):
            inner = _both(inner, _string(mark))
        elif isinstance(mark, Limits):
            inner = _both(inner, _limits(mark))
    return inner


def _both(first: Check, second: Check) -> Check:
    return lambda v: first(v) and second(v)


_WHITE_SPACE = (
    "\t\n\x0b\x0c\r \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007"
    "\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"
)
"""What validation strips: Unicode's White_Space (Python's `str.strip` also strips \x1c-\x1f)."""


def _string(mark: Str) -> Check:
    pattern = re.compile(mark.pattern) if mark.pattern else None
    least, most = mark.min_length or 0, mark.max_length

    def ok(v: str) -> bool:
        if mark.strip_whitespace and v != v.strip(_WHITE_SPACE):
            return False  # validation strips; a stripped value never changes
        if len(v) < least or (most is not None and len(v) > most):
            return False
        return pattern is None or pattern.search(v) is not None

    return ok


def _limits(mark: Limits) -> Check:
    def ok(v: Any) -> bool:
        if mark.min_length is not None and len(v) < mark.min_length:
            return False
        # written so that NaN fails every bound, as it does in validation
        return not (
            (mark.ge is not None and not v >= mark.ge)
            or (mark.gt is not None and not v > mark.gt)
            or (mark.le is not None and not v <= mark.le)
            or (mark.lt is not None and not v < mark.lt)
        )

    return ok
